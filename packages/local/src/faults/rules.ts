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
  /**
   * Probability of the caller lacking the IAM permission: 400 AccessDeniedException (Lambda 403
   * AccessDeniedException, S3 403 AccessDenied), for testing how a client reports a refused call.
   */
  accessDenied?: number;
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

/** The longest latency a rule may add: far beyond any client's timeout, well inside a timer's range. */
const MAX_LATENCY_MS = 3_600_000;

/** What to do to one request, decided before it is served. */
export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | {
      kind: 'drop' | 'lose' | 'throttle' | 'serverError' | 'accessDenied';
      latencyMs: number;
      rule: FaultRule;
    };

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

type Setting = Exclude<keyof FaultRule, 'operation'>;

/**
 * Every setting a fault rule takes, with what its value must be: the one spelling of both the CLI's
 * `--fault` flag and the JSON of `PUT /__local/faults` (and of FaultRule). Anything else is refused.
 */
const SETTINGS: ReadonlyMap<Setting, { what: string; valid: (value: number) => boolean }> = new Map([
  ['throttle', probability()],
  ['serverError', probability()],
  ['accessDenied', probability()],
  ['drop', probability()],
  ['lose', probability()],
  [
    'latencyMs',
    {
      what: `a number of milliseconds from 0 to ${MAX_LATENCY_MS}`,
      valid: (value: number) => value >= 0 && value <= MAX_LATENCY_MS,
    },
  ],
  ['count', { what: 'a whole number ≥ 1', valid: (value: number) => Number.isInteger(value) && value >= 1 }],
]);

/** The settings, as error messages list them. */
export const FAULT_SETTINGS: readonly string[] = [...SETTINGS.keys()];

function probability(): { what: string; valid: (value: number) => boolean } {
  return { what: 'a probability from 0 to 1', valid: (value) => value >= 0 && value <= 1 };
}

/** The unknown name, with the setting it most likely meant (`latency` → `latencyMs`). */
function unknownSetting(name: string): string {
  const meant = FAULT_SETTINGS.find((known) => known.toLowerCase().includes(name.toLowerCase()));
  const hint = name.length >= 3 && meant ? `; did you mean "${meant}"?` : '';
  return `unknown setting "${name}"${hint} (a fault rule takes operation, ${FAULT_SETTINGS.join(', ')})`;
}

/**
 * Parses the CLI form `Operation:setting=value,setting=value`, e.g.
 * `GetDeployment:throttle=0.5,latencyMs=200`, with the same settings as the JSON form.
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const colon = spec.lastIndexOf(':');
  const operation = colon > 0 ? spec.slice(0, colon).trim() : '';
  const settings = colon > 0 ? spec.slice(colon + 1) : '';
  if (operation === '' || settings.trim() === '') {
    throw new FaultSpecError(
      `invalid fault "${spec}": expected OPERATION:setting=value,... (e.g. GetDeployment:throttle=0.5)`,
    );
  }
  const rule = new Map<string, unknown>([['operation', operation]]);
  for (const setting of settings.split(',')) {
    const equals = setting.indexOf('=');
    const key = (equals < 0 ? setting : setting.slice(0, equals)).trim();
    const value = equals < 0 ? '' : setting.slice(equals + 1).trim();
    if (!SETTINGS.has(key as Setting))
      throw new FaultSpecError(`invalid fault "${spec}": ${unknownSetting(key)}`);
    if (rule.has(key)) throw new FaultSpecError(`invalid fault "${spec}": "${key}" is given twice`);
    if (value === '' || !Number.isFinite(Number(value))) {
      throw new FaultSpecError(`invalid fault "${spec}": "${key}" needs a number`);
    }
    rule.set(key, Number(value));
  }
  try {
    return [validateFaultRule(Object.fromEntries(rule))];
  } catch (error) {
    throw new FaultSpecError(`invalid fault "${spec}": ${(error as Error).message}`);
  }
}

/**
 * Checks a rule from JSON (admin endpoint) or the CLI; throws FaultSpecError naming what is wrong. A
 * member it does not know is an error, not ignored: a misspelt setting would otherwise do nothing.
 */
export function validateFaultRule(value: unknown): FaultRule {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultSpecError('a fault rule must be an object');
  }
  const members = Object.entries(value);
  const operation = members.find(([key]) => key === 'operation')?.[1];
  if (typeof operation !== 'string' || operation === '') {
    throw new FaultSpecError('a fault rule needs an "operation" (an operation name, "S3:*" or "*")');
  }
  const rule: FaultRule = { operation };
  for (const [key, setting] of members) {
    if (key === 'operation') continue;
    const expected = SETTINGS.get(key as Setting);
    if (!expected) throw new FaultSpecError(`fault rule for ${operation}: ${unknownSetting(key)}`);
    if (typeof setting !== 'number' || !Number.isFinite(setting) || !expected.valid(setting)) {
      throw new FaultSpecError(
        `fault rule for ${operation}: "${key}" must be ${expected.what}, got ${JSON.stringify(setting)}`,
      );
    }
    rule[key as Setting] = setting;
  }
  return rule;
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
 * matching rules, then drop, lose, throttle, server error and access denied are drawn in that order
 * (first hit wins).
 * The decision names the rule that fired, so a counted rule can be spent.
 */
export function decideFault(
  rules: readonly FaultRule[],
  operation: string,
  random: () => number,
): FaultDecision {
  const matching = rules.filter((rule) => ruleMatches(rule, operation));
  const latencyMs = Math.max(0, ...matching.map((rule) => rule.latencyMs ?? 0));
  for (const kind of ['drop', 'lose', 'throttle', 'serverError', 'accessDenied'] as const) {
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
