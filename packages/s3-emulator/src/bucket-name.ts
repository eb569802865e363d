import { isIP } from 'node:net';

/**
 * What S3 accepts as a general purpose bucket name: 3-63 characters of lowercase letters, digits,
 * dots and hyphens, starting and ending with a letter or digit, no two dots in a row, not shaped like
 * an IPv4 address. Anything else never names a folder here, so `..`, `.`, `/`, `\` and NUL never
 * reach the file system as a bucket.
 */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && isIP(name) === 0;
}

/** The message for an invalid bucket name: what S3 says, plus the rule, so the fix is obvious. */
export const INVALID_BUCKET_MESSAGE =
  'The specified bucket is not valid. Bucket names are 3-63 lowercase letters, digits, dots and ' +
  'hyphens, start and end with a letter or digit, have no two dots in a row and are not IP addresses.';
