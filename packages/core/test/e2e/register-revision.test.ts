import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { type CodeDeployStub, startCodeDeployStub } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodeDeployClient } from '../../src/aws/index.js';
import { AwsError } from '../../src/errors/index.js';
import { registerRevision, s3Revision } from '../../src/revision/index.js';

let stub: CodeDeployStub;
let client: CodeDeployClient;

beforeAll(async () => {
  stub = await startCodeDeployStub({ applications: ['web-app'] });
  client = createCodeDeployClient({ env: stub.env });
});

afterAll(async () => {
  client?.destroy();
  await stub?.close();
});

const upload = {
  bucket: 'bundles',
  key: 'deploys/web-app-0123.zip',
  eTag: 'd41d8cd98f00b204e9800998ecf8427e',
  uploaded: true,
  size: 22,
};

describe('registerRevision against the CodeDeploy stub', () => {
  it('sends the exact S3 revision and description over the JSON 1.1 protocol', async () => {
    const start = stub.requests.length;

    await registerRevision({
      client,
      application: 'web-app',
      revision: s3Revision(upload, 'zip'),
      description: 'build 42',
    });

    const [request] = stub.requests.slice(start);
    expect(request?.operation).toBe('RegisterApplicationRevision');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.body).toEqual({
      applicationName: 'web-app',
      description: 'build 42',
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: 'bundles',
          key: 'deploys/web-app-0123.zip',
          bundleType: 'zip',
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        },
      },
    });
  });

  it('includes the object version for versioned buckets', async () => {
    const start = stub.requests.length;

    await registerRevision({
      client,
      application: 'web-app',
      revision: s3Revision({ ...upload, versionId: 'v7' }, 'tgz'),
    });

    const body = stub.requests[start]?.body as {
      revision: { s3Location: Record<string, string> };
      description?: string;
    };
    expect(body.revision.s3Location).toMatchObject({ bundleType: 'tgz', version: 'v7' });
    expect(body).not.toHaveProperty('description');
  });

  it('fails with an AwsError naming the application when it does not exist', async () => {
    const error = await registerRevision({
      client,
      application: 'no-such-app',
      revision: s3Revision(upload, 'zip'),
    }).catch((e) => e);

    expect(error).toBeInstanceOf(AwsError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('ApplicationDoesNotExistException');
    expect(error.message).toMatch(/^registering revision with application no-such-app: /);
    expect(error.hint).toMatch(/create-application/);
  });
});
