import type * as Fs from 'node:fs';
import type * as Zlib from 'node:zlib';
import { COLLECT_EVERY_BYTES } from './garbage.js';

/**
 * The CPU-heavy part of writing a bundle: read files and deflate them. Worker threads (see
 * compress-pool.ts) start from source text, and Node cannot load this TypeScript module there, so the
 * task body is plain JavaScript in {@link BUNDLE_TASK_SOURCE}, used by the workers and, through
 * {@link runBundleTask}, by the main thread for small bundles: one implementation for both. (A
 * function's `toString()` is not usable: tsx and vitest insert helpers such as `__name` into it.)
 */

/** Compress several small files, each independently, as whole zip members. */
export interface FilesTask {
  kind: 'files';
  /** 0 stores; 1-9 deflates, and stores anyway when deflate does not shrink the file. */
  level: number;
  /** `store`: kept as it is whatever the level (already-compressed content, see stored-types.ts). */
  files: Array<{ path: string; absolutePath: string; size: number; store: boolean }>;
}

/** One piece of a byte stream made of in-memory bytes, file ranges and zeros. */
export type Segment =
  | { type: 'bytes'; data: Uint8Array }
  | { type: 'file'; path: string; absolutePath: string; offset: number; length: number; fileSize: number }
  | { type: 'zeros'; length: number };

/**
 * One block of a longer stream (a large file for zip, the tar stream for tgz). The first
 * `dictionaryLength` bytes of the segments are the tail of the previous block, used as the deflate
 * dictionary so independently compressed blocks lose almost nothing; `finish` ends the deflate
 * stream, otherwise a sync flush leaves it byte-aligned so blocks concatenate (as pigz does).
 */
export interface RangeTask {
  kind: 'range';
  /** -1 copies the bytes uncompressed. */
  level: number;
  segments: Segment[];
  dictionaryLength: number;
  finish: boolean;
}

export type BundleTask = FilesTask | RangeTask;

export interface FilesResult {
  items: Array<{ crc: number; method: number; compressedLength: number }>;
  data: Uint8Array;
}

export interface RangeResult {
  /** CRC-32 of the block's own bytes (the dictionary excluded). */
  crc: number;
  length: number;
  data: Uint8Array;
}

export type BundleTaskResult = FilesResult | RangeResult;

/**
 * Body of `function (task, fs, zlib, state)` returning a {@link BundleTaskResult}. Errors that concern a file
 * carry its entry path in `entry`. A result's `data` owns its whole ArrayBuffer (it may be longer than
 * `data`), so it can be transferred to the main thread without copying.
 *
 * Memory: every ArrayBuffer a thread drops stays allocated until V8 next collects, which it does only
 * after some 30 MB of them, in each thread. So the task allocates as little as it can: one read buffer
 * and one batch buffer per thread, reused; deflate output sized to fit in one buffer (zlib's default
 * 16 KiB chunks cost 16 KiB even for a 10-byte file, and a copy to join them), and handed over as it is.
 * The output bytes do not depend on the chunk size.
 */
export const BUNDLE_TASK_SOURCE = `
'use strict';
function reusable(name, size) {
  if (state[name] === undefined || state[name].length < size) state[name] = new Uint8Array(Math.max(size, 1 << 20));
  return state[name].subarray(0, size);
}
// Room for the deflate output of N bytes in one chunk: zlib's deflateBound plus a sync flush marker.
// Were it short, zlib would just continue in another chunk.
function deflateRoom(n) {
  return Math.max(64, n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 64);
}
// Dropped buffers are freed by a collection only; see garbage.ts.
function dropped(bytes) {
  state.garbage = (state.garbage || 0) + bytes;
  if (state.garbage < ${COLLECT_EVERY_BYTES} || state.collect === undefined) return;
  state.garbage = 0;
  state.collect();
}
function fail(path, message) {
  const error = new Error(path + ': ' + message);
  error.entry = path;
  throw error;
}
function readRange(path, absolutePath, offset, length, fileSize, out, at) {
  let fd;
  try {
    fd = fs.openSync(absolutePath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0));
  } catch (error) {
    if (error.code === 'EACCES') fail(path, 'cannot read it: permission denied');
    if (error.code === 'ELOOP') fail(path, 'it was replaced by a symlink while it was being bundled');
    fail(path, 'cannot read it: ' + error.message);
  }
  try {
    const changed = 'changed size while it was being bundled (was ' + fileSize + ' bytes)';
    if (fs.fstatSync(fd).size !== fileSize) fail(path, changed);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, at + done, length - done, offset + done);
      if (n === 0) fail(path, changed);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}
if (task.kind === 'files') {
  // Stored or deflated, each file's bytes are at most its size, so the batch fits in their sum.
  let room = 0;
  for (const file of task.files) room += file.size;
  const batch = reusable('batch', room);
  const items = [];
  let total = 0;
  for (const file of task.files) {
    const raw = reusable('read', file.size);
    if (file.size > 0) readRange(file.path, file.absolutePath, 0, file.size, file.size, raw, 0);
    const crc = zlib.crc32(raw);
    let output = raw;
    let method = 0;
    if (task.level > 0 && file.size > 0 && !file.store) {
      const deflated = zlib.deflateRawSync(raw, { level: task.level, chunkSize: deflateRoom(file.size) });
      dropped(deflated.length);
      if (deflated.length < raw.length) {
        output = deflated;
        method = 8;
      }
    }
    batch.set(output, total);
    items.push({ crc, method, compressedLength: output.length });
    total += output.length;
  }
  return { items, data: batch.slice(0, total) };
}
let total = 0;
for (const segment of task.segments) total += segment.type === 'bytes' ? segment.data.length : segment.length;
// Uncompressed blocks are handed over as they are, so they get their own buffer.
const handOver = task.level < 0 && task.dictionaryLength === 0;
const raw = handOver ? new Uint8Array(total) : reusable('read', total);
let at = 0;
for (const segment of task.segments) {
  if (segment.type === 'bytes') raw.set(segment.data, at);
  else if (segment.type === 'zeros') raw.fill(0, at, at + segment.length);
  else {
    readRange(segment.path, segment.absolutePath, segment.offset, segment.length, segment.fileSize, raw, at);
  }
  at += segment.type === 'bytes' ? segment.data.length : segment.length;
}
const own = raw.subarray(task.dictionaryLength);
const crc = zlib.crc32(own);
if (task.level < 0) return { crc, length: own.length, data: handOver ? raw : own.slice() };
const options = {
  level: task.level,
  finishFlush: task.finish ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
  chunkSize: deflateRoom(own.length),
};
if (task.dictionaryLength > 0) options.dictionary = raw.subarray(0, task.dictionaryLength);
let data = zlib.deflateRawSync(own, options);
// Small outputs may be slices of Node's shared Buffer pool, which must not be transferred: copy them.
if (data.length < 65536 || data.byteOffset !== 0) {
  dropped(data.length);
  data = new Uint8Array(data);
}
return { crc, length: own.length, data };
`;

/** {@link BUNDLE_TASK_SOURCE} as a function, for running tasks on the main thread. */
export const runBundleTask = new Function('task', 'fs', 'zlib', 'state', BUNDLE_TASK_SOURCE) as (
  task: BundleTask,
  fs: typeof Fs,
  zlib: typeof Zlib,
  state: BundleTaskState,
) => BundleTaskResult;

/** Per-thread state kept between tasks: the reusable buffers, and the thread's garbage collection. */
export interface BundleTaskState {
  read?: Uint8Array;
  batch?: Uint8Array;
  /** Bytes of buffers dropped since the last collection. */
  garbage?: number;
  /** A full collection of this thread, when the runtime allows it (garbage.ts). */
  collect?: (() => void) | undefined;
}
