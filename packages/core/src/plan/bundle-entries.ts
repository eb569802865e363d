import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { APPSPEC_FILE_NAMES } from '../appspec/index.js';
import {
  type BundleEntryInfo,
  listZipMembers,
  MAX_READ_SIZE,
  openZip,
  streamTar,
  type ZipSource,
} from '../bundle/index.js';

/**
 * One entry of a bundle with what tells its content apart: the CRC-32 a zip's central directory
 * records, or the one computed while streaming a tar. Both sides of a comparison carry the same kind,
 * so a zip can be compared with a tar.
 */
export interface ListedEntry {
  path: string;
  type: BundleEntryInfo['type'];
  size: number;
  mode: number;
  crc32: number;
  /** Known for tar entries (their content passes by anyway); zip entries are hashed on demand. */
  sha256?: string;
}

/** A bundle's entries, its appspec and the content hash of any small file (hook scripts). */
export interface BundleListing {
  format: 'zip' | 'tar' | 'tgz';
  entries: Map<string, ListedEntry>;
  /** The root appspec, when the bundle has one. */
  appspec?: { name: string; text: string };
  /** Lower-case hex SHA-256 of a file entry's content; undefined for a missing, non-file or huge entry. */
  contentHash(path: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const ROOT_APPSPECS = new Set<string>(APPSPEC_FILE_NAMES);

/**
 * Lists a zip from its central directory only (`source` may be an S3 object read by range): the
 * appspec and the scripts asked for later are the only entry data read.
 */
export async function listZipBundle(name: string, source: ZipSource, size: number): Promise<BundleListing> {
  const { members } = await listZipMembers(name, source, size);
  const reader = await openZip(name, source, size);
  const entries = new Map<string, ListedEntry>();
  for (const { info, crc } of members) {
    entries.set(info.path, {
      path: info.path,
      type: info.type,
      size: info.size,
      mode: info.mode,
      crc32: info.type === 'symlink' ? crc32(info.linkTarget ?? '') : crc,
    });
  }
  const appspecName = APPSPEC_FILE_NAMES.find((file) => entries.get(file)?.type === 'file');
  const appspec = appspecName
    ? { name: appspecName, text: (await reader.read(appspecName)).toString('utf8') }
    : undefined;
  return {
    format: 'zip',
    entries,
    ...(appspec ? { appspec } : {}),
    async contentHash(path) {
      const entry = entries.get(path);
      if (entry?.type !== 'file' || entry.size > MAX_READ_SIZE) return undefined;
      return sha256(await reader.read(path));
    },
    close: () => reader.close(),
  };
}

/**
 * Lists a tar or tgz in one streamed pass over `input` (an archive has no index: every header is
 * found by reading past the data before it), hashing each file on the way.
 */
export async function listTarBundle(name: string, input: Readable, gzip: boolean): Promise<BundleListing> {
  const entries = new Map<string, ListedEntry>();
  let appspec: { name: string; text: string } | undefined;
  await streamTar(
    name,
    gzip,
    async ({ entry, content }) => {
      if (entry === undefined || entry.path === '') return;
      let crc = entry.type === 'symlink' ? crc32(entry.linkTarget ?? '') : 0;
      const hash = createHash('sha256');
      const keep =
        ROOT_APPSPECS.has(entry.path) && entry.size <= MAX_READ_SIZE ? ([] as Buffer[]) : undefined;
      for await (const chunk of content ?? []) {
        crc = crc32(chunk, crc);
        hash.update(chunk);
        keep?.push(chunk);
      }
      if (keep && entry.type === 'file' && !appspec) {
        appspec = { name: entry.path, text: Buffer.concat(keep).toString('utf8') };
      }
      entries.set(entry.path, {
        path: entry.path,
        type: entry.type,
        size: entry.size,
        mode: entry.mode,
        crc32: crc,
        ...(entry.type === 'file' ? { sha256: hash.digest('hex') } : {}),
      });
    },
    input,
  );
  return {
    format: gzip ? 'tgz' : 'tar',
    entries,
    ...(appspec ? { appspec } : {}),
    contentHash: async (path) => entries.get(path)?.sha256,
    close: async () => {},
  };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
