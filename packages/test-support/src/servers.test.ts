import { existsSync } from 'node:fs';
import {
  CodeDeployClient,
  CodeDeployServiceException,
  GetApplicationCommand,
} from '@aws-sdk/client-codedeploy';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startCodeDeployStub } from './codedeploy-stub.js';
import { startCountingProxy } from './counting-proxy.js';
import { startS3Server } from './s3rver.js';

// Plain SDK clients, configured the way any user of these servers would, so this package needs no
// other workspace package.
function createS3Client({ env }: { env: Record<string, string> }): S3Client {
  return new S3Client({
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function createCodeDeployClient({ env }: { env: Record<string, string> }): CodeDeployClient {
  return new CodeDeployClient({
    endpoint: env.AWS_ENDPOINT_URL_CODEDEPLOY ?? env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  });
}

describe('startS3Server', () => {
  it('lists and aborts multipart uploads, which s3rver itself does not implement', async () => {
    const server = await startS3Server({ buckets: ['shim-test'] });
    const client = createS3Client({ env: server.env });
    try {
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket: 'shim-test', Key: 'a/b.zip' }),
      );
      const listed = await client.send(
        new ListMultipartUploadsCommand({ Bucket: 'shim-test', Prefix: 'a/' }),
      );
      expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['a/b.zip', UploadId]]);

      await client.send(new AbortMultipartUploadCommand({ Bucket: 'shim-test', Key: 'a/b.zip', UploadId }));

      expect(
        (await client.send(new ListMultipartUploadsCommand({ Bucket: 'shim-test' }))).Uploads,
      ).toBeUndefined();
      await expect(
        client.send(new AbortMultipartUploadCommand({ Bucket: 'shim-test', Key: 'a/b.zip', UploadId })),
      ).rejects.toMatchObject({ name: 'NoSuchUpload' });
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('closes despite kept-alive connections, removes its directory, and tolerates a second close', async () => {
    const server = await startS3Server();
    const client = createS3Client({ env: server.env });
    await client.send(new ListBucketsCommand({}));
    await server.close();
    await server.close();

    expect(existsSync(server.directory)).toBe(false);
    client.destroy();
  });
});

describe('startCodeDeployStub', () => {
  it('answers GetApplication for known applications and ApplicationDoesNotExistException otherwise', async () => {
    const stub = await startCodeDeployStub({ applications: ['known'] });
    const client = createCodeDeployClient({ env: stub.env });
    try {
      const found = await client.send(new GetApplicationCommand({ applicationName: 'known' }));
      expect(found.application?.applicationName).toBe('known');

      const error = await client
        .send(new GetApplicationCommand({ applicationName: 'unknown' }))
        .catch((e) => e);
      expect(error).toBeInstanceOf(CodeDeployServiceException);
      expect(error.name).toBe('ApplicationDoesNotExistException');
      expect(error.message).toContain('unknown');
      expect(error.$metadata.httpStatusCode).toBe(400);
    } finally {
      client.destroy();
      await stub.close();
    }
  });
});

describe('startCountingProxy', () => {
  it('forwards requests and answers both ways, recording each by operation', async () => {
    const stub = await startCodeDeployStub({ applications: ['known'] });
    const proxy = await startCountingProxy(stub.endpoint);
    const client = createCodeDeployClient({
      env: { ...stub.env, AWS_ENDPOINT_URL: proxy.endpoint, AWS_ENDPOINT_URL_CODEDEPLOY: proxy.endpoint },
    });
    try {
      const found = await client.send(new GetApplicationCommand({ applicationName: 'known' }));
      expect(found.application?.applicationName).toBe('known');
      const error = await client.send(new GetApplicationCommand({ applicationName: 'nope' })).catch((e) => e);
      expect(error.name).toBe('ApplicationDoesNotExistException');
      expect(proxy.requests).toEqual([
        'CodeDeploy_20141006.GetApplication',
        'CodeDeploy_20141006.GetApplication',
      ]);
      expect(stub.requests.map((r) => r.body.applicationName)).toEqual(['known', 'nope']);
    } finally {
      client.destroy();
      await proxy.close();
      await stub.close();
    }
  });
});
