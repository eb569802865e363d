import { decideFault, type FaultDecision, type FaultRule, seededRandom, validateFaultRule } from './rules.js';

/** The live fault rules of one server and its random source; `seed` makes a run reproducible. */
export class FaultInjector {
  private rules: FaultRule[];
  private readonly random: () => number;

  constructor(rules: readonly FaultRule[] = [], seed?: number) {
    this.rules = rules.map(validateFaultRule);
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  get current(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Replaces every rule (an empty list turns faults off). */
  set(rules: readonly unknown[]): void {
    this.rules = rules.map(validateFaultRule);
  }

  decide(operation: string): FaultDecision {
    if (this.rules.length === 0) return { kind: 'none', latencyMs: 0 };
    return decideFault(this.rules, operation, this.random);
  }
}
