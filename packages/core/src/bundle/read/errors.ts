import { BundleError, type GateError, isGateError } from '../../errors/index.js';

const FORMAT_HINT = (file: string) =>
  `Is this a zip, tar or tgz file? \`file ${file}\` tells; rebuild the bundle if it was cut short.`;

/** The file is not a bundle, is cut short, or is damaged. */
export function corruptBundle(file: string, what: string, cause?: unknown): BundleError {
  return new BundleError(`Cannot read the bundle ${file}: ${what}`, { hint: FORMAT_HINT(file), cause });
}

/** A single entry cannot be read (too large, unsupported compression, not a file). */
export function unreadableEntry(file: string, entry: string, what: string, hint?: string): BundleError {
  return new BundleError(`Cannot read ${entry} from the bundle ${file}: ${what}`, {
    entry,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Keeps user-facing errors as they are and turns anything else (a RangeError from a damaged field) into one. */
export function asBundleError(file: string, error: unknown): GateError {
  if (isGateError(error)) return error;
  return corruptBundle(file, `the archive is damaged (${(error as Error).message ?? String(error)})`, error);
}
