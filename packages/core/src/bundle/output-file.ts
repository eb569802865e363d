import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const FLUSH_BYTES = 1024 * 1024;

/** Name of the temporary file a bundle is written to before it is renamed to OUTFILE. */
export function tempBundlePath(outFile: string): string {
  return join(dirname(outFile), `.${basename(outFile)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A bundle being written: bytes go to a temporary file beside the target and through SHA-256 as they
 * are written; {@link commit} renames it into place, {@link discard} removes it, so a reader never sees
 * half a bundle.
 */
export class OutputFile {
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;

  private constructor(
    readonly tempPath: string,
    readonly outFile: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(outFile: string): Promise<OutputFile> {
    const tempPath = tempBundlePath(outFile);
    const handle = await open(tempPath, 'wx');
    return new OutputFile(tempPath, outFile, handle);
  }

  get size(): number {
    return this.written + this.pendingBytes;
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.length === 0) continue;
      this.hash.update(chunk);
      this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.pendingBytes += chunk.length;
    }
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** Writes what is buffered, renames the file into place and returns its SHA-256 (hex). */
  async commit(): Promise<string> {
    await this.flush();
    await this.handle.close();
    await rename(this.tempPath, this.outFile);
    return this.hash.digest('hex');
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }

  private async flush(): Promise<void> {
    const chunks = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (total === 0) return;
    const { bytesWritten } = await this.handle.writev(chunks);
    if (bytesWritten < total) {
      // writev may stop short (a full disk reports it on the next write); finish with plain writes.
      const rest = Buffer.concat(chunks, total).subarray(bytesWritten);
      let done = 0;
      while (done < rest.length) {
        const { bytesWritten: n } = await this.handle.write(rest, done, rest.length - done);
        done += n;
      }
    }
    this.written += total;
  }
}
