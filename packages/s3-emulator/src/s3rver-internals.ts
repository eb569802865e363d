import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/**
 * The parts of s3rver 3.7 this package builds on, typed. s3rver ships no types and these are its
 * CommonJS internals: keep every `require` of them here, so an s3rver upgrade is checked in one place.
 */

/** s3rver's error: koa answers it as S3's XML error with `status`. */
export interface S3ErrorInstance extends Error {
  code: string;
  status: number;
  detail: Record<string, string | number>;
}
export type S3ErrorConstructor = new (
  code: string,
  message: string,
  detail?: Record<string, string | number>,
) => S3ErrorInstance;

/** An object as s3rver's controllers hand it to the store (metadata filtered to what S3 keeps). */
export interface S3ObjectInstance {
  bucket: string;
  key: string;
  content: Readable | Buffer | null;
  metadata: Record<string, string>;
}
type S3ObjectConstructor = new (
  bucket: string,
  key: string,
  content: Readable | Buffer | null,
  metadata: Record<string, unknown>,
) => S3ObjectInstance;

/** The methods of s3rver's FilesystemStore that the contained store reuses as they are. */
export interface FilesystemStoreBase {
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  getBucket(bucket: string): Promise<unknown>;
  putBucket(bucket: string): Promise<unknown>;
}
type FilesystemStoreConstructor = new (rootDirectory: string) => FilesystemStoreBase;

/** A koa middleware as s3rver's app runs it; `ctx.body` is still an object before its XML encoder runs. */
export type KoaMiddleware = (
  ctx: { body: unknown; method: string },
  next: () => Promise<void>,
) => Promise<void> | void;

export interface S3rverInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  /** koa's middleware list, composed when `callback()` is called: logger, XML encoder, mount, vhost, router. */
  middleware: KoaMiddleware[];
  logger: { close(): void };
  /** Read by s3rver's bucket checks (`ctx.app.store`). */
  store: unknown;
  /** Every request's koa context inherits from it; controllers read `ctx.store`. */
  context: { store: unknown };
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

interface AwsAccountModule {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  };
}

const require = createRequire(import.meta.url);

export const S3rver = require('s3rver') as S3rverConstructor;
export const accounts = require('s3rver/lib/models/account') as AwsAccountModule;
export const S3Error = require('s3rver/lib/models/error') as S3ErrorConstructor;
export const S3Object = require('s3rver/lib/models/object') as S3ObjectConstructor;
export const FilesystemStore = require('s3rver/lib/stores/filesystem') as FilesystemStoreConstructor;

/**
 * Query parameters that make s3rver's router pick a subresource handler (`?tagging`, `?delete`,
 * `?uploadId`...) instead of the plain object or bucket one: the union its router uses.
 */
export const SUBRESOURCE_PARAMS: ReadonlySet<string> = new Set([
  ...(require('s3rver/lib/controllers/bucket') as { METHODS: string[] }).METHODS,
  ...(require('s3rver/lib/controllers/object') as { METHODS: string[] }).METHODS,
]);

/**
 * Runs `middleware` around s3rver's router only, inside its XML encoder: it sees the answer as the
 * object the encoder will turn into XML. s3rver's router is its last middleware (s3rver.js, 3.7).
 */
export function useAroundRouter(s3rver: S3rverInstance, middleware: KoaMiddleware): void {
  s3rver.middleware.splice(s3rver.middleware.length - 1, 0, middleware);
}
