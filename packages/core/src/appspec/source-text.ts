import type { LocatedProblem } from './problems.js';

/** The AppSpec text ready for parsing: UTF-8 decoded, BOM stripped, line ends normalised to LF. */
export interface SourceText {
  text: string;
  problems: LocatedProblem[];
}

/**
 * Decodes bytes as UTF-8 (the agent reads the file as UTF-8), strips a byte-order mark and turns CRLF
 * and lone CR into LF. CRLF files are normal on Windows checkouts and must validate like LF files; the
 * normalisation keeps every line number and column unchanged.
 */
export function decodeSource(source: string | Uint8Array): SourceText {
  const problems: LocatedProblem[] = [];
  let text: string;
  if (typeof source === 'string') {
    text = source;
  } else if (isUtf16(source)) {
    problems.push({
      severity: 'error',
      code: 'encoding-not-utf8',
      line: 1,
      column: 1,
      path: '',
      message: 'The file is encoded as UTF-16 (it starts with a UTF-16 byte-order mark).',
      hint: 'Save the AppSpec file as UTF-8; the CodeDeploy agent reads it as UTF-8.',
    });
    text = new TextDecoder(source[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(source);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(source);
    } catch {
      text = new TextDecoder('utf-8').decode(source);
      const at = firstReplacement(text);
      problems.push({
        severity: 'error',
        code: 'encoding-not-utf8',
        line: at.line,
        column: at.column,
        path: '',
        message: 'The file is not valid UTF-8 (invalid byte sequence here).',
        hint: 'Save the AppSpec file as UTF-8 (for example from Windows-1252 or Latin-1).',
      });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { text, problems };
}

function isUtf16(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  );
}

function firstReplacement(text: string): { line: number; column: number } {
  const index = Math.max(0, text.indexOf('\ufffd'));
  const before = text.slice(0, index).replace(/\r\n?/g, '\n');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}
