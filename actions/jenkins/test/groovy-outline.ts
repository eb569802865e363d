/**
 * A small outline of a Groovy pipeline file, enough to check the examples without a Jenkins: comments
 * and strings set aside, every bracket matched, and the blocks (`name(...) { ... }` / `name { ... }`)
 * with where they start and end. Not a Groovy parser: it knows the string forms pipelines use (' " '''
 * """ and slashy strings are not used in the examples) and that `//` and `/* *\/` are comments.
 */
export interface GroovyOutline {
  /** The text with comments blanked and string contents replaced by spaces (same offsets). */
  code: string;
  /** The leading comment lines (`// ...`), without the slashes. */
  header: string;
  /** Each `{ ... }` block with the word before it (`withCredentials`, `stage`, `script`, `call`...). */
  blocks: Array<{ name: string; start: number; end: number }>;
}

export class GroovyStructureError extends Error {}

export function outlineGroovy(text: string): GroovyOutline {
  const code = [...text];
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (code[i] !== '\n') code[i] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const quote = ["'''", '"""', "'", '"'].find((q) => rest.startsWith(q));
    if (rest.startsWith('//')) {
      const end = text.indexOf('\n', i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new GroovyStructureError(`unclosed comment at ${lineOf(text, i)}`);
      blank(i, end + 2);
      i = end + 2;
    } else if (quote) {
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) {
        if (text[j] === '\\') j++;
        else if (quote.length === 1 && text[j] === '\n')
          throw new GroovyStructureError(`string not closed on its line ${lineOf(text, i)}`);
        j++;
      }
      if (j >= text.length) throw new GroovyStructureError(`unclosed string at ${lineOf(text, i)}`);
      blank(i + quote.length, j);
      i = j + quote.length;
    } else i++;
  }
  const blanked = code.join('');
  const blocks: GroovyOutline['blocks'] = [];
  const open: Array<{ char: string; at: number }> = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let k = 0; k < blanked.length; k++) {
    const char = blanked[k] as string;
    if ('([{'.includes(char)) open.push({ char, at: k });
    const opener = pairs[char];
    if (opener === undefined) continue;
    const last = open.pop();
    if (last?.char !== opener)
      throw new GroovyStructureError(
        `"${char}" at ${lineOf(text, k)} does not close ${last ? `"${last.char}" at ${lineOf(text, last.at)}` : 'anything'}`,
      );
    if (char === '}') blocks.push({ name: blockName(blanked, last.at), start: last.at, end: k });
  }
  const unclosed = open.pop();
  if (unclosed)
    throw new GroovyStructureError(`"${unclosed.char}" at ${lineOf(text, unclosed.at)} is never closed`);
  const lines = text.split('\n');
  const firstCode = lines.findIndex((line) => !line.startsWith('//'));
  const header = lines
    .slice(0, firstCode < 0 ? lines.length : firstCode)
    .map((line) => line.replace(/^\/\/ ?/, ''))
    .join('\n');
  return { code: blanked, header, blocks };
}

/** The word a block belongs to: `withAWS(...) {` → withAWS, `stage('x') {` → stage, `} finally {` → finally. */
function blockName(code: string, brace: number): string {
  let k = brace - 1;
  while (k >= 0 && /\s/.test(code[k] as string)) k--;
  if (code[k] === ')') {
    let depth = 0;
    for (; k >= 0; k--) {
      if (code[k] === ')') depth++;
      if (code[k] === '(' && --depth === 0) break;
    }
    k--;
  }
  const word = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(code.slice(0, k + 1));
  return word?.[1] ?? '';
}

function lineOf(text: string, at: number): string {
  return `line ${text.slice(0, at).split('\n').length}`;
}
