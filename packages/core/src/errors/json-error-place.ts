/**
 * Where a JSON.parse failure is, for a message that must not quote the text (a task definition's
 * environment, an artifact's file may hold a secret, and Node's own messages quote around the error):
 * ` at line L, column C` from the parser's `position N`; ` (it ends too early)` for a cut-off text;
 * else nothing (Node's `Unexpected token` message says where only by quoting the text).
 */
export function jsonErrorPlace(text: string, error: unknown): string {
  const message = (error as Error)?.message ?? '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return /end of JSON input/.test(message) ? ' (it ends too early)' : '';
  const before = text.replace(/^\uFEFF/, '').slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
