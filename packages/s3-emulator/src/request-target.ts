/**
 * A request target as s3rver's router sees it: the raw path (WHATWG URL parsing would resolve `..`
 * segments that the router keeps as part of a key) and the query.
 */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
  /** The first path segment, decoded: the bucket of a path-style request ('' for the service). */
  bucket: string;
  /** Whether anything follows the bucket (`/bucket/key`, `/bucket//`). */
  hasKey: boolean;
}

export function parseTarget(url: string): RequestTarget {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const [, rawBucket = '', ...keyParts] = path.split('/');
  return { path, query, bucket: safeDecode(rawBucket), hasKey: keyParts.join('/') !== '' };
}

/**
 * `path` with the empty parts of its key (`a//b`, the leading `/` of `/tmp/x`) written as `%2F`:
 * s3rver's router matches no empty segment (it answered 404 Not Found), and decodes `%2F` back, so the
 * key it sees is exactly the one sent. A trailing `/` stays, as the router keeps it.
 */
export function routablePath(path: string): string {
  const keyStart = path.indexOf('/', 1);
  if (keyStart === -1) return path;
  const key = path.slice(keyStart + 1);
  return `${path.slice(0, keyStart + 1)}${key.replace(/^\//, '%2F').replace(/\/(?=\/)/g, '%2F')}`;
}

/** The object key of a path-style request target (`/bucket/a%20b?x` is `a b`), decoded as s3rver's router does. */
export function keyOf(url: string): string {
  const { path } = parseTarget(url);
  const keyStart = path.indexOf('/', 1);
  return keyStart === -1 ? '' : safeDecode(path.slice(keyStart + 1));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
