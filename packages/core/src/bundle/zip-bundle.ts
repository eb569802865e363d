import { crc32 } from 'node:zlib';
import type { FilesResult, FilesTask, RangeResult, RangeTask } from './bundle-task.js';
import { crc32Combine } from './crc32-combine.js';
import type { RevisionEntry } from './scan.js';
import type { BundleSink } from './sink.js';
import { isStoredType } from './stored-types.js';
import { METHOD_DEFLATE, METHOD_STORE, ZipEncoder } from './zip-writer.js';

/** Files up to this size are compressed whole, in memory, with sizes in the local header. */
export const WHOLE_FILE_LIMIT = 1024 * 1024;
/** Larger files are split into blocks of this size, compressed in parallel, behind a data descriptor. */
export const STREAM_BLOCK = 1024 * 1024;
const DICTIONARY = 32 * 1024;
/** Small files are grouped so that one message to a worker carries a useful amount of work. */
const BATCH_BYTES = 256 * 1024;
const BATCH_ENTRIES = 256;

type ZipUnit =
  | { kind: 'batch'; entries: RevisionEntry[]; task: FilesTask; bytes: number }
  | { kind: 'block'; entry: RevisionEntry; first: boolean; last: boolean; task: RangeTask; bytes: number };

/**
 * Writes ENTRIES as a zip through SINK. Small files are batched, large ones cut in blocks; all of it
 * is compressed ahead in parallel and written in entry order. Whether a file is stored or deflated,
 * whole or streamed, depends only on its size and content, never on timing or concurrency.
 */
export async function writeZip(entries: readonly RevisionEntry[], sink: BundleSink): Promise<void> {
  const encoder = new ZipEncoder(sink.mtime);
  let crc = 0;
  await sink.run(zipUnits(entries, sink.level), async (result, unit) => {
    if (unit.kind === 'batch') {
      const { items, data } = result as FilesResult;
      let fileIndex = 0;
      let at = 0;
      for (const entry of unit.entries) {
        if (entry.type === 'file') {
          const item = items[fileIndex++]!;
          const bytes = Buffer.from(data.buffer, data.byteOffset + at, item.compressedLength);
          at += item.compressedLength;
          const member = { path: entry.path, kind: 'file' as const, mode: entry.mode, size: entry.size };
          await sink.write(
            encoder.member({ ...member, method: item.method, crc: item.crc, compressedSize: bytes.length }, [
              bytes,
            ]),
          );
        } else if (entry.type === 'symlink') {
          const target = Buffer.from(entry.linkTarget ?? '', 'utf8');
          const member = {
            path: entry.path,
            kind: 'symlink' as const,
            mode: entry.mode,
            size: target.length,
          };
          await sink.write(
            encoder.member(
              { ...member, method: METHOD_STORE, crc: crc32(target), compressedSize: target.length },
              [target],
            ),
          );
        } else {
          const member = { path: entry.path, kind: 'directory' as const, mode: entry.mode, size: 0 };
          await sink.write(
            encoder.member({ ...member, method: METHOD_STORE, crc: 0, compressedSize: 0 }, []),
          );
        }
        sink.progress(1, entry.size);
      }
      return;
    }
    const block = result as RangeResult;
    const { entry } = unit;
    if (unit.first) {
      crc = 0;
      const method = sink.level === 0 || isStoredType(entry.path) ? METHOD_STORE : METHOD_DEFLATE;
      await sink.write([
        encoder.beginStream({ path: entry.path, kind: 'file', mode: entry.mode, size: entry.size, method }),
      ]);
    }
    crc = crc32Combine(crc, block.crc, block.length);
    encoder.streamData(block.data.length);
    await sink.write([block.data]);
    if (unit.last) await sink.write([encoder.endStream(crc)]);
    sink.progress(unit.last ? 1 : 0, block.length);
  });
  await sink.write(encoder.finish());
}

function* zipUnits(entries: readonly RevisionEntry[], level: number): Generator<ZipUnit> {
  let batch: RevisionEntry[] = [];
  let batchBytes = 0;
  const flush = (): ZipUnit => {
    const files = batch.filter((e) => e.type === 'file');
    const unit: ZipUnit = {
      kind: 'batch',
      entries: batch,
      task: {
        kind: 'files',
        level,
        files: files.map(({ path, absolutePath, size }) => ({
          path,
          absolutePath,
          size,
          store: isStoredType(path),
        })),
      },
      bytes: batchBytes,
    };
    batch = [];
    batchBytes = 0;
    return unit;
  };
  for (const entry of entries) {
    if (entry.type === 'file' && entry.size > WHOLE_FILE_LIMIT) {
      if (batch.length > 0) yield flush();
      yield* blockUnits(entry, isStoredType(entry.path) ? 0 : level);
      continue;
    }
    batch.push(entry);
    batchBytes += entry.size;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ENTRIES) yield flush();
  }
  if (batch.length > 0) yield flush();
}

function* blockUnits(entry: RevisionEntry, level: number): Generator<ZipUnit> {
  for (let offset = 0; offset < entry.size; offset += STREAM_BLOCK) {
    const length = Math.min(STREAM_BLOCK, entry.size - offset);
    const dictionaryLength = level > 0 ? Math.min(DICTIONARY, offset) : 0;
    const last = offset + length >= entry.size;
    const task: RangeTask = {
      kind: 'range',
      level: level > 0 ? level : -1,
      dictionaryLength,
      finish: last,
      segments: [
        {
          type: 'file',
          path: entry.path,
          absolutePath: entry.absolutePath,
          offset: offset - dictionaryLength,
          length: length + dictionaryLength,
          fileSize: entry.size,
        },
      ],
    };
    yield { kind: 'block', entry, first: offset === 0, last, task, bytes: length + dictionaryLength };
  }
}
