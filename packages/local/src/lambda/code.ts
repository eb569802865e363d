import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from './errors.js';

/** A code package as kept under the state dir. */
export interface StoredCode {
  sha256: string;
  size: number;
  file: string;
}

/**
 * The code of a FunctionCode or UpdateFunctionCode input. The local Lambda takes code inline
 * (ZipFile); S3 and container image code have nowhere to come from here.
 */
export function zipFromInput(input: Record<string, unknown>): Buffer {
  if (input.ImageUri !== undefined) {
    throw invalidParameter(
      'The local Lambda runs Zip packages only: send the code as ZipFile, not ImageUri.',
    );
  }
  if (input.S3Bucket !== undefined || input.S3Key !== undefined) {
    throw invalidParameter(
      'The local Lambda takes code inline only: send the zip as ZipFile instead of S3Bucket/S3Key.',
    );
  }
  if (typeof input.ZipFile !== 'string' || input.ZipFile === '') {
    throw invalidParameter('Please provide a source for function code.');
  }
  const zip = Buffer.from(input.ZipFile, 'base64');
  if (!isZip(zip)) {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  return zip;
}

/** A local file header or (for an empty archive) an end-of-central-directory record. */
function isZip(bytes: Buffer): boolean {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  return (bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6);
}

/**
 * Keeps a zip as `<codeDir>/<function>/<sha256 hex>.zip`: content-addressed, so versions that share
 * code share the file and a version's code never changes under it.
 */
export async function storeZip(codeDir: string, functionName: string, zip: Buffer): Promise<StoredCode> {
  const digest = createHash('sha256').update(zip);
  const hex = digest.copy().digest('hex');
  const dir = join(codeDir, functionName);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${hex}.zip`);
  await writeFile(file, zip);
  return { sha256: digest.digest('base64'), size: zip.length, file };
}
