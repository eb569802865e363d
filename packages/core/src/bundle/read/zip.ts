import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createInflateRaw, inflateRaw, type ZlibOptions } from 'node:zlib';
import { asBundleError, corruptBundle, unreadableEntry } from './errors.js';
import { normalizeEntryName, UnsafeEntryCollector } from './paths.js';
import { type BundleEntryInfo, type BundleReader, MAX_READ_SIZE } from './types.js';

const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const ZIP64_EXTRA_ID = 0x0001;
const UNICODE_PATH_EXTRA_ID = 0x7075;
const FLAG_ENCRYPTED = 0x1;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const HOST_UNIX = 3;
const HOST_MACOS = 19;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const DOS_DIRECTORY = 0x10;
/** Longer symlink targets than any file system accepts mean a damaged entry. */
const MAX_LINK_TARGET = 64 * 1024;

/**
 * Random access to a zip's bytes: an open file (a `FileHandle` fits as it is), or an object in S3
 * read with range requests, so a listing costs the end record and the central directory only.
 */
export interface ZipSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** A central-directory record: the listing entry plus what reading its data needs. */
export interface ZipMember {
  info: BundleEntryInfo;
  raw: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  localHeaderOffset: number;
}

interface CentralDirectory {
  offset: number;
  size: number;
  count: number;
}

/** Lists a zip from its central directory; entry data is read on demand through the file handle. */
export async function openZip(file: string, handle: ZipSource, fileSize: number): Promise<BundleReader> {
  try {
    return await listZip(file, handle, fileSize);
  } catch (error) {
    throw asBundleError(file, error);
  }
}

/**
 * The members of a zip in central-directory order, symlink targets read, and the raw names that are
 * unsafe to extract. The archive's own root ('./') is left out.
 */
export async function listZipMembers(
  file: string,
  handle: ZipSource,
  fileSize: number,
): Promise<{ members: ZipMember[]; unsafeEntries: string[] }> {
  const all = await readCentralDirectory(file, handle, fileSize);
  const unsafe = new UnsafeEntryCollector();
  const members: ZipMember[] = [];
  for (const member of all) {
    if (member.info.type === 'symlink') {
      member.info.linkTarget = (await readMember(file, handle, member, MAX_LINK_TARGET)).toString('utf8');
    }
    unsafe.check(member.raw, member.info.path === '' ? undefined : member.info);
    if (member.info.path !== '') members.push(member);
  }
  return { members, unsafeEntries: unsafe.names };
}

async function listZip(file: string, handle: ZipSource, fileSize: number): Promise<BundleReader> {
  const { members, unsafeEntries } = await listZipMembers(file, handle, fileSize);
  const byPath = new Map<string, ZipMember>();
  const entries: BundleEntryInfo[] = [];
  for (const member of members) {
    entries.push(member.info);
    byPath.set(member.info.path, member);
  }

  let closed = false;
  return {
    format: 'zip',
    entries,
    unsafeEntries,
    async read(path) {
      if (closed) throw unreadableEntry(file, path, 'the bundle was closed');
      const normalized = normalizeEntryName(path);
      const member = byPath.get(normalized);
      if (member === undefined) throw unreadableEntry(file, path, 'no such entry in the bundle');
      if (member.info.type === 'directory') throw unreadableEntry(file, path, 'it is a directory');
      if (member.info.type === 'symlink') {
        throw unreadableEntry(file, path, `it is a symlink to ${member.info.linkTarget}`, 'Read its target.');
      }
      return readMember(file, handle, member, MAX_READ_SIZE).catch((error: unknown) => {
        throw asBundleError(file, error);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

async function readAt(file: string, handle: ZipSource, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0)
      throw corruptBundle(file, `zip is truncated (needed bytes up to offset ${position + length})`);
    filled += bytesRead;
  }
  return buffer;
}

/** Reads a 64-bit little-endian field, refusing values JavaScript numbers cannot hold exactly. */
function readUint64(file: string, buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptBundle(file, 'zip64 field out of range');
  return Number(value);
}

async function findCentralDirectory(
  file: string,
  handle: ZipSource,
  fileSize: number,
): Promise<CentralDirectory> {
  const tailLength = Math.min(fileSize, EOCD_SIZE + 0xffff);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(file, handle, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    // The comment length must reach exactly to the end of the file, else this is a stray signature.
    if (
      tail.readUInt32LE(i) === EOCD_SIGNATURE &&
      i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length
    ) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) {
    throw corruptBundle(
      file,
      'zip end-of-central-directory record not found: the file is truncated or not a zip',
    );
  }
  const eocdOffset = tailStart + eocd;
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) {
    throw corruptBundle(file, 'multi-volume (split) zips are not supported');
  }
  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  let directoryEnd = eocdOffset;

  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
  if (locatorOffset >= 0) {
    const locator = await readAt(file, handle, locatorOffset, ZIP64_LOCATOR_SIZE);
    if (locator.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE) {
      const recordOffset = readUint64(file, locator, 8);
      if (recordOffset + ZIP64_EOCD_SIZE > locatorOffset)
        throw corruptBundle(file, 'zip64 locator points past itself');
      const record = await readAt(file, handle, recordOffset, ZIP64_EOCD_SIZE);
      if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
        throw corruptBundle(file, 'zip64 end record not found');
      count = readUint64(file, record, 32);
      size = readUint64(file, record, 40);
      offset = readUint64(file, record, 48);
      directoryEnd = recordOffset;
    }
  }
  if (offset + size > directoryEnd) {
    throw corruptBundle(
      file,
      'zip central directory lies outside the file: the file is truncated or damaged',
    );
  }
  return { offset, size, count };
}

async function readCentralDirectory(file: string, handle: ZipSource, fileSize: number): Promise<ZipMember[]> {
  const directory = await findCentralDirectory(file, handle, fileSize);
  const buffer = await readAt(file, handle, directory.offset, directory.size);
  const members: ZipMember[] = [];
  let pos = 0;
  for (let index = 0; index < directory.count; index++) {
    if (pos + CENTRAL_HEADER_SIZE > buffer.length || buffer.readUInt32LE(pos) !== CENTRAL_HEADER_SIGNATURE) {
      throw corruptBundle(
        file,
        `zip central directory is damaged at entry ${index + 1} of ${directory.count}`,
      );
    }
    const nameLength = buffer.readUInt16LE(pos + 28);
    const extraLength = buffer.readUInt16LE(pos + 30);
    const commentLength = buffer.readUInt16LE(pos + 32);
    const end = pos + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (end > buffer.length)
      throw corruptBundle(file, `zip central directory is damaged at entry ${index + 1}`);
    members.push(parseCentralHeader(file, buffer, pos, nameLength, extraLength));
    pos = end;
  }
  return members;
}

function parseCentralHeader(
  file: string,
  buffer: Buffer,
  pos: number,
  nameLength: number,
  extraLength: number,
): ZipMember {
  const madeBy = buffer.readUInt16LE(pos + 4);
  const flags = buffer.readUInt16LE(pos + 8);
  const method = buffer.readUInt16LE(pos + 10);
  const crc = buffer.readUInt32LE(pos + 16);
  let compressedSize = buffer.readUInt32LE(pos + 20);
  let size = buffer.readUInt32LE(pos + 24);
  const externalAttributes = buffer.readUInt32LE(pos + 38);
  let localHeaderOffset = buffer.readUInt32LE(pos + 42);
  const nameBytes = buffer.subarray(pos + CENTRAL_HEADER_SIZE, pos + CENTRAL_HEADER_SIZE + nameLength);
  // Info-ZIP, Python and every modern tool write UTF-8 names whether they set the UTF-8 flag or not,
  // and unzip on Linux extracts the bytes as they are,
  // so the UTF-8 flag (0x800) changes nothing here.
  let raw = nameBytes.toString('utf8');

  const extraStart = pos + CENTRAL_HEADER_SIZE + nameLength;
  for (let at = extraStart; at + 4 <= extraStart + extraLength; ) {
    const id = buffer.readUInt16LE(at);
    const length = buffer.readUInt16LE(at + 2);
    const data = buffer.subarray(at + 4, Math.min(at + 4 + length, extraStart + extraLength));
    if (id === ZIP64_EXTRA_ID) {
      // Only the fields saturated in the fixed header are present, in this order.
      let field = 0;
      const next = () => {
        if (field + 8 > data.length) throw corruptBundle(file, `zip64 extra field of ${raw} is too short`);
        const value = readUint64(file, data, field);
        field += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
    } else if (id === UNICODE_PATH_EXTRA_ID && data.length > 5 && data[0] === 1) {
      // Valid only while it still describes the name in the header (its CRC says so).
      if (data.readUInt32LE(1) === crc32(nameBytes)) raw = data.subarray(5).toString('utf8');
    }
    at += 4 + length;
  }

  const host = madeBy >> 8;
  const unixMode = host === HOST_UNIX || host === HOST_MACOS ? externalAttributes >>> 16 : 0;
  const isDirectoryName = raw.endsWith('/');
  let type: BundleEntryInfo['type'] = 'file';
  if (unixMode !== 0) {
    if ((unixMode & S_IFMT) === S_IFLNK) type = 'symlink';
    else if ((unixMode & S_IFMT) === S_IFDIR || isDirectoryName) type = 'directory';
  } else if (isDirectoryName || (externalAttributes & DOS_DIRECTORY) !== 0) {
    type = 'directory';
  }
  return {
    info: {
      path: normalizeEntryName(raw),
      type,
      mode: unixMode & 0o7777,
      size: type === 'directory' ? 0 : size,
    },
    raw,
    method,
    flags,
    crc,
    compressedSize,
    localHeaderOffset,
  };
}

/** Refuses entries no reader can decode and finds where the entry's compressed data starts. */
async function locateData(file: string, handle: ZipSource, member: ZipMember): Promise<number> {
  const { info } = member;
  if ((member.flags & FLAG_ENCRYPTED) !== 0) {
    throw unreadableEntry(
      file,
      info.path,
      'it is encrypted',
      'CodeDeploy cannot unpack encrypted zip entries.',
    );
  }
  if (member.method !== METHOD_STORED && member.method !== METHOD_DEFLATED) {
    throw unreadableEntry(
      file,
      info.path,
      `unsupported compression method ${member.method}`,
      'Use deflate or no compression; CodeDeploy unpacks with unzip.',
    );
  }
  const local = await readAt(file, handle, member.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (local.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    throw corruptBundle(file, `local header of ${info.path} not found at offset ${member.localHeaderOffset}`);
  }
  const dataStart =
    member.localHeaderOffset + LOCAL_HEADER_SIZE + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + member.compressedSize > (await handle.stat()).size) {
    throw corruptBundle(file, `${info.path}: its data runs past the end of the file`);
  }
  // Deflate never grows data by more than a few bytes per 16 KiB block; more means a damaged entry.
  if (member.compressedSize > info.size + 1024 + info.size / 100) {
    throw corruptBundle(
      file,
      `${info.path}: compressed size ${member.compressedSize} exceeds its size ${info.size}`,
    );
  }
  return dataStart;
}

async function readMember(
  file: string,
  handle: ZipSource,
  member: ZipMember,
  limit: number,
): Promise<Buffer> {
  const { info } = member;
  if (info.size > limit) {
    throw unreadableEntry(
      file,
      info.path,
      `it is ${info.size} bytes, more than the ${limit} bytes read() accepts`,
      'Only appspecs, scripts and other small files are read from a bundle.',
    );
  }
  const dataStart = await locateData(file, handle, member);
  const compressed = await readAt(file, handle, dataStart, member.compressedSize);
  let content: Buffer;
  if (member.method === METHOD_STORED) {
    content = compressed;
  } else {
    try {
      // One byte of headroom turns "inflates to more than declared" into an error instead of a cut.
      content = await inflateRawAsync(compressed, { maxOutputLength: info.size + 1 });
    } catch (error) {
      throw corruptBundle(file, `${info.path} does not inflate: ${(error as Error).message}`, error);
    }
  }
  if (content.length !== info.size) {
    throw corruptBundle(file, `${info.path} holds ${content.length} bytes, its header says ${info.size}`);
  }
  if (crc32(content) !== member.crc) throw corruptBundle(file, `${info.path} fails its CRC check`);
  return content;
}

/**
 * The content of a file member as a stream of chunks, inflated on the fly and checked against the
 * sizes and CRC the central directory records (the check fails at the end of the stream): nothing
 * larger than a chunk is held in memory, whatever the entry's size.
 */
export async function* streamZipMember(
  file: string,
  handle: ZipSource,
  member: ZipMember,
): AsyncGenerator<Buffer> {
  const { info } = member;
  const dataStart = await locateData(file, handle, member);
  if (member.compressedSize === 0 && info.size === 0 && member.method === METHOD_STORED) return;
  // Read through the shared handle by position: a stream on the handle would close it when done.
  const raw = Readable.from(readRange(handle, dataStart, member.compressedSize));
  let source: AsyncIterable<Buffer> = raw;
  if (member.method === METHOD_DEFLATED) {
    const inflate = createInflateRaw();
    // The callback only keeps pipeline from throwing; a read error reaches us through inflate's iterator.
    pipeline(raw, inflate, () => {});
    source = inflate;
  }
  let length = 0;
  let crc = 0;
  try {
    for await (const chunk of source) {
      length += chunk.length;
      if (length > info.size) {
        throw corruptBundle(file, `${info.path} holds more bytes than its header says (${info.size})`);
      }
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    throw asBundleError(file, error);
  } finally {
    raw.destroy();
  }
  if (length !== info.size) {
    throw corruptBundle(file, `${info.path} holds ${length} bytes, its header says ${info.size}`);
  }
  if (crc !== member.crc) throw corruptBundle(file, `${info.path} fails its CRC check`);
}

const READ_CHUNK = 256 * 1024;

async function* readRange(handle: ZipSource, start: number, length: number): AsyncGenerator<Buffer> {
  for (let done = 0; done < length; ) {
    const buffer = Buffer.alloc(Math.min(READ_CHUNK, length - done));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at offset ${start + done}`);
    done += bytesRead;
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  }
}
