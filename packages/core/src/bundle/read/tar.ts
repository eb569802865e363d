import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isGateError } from '../../errors/index.js';
import { corruptBundle, unreadableEntry } from './errors.js';
import { normalizeEntryName, UnsafeEntryCollector } from './paths.js';
import { type BundleEntryInfo, type BundleReader, MAX_READ_SIZE } from './types.js';

const BLOCK = 512;
/** PAX and GNU long-name records hold names and a few numbers; anything larger is damage. */
const MAX_META_SIZE = 1024 * 1024;
/** Types whose size field describes no data blocks (POSIX: links, devices, directories, FIFOs). */
const NO_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6']);
const SPECIAL_TYPES = new Set(['3', '4', '6']);

/** One archive member after PAX and GNU long-name records have been applied. */
interface TarMember {
  raw: string;
  type: string;
  mode: number;
  size: number;
  linkName: string;
}

/**
 * What to do with a member's content: skip it, return it whole (and stop the walk), or hand it as a
 * stream of chunks to a consumer (extraction), after which the walk goes on.
 */
type Visit = 'next' | 'read' | ((content: AsyncIterable<Buffer>) => Promise<void>);

/**
 * Pulls exact byte counts out of a chunked stream. Skipped data is dropped chunk by chunk, so walking
 * a large archive holds no more than one chunk beyond what was asked for.
 */
class ChunkReader {
  /** Bytes handed out or skipped so far: the archive offset of the next byte. */
  offset = 0;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  get exhausted(): boolean {
    return this.ended && this.buffered === 0;
  }

  /** `length` bytes, or undefined when the stream ends first. */
  async take(length: number): Promise<Buffer | undefined> {
    while (this.buffered < length && (await this.pull()));
    if (this.buffered < length) return undefined;
    const parts: Buffer[] = [];
    let missing = length;
    while (missing > 0) {
      const head = this.chunks[0]!;
      if (head.length <= missing) {
        parts.push(head);
        this.chunks.shift();
        missing -= head.length;
      } else {
        parts.push(head.subarray(0, missing));
        this.chunks[0] = head.subarray(missing);
        missing = 0;
      }
    }
    this.buffered -= length;
    this.offset += length;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  }

  /**
   * Up to `length` bytes as they arrive, without gathering them: a member's content can be larger than
   * memory. Throws when the stream ends first.
   */
  async *stream(length: number, truncated: () => Error): AsyncGenerator<Buffer> {
    let missing = length;
    while (missing > 0) {
      if (this.buffered === 0 && !(await this.pull())) throw truncated();
      const head = this.chunks[0]!;
      const part = head.length <= missing ? head : head.subarray(0, missing);
      if (part === head) this.chunks.shift();
      else this.chunks[0] = head.subarray(missing);
      this.buffered -= part.length;
      this.offset += part.length;
      missing -= part.length;
      yield part;
    }
  }

  /** Drops `length` bytes; false when the stream ends first. */
  async skip(length: number): Promise<boolean> {
    let missing = length;
    while (missing > 0) {
      if (this.buffered === 0 && !(await this.pull())) return false;
      const head = this.chunks[0]!;
      const dropped = Math.min(head.length, missing);
      if (dropped === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(dropped);
      this.buffered -= dropped;
      this.offset += dropped;
      missing -= dropped;
    }
    return true;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.chunks.push(next.value);
    this.buffered += next.value.length;
    return true;
  }
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

/** Octal ASCII, or GNU base-256 when the high bit of the first byte is set (sizes of 8 GiB and more). */
function readNumber(block: Buffer, offset: number, length: number): number {
  const first = block[offset]!;
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) return Number.NaN;
    let value = first & 0x3f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i]!;
    return Number.isSafeInteger(value) ? value : Number.NaN;
  }
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : Number.NaN;
}

function checksumMatches(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  // Some old tars summed signed bytes; GNU tar accepts either.
  return stored === unsigned || stored === signed;
}

/** PAX records: "<length> <key>=<value>\n", the length counting the whole record. */
function parsePax(file: string, data: Buffer, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break;
    const space = data.indexOf(0x20, pos);
    const length =
      space === -1 ? Number.NaN : Number.parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > data.length) {
      throw corruptBundle(file, `damaged PAX header at offset ${offset}`);
    }
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    pos += length;
  }
  return records;
}

/** The archive bytes (the file's, or `input`'s), gunzipped for tgz; stream errors surface from iteration. */
function openStream(
  file: string,
  gzip: boolean,
  input: Readable = createReadStream(file),
): { chunks: AsyncIterator<Buffer>; destroy(): void } {
  if (!gzip) {
    return { chunks: input[Symbol.asyncIterator](), destroy: () => input.destroy() };
  }
  const gunzip = createGunzip();
  // The callback only keeps pipeline from throwing; the error reaches us through gunzip's iterator.
  pipeline(input, gunzip, () => {});
  return {
    chunks: gunzip[Symbol.asyncIterator](),
    destroy: () => {
      input.destroy();
      gunzip.destroy();
    },
  };
}

/**
 * Walks the archive from the start, calling `visit` for every member. When `visit` answers 'read',
 * that member's content is returned and the walk stops.
 */
async function walkTar(
  file: string,
  gzip: boolean,
  visit: (member: TarMember) => Visit | Promise<Visit>,
  input?: Readable,
): Promise<Buffer | undefined> {
  const stream = openStream(file, gzip, input);
  const reader = new ChunkReader(stream.chunks);
  try {
    return await walk(file, reader, visit);
  } catch (error) {
    if (isGateError(error)) throw error;
    throw corruptBundle(
      file,
      `${gzip ? 'gzip' : 'tar'} stream is damaged: ${(error as Error).message}`,
      error,
    );
  } finally {
    stream.destroy();
  }
}

async function walk(
  file: string,
  reader: ChunkReader,
  visit: (member: TarMember) => Visit | Promise<Visit>,
): Promise<Buffer | undefined> {
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  const truncated = () => corruptBundle(file, `tar is truncated at offset ${reader.offset}`);

  for (;;) {
    const headerOffset = reader.offset;
    const block = await reader.take(BLOCK);
    // A missing end-of-archive marker is tolerated, as GNU tar does; a partial block is not.
    if (block === undefined) {
      if (reader.exhausted) return undefined;
      throw truncated();
    }
    if (block.every((byte) => byte === 0)) return undefined;
    if (!checksumMatches(block)) {
      throw corruptBundle(
        file,
        headerOffset === 0
          ? 'not a tar archive (the first header fails its checksum)'
          : `tar header at offset ${headerOffset} fails its checksum`,
      );
    }
    const type = String.fromCharCode(block[156]!);
    const headerSize = readNumber(block, 124, 12);
    const mode = readNumber(block, 100, 8);
    if (Number.isNaN(headerSize) || Number.isNaN(mode)) {
      throw corruptBundle(file, `tar header at offset ${headerOffset} has a damaged size or mode`);
    }

    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (headerSize > MAX_META_SIZE) {
        throw corruptBundle(file, `oversized tar metadata at offset ${headerOffset}`);
      }
      const data = await reader.take(padded(headerSize));
      if (data === undefined) throw truncated();
      const content = data.subarray(0, headerSize);
      // Global PAX records ('g') carry defaults such as comments or charsets; names never come from them.
      if (type === 'x') pax = parsePax(file, content, headerOffset);
      else if (type === 'L') longName = readString(content, 0, content.length);
      else if (type === 'K') longLink = readString(content, 0, content.length);
      continue;
    }

    const paxSize = pax.get('size');
    const size = paxSize === undefined ? headerSize : Number(paxSize);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw corruptBundle(file, `bad PAX size at offset ${headerOffset}`);
    }
    const magic = block.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? readString(block, 345, 155) : '';
    const headerName = prefix === '' ? readString(block, 0, 100) : `${prefix}/${readString(block, 0, 100)}`;
    const member: TarMember = {
      raw: pax.get('path') ?? longName ?? headerName,
      type,
      mode: mode & 0o7777,
      size,
      linkName: pax.get('linkpath') ?? longLink ?? readString(block, 157, 100),
    };
    pax = new Map();
    longName = undefined;
    longLink = undefined;

    const dataLength = NO_DATA_TYPES.has(type) ? 0 : padded(size);
    const decision = type === 'V' ? 'next' : await visit(member);
    if (decision === 'read') {
      const data = await reader.take(dataLength);
      if (data === undefined) throw truncated();
      return data.subarray(0, size);
    }
    let remaining = dataLength;
    if (typeof decision === 'function') {
      const dataStart = reader.offset;
      await decision(reader.stream(dataLength === 0 ? 0 : size, truncated));
      // The consumer may stop early; the padding and whatever it left are skipped.
      remaining = dataLength - (reader.offset - dataStart);
    }
    if (!(await reader.skip(remaining))) throw truncated();
  }
}

/** How a member shows in the listing; undefined for devices and FIFOs, which are never listed. */
function toEntry(member: TarMember): BundleEntryInfo | undefined {
  const path = normalizeEntryName(member.raw);
  const { type, mode } = member;
  if (SPECIAL_TYPES.has(type)) return undefined;
  if (type === '5' || type === 'D' || ((type === '0' || type === '\0') && member.raw.endsWith('/'))) {
    return { path, type: 'directory', mode, size: 0 };
  }
  if (type === '2') {
    return {
      path,
      type: 'symlink',
      mode,
      size: Buffer.byteLength(member.linkName),
      linkTarget: member.linkName,
    };
  }
  if (type === '1')
    return { path, type: 'file', mode, size: 0, linkTarget: normalizeEntryName(member.linkName) };
  // POSIX: unknown types are read as regular files.
  return { path, type: 'file', mode, size: member.size };
}

/**
 * Lists a tar (or gzipped tar) by streaming through it; read() streams through it again up to the
 * entry, so nothing but the listing stays in memory.
 */
export async function openTar(file: string, gzip: boolean): Promise<BundleReader> {
  const entries: BundleEntryInfo[] = [];
  /** For each listed entry, the index of its member in the archive (read() walks to it). */
  const memberIndexes: number[] = [];
  /** Indexes (in `entries`) of hard links, which are listed as files but hold no content. */
  const hardLinks = new Set<number>();
  const unsafe = new UnsafeEntryCollector();
  let memberIndex = 0;
  await walkTar(file, gzip, (member) => {
    const index = memberIndex++;
    const entry = toEntry(member);
    if (entry === undefined) {
      unsafe.add(member.raw);
      return 'next';
    }
    unsafe.check(
      member.raw,
      entry.path === '' ? undefined : entry,
      member.type === '1' ? member.linkName : undefined,
    );
    if (entry.path === '') return 'next';
    if (member.type === '1') hardLinks.add(entries.length);
    entries.push(entry);
    memberIndexes.push(index);
    return 'next';
  });

  const lastIndexOf = (path: string, before: number): number => {
    for (let i = before - 1; i >= 0; i--) if (entries[i]!.path === path) return i;
    return -1;
  };

  const readEntry = async (path: string, index: number, depth: number): Promise<Buffer> => {
    const entry = entries[index]!;
    if (entry.type === 'directory') throw unreadableEntry(file, path, 'it is a directory');
    if (entry.type === 'symlink') {
      throw unreadableEntry(file, path, `it is a symlink to ${entry.linkTarget}`, 'Read its target.');
    }
    if (hardLinks.has(index)) {
      // A hard link shares the content of the most recent earlier entry with its target's name.
      const target = lastIndexOf(entry.linkTarget ?? '', index);
      if (target === -1 || depth > 16)
        throw unreadableEntry(file, path, `hard link to missing ${entry.linkTarget}`);
      return readEntry(path, target, depth + 1);
    }
    if (entry.size > MAX_READ_SIZE) {
      throw unreadableEntry(
        file,
        path,
        `it is ${entry.size} bytes, more than the ${MAX_READ_SIZE} bytes read() accepts`,
        'Only appspecs, scripts and other small files are read from a bundle.',
      );
    }
    const wanted = memberIndexes[index]!;
    let seen = 0;
    const content = await walkTar(file, gzip, () => (seen++ === wanted ? 'read' : 'next'));
    if (content === undefined)
      throw corruptBundle(file, `${path} vanished: the file changed since it was opened`);
    return content;
  };

  let closed = false;
  return {
    format: gzip ? 'tgz' : 'tar',
    entries,
    unsafeEntries: unsafe.names,
    async read(path) {
      if (closed) throw unreadableEntry(file, path, 'the bundle was closed');
      const index = lastIndexOf(normalizeEntryName(path), entries.length);
      if (index === -1) throw unreadableEntry(file, path, 'no such entry in the bundle');
      return readEntry(path, index, 0);
    },
    async close() {
      closed = true;
    },
  };
}

/**
 * Streams through a tar (or gzipped tar) once, calling `onEntry` for every member in archive order
 * with its listing entry and, for regular files with content, the content as chunks (which must be
 * consumed before the promise settles). Devices and FIFOs come with `entry` undefined. `raw` is the
 * member's name as the archive spells it and `hardLinkTarget` the raw target of a hard link.
 * `input` reads the archive from a stream (an S3 object's body) instead of the file; `file` then
 * only names it in messages.
 */
export async function streamTar(
  file: string,
  gzip: boolean,
  onEntry: (member: {
    raw: string;
    entry: BundleEntryInfo | undefined;
    hardLinkTarget: string | undefined;
    content: AsyncIterable<Buffer> | undefined;
  }) => Promise<void>,
  input?: Readable,
): Promise<void> {
  await walkTar(
    file,
    gzip,
    async (member) => {
      const entry = toEntry(member);
      const hardLinkTarget = member.type === '1' ? member.linkName : undefined;
      if (entry?.type === 'file' && hardLinkTarget === undefined) {
        return (content) => onEntry({ raw: member.raw, entry, hardLinkTarget, content });
      }
      await onEntry({ raw: member.raw, entry, hardLinkTarget, content: undefined });
      return 'next';
    },
    input,
  );
}
