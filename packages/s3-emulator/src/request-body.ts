import type { IncomingHttpHeaders } from 'node:http';
import { SUBRESOURCE_PARAMS } from './s3rver-internals.js';

const MiB = 1024 * 1024;
/** S3's largest single PutObject and largest UploadPart: 5 GiB. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * MiB;
/**
 * Every other request body (the XML of DeleteObjects, CompleteMultipartUpload, tagging, CORS...), which
 * s3rver reads whole into memory. The largest real ones stay well under it: 1,000 keys of 1 KiB to
 * delete, 10,000 parts with checksums to complete.
 */
export const MAX_MESSAGE_BYTES = 4 * MiB;

/** Why a request is refused before its body is read, in S3's terms. */
export interface BodyRefusal {
  status: number;
  code: string;
  message: string;
  detail?: Record<string, string | number>;
}

/**
 * Whether the body is object data that s3rver streams to disk: PutObject and UploadPart (a PUT with no
 * subresource but `uploadId`). Everything else s3rver buffers, so it gets the small limit.
 */
export function isObjectUpload(method: string, query: URLSearchParams): boolean {
  if (method !== 'PUT') return false;
  for (const name of query.keys()) {
    if (name !== 'uploadId' && SUBRESOURCE_PARAMS.has(name)) return false;
  }
  return true;
}

/**
 * The refusal for a body too large for its request, decided from the headers alone so nothing is read:
 * object data above 5 GiB is EntityTooLarge; other bodies above 4 MiB are MaxMessageLengthExceeded and
 * must declare their length. A streamed (chunked) upload is capped again while it is written.
 */
export function refuseBody(
  method: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): BodyRefusal | undefined {
  const upload = isObjectUpload(method, query);
  const declared =
    headers['content-length'] ?? (upload ? headers['x-amz-decoded-content-length'] : undefined);
  if (declared === undefined) {
    if (upload || headers['transfer-encoding'] === undefined) return undefined;
    return {
      status: 411,
      code: 'MissingContentLength',
      message: 'You must provide the Content-Length HTTP header.',
    };
  }
  const size = Number(String(declared));
  if (upload) {
    if (size <= MAX_UPLOAD_BYTES) return undefined;
    return {
      status: 400,
      code: 'EntityTooLarge',
      message:
        'Your proposed upload exceeds the maximum allowed size (5 GiB for one PUT; use a multipart upload).',
      detail: { ProposedSize: String(declared), MaxSizeAllowed: MAX_UPLOAD_BYTES },
    };
  }
  if (size <= MAX_MESSAGE_BYTES) return undefined;
  return {
    status: 400,
    code: 'MaxMessageLengthExceeded',
    message: `Your request was too big: requests other than object and part uploads carry at most ${MAX_MESSAGE_BYTES} bytes.`,
  };
}
