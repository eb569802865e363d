import { describe, expect, it } from 'vitest';
import { createCodeDeployClient } from './clients.js';
import { createEcsClient } from './ecs-client.js';
import { createLambdaClient } from './lambda-client.js';
import { createS3Client } from './s3-client.js';

const FAKE_KEYS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

describe('createS3Client', () => {
  it('uses path style and the endpoint from AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL', async () => {
    const client = createS3Client({
      env: {
        ...FAKE_KEYS,
        AWS_ENDPOINT_URL: 'http://generic:1',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
      },
    });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4569);
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.region()).toBe('us-east-1');
  });

  it('asks for checksums only where required when talking to an emulator', async () => {
    const client = createS3Client({ env: { ...FAKE_KEYS, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } });
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
  });

  it('keeps virtual-hosted style and the SDK checksum defaults for real AWS, following region redirects', async () => {
    const client = createS3Client({ env: { ...FAKE_KEYS, AWS_REGION: 'eu-west-1' } });
    expect(client.config.forcePathStyle).toBeFalsy();
    expect(client.config.followRegionRedirects).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('retries in standard mode with 5 attempts unless told otherwise', async () => {
    const env = { ...FAKE_KEYS, AWS_REGION: 'eu-west-1' };
    expect(await createS3Client({ env }).config.maxAttempts()).toBe(5);
    expect(await createS3Client({ env, maxAttempts: 2 }).config.maxAttempts()).toBe(2);
    expect(createS3Client({ env }).config.retryMode).toBe('standard');
    expect(createS3Client({ env: { ...env, AWS_RETRY_MODE: 'adaptive' } }).config.retryMode).toBe('adaptive');
  });

  it('takes static keys from an explicitly passed environment', async () => {
    const client = createS3Client({
      env: { AWS_REGION: 'eu-west-1', ...FAKE_KEYS, AWS_SESSION_TOKEN: 'tok' },
    });
    const credentials = await client.config.credentials();
    expect(credentials).toMatchObject({ accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'tok' });
  });
});

describe('createCodeDeployClient', () => {
  it('uses AWS_ENDPOINT_URL_CODEDEPLOY over AWS_ENDPOINT_URL', async () => {
    const client = createCodeDeployClient({
      env: {
        ...FAKE_KEYS,
        AWS_ENDPOINT_URL: 'http://generic:1',
        AWS_ENDPOINT_URL_CODEDEPLOY: 'http://127.0.0.1:7001',
      },
    });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.port).toBe(7001);
  });

  it('fails before any call when no region can be found', () => {
    expect(() => createCodeDeployClient({ env: FAKE_KEYS })).toThrow(/No AWS region/);
  });
});

describe('createLambdaClient and createEcsClient', () => {
  it('use AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_ECS over AWS_ENDPOINT_URL, in us-east-1 by default', async () => {
    const env = {
      ...FAKE_KEYS,
      AWS_ENDPOINT_URL: 'http://generic:1',
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:7002',
      AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:7003',
    };
    const lambda = createLambdaClient({ env });
    const ecs = createEcsClient({ env });
    expect((await lambda.config.endpoint?.())?.port).toBe(7002);
    expect((await ecs.config.endpoint?.())?.port).toBe(7003);
    expect(await lambda.config.region()).toBe('us-east-1');
  });

  it('take the region from a Lambda-only endpoint setup too', async () => {
    const client = createLambdaClient({
      env: { ...FAKE_KEYS, AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:7002' },
    });
    expect(await client.config.region()).toBe('us-east-1');
  });
});
