import { type SecretMasker, secretMasker } from '../secrets/index.js';
import type { GateAction } from './model.js';

/**
 * The free text a report takes from outside — scripts' log tails and messages, AWS error text, the
 * deployment's description, the gate's action details (a check command, a stop message) — masked on
 * its way into the model (see `secretMasker`), with the tally that becomes the report's
 * `maskedValues`. One per report: the deployment, its rollback and the actions add to one count.
 */
export class ReportMasking {
  private masked = 0;

  /** Default: the secrets of this process's environment and every credential-shaped value. */
  constructor(private readonly masker: SecretMasker = secretMasker(process.env)) {}

  /** Values masked so far. */
  get count(): number {
    return this.masked;
  }

  text(value: string): string {
    const result = this.masker(value);
    this.masked += result.count;
    return result.text;
  }

  optional(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.text(value);
  }

  action(action: GateAction): GateAction {
    return { ...action, detail: this.text(action.detail) };
  }
}
