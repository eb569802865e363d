import { type SecretMasker, secretMasker } from '@codedeploy-gate/core';

/**
 * Structured logs: one JSON object a line on stdout (`time`, `level`, `msg`, then fields), what log
 * shippers and `journalctl -o cat` read as is. Credentials never go through here: callers pass ids,
 * names and statuses only, `redact` drops any field whose name says it holds a secret, and text
 * (an AWS error, a check's output line) is masked as core masks reports.
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
  masker: SecretMasker = secretMasker(process.env),
): Logger {
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (level === 'debug' && !debug) return;
    const line = { time: new Date().toISOString(), level, msg, ...redact({ ...base, ...fields }) };
    // Each string on its own, so a masked value never spans two fields or breaks the JSON.
    write(JSON.stringify(line, (_key, value) => (typeof value === 'string' ? masker(value).text : value)));
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(write, { ...base, ...fields }, debug, masker),
  };
}

function redact(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !SECRET_FIELD.test(name)));
}
