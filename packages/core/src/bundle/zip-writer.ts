import { dosDateTime } from './timestamps.js';

/**
 * Encodes a zip archive as Info-ZIP's `zip` would on Unix, minus everything that varies between runs:
 * "version made by" Unix (so `unzip` restores modes and symlinks), external attributes carrying the
 * file type and mode, the UTF-8 name flag, one fixed timestamp and no extra fields except Zip64. The
 * encoder only builds bytes and tracks offsets; the caller writes them in the order returned.
 */
const MADE_BY_UNIX = (3 << 8) | 30;
const FLAG_DATA_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const MSDOS_DIRECTORY = 0x10;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

/**
 * Streamed files at least this big get Zip64 headers up front: their compressed size is only known
 * afterwards, and deflate can grow incompressible data a little past the uncompressed size.
 */
export const ZIP64_STREAM_THRESHOLD = U32_MAX - 64 * 1024 * 1024;

export interface ZipMember {
  path: string;
  kind: 'file' | 'directory' | 'symlink';
  mode: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
}

interface CentralRecord extends ZipMember {
  offset: number;
  streamed: boolean;
}

export class ZipEncoder {
  private offset = 0;
  /** Central directory headers, encoded as members are added and packed into large buffers. */
  private central: Buffer[] = [];
  private recent: Buffer[] = [];
  private count = 0;
  private readonly dos: { date: number; time: number };
  private streaming: { record: CentralRecord; zip64: boolean } | undefined;

  constructor(mtime: Date) {
    this.dos = dosDateTime(mtime);
  }

  /** Bytes written so far (the offset of the next local header). */
  get bytesWritten(): number {
    return this.offset;
  }

  /** Local header + data of a member whose size, CRC and data are all known (small files, dirs, links). */
  member(member: ZipMember, data: readonly Buffer[]): Buffer[] {
    this.assertNotStreaming();
    const record: CentralRecord = { ...member, offset: this.offset, streamed: false };
    const zip64 = member.size >= U32_MAX || member.compressedSize >= U32_MAX;
    const header = this.localHeader(record, {
      crc: member.crc,
      compressedSize: zip64 ? U32_MAX : member.compressedSize,
      size: zip64 ? U32_MAX : member.size,
      extra: zip64 ? zip64Extra([member.size, member.compressedSize]) : Buffer.alloc(0),
      flags: FLAG_UTF8,
      versionNeeded: versionNeeded(member, zip64),
    });
    this.addCentral(record);
    this.offset += header.length + member.compressedSize;
    return [header, ...data];
  }

  /**
   * Local header of a file whose data follows in pieces ({@link streamData}) and whose CRC and
   * compressed size come in a data descriptor ({@link endStream}); Zip64 is chosen from the
   * uncompressed size, which the scan knows.
   */
  beginStream(member: Omit<ZipMember, 'crc' | 'compressedSize'>): Buffer {
    this.assertNotStreaming();
    const zip64 = member.size >= ZIP64_STREAM_THRESHOLD;
    const record: CentralRecord = {
      ...member,
      crc: 0,
      compressedSize: 0,
      offset: this.offset,
      streamed: true,
    };
    const header = this.localHeader(record, {
      crc: 0,
      compressedSize: zip64 ? U32_MAX : 0,
      size: zip64 ? U32_MAX : 0,
      extra: zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0),
      flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR,
      versionNeeded: versionNeeded(record, zip64),
    });
    this.streaming = { record, zip64 };
    this.offset += header.length;
    return header;
  }

  streamData(length: number): void {
    if (this.streaming === undefined) throw new Error('streamData without beginStream');
    this.streaming.record.compressedSize += length;
    this.offset += length;
  }

  endStream(crc: number): Buffer {
    const current = this.streaming;
    if (current === undefined) throw new Error('endStream without beginStream');
    const { record, zip64 } = current;
    record.crc = crc >>> 0;
    if (!zip64 && record.compressedSize >= U32_MAX) {
      throw new Error(`${record.path}: compressed size overflowed a non-Zip64 entry`);
    }
    const descriptor = Buffer.alloc(zip64 ? 24 : 16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(record.crc, 4);
    if (zip64) {
      descriptor.writeBigUInt64LE(BigInt(record.compressedSize), 8);
      descriptor.writeBigUInt64LE(BigInt(record.size), 16);
    } else {
      descriptor.writeUInt32LE(record.compressedSize, 8);
      descriptor.writeUInt32LE(record.size, 12);
    }
    this.addCentral(record);
    this.streaming = undefined;
    this.offset += descriptor.length;
    return descriptor;
  }

  /** Central directory, then (when needed) the Zip64 end record and locator, then the end record. */
  finish(): Buffer[] {
    this.assertNotStreaming();
    const cdOffset = this.offset;
    const parts: Buffer[] = [...this.central, ...this.recent];
    const cdSize = parts.reduce((sum, part) => sum + part.length, 0);
    const count = this.count;
    const needsZip64 = count >= U16_MAX || cdSize >= U32_MAX || cdOffset >= U32_MAX;
    if (needsZip64) {
      const zip64EndOffset = cdOffset + cdSize;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(MADE_BY_UNIX, 12);
      record.writeUInt16LE(45, 14);
      record.writeUInt32LE(0, 16);
      record.writeUInt32LE(0, 20);
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
      locator.writeUInt32LE(1, 16);
      parts.push(record, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, U16_MAX), 8);
    end.writeUInt16LE(Math.min(count, U16_MAX), 10);
    end.writeUInt32LE(Math.min(cdSize, U32_MAX), 12);
    end.writeUInt32LE(Math.min(cdOffset, U32_MAX), 16);
    parts.push(end);
    this.offset += parts.reduce((sum, part) => sum + part.length, 0);
    return parts;
  }

  private addCentral(record: CentralRecord): void {
    // One small Buffer per entry costs several times its bytes; packed, 100k entries take ~13 MB.
    this.recent.push(centralHeader(record, this.dos));
    this.count++;
    if (this.recent.length >= 1024) {
      this.central.push(Buffer.concat(this.recent));
      this.recent = [];
    }
  }

  private assertNotStreaming(): void {
    if (this.streaming !== undefined)
      throw new Error(`${this.streaming.record.path} is still being streamed`);
  }

  private localHeader(
    record: CentralRecord,
    fields: {
      crc: number;
      compressedSize: number;
      size: number;
      extra: Buffer;
      flags: number;
      versionNeeded: number;
    },
  ): Buffer {
    const name = Buffer.from(zipName(record), 'utf8');
    const header = Buffer.alloc(30 + name.length + fields.extra.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(fields.versionNeeded, 4);
    header.writeUInt16LE(fields.flags, 6);
    header.writeUInt16LE(record.method, 8);
    header.writeUInt16LE(this.dos.time, 10);
    header.writeUInt16LE(this.dos.date, 12);
    header.writeUInt32LE(fields.crc >>> 0, 14);
    header.writeUInt32LE(fields.compressedSize, 18);
    header.writeUInt32LE(fields.size, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(fields.extra.length, 28);
    name.copy(header, 30);
    fields.extra.copy(header, 30 + name.length);
    return header;
  }
}

function zipName(member: { path: string; kind: ZipMember['kind'] }): string {
  return member.kind === 'directory' ? `${member.path}/` : member.path;
}

function versionNeeded(member: { kind: ZipMember['kind']; method: number }, zip64: boolean): number {
  if (zip64) return 45;
  return member.kind === 'directory' || member.method === METHOD_DEFLATE ? 20 : 10;
}

/** Zip64 extended information (0x0001) with the given 8-byte values, in the order the spec fixes. */
function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => {
    extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
  });
  return extra;
}

function externalAttributes(member: ZipMember): number {
  const permissions = member.mode & 0o7777;
  if (member.kind === 'directory') return (((S_IFDIR | permissions) << 16) | MSDOS_DIRECTORY) >>> 0;
  if (member.kind === 'symlink') return ((S_IFLNK | permissions) << 16) >>> 0;
  return ((S_IFREG | permissions) << 16) >>> 0;
}

function centralHeader(record: CentralRecord, dos: { date: number; time: number }): Buffer {
  const name = Buffer.from(zipName(record), 'utf8');
  const big: number[] = [];
  if (record.size >= U32_MAX || (record.streamed && record.size >= ZIP64_STREAM_THRESHOLD))
    big.push(record.size);
  const sizeIsBig = big.length > 0;
  if (record.compressedSize >= U32_MAX || sizeIsBig) big.push(record.compressedSize);
  const offsetIsBig = record.offset >= U32_MAX;
  if (offsetIsBig) big.push(record.offset);
  const extra = big.length > 0 ? zip64Extra(big) : Buffer.alloc(0);
  const zip64 = big.length > 0;
  const header = Buffer.alloc(46 + name.length + extra.length);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX, 4);
  header.writeUInt16LE(versionNeeded(record, zip64), 6);
  header.writeUInt16LE(FLAG_UTF8 | (record.streamed ? FLAG_DATA_DESCRIPTOR : 0), 8);
  header.writeUInt16LE(record.method, 10);
  header.writeUInt16LE(dos.time, 12);
  header.writeUInt16LE(dos.date, 14);
  header.writeUInt32LE(record.crc >>> 0, 16);
  header.writeUInt32LE(sizeIsBig || record.compressedSize >= U32_MAX ? U32_MAX : record.compressedSize, 20);
  header.writeUInt32LE(sizeIsBig ? U32_MAX : record.size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt32LE(externalAttributes(record), 38);
  header.writeUInt32LE(offsetIsBig ? U32_MAX : record.offset, 42);
  name.copy(header, 46);
  extra.copy(header, 46 + name.length);
  return header;
}
