import type { Range } from './range.js';

// `RSA`, `EC`, `OPENSSH`, `ENCRYPTED`, `DSA`, none at all (PKCS#8), and PGP's `... KEY BLOCK`.
const BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/** What a log puts before each line: the agent's `[stdout]`/`[stderr]`, a runner's timestamp. */
const LOG_PREFIX = /^(?:\[std(?:out|err)\])?(?:\d{4}-\d\d-\d\dT[\d:.]+Z?[ \t]+)?/;
/** A key's body line (trimmed): base64, or a PEM header of an encrypted key. */
const BODY = /^(?:[A-Za-z0-9+/=]*|(?:Proc-Type|DEK-Info|Comment):.*)$/;

/**
 * Where private-key blocks are: from `-----BEGIN … PRIVATE KEY-----` to its `-----END …-----`, over
 * as many lines as they span (log prefixes between them included). A log tail is the end of a log,
 * so a block may be cut at either side: a BEGIN with no END runs to the end of the text, and an END
 * with no BEGIN takes the base64 lines before it. Each marker is searched once, forward: linear.
 */
export function privateKeyRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let cursor = 0;
  let begin = find(BEGIN, text, cursor);
  let end = find(END, text, cursor);
  while (begin !== undefined || end !== undefined) {
    if (end !== undefined && (begin === undefined || end.index < begin.index)) {
      const stop = end.index + end[0].length;
      ranges.push([bodyStart(text, cursor, end.index), stop]);
      cursor = stop;
      end = find(END, text, cursor);
      continue;
    }
    if (begin === undefined) break;
    if (end === undefined) {
      ranges.push([begin.index, text.length]);
      break;
    }
    cursor = end.index + end[0].length;
    ranges.push([begin.index, cursor]);
    begin = find(BEGIN, text, cursor);
    end = find(END, text, cursor);
  }
  return ranges;
}

/**
 * Whether the text ends inside a private-key block (its last BEGIN comes after its last END): a
 * stream's next lines are then the key's body, up to the END line.
 */
export function opensPrivateKey(text: string): boolean {
  const begin = lastIndex(BEGIN, text);
  return begin >= 0 && lastIndex(END, text) < begin;
}

/** Where the END marker in `line` stops, or -1 when the line has none. */
export function privateKeyEnd(line: string): number {
  const end = find(END, line, 0);
  return end === undefined ? -1 : end.index + end[0].length;
}

function lastIndex(pattern: RegExp, text: string): number {
  let last = -1;
  for (
    let match = find(pattern, text, 0);
    match !== undefined;
    match = find(pattern, text, pattern.lastIndex)
  )
    last = match.index;
  return last;
}

function find(pattern: RegExp, text: string, from: number): RegExpExecArray | undefined {
  pattern.lastIndex = from;
  return pattern.exec(text) ?? undefined;
}

/**
 * The start of the key body that ends at `endIndex`: back over the lines that look like base64 (or
 * PEM headers), never before `floor`. The first body line keeps its log prefix.
 */
function bodyStart(text: string, floor: number, endIndex: number): number {
  let start = endIndex;
  let lineEnd = text.lastIndexOf('\n', endIndex - 1);
  while (lineEnd >= floor && lineEnd >= 0) {
    const lineStart = Math.max(floor, text.lastIndexOf('\n', lineEnd - 1) + 1);
    const line = text.slice(lineStart, lineEnd);
    const prefix = LOG_PREFIX.exec(line)?.[0].length ?? 0;
    if (!BODY.test(line.slice(prefix).trim())) break;
    start = lineStart + prefix;
    if (lineStart === floor) break;
    lineEnd = lineStart - 1;
  }
  return start;
}
