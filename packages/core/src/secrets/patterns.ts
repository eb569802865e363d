import type { Range } from './range.js';

/**
 * A kind of credential recognised by its shape. Every pattern is global with indices (`gd`) and
 * names the secret part of a match `secret` (the access-key pattern also `id` and `pair`), so the
 * words around it ("Authorization: Bearer", "password=") stay readable.
 *
 * Written to run in linear time on any input: each pattern starts at a literal or a word boundary,
 * its repetitions are bounded or cannot overlap what follows them, and a separator never crosses a
 * line end.
 */
export interface SecretPattern {
  /** What it finds, for tests and the README. */
  name: string;
  regex: RegExp;
  /** The secret parts of a match; default the `secret` group when `accept` takes its value. */
  secrets?: (match: RegExpExecArray) => Range[];
  accept?: (value: string) => boolean;
}

/** `key=value`, `key: value`, `"key": "value"`, `key => value`: how a value follows its name. */
const ASSIGN = String.raw`["']?[ \t]*(?:=>?|:)[ \t]*["']?`;

/** An AWS secret access key: 40 base64 characters, which in practice mix cases and digits. */
function looksLikeSecretKey(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9/+]/.test(value);
}

/** A value after a credential-sounding name that is not a credential: a reference, a placeholder, a number. */
function plausibleValue(value: string): boolean {
  if (value.length < 4) return false;
  if (/^[$%{<*(]/.test(value)) return false;
  if (/^\d+$/.test(value)) return false;
  return !/^(?:true|false|null|nil|none|undefined|redacted|masked|hidden|required|optional)$/i.test(value);
}

/** A name such as `token_file`, `secret_name` or `password_length` says the value is not the secret. */
const NOT_A_SECRET_NAME =
  /(?:file|path|dir|url|uri|endpoint|type|name|ttl|expiry|expires|expiration|length|count|id|arn|region|user|username)$/i;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    // Access key ids (AKIA long-term, ASIA temporary) and the other IAM unique ids the brief names;
    // a secret key written right after one (a credentials CSV, `aws configure list`) goes with it.
    name: 'AWS access key id',
    regex:
      /(?<![A-Za-z0-9])(?<id>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})(?![A-Za-z0-9])(?:[ \t,;:|"'=]{1,8}(?<pair>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))?/dg,
    secrets: (match) => {
      const ranges = [group(match, 'id')];
      const pair = group(match, 'pair');
      if (match.groups?.pair !== undefined && looksLikeSecretKey(match.groups.pair)) ranges.push(pair);
      return ranges;
    },
  },
  {
    name: 'AWS secret access key',
    regex: new RegExp(
      `(?<![A-Za-z0-9])(?:aws[_-]?)?secret[_-]?access[_-]?key${ASSIGN}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'dgi',
    ),
  },
  {
    name: 'AWS session token',
    regex: new RegExp(
      `(?<![A-Za-z0-9])(?:aws[_-]?)?(?:session|security)[_-]?token${ASSIGN}(?<secret>[A-Za-z0-9/+=%]{16,})`,
      'dgi',
    ),
  },
  {
    // STS tokens start with the same few bytes whatever they carry; seen bare in a dumped response.
    name: 'AWS session token (by its prefix)',
    regex:
      /(?<![A-Za-z0-9/+])(?<secret>(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9/+]{20,}={0,2})/dg,
  },
  {
    name: 'GitHub token',
    regex: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/dg,
  },
  {
    name: 'npm token',
    regex: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36,})/dg,
  },
  {
    // The scheme stays; what follows it to the end of the line (or the closing quote) is the credential.
    name: 'Authorization header',
    regex:
      /(?<![A-Za-z0-9-])(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t]+)?(?<secret>[^\s"',;][^\r\n"']*)/dgi,
    accept: (value) => !/^(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)$/i.test(value.trim()),
  },
  {
    name: 'password in a URL',
    regex: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'<>]*:(?<secret>[^\s/?#@"'<>]+)@/dg,
  },
  {
    // `password=…`, `?token=…`, `_authToken=…`, `"client_secret": "…"`, `SECRET_KEY='…'`: the name
    // may go on after the word. A quoted value runs to its quote; a bare one to a blank, `&`, `,`
    // or `;`, which is where logs and query strings end a value.
    name: 'credential-named value',
    regex:
      /(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|signature)(?<suffix>[A-Za-z0-9_.-]{0,24})(?:["']?[ \t]*[=:][ \t]*["'](?<quoted>[^"'\r\n]+)|[ \t]*=[ \t]*(?<bare>[^\s"'&<>,;]+))/dgi,
    secrets: (match) => {
      const name = match.groups?.quoted === undefined ? 'bare' : 'quoted';
      const value = match.groups?.[name] ?? '';
      if (!plausibleValue(value) || NOT_A_SECRET_NAME.test(match.groups?.suffix ?? '')) return [];
      return [group(match, name)];
    },
  },
];

/** Every secret each pattern finds in `text`. */
export function patternRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const pattern of SECRET_PATTERNS) {
    const regex = pattern.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (pattern.secrets) {
        ranges.push(...pattern.secrets(match));
        continue;
      }
      const value = match.groups?.secret;
      if (value === undefined || (pattern.accept && !pattern.accept(value))) continue;
      const [start, end] = group(match, 'secret');
      // A header value runs to the line end: its trailing blanks are not part of it.
      ranges.push([start, end - (value.length - value.trimEnd().length)]);
    }
  }
  return ranges;
}

function group(match: RegExpExecArray, name: string): Range {
  const indices = match.indices?.groups?.[name];
  return indices === undefined ? [match.index, match.index] : [indices[0], indices[1]];
}
