import type { RevisionEntry } from './scan.js';

/**
 * POSIX ustar headers with PAX extended headers when a name, link target or size does not fit. Owner
 * is always uid/gid 0 with empty user and group names, the mtime is the one bundle timestamp, and the
 * mode is the entry's 0o7777 bits (setuid/setgid included: `tar -xp` as root restores them).
 */
const BLOCK = 512;
/** GNU tar's default record: archives are padded to a multiple of 20 blocks. */
const RECORD = 20 * BLOCK;
const MAX_OCTAL_11 = 0o77777777777;

export interface TarEntryHeader {
  path: string;
  type: RevisionEntry['type'];
  mode: number;
  size: number;
  linkTarget?: string;
}

/** Header block(s) for one entry: an optional PAX header + its records, then the ustar header. */
export function tarHeader(entry: TarEntryHeader, mtimeSeconds: number): Buffer {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const nameBytes = Buffer.from(name, 'utf8');
  const link = Buffer.from(entry.linkTarget ?? '', 'utf8');
  const pax: Array<[string, string]> = [];
  const split = splitUstarName(nameBytes);
  if (split === undefined) pax.push(['path', name]);
  if (link.length > 100) pax.push(['linkpath', entry.linkTarget ?? '']);
  if (entry.size > MAX_OCTAL_11) pax.push(['size', String(entry.size)]);

  const typeflag = entry.type === 'directory' ? '5' : entry.type === 'symlink' ? '2' : '0';
  const ustar = ustarBlock({
    name: split?.name ?? truncateUtf8(nameBytes, 100),
    prefix: split?.prefix ?? Buffer.alloc(0),
    mode: entry.mode & 0o7777,
    size: entry.size > MAX_OCTAL_11 ? 0 : entry.size,
    mtime: mtimeSeconds,
    typeflag,
    linkname: link.length > 100 ? truncateUtf8(link, 100) : link,
  });
  if (pax.length === 0) return ustar;

  const records = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
  const paxName = truncateUtf8(Buffer.from(`PaxHeaders/${lastSegment(entry.path)}`, 'utf8'), 100);
  const paxHeader = ustarBlock({
    name: paxName,
    prefix: Buffer.alloc(0),
    mode: 0o644,
    size: records.length,
    mtime: mtimeSeconds,
    typeflag: 'x',
    linkname: Buffer.alloc(0),
  });
  return Buffer.concat([paxHeader, records, Buffer.alloc(padding(records.length)), ustar]);
}

/** Zero bytes that round a member of SIZE bytes up to the 512-byte block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end-of-archive marker (two zero blocks) plus the zeros that fill the last 10 KiB record. */
export function tarTrailerLength(bytesSoFar: number): number {
  const withMarker = bytesSoFar + 2 * BLOCK;
  return 2 * BLOCK + ((RECORD - (withMarker % RECORD)) % RECORD);
}

/** A PAX record: "<length> <key>=<value>\n" where length counts the whole record, itself included. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body, 'utf8');
  let length = bodyLength + String(bodyLength).length;
  while (length !== bodyLength + String(length).length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}

function splitUstarName(name: Buffer): { name: Buffer; prefix: Buffer } | undefined {
  if (name.length <= 100) return { name, prefix: Buffer.alloc(0) };
  // The prefix ends before a '/'; directory names keep their trailing '/' in the name part.
  const searchEnd = Math.min(155, name.length - 1);
  for (let i = searchEnd; i > 0; i--) {
    if (name[i] !== 0x2f) continue;
    const rest = name.subarray(i + 1);
    if (rest.length === 0 || rest.length > 100) return undefined;
    return { name: rest, prefix: name.subarray(0, i) };
  }
  return undefined;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** At most MAX bytes of a UTF-8 string, cut at a character boundary. */
function truncateUtf8(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

interface UstarFields {
  name: Buffer;
  prefix: Buffer;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: Buffer;
}

function ustarBlock(fields: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  fields.name.copy(block, 0);
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156);
  block.write(fields.typeflag, 156, 'latin1');
  fields.linkname.copy(block, 157);
  block.write('ustar\x0000', 257, 'latin1');
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  fields.prefix.copy(block, 345);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(
    `${Math.max(0, Math.floor(value))
      .toString(8)
      .padStart(width - 1, '0')}\0`,
    offset,
    'latin1',
  );
}
