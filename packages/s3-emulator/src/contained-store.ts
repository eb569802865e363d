import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INVALID_BUCKET_MESSAGE, isValidBucketName } from './bucket-name.js';
import {
  decodeFolders,
  decodeKey,
  encodeKey,
  MAX_KEY_BYTES,
  MAX_PART_BYTES,
  SUFFIX_MARK,
} from './key-path.js';
import { MAX_UPLOAD_BYTES } from './request-body.js';
import {
  FilesystemStore,
  S3Error,
  type S3ErrorInstance,
  S3Object,
  type S3ObjectInstance,
} from './s3rver-internals.js';

/** S3's largest object, which a multipart upload may assemble: 5 TiB. */
const MAX_OBJECT_BYTES = 5 * 1024 ** 4;
const MAX_PART_NUMBER = 10_000;
const OBJECT_SUFFIX = `${SUFFIX_MARK}object`;
/** Where s3rver keeps a bucket's multipart uploads: `BUCKET/._S3rver_uploads/UPLOAD_ID/`. */
const UPLOADS_FOLDER = `${SUFFIX_MARK}uploads`;
/** The files of one object besides the object itself. */
const OBJECT_FILES = ['object', 'object.md5', 'metadata.json', 'tagging.xml'];

export interface StoredBody {
  size: number;
  /** Hex MD5 of the bytes, s3rver's ETag. */
  md5: string;
}

/** One part of a multipart upload in progress, as ListParts lists it. */
export interface UploadedPart {
  partNumber: number;
  lastModified: Date;
  /** Hex MD5 of the part, its ETag. */
  md5: string;
  size: number;
}

export interface MultipartUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

interface ListOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}

/**
 * s3rver's FilesystemStore with every path it builds kept under its root: bucket names are checked by
 * S3's rules (InvalidBucketName otherwise), object keys map to files through `key-path` (never as path
 * segments of their own), upload ids and part numbers are checked before they name a file, and every
 * path is resolved and checked against the root before any file system call.
 *
 * Bodies stream to a temporary file beside their target, measured and hashed on the way, and are
 * renamed into place once complete: an upload that fails, is cut off, or passes S3's size limit leaves
 * nothing behind and never half-overwrites the object that was there.
 */
export class ContainedStore extends FilesystemStore {
  readonly root: string;

  constructor(rootDirectory: string) {
    const root = resolve(rootDirectory);
    super(root);
    this.root = root;
  }

  getBucketPath(bucket: string): string {
    if (typeof bucket !== 'string' || !isValidBucketName(bucket)) {
      throw new S3Error('InvalidBucketName', INVALID_BUCKET_MESSAGE, { BucketName: String(bucket) });
    }
    return within(this.root, join(this.root, bucket));
  }

  /** The file holding `resource` (`object`, `metadata.json`...) of `key`, or of the bucket itself when `key` is empty. */
  getResourcePath(bucket: string, key: string | undefined, resource: string): string {
    const bucketPath = this.getBucketPath(bucket);
    if (key === undefined || key === '')
      return within(bucketPath, join(bucketPath, `${SUFFIX_MARK}${resource}`));
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes > MAX_KEY_BYTES) {
      throw new S3Error('KeyTooLongError', 'Your key is too long', {
        Size: keyBytes,
        MaxSizeAllowed: MAX_KEY_BYTES,
      });
    }
    const { folders, name } = encodeKey(key);
    if ([...folders, name].some((part) => Buffer.byteLength(part) > MAX_PART_BYTES)) {
      throw new S3Error(
        'KeyTooLongError',
        `Your key is too long for this local S3, which stores each /-separated part of a key as a file name: at most ${MAX_PART_BYTES} bytes per part.`,
        { Size: keyBytes },
      );
    }
    return within(bucketPath, join(bucketPath, ...folders, `${name}${SUFFIX_MARK}${resource}`));
  }

  async listBuckets(): Promise<unknown[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    // Folders that are not valid bucket names (left by older versions) are not buckets.
    const names = entries.filter((e) => e.isDirectory() && isValidBucketName(e.name)).map((e) => e.name);
    const buckets = await Promise.all(names.sort().map((name) => this.getBucket(name)));
    return buckets.filter(Boolean);
  }

  /** ListObjects(V2) over the decoded keys, in S3's order (UTF-8 bytes), with s3rver's paging rules. */
  async listObjects(
    bucket: string,
    options: ListOptions,
  ): Promise<{ objects: S3ObjectInstance[]; commonPrefixes: string[]; isTruncated: boolean }> {
    const { delimiter = '', startAfter = '', prefix = '', maxKeys = Number.POSITIVE_INFINITY } = options;
    const found: string[] = [];
    await collectKeys(this.getBucketPath(bucket), [], prefix, found);
    const after = Buffer.from(startAfter);
    const sorted = found
      .map((key) => ({ key, bytes: Buffer.from(key) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const commonPrefixes = new Set<string>();
    const keys: string[] = [];
    let isTruncated = false;
    for (const { key, bytes } of sorted) {
      if (Buffer.compare(bytes, after) <= 0 || !key.startsWith(prefix)) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut !== -1) {
        commonPrefixes.add(key.slice(0, cut + delimiter.length));
        continue;
      }
      if (keys.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      keys.push(key);
    }
    const objects: S3ObjectInstance[] = [];
    for (const key of keys) {
      const metadata = await this.getMetadata(bucket, key).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined; // deleted while listing
        throw error;
      });
      if (metadata) objects.push(new S3Object(bucket, key, null, metadata));
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await Promise.all(
      OBJECT_FILES.map((resource) => rm(this.getResourcePath(bucket, key, resource), { force: true })),
    );
    // Folders that only held this key go too: on S3 a "folder" is nothing but a key prefix.
    const bucketPath = this.getBucketPath(bucket);
    for (let folder = dirname(this.getResourcePath(bucket, key, 'object')); folder !== bucketPath; ) {
      try {
        await rmdir(within(bucketPath, folder));
      } catch {
        break; // not empty, or already gone
      }
      folder = dirname(folder);
    }
  }

  async putObject(object: S3ObjectInstance): Promise<StoredBody> {
    return this.storeObject(object, MAX_UPLOAD_BYTES);
  }

  async initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, unknown>) {
    this.getResourcePath(bucket, key, 'object'); // a key that cannot be stored fails now, not at completion
    const uploadDir = this.uploadPath(bucket, uploadId);
    await mkdir(uploadDir, { recursive: true });
    await Promise.all([
      writeFile(join(uploadDir, 'key'), key),
      writeFile(join(uploadDir, 'metadata'), JSON.stringify(metadata)),
    ]);
  }

  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: unknown,
    content: Readable,
  ): Promise<StoredBody> {
    const uploadDir = await this.openUpload(bucket, uploadId);
    const partPath = partFile(uploadDir, partNumber);
    if (partPath === undefined) {
      throw new S3Error(
        'InvalidArgument',
        `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
        {
          ArgumentName: 'partNumber',
          ArgumentValue: String(partNumber),
        },
      );
    }
    try {
      return await streamToFile(partPath, content, MAX_UPLOAD_BYTES, ({ md5 }) =>
        writeFile(`${partPath}.md5`, md5),
      );
    } catch (error) {
      // The upload was aborted while this part was on its way.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchUpload(uploadId);
      throw error;
    }
  }

  async putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: Array<{ number: unknown; etag?: unknown }>,
  ): Promise<StoredBody> {
    const uploadDir = await this.openUpload(bucket, uploadId);
    const [key, metadata] = await Promise.all([
      readFile(join(uploadDir, 'key'), 'utf8'),
      readFile(join(uploadDir, 'metadata'), 'utf8').then(
        (text) => JSON.parse(text) as Record<string, unknown>,
      ),
    ]);
    const files: string[] = [];
    for (const part of [...parts].sort((a, b) => Number(a.number) - Number(b.number))) {
      const file = partFile(uploadDir, part.number);
      const md5 = file && (await readFile(`${file}.md5`, 'utf8').catch(() => undefined));
      // S3 compares each named ETag (quotes removed) with the part's: a stale list is InvalidPart.
      const etagMatches = part.etag === undefined || String(part.etag) === md5;
      if (file === undefined || md5 === undefined || !etagMatches || !(await exists(file))) {
        throw new S3Error(
          'InvalidPart',
          'One or more of the specified parts could not be found. The part may not have been uploaded.',
          { PartNumber: String(part.number), UploadId: uploadId },
        );
      }
      files.push(file);
    }
    const eTag = await multipartETag(files);
    const object = new S3Object(bucket, key, Readable.from(concatenate(files)), metadata);
    const stored = await this.storeObject(object, MAX_OBJECT_BYTES, eTag);
    await rm(uploadDir, { recursive: true, force: true });
    return stored;
  }

  /**
   * ListParts: the parts of upload `uploadId` of `key` uploaded so far, by part number; NoSuchUpload
   * when there is no such upload of that key (S3 checks both).
   */
  async listParts(bucket: string, key: string, uploadId: string): Promise<UploadedPart[]> {
    const uploadDir = await this.openUpload(bucket, uploadId);
    const uploadKey = await readFile(join(uploadDir, 'key'), 'utf8').catch(() => undefined);
    if (uploadKey !== key) throw noSuchUpload(uploadId);
    const names = await readdir(uploadDir).catch(() => [] as string[]);
    const parts: UploadedPart[] = [];
    for (const name of names) {
      const file = partFile(uploadDir, name);
      if (file === undefined) continue; // `key`, `metadata`, checksums, parts still arriving
      const [info, md5] = await Promise.all([
        stat(file).catch(() => undefined),
        readFile(`${file}.md5`, 'utf8').catch(() => undefined),
      ]);
      if (info === undefined || md5 === undefined) continue; // replaced or aborted meanwhile
      parts.push({ partNumber: Number(name), lastModified: info.mtime, md5, size: info.size });
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** The multipart uploads in progress in `bucket` whose key starts with `prefix` (s3rver lacks ListMultipartUploads). */
  async listUploads(bucket: string, prefix: string): Promise<MultipartUpload[]> {
    const uploadsDir = this.getResourcePath(bucket, '', 'uploads');
    const uploads: MultipartUpload[] = [];
    const ids = await readdir(uploadsDir).catch(() => [] as string[]);
    for (const uploadId of ids.sort()) {
      if (!isUploadId(uploadId)) continue;
      const keyFile = join(uploadsDir, uploadId, 'key');
      // A folder without `key` is debris from a part that arrived as its upload was aborted.
      const key = await readFile(keyFile, 'utf8').catch(() => undefined);
      if (key === undefined || !key.startsWith(prefix)) continue;
      uploads.push({ key, uploadId, initiated: (await stat(keyFile)).mtime });
    }
    return uploads;
  }

  /** AbortMultipartUpload (s3rver lacks it): the upload and its parts are gone; NoSuchUpload if it was not there. */
  async abortUpload(bucket: string, uploadId: string): Promise<void> {
    await rm(await this.openUpload(bucket, uploadId), { recursive: true, force: true });
  }

  /** Stores an object; its ETag is the MD5 of its bytes unless `eTag` (a multipart ETag) is given. */
  private async storeObject(object: S3ObjectInstance, maxBytes: number, eTag?: string): Promise<StoredBody> {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    if (content === null) throw new Error(`no content for ${object.key}`);
    const stored = await streamToFile(objectPath, content, maxBytes, ({ md5 }) =>
      // s3rver serves the `.md5` file as the ETag (quoted) on every read, listing and copy.
      this.putMetadata(object.bucket, object.key, object.metadata, eTag ?? md5),
    );
    return eTag === undefined ? stored : { ...stored, md5: eTag };
  }

  private uploadPath(bucket: string, uploadId: string): string {
    if (!isUploadId(uploadId)) throw noSuchUpload(uploadId);
    const uploadsDir = this.getResourcePath(bucket, '', 'uploads');
    return within(uploadsDir, join(uploadsDir, uploadId));
  }

  /** The folder of an upload in progress; NoSuchUpload when there is none. */
  async openUpload(bucket: string, uploadId: string): Promise<string> {
    const uploadDir = this.uploadPath(bucket, uploadId);
    if (!(await exists(join(uploadDir, 'key')))) throw noSuchUpload(uploadId);
    return uploadDir;
  }
}

/** `path`, resolved, when it is `root` or inside it; anything else is a bug here, never served. */
function within(root: string, path: string): string {
  const resolved = resolve(path);
  if (resolved !== root && !resolved.startsWith(`${root}${sep}`)) {
    throw new Error(`refusing a path outside ${root}: ${resolved}`);
  }
  return resolved;
}

/** Adds the keys stored under `dir` to `into`, skipping folders that cannot hold a key starting with `prefix`. */
async function collectKeys(dir: string, folders: string[], prefix: string, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (folders.length === 0 && entry.name === UPLOADS_FOLDER) continue;
      const inner = [...folders, entry.name];
      const keyPrefix = decodeFolders(inner);
      if (keyPrefix.startsWith(prefix) || prefix.startsWith(keyPrefix)) {
        await collectKeys(join(dir, entry.name), inner, prefix, into);
      }
    } else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) {
      into.push(decodeKey(folders, entry.name.slice(0, -OBJECT_SUFFIX.length)));
    }
  }
}

/**
 * Streams `content` into `target` through a temporary file beside it, failing with EntityTooLarge as
 * soon as more than `maxBytes` arrived; `beforeCommit` runs (metadata, checksums) before the rename.
 */
async function streamToFile(
  target: string,
  content: Readable,
  maxBytes: number,
  beforeCommit: (body: StoredBody) => Promise<void>,
): Promise<StoredBody> {
  const temporary = `${target}.${randomBytes(8).toString('hex')}.incoming`;
  const meter = new BodyMeter(maxBytes);
  try {
    await pipeline(content, meter, createWriteStream(temporary, { flags: 'wx' }));
    const body = { size: meter.size, md5: meter.md5() };
    await beforeCommit(body);
    await rename(temporary, target);
    return body;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Counts and hashes what passes, and stops it past `maxBytes`. */
class BodyMeter extends Transform {
  size = 0;
  private readonly hash = createHash('md5');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(
        new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          MaxSizeAllowed: this.maxBytes,
        }),
      );
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  md5(): string {
    return this.hash.digest('hex');
  }
}

/**
 * S3's ETag of a multipart object: the MD5 of the parts' binary MD5s one after the other, then `-` and
 * the number of parts. Clients that compare an MD5 of the whole file with it must see it differ here
 * as they will on S3.
 */
async function multipartETag(partFiles: readonly string[]): Promise<string> {
  const digests = await Promise.all(partFiles.map((file) => readFile(`${file}.md5`, 'utf8')));
  const hash = createHash('md5');
  for (const digest of digests) hash.update(Buffer.from(digest.trim(), 'hex'));
  return `${hash.digest('hex')}-${partFiles.length}`;
}

async function* concatenate(files: readonly string[]): AsyncGenerator<Buffer> {
  for (const file of files) yield* createReadStream(file);
}

/** s3rver's upload ids are 32 hex digits; anything but letters and digits never names a folder. */
function isUploadId(uploadId: unknown): uploadId is string {
  return typeof uploadId === 'string' && /^[A-Za-z0-9]{1,64}$/.test(uploadId);
}

/** The file of part `partNumber` (1-10,000) of the upload in `uploadDir`; undefined for anything else. */
function partFile(uploadDir: string, partNumber: unknown): string | undefined {
  const text = String(partNumber);
  if (!/^[1-9][0-9]{0,4}$/.test(text) || Number(text) > MAX_PART_NUMBER) return undefined;
  return join(uploadDir, text);
}

function noSuchUpload(uploadId: unknown): S3ErrorInstance {
  return new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: String(uploadId) },
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
