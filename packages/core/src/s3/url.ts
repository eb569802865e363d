import { InvalidInputError } from '../errors/index.js';

/** A bucket and a key (or key prefix) inside it. */
export interface S3Url {
  bucket: string;
  /** Everything after `s3://BUCKET/`, without the leading slash; empty for the bucket root. */
  key: string;
}

export type BundleExtension = 'zip' | 'tar' | 'tgz';

const HINT = 'Use s3://BUCKET/PREFIX, for example s3://my-artifacts/deploys/web.';

/** S3 keys are at most 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/**
 * Parses `s3://BUCKET[/KEY]`. The bucket must follow the naming rules for general purpose buckets
 * (checked here so a typo fails before bundling, not as an opaque signature or DNS error after it).
 */
export function parseS3Url(url: string): S3Url {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(url.trim());
  if (match === null) {
    throw new InvalidInputError(`"${url}" is not an s3:// URL`, { hint: HINT });
  }
  const bucket = match[1] ?? '';
  const key = match[2] ?? '';
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) {
    throw new InvalidInputError(`"${url}" does not name a valid bucket: ${problem}`, { hint: HINT });
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidInputError(`The key in "${url.slice(0, 80)}..." is longer than ${MAX_KEY_BYTES} bytes`, {
      hint: HINT,
    });
  }
  return { bucket, key };
}

/**
 * Why `name` is not a valid general purpose bucket name, or `undefined` when it is.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name === '') return 'the bucket name is empty';
  if (name.length < 3 || name.length > 63) return 'bucket names are 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'bucket names contain only lower-case letters, digits, dots and hyphens';
  }
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'bucket names start and end with a letter or digit';
  if (/\.\.|\.-|-\./.test(name)) return 'bucket names have no "..", ".-" or "-."';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'bucket names are not IP addresses';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `bucket names do not start with "${prefix}"`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `bucket names do not end with "${suffix}"`;
  }
  return undefined;
}

/**
 * The key a bundle is stored under: `PREFIX/NAME-SHA256.EXT`, or `PREFIX/SHA256.EXT` without a name.
 *
 * The full SHA-256 of the bundle is the address, so the same bundle always lands on the same key (and
 * the upload can be skipped) and a different bundle never overwrites one a deployment may still be
 * reading. NAME (usually the application) only helps humans browsing the bucket: characters other
 * than letters, digits, `.`, `_` and `-` become `-`. Slashes around PREFIX are trimmed; an empty
 * PREFIX puts the bundle at the bucket root.
 */
export function contentAddressedKey(
  prefix: string,
  sha256: string,
  extension: BundleExtension,
  name?: string,
): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InvalidInputError('The bundle digest is not a lower-case hex SHA-256', {
      hint: 'Pass the sha256 the bundle step reported.',
    });
  }
  return keyBelow(prefix, `${humanPart(name)}${sha256}.${extension}`);
}

/**
 * Where push records which bundle a tree fingerprint (see `bundleFingerprint`) was packaged into:
 * `PREFIX/fingerprints/NAME-FINGERPRINT`, an empty object whose `sha256` metadata names the bundle.
 */
export function fingerprintKey(prefix: string, fingerprint: string, name?: string): string {
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new Error('The fingerprint is not a lower-case hex SHA-256');
  return keyBelow(prefix, `fingerprints/${humanPart(name)}${fingerprint}`);
}

/** NAME cleaned for a key, with its separating `-`; empty without a name. */
function humanPart(name: string | undefined): string {
  const cleanName = name
    ?.replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return cleanName ? `${cleanName}-` : '';
}

function keyBelow(prefix: string, file: string): string {
  const cleanPrefix = prefix.replace(/^\/+|\/+$/g, '');
  return cleanPrefix === '' ? file : `${cleanPrefix}/${file}`;
}
