import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sendS3Error, startEmbeddedS3 } from '@codedeploy-gate/s3-emulator';
import { closeAtEnd } from './cleanup/index.js';

/**
 * A real S3 server for end-to-end tests: the local CodeDeploy's S3 (`@codedeploy-gate/s3-emulator`:
 * s3rver 3.7 plus the ListMultipartUploads/AbortMultipartUpload it lacks) on 127.0.0.1 with an
 * ephemeral port and its own temporary directory, behind a thin front that
 *  - records every request (without the Authorization header),
 *  - can answer chosen requests with an S3 error (fault injection) or hold them (delays).
 *
 * What s3rver does not do, so tests must not rely on it: SigV4 signature checks (any access key id
 * is accepted), checksums (x-amz-checksum-* headers are ignored, and
 * `aws-chunked` bodies are stored with their framing), versioning (no VersionId ever), `-N` multipart
 * ETags (a multipart object's ETag is the MD5 of the whole object).
 */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  /** s3rver's data directory; removed by `close()`. */
  directory: string;
  /** Environment for an S3 client or a child process: endpoint, fake keys, region. */
  env: Record<string, string>;
  /** Every request received, oldest first. */
  requests: RecordedS3Request[];
  createBucket(name: string): Promise<void>;
  /** Answers the next `times` requests matching `match` with `fault` (default: every one). */
  injectFault(match: (request: RecordedS3Request) => boolean, fault: S3Fault, times?: number): void;
  /**
   * What a bucket holds, read through the real S3 API: object keys, and keys of multipart uploads
   * still open (an orphaned upload is one that should not be there).
   */
  contents(bucket: string): Promise<{ objects: string[]; uploads: string[] }>;
  /** Holds the next `times` requests matching `match` for `ms` before serving them (a slow network). */
  injectDelay(match: (request: RecordedS3Request) => boolean, ms: number, times?: number): void;
  /** Stops the server (dropping kept-alive connections) and deletes its directory. Idempotent. */
  close(): Promise<void>;
}

export interface RecordedS3Request {
  method: string;
  /** Decoded path, `/BUCKET/KEY`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` is left out. */
  headers: Record<string, string>;
}

export interface S3Fault {
  status: number;
  code: string;
  message?: string;
}

export interface StartS3ServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
}

/** Fake keys the server accepts; never real ones. */
export const FAKE_S3_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export async function startS3Server(options: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'codedeploy-gate-s3rver-'));
  const s3 = startEmbeddedS3(directory, () => {});
  for (const name of options.buckets ?? []) await s3.createBucket(name);
  const requests: RecordedS3Request[] = [];
  const faults: Array<{ match: (r: RecordedS3Request) => boolean; fault: S3Fault; left: number }> = [];
  const delays: Array<{ match: (r: RecordedS3Request) => boolean; ms: number; left: number }> = [];

  const server = createServer((req, res) => {
    const recorded = record(req);
    requests.push(recorded);
    const fault = faults.find((f) => f.left > 0 && f.match(recorded));
    if (fault !== undefined) {
      fault.left -= 1;
      // Read the body first: answering mid-upload makes the client see a reset instead of the error.
      req.resume();
      req.on('end', () =>
        sendS3Error(res, fault.fault.status, fault.fault.code, fault.fault.message ?? fault.fault.code),
      );
      return;
    }
    const serve = () => s3.handle(req, res);
    const delay = delays.find((d) => d.left > 0 && d.match(recorded));
    if (delay === undefined) {
      serve();
      return;
    }
    delay.left -= 1;
    setTimeout(serve, delay.ms);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const testServer: S3TestServer = {
    endpoint,
    directory,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: FAKE_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    requests,
    createBucket: (name) => s3.createBucket(name),
    injectFault: (match, fault, times = Number.POSITIVE_INFINITY) => {
      faults.push({ match, fault, left: times });
    },
    injectDelay: (match, ms, times = Number.POSITIVE_INFINITY) => {
      delays.push({ match, ms, left: times });
    },
    contents: async (bucket) => {
      const client = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: FAKE_S3_CREDENTIALS,
      });
      try {
        const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
        return {
          objects: (objects.Contents ?? []).map((o) => o.Key ?? ''),
          uploads: (uploads.Uploads ?? []).map((u) => u.Key ?? ''),
        };
      } finally {
        client.destroy();
      }
    },
    close: () => {
      closing ??= (async () => {
        // SDK clients keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        s3.close();
        await rm(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  return closeAtEnd(testServer);
}

function record(req: IncomingMessage): RecordedS3Request {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name !== 'authorization' && value !== undefined) headers[name] = String(value);
  }
  return {
    method: req.method ?? 'GET',
    path: safeDecode(url.pathname),
    query: Object.fromEntries(url.searchParams),
    headers,
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
