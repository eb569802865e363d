import type { ServerResponse } from 'node:http';

/** S3's XML namespace, on every result document. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An S3 error in S3's XML shape (S3 faults are injected in it too); `detail` adds elements (`BucketName`...). */
export function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  detail: Record<string, string | number> = {},
): void {
  const extra = Object.entries(detail)
    .map(([name, value]) => `<${name}>${xml(String(value))}</${name}>`)
    .join('');
  sendXml(res, status, `<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message>${extra}</Error>`);
}

/** Answers `body` (one XML element) after the XML declaration. */
export function sendXml(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res
    .writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(payload) })
    .end(payload);
}

/** `text` escaped for an XML element or attribute. */
export function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
