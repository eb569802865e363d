import type { UploadedPart } from './contained-store.js';
import { S3Error, type S3ErrorInstance } from './s3rver-internals.js';
import { S3_XMLNS, xml } from './xml-response.js';

/** S3 lists at most 1,000 parts per ListParts page, and that many by default. */
const MAX_PARTS_PER_PAGE = 1000;
const MAX_INTEGER = 2_147_483_647;

export interface ListPartsPage {
  bucket: string;
  key: string;
  uploadId: string;
  partNumberMarker: number;
  maxParts: number;
}

/** `max-parts` and `part-number-marker` of a ListParts request; InvalidArgument for a value S3 refuses. */
export function listPartsPaging(
  query: URLSearchParams,
): Pick<ListPartsPage, 'maxParts' | 'partNumberMarker'> {
  return {
    maxParts: Math.min(integerArgument(query, 'max-parts', MAX_PARTS_PER_PAGE), MAX_PARTS_PER_PAGE),
    partNumberMarker: integerArgument(query, 'part-number-marker', 0),
  };
}

/** The ListPartsResult document: the parts after the marker, at most `maxParts` of them. */
export function listPartsResult(page: ListPartsPage, parts: readonly UploadedPart[]): string {
  const after = parts.filter((part) => part.partNumber > page.partNumberMarker);
  const listed = after.slice(0, page.maxParts);
  const isTruncated = after.length > listed.length;
  const next = listed.at(-1)?.partNumber ?? 0;
  const owner = '<ID>local</ID><DisplayName>local</DisplayName>';
  return (
    `<ListPartsResult xmlns="${S3_XMLNS}">` +
    `<Bucket>${xml(page.bucket)}</Bucket><Key>${xml(page.key)}</Key><UploadId>${xml(page.uploadId)}</UploadId>` +
    `<Initiator>${owner}</Initiator><Owner>${owner}</Owner><StorageClass>STANDARD</StorageClass>` +
    `<PartNumberMarker>${page.partNumberMarker}</PartNumberMarker>` +
    `<NextPartNumberMarker>${next}</NextPartNumberMarker>` +
    `<MaxParts>${page.maxParts}</MaxParts><IsTruncated>${isTruncated}</IsTruncated>` +
    listed
      .map(
        (part) =>
          `<Part><PartNumber>${part.partNumber}</PartNumber>` +
          `<LastModified>${part.lastModified.toISOString()}</LastModified>` +
          `<ETag>${xml(JSON.stringify(part.md5))}</ETag><Size>${part.size}</Size></Part>`,
      )
      .join('') +
    '</ListPartsResult>'
  );
}

function integerArgument(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value > MAX_INTEGER) throw invalidArgument(name, text);
  return value;
}

function invalidArgument(name: string, value: string): S3ErrorInstance {
  return new S3Error('InvalidArgument', `Argument ${name} must be an integer between 0 and ${MAX_INTEGER}`, {
    ArgumentName: name,
    ArgumentValue: value,
  });
}
