import type { Store } from '../state/index.js';
import type { FunctionInvoker } from './invoker.js';
import type { LambdaScope } from './names.js';

/** What every local Lambda operation gets. */
export interface LambdaContext extends LambdaScope {
  store: Store;
  now(): Date;
  /** Where code packages are kept (`<stateDir>/lambda`), one content-addressed zip per upload. */
  codeDir: string;
  /** Runs functions' local runners (Invoke). */
  invoker: FunctionInvoker;
  log: (line: string) => void;
}
