/**
 * Structured logs: one JSON object a line on stdout (`time`, `level`, `msg`, then fields), what log
 * shippers and `journalctl -o cat` read as is. Credentials never go through here: callers pass ids,
 * names and statuses only, and `redact` drops any field whose name says it holds a secret.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export type Fields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `fields` to every line (a job's id and pipeline, say). */
  child(fields: Fields): Logger;
}

const SECRET_FIELD = /secret|token|password|credential|session/i;

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  base: Fields = {},
  debug = false,
): Logger {
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (level === 'debug' && !debug) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...redact({ ...base, ...fields }) }));
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(write, { ...base, ...fields }, debug),
  };
}

function redact(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !SECRET_FIELD.test(name)));
}
