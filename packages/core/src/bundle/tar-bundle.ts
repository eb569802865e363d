import type { RangeResult, RangeTask, Segment } from './bundle-task.js';
import { crc32Combine } from './crc32-combine.js';
import type { RevisionEntry } from './scan.js';
import type { BundleSink } from './sink.js';
import { padding, tarHeader, tarTrailerLength } from './tar-writer.js';

/**
 * The tar stream is cut into blocks at fixed offsets; with gzip each block is deflated on its own,
 * primed with the previous 32 KiB, and all but the last end in a sync flush, so the deflate outputs
 * concatenate into one stream (pigz's method). Block boundaries depend only on the tar bytes, so the
 * output is identical whatever the concurrency.
 */
export const TAR_BLOCK = 1024 * 1024;
const DICTIONARY = 32 * 1024;

/** gzip member header: no name, mtime 0, no extra flags, OS = Unix, whatever machine writes it. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);

interface Piece {
  segment: Segment;
  /** Entries this piece completes, and file bytes it carries, for progress. */
  entriesEnded: number;
  fileBytes: number;
}

interface TarUnit {
  task: RangeTask;
  bytes: number;
  entriesEnded: number;
  fileBytes: number;
}

export async function writeTar(
  entries: readonly RevisionEntry[],
  sink: BundleSink,
  gzip: boolean,
): Promise<void> {
  const level = gzip ? sink.level : -1;
  const mtime = Math.floor(sink.mtime.getTime() / 1000);
  let crc = 0;
  let length = 0;
  if (gzip) await sink.write([GZIP_HEADER]);
  await sink.run(tarUnits(tarPieces(entries, mtime), level, gzip ? DICTIONARY : 0), async (result, unit) => {
    const block = result as RangeResult;
    crc = crc32Combine(crc, block.crc, block.length);
    length += block.length;
    await sink.write([block.data]);
    sink.progress(unit.entriesEnded, unit.fileBytes);
  });
  if (gzip) {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    await sink.write([trailer]);
  }
}

function* tarPieces(entries: readonly RevisionEntry[], mtime: number): Generator<Piece> {
  let offset = 0;
  for (const entry of entries) {
    const header = tarHeader(entry, mtime);
    const size = entry.type === 'file' ? entry.size : 0;
    const pad = padding(size);
    yield { segment: { type: 'bytes', data: header }, entriesEnded: size === 0 ? 1 : 0, fileBytes: 0 };
    if (size > 0) {
      const { path, absolutePath } = entry;
      const segment: Segment = { type: 'file', path, absolutePath, offset: 0, length: size, fileSize: size };
      yield { segment, entriesEnded: pad === 0 ? 1 : 0, fileBytes: size };
      if (pad > 0) yield { segment: { type: 'zeros', length: pad }, entriesEnded: 1, fileBytes: 0 };
    }
    offset += header.length + size + pad;
  }
  yield { segment: { type: 'zeros', length: tarTrailerLength(offset) }, entriesEnded: 0, fileBytes: 0 };
}

function* tarUnits(pieces: Iterable<Piece>, level: number, dictionary: number): Generator<TarUnit> {
  let previousTail: Segment[] = [];
  let pending: { segments: Segment[]; entriesEnded: number; fileBytes: number } | undefined;
  const toUnit = (block: NonNullable<typeof pending>, finish: boolean): TarUnit => {
    const dict = tail(previousTail, dictionary);
    const dictionaryLength = dict.reduce((sum, s) => sum + segmentLength(s), 0);
    previousTail = block.segments;
    const own = block.segments.reduce((sum, s) => sum + segmentLength(s), 0);
    return {
      task: {
        kind: 'range',
        level,
        segments: [...dict, ...block.segments].map(compact),
        dictionaryLength,
        finish,
      },
      bytes: own + dictionaryLength,
      entriesEnded: block.entriesEnded,
      fileBytes: block.fileBytes,
    };
  };
  for (const block of carve(pieces, TAR_BLOCK)) {
    if (pending !== undefined) yield toUnit(pending, false);
    pending = block;
  }
  if (pending !== undefined) yield toUnit(pending, true);
}

/** Cuts the pieces into blocks of exactly SIZE bytes (the last may be shorter). */
function* carve(
  pieces: Iterable<Piece>,
  size: number,
): Generator<{ segments: Segment[]; entriesEnded: number; fileBytes: number }> {
  let block = { segments: [] as Segment[], entriesEnded: 0, fileBytes: 0 };
  let used = 0;
  for (const piece of pieces) {
    let segment = piece.segment;
    let length = segmentLength(segment);
    while (length > 0) {
      const take = Math.min(length, size - used);
      const part = sliceSegment(segment, 0, take);
      block.segments.push(part);
      used += take;
      if (piece.fileBytes > 0) block.fileBytes += take;
      segment = sliceSegment(segment, take, length - take);
      length -= take;
      if (length === 0) block.entriesEnded += piece.entriesEnded;
      if (used === size) {
        yield block;
        block = { segments: [], entriesEnded: 0, fileBytes: 0 };
        used = 0;
      }
    }
  }
  if (used > 0) yield block;
}

/** The segments covering the last N bytes of SEGMENTS. */
function tail(segments: readonly Segment[], n: number): Segment[] {
  const out: Segment[] = [];
  let need = n;
  for (let i = segments.length - 1; i >= 0 && need > 0; i--) {
    const segment = segments[i]!;
    const length = segmentLength(segment);
    if (length <= need) {
      out.unshift(segment);
      need -= length;
    } else {
      out.unshift(sliceSegment(segment, length - need, need));
      need = 0;
    }
  }
  return out;
}

/** A copy of in-memory bytes that owns exactly its buffer, so posting it to a worker copies only it. */
function compact(segment: Segment): Segment {
  return segment.type === 'bytes' ? { type: 'bytes', data: segment.data.slice() } : segment;
}

function segmentLength(segment: Segment): number {
  return segment.type === 'bytes' ? segment.data.length : segment.length;
}

function sliceSegment(segment: Segment, start: number, length: number): Segment {
  if (segment.type === 'bytes') return { type: 'bytes', data: segment.data.subarray(start, start + length) };
  if (segment.type === 'zeros') return { type: 'zeros', length };
  return { ...segment, offset: segment.offset + start, length };
}
