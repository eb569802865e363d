import {
  decideFault,
  type FaultDecision,
  type FaultRule,
  FaultSpecError,
  ruleMatches,
  seededRandom,
  validateFaultRule,
} from './rules.js';

/** The live fault rules of one server and its random source; `seed` makes a run reproducible. */
export class FaultInjector {
  private rules: FaultRule[];
  private readonly random: () => number;

  constructor(rules: readonly FaultRule[] = [], seed?: number) {
    this.rules = validRules(rules);
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  get current(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Replaces every rule (an empty list turns faults off); a bad rule changes nothing. */
  set(rules: readonly unknown[]): void {
    this.rules = validRules(rules);
  }

  decide(operation: string): FaultDecision {
    if (this.rules.length === 0) return { kind: 'none', latencyMs: 0 };
    const decision = decideFault(this.rules, operation, this.random);
    // A counted rule applies to the first N requests it matches, whatever it did to them (a
    // latency-only rule included). Rules are copies owned by this injector: spending in place is safe.
    for (const rule of this.rules) {
      if (rule.count !== undefined && ruleMatches(rule, operation)) rule.count -= 1;
    }
    this.rules = this.rules.filter((rule) => rule.count === undefined || rule.count > 0);
    return decision;
  }
}

/** The rules checked; FaultSpecError names the first bad one by its place in the list. */
function validRules(rules: readonly unknown[]): FaultRule[] {
  return rules.map((rule, index) => {
    try {
      return validateFaultRule(rule);
    } catch (error) {
      throw new FaultSpecError(`rule [${index}]: ${(error as Error).message}`);
    }
  });
}
