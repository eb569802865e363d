/**
 * A fault to inject into requests for one operation: a CodeDeploy operation name (`GetDeployment`),
 * `Lambda:PublishVersion` or `ECS:DescribeServices`, `S3:*` (`Lambda:*`, `ECS:*`) for every request of
 * that service, or `*` for everything. Probabilities are 0..1; all faults are off unless a rule asks.
 */
export interface FaultRule {
  operation: string;
  /** Probability of 400 ThrottlingException "Rate exceeded" (S3: 503 SlowDown). */
  throttle?: number;
  /** Probability of 500 InternalFailure (S3: 500 InternalError). */
  serverError?: number;
  /** Added before the request is served (or failed). */
  latencyMs?: number;
  /** Probability of destroying the connection without serving the request. */
  drop?: number;
  /**
   * Probability of serving the request and then destroying the connection instead of answering: the
   * operation took effect, the caller never hears so (a lost CreateDeployment response).
   */
  lose?: number;
  /** Apply to the first N matching requests only (then the rule is spent); unlimited when absent. */
  count?: number;
}

/** What to do to one request, decided before it is served. */
export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'drop' | 'lose' | 'throttle' | 'serverError'; latencyMs: number; rule: FaultRule };

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

const PROBABILITY_KEYS = {
  throttle: 'throttle',
  serverError: 'serverError',
  error: 'serverError',
  drop: 'drop',
  lose: 'lose',
} as const;

/**
 * Parses the CLI form `Operation:key=value,key=value`, e.g. `GetDeployment:throttle=0.5,latency=200`.
 * Keys: throttle, serverError (or error), drop, lose (probabilities 0..1), latency (ms) and count (apply to
 * the first N matching requests only).
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const colon = spec.lastIndexOf(':');
  const operation = colon > 0 ? spec.slice(0, colon).trim() : '';
  const settings = colon > 0 ? spec.slice(colon + 1) : '';
  if (operation === '' || settings.trim() === '') {
    throw new FaultSpecError(
      `invalid fault "${spec}": expected OPERATION:key=value,... (e.g. GetDeployment:throttle=0.5)`,
    );
  }
  const rule: Record<string, unknown> = { operation };
  for (const setting of settings.split(',')) {
    const [key = '', value = ''] = setting.split('=').map((part) => part.trim());
    const number = Number(value);
    if (value === '' || !Number.isFinite(number)) {
      throw new FaultSpecError(`invalid fault "${spec}": "${setting}" needs a numeric value`);
    }
    if (key === 'latency' || key === 'latencyMs') rule.latencyMs = number;
    else if (key === 'count') rule.count = number;
    else if (key in PROBABILITY_KEYS) rule[PROBABILITY_KEYS[key as keyof typeof PROBABILITY_KEYS]] = number;
    else
      throw new FaultSpecError(
        `invalid fault "${spec}": unknown key "${key}" (throttle, serverError, drop, lose, latency, count)`,
      );
  }
  return [validateFaultRule(rule)];
}

/** Checks a rule from JSON (admin endpoint) or the CLI; throws FaultSpecError with what is wrong. */
export function validateFaultRule(value: unknown): FaultRule {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultSpecError('a fault rule must be an object');
  }
  const rule = value as Record<string, unknown>;
  if (typeof rule.operation !== 'string' || rule.operation === '') {
    throw new FaultSpecError('a fault rule needs an "operation" (an operation name, "S3:*" or "*")');
  }
  const out: FaultRule = { operation: rule.operation };
  for (const key of ['throttle', 'serverError', 'drop', 'lose'] as const) {
    const p = rule[key];
    if (p === undefined) continue;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new FaultSpecError(`fault "${key}" for ${rule.operation} must be a probability between 0 and 1`);
    }
    out[key] = p;
  }
  if (rule.latencyMs !== undefined) {
    if (typeof rule.latencyMs !== 'number' || !(rule.latencyMs >= 0)) {
      throw new FaultSpecError(
        `fault "latencyMs" for ${rule.operation} must be a number of milliseconds ≥ 0`,
      );
    }
    out.latencyMs = rule.latencyMs;
  }
  if (rule.count !== undefined) {
    if (typeof rule.count !== 'number' || !Number.isInteger(rule.count) || rule.count < 1) {
      throw new FaultSpecError(`fault "count" for ${rule.operation} must be a whole number ≥ 1`);
    }
    out.count = rule.count;
  }
  return out;
}

/**
 * Whether a rule applies to a request: its operation name, `S3:*` / `Lambda:*` / `ECS:*` for every
 * request of that service, or `*`.
 */
export function ruleMatches(rule: FaultRule, operation: string): boolean {
  if (rule.operation === '*' || rule.operation === operation) return true;
  if (!rule.operation.endsWith(':*')) return false;
  return operation.startsWith(rule.operation.slice(0, -1));
}

/**
 * Decides a request's fate from the matching rules and a random source: the largest latency of the
 * matching rules, then drop, lose, throttle and server error are drawn in that order (first hit wins).
 * The decision names the rule that fired, so a counted rule can be spent.
 */
export function decideFault(
  rules: readonly FaultRule[],
  operation: string,
  random: () => number,
): FaultDecision {
  const matching = rules.filter((rule) => ruleMatches(rule, operation));
  const latencyMs = Math.max(0, ...matching.map((rule) => rule.latencyMs ?? 0));
  for (const kind of ['drop', 'lose', 'throttle', 'serverError'] as const) {
    for (const rule of matching) {
      const p = rule[kind] ?? 0;
      if (p > 0 && random() < p) return { kind, latencyMs, rule };
    }
  }
  return { kind: 'none', latencyMs };
}

/** A small seeded PRNG (mulberry32), so a test with a seed sees the same faults every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
