import type { Store } from '../state/index.js';

/** Where the local ECS lives: the server's one account and region. */
export interface EcsScope {
  accountId: string;
  region: string;
}

/** What every local ECS operation handler gets. */
export interface EcsContext extends EcsScope {
  store: Store;
  now(): Date;
}
