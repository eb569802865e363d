import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { checkOutputPath, checkReplaceable, tempPathBeside } from '../files/output-path.js';

const FLUSH_BYTES = 1024 * 1024;
const WHAT = 'the bundle';

/**
 * A bundle being written: bytes go to a temporary file beside the target and through SHA-256 as they
 * are written; {@link commit} renames it into place, {@link discard} removes it, so a reader never sees
 * half a bundle. The target is only ever a regular file: a device, pipe, socket or folder at OUTFILE
 * is refused before anything is created (a rename would replace `/dev/full` with the bundle), and a
 * symlink at OUTFILE is followed to the file it names.
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
    const target = await checkOutputPath(outFile, { what: WHAT });
    const tempPath = tempPathBeside(target.path);
    const handle = await open(tempPath, 'wx');
    return new OutputFile(tempPath, target.path, handle);
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
    await checkReplaceable(this.outFile, WHAT);
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
