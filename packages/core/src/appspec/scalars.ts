/**
 * Plain-scalar typing as the CodeDeploy agent sees it. The agent is Ruby and loads the AppSpec with
 * Psych (YAML 1.1 rules, `Psych::ScalarScanner#tokenize`), not with YAML 1.2 rules: `0644` is the octal
 * number 420, `yes`/`on` are booleans, `1,000` is 1000. Quoted scalars are always strings.
 */
export type ScalarValue =
  | { type: 'null'; value: null }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'str'; value: string }
  /** A Ruby Date/Time; kept as its source text. */
  | { type: 'timestamp'; value: string }
  /** A Ruby Symbol (`:name`); kept as its source text. */
  | { type: 'symbol'; value: string };

const WORDY = /^[^\d.:-]?[\p{L}_\s!@#$%^&*(){}<>|/\\~;=]+/u;
const TIME =
  /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/;
const FLOAT = /^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$/;
const INT_BINARY = /^[-+]?0b[0-1_,]+$/;
const INT_OCTAL = /^[-+]?0[0-7_,]+$/;
const INT_DECIMAL = /^[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_,]+$/;

/** Resolves an unquoted, untagged scalar the way Psych does. */
export function resolvePlainScalar(text: string): ScalarValue {
  if (text === '') return { type: 'null', value: null };
  // Most scalars of a large AppSpec are paths and names: longer than any special word and starting
  // with a letter or "/", which WORDY matches, so they are strings.
  const first = text.charCodeAt(0);
  if (text.length > 5 && ((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 47))
    return { type: 'str', value: text };
  if (WORDY.test(text) || text.includes('\n')) {
    if (text.length > 5 || /^[^ytonf~]/i.test(text)) return { type: 'str', value: text };
    if (text === '~' || /^null$/i.test(text)) return { type: 'null', value: null };
    if (/^(yes|true|on)$/i.test(text)) return { type: 'bool', value: true };
    if (/^(no|false|off)$/i.test(text)) return { type: 'bool', value: false };
    return { type: 'str', value: text };
  }
  if (TIME.test(text) || DATE.test(text)) return { type: 'timestamp', value: text };
  if (/^\+?\.inf$/i.test(text)) return { type: 'float', value: Number.POSITIVE_INFINITY };
  if (/^-\.inf$/i.test(text)) return { type: 'float', value: Number.NEGATIVE_INFINITY };
  if (/^\.nan$/i.test(text)) return { type: 'float', value: Number.NaN };
  if (/^:./.test(text)) return { type: 'symbol', value: text };
  if (SEXAGESIMAL_INT.test(text)) return { type: 'int', value: sexagesimal(text) };
  if (SEXAGESIMAL_FLOAT.test(text)) return { type: 'float', value: sexagesimal(text) };
  if (FLOAT.test(text)) {
    if (/^[-+]?\.$/.test(text)) return { type: 'str', value: text };
    return { type: 'float', value: Number.parseFloat(text.replace(/[,_]/g, '').replace(/\.([Ee]|$)/, '$1')) };
  }
  const int = parseRubyInteger(text);
  if (int !== undefined) return { type: 'int', value: int };
  return { type: 'str', value: text };
}

/** Resolves a scalar with an explicit tag (`!!str 0.0`); unknown tags keep the untagged rules. */
export function resolveTaggedScalar(tag: string, text: string, quoted: boolean): ScalarValue {
  const name = tag.replace(/^!!/, '').replace(/^tag:yaml\.org,2002:/, '');
  if (name === 'str' || tag === '!') return { type: 'str', value: text };
  if (name === 'int' || name === 'float' || name === 'bool' || name === 'null') {
    const resolved = resolvePlainScalar(text);
    if (resolved.type !== 'str') return resolved;
  }
  return quoted ? { type: 'str', value: text } : resolvePlainScalar(text);
}

function parseRubyInteger(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '').replace(/[,_]/g, '');
  if (INT_BINARY.test(text)) return sign * Number.parseInt(digits.slice(2) || '0', 2);
  if (INT_HEX.test(text)) return sign * Number.parseInt(digits.slice(2) || '0', 16);
  if (INT_OCTAL.test(text)) return sign * Number.parseInt(digits, 8);
  if (INT_DECIMAL.test(text)) return sign * Number.parseInt(digits, 10);
  return undefined;
}

function sexagesimal(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const parts = text.replace(/^[-+]/, '').replace(/_/g, '').split(':');
  let total = 0;
  for (const part of parts) total = total * 60 + Number.parseFloat(part);
  return sign * total;
}

/** Whether an unquoted scalar is an integer written with a leading zero, which YAML 1.1 reads as octal. */
export function isOctalLooking(text: string): boolean {
  return INT_OCTAL.test(text);
}

/** The value as Ruby's `to_s` would print it (what the agent uses for modes, locations, owners). */
export function rubyToS(value: ScalarValue): string {
  switch (value.type) {
    case 'null':
      return '';
    case 'bool':
      return String(value.value);
    case 'int':
      return String(value.value);
    case 'float':
      if (Number.isNaN(value.value)) return 'NaN';
      if (!Number.isFinite(value.value)) return value.value > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value);
    case 'symbol':
      return value.value.slice(1);
    default:
      return value.value;
  }
}

/** A short description of a scalar for messages: `the number 420`, `the string "0.0"`, `null`. */
export function describeScalar(value: ScalarValue, text: string): string {
  switch (value.type) {
    case 'null':
      return 'null (empty)';
    case 'bool':
      return `the boolean ${value.value}${text.toLowerCase() === String(value.value) ? '' : ` (written ${text})`}`;
    case 'int':
    case 'float':
      return `the number ${rubyToS(value)}${text === rubyToS(value) ? '' : ` (written ${text})`}`;
    case 'timestamp':
      return `the date/time ${text}`;
    case 'symbol':
      return `the Ruby symbol ${text}`;
    default:
      return `the string ${JSON.stringify(value.value)}`;
  }
}
