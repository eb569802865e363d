import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ZipSource } from '../bundle/index.js';

/**
 * Reads below this size are rounded up to it: a zip member's local header, name and a small script
 * then come in one request instead of three.
 */
const MIN_FETCH = 16 * 1024;

export interface S3Object {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  size: number;
}

/**
 * An S3 object as a {@link ZipSource}: every read is an HTTP range request (`bytes=START-END`, which
 * every S3 implementation serves; suffix ranges are not used), and fetched ranges are kept so the
 * zip reader's overlapping reads of the tail cost one request. `bytesDownloaded` counts what came over
 * the wire.
 */
export class S3RangeSource implements ZipSource {
  bytesDownloaded = 0;
  requests = 0;
  private readonly fetched: Array<{ start: number; data: Buffer }> = [];

  constructor(
    private readonly client: S3Client,
    private readonly object: S3Object,
    private readonly signal?: AbortSignal,
  ) {}

  async read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }> {
    const wanted = Math.min(length, this.object.size - position);
    if (wanted <= 0) return { bytesRead: 0 };
    const data = await this.range(position, wanted);
    data.copy(buffer, offset, 0, wanted);
    return { bytesRead: wanted };
  }

  async stat(): Promise<{ size: number }> {
    return { size: this.object.size };
  }

  async close(): Promise<void> {
    this.fetched.length = 0;
  }

  /** Bytes [start, start + length) of the object, from a kept range when one covers them. */
  private async range(start: number, length: number): Promise<Buffer> {
    for (const kept of this.fetched) {
      if (start >= kept.start && start + length <= kept.start + kept.data.length) {
        return kept.data.subarray(start - kept.start, start - kept.start + length);
      }
    }
    const end = Math.min(this.object.size, start + Math.max(length, MIN_FETCH)) - 1;
    const answer = await this.client.send(
      new GetObjectCommand({
        Bucket: this.object.bucket,
        Key: this.object.key,
        Range: `bytes=${start}-${end}`,
        ...(this.object.versionId ? { VersionId: this.object.versionId } : {}),
      }),
      this.signal ? { abortSignal: this.signal } : {},
    );
    const data = Buffer.from((await answer.Body?.transformToByteArray()) ?? []);
    this.requests++;
    this.bytesDownloaded += data.length;
    // A server that ignores Range answers 200 with the whole object: still correct, just not cheap.
    const from = answer.ContentRange === undefined && data.length === this.object.size ? 0 : start;
    if (data.length < start - from + length) {
      throw new Error(`S3 answered ${data.length} bytes for bytes=${start}-${end}`);
    }
    this.fetched.push({ start: from, data });
    return data.subarray(start - from, start - from + length);
  }
}
