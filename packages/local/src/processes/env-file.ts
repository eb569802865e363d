import { checkPassThroughName, HookEnvironmentError } from './user-env.js';

/** One `NAME=VALUE` of an env file, with its line for messages. */
export interface EnvFileEntry {
  name: string;
  value: string;
  line: number;
}

/**
 * Reads dotenv-style lines: `NAME=VALUE`, an optional `export ` before the name, blank lines and
 * `#` comments. A value is taken as written (surrounding blanks and a ` # comment` after it
 * dropped), or quoted: `'...'` literally, `"..."` with `\n`, `\t`, `\"`, `\\` and `\$` escapes. Nothing
 * is expanded (`$HOME` stays `$HOME`) and a value stays on one line. Throws a
 * {@link HookEnvironmentError} naming the line.
 */
export function parseEnvFile(text: string): EnvFileEntry[] {
  const entries: EnvFileEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const statement = trimmed.replace(/^export\s+/, '');
    const equals = statement.indexOf('=');
    if (equals === -1) {
      // The line itself is not quoted back: it may be a secret pasted without its name.
      throw new HookEnvironmentError(`line ${line}: expected NAME=VALUE`, {
        line,
        hint: 'Each line is NAME=VALUE (or a # comment); write NAME= for an empty value.',
      });
    }
    const name = statement.slice(0, equals).trim();
    checkPassThroughName(name, line);
    entries.push({ name, value: unquote(statement.slice(equals + 1).trim(), line), line });
  });
  return entries;
}

function unquote(written: string, line: number): string {
  const quote = written[0];
  if (quote !== '"' && quote !== "'") return written.replace(/\s+#.*$/, '');
  const end = closingQuote(written, quote);
  if (end === -1) {
    throw new HookEnvironmentError(`line ${line}: the value's ${quote} is never closed`, {
      line,
      hint: 'Close the quote on the same line; values cannot span lines.',
    });
  }
  const rest = written.slice(end + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) {
    throw new HookEnvironmentError(`line ${line}: unexpected text after the quoted value`, {
      line,
      hint: 'Put the whole value inside the quotes.',
    });
  }
  const inner = written.slice(1, end);
  return quote === "'" ? inner : inner.replace(/\\([nt"\\$])/g, (_, c: string) => ESCAPES[c] ?? c);
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t' };

/** Index of the quote closing `text[0]`; inside double quotes a backslash escapes the next character. */
function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}
