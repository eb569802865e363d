import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { type ForwardProxy, startForwardProxy, writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJob, runStep } from './support/runner.js';

// A self-hosted runner behind a corporate proxy whose job selects an AWS profile: no input names
// either, the job's environment is enough.
let server: LocalCodeDeploy;
let proxy: ForwardProxy;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gh proxy '));
  server = await startLocalCodeDeploy({ port: 0 });
  proxy = await startForwardProxy();
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the bundled action behind a proxy, with an AWS profile', () => {
  it('deploys through HTTP_PROXY, signing with the region and keys of AWS_PROFILE', async () => {
    const env = { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l' };
    const codeDeploy = createCodeDeployClient({ env });
    const s3 = createS3Client({ env });
    const fleet = await provisionFleet({ codeDeploy, s3 }, { application: 'gh-proxied', instances: 1 });
    codeDeploy.destroy();
    s3.destroy();
    const workspace = join(root, 'workspace');
    const revision = await writeRevision({});
    await cp(revision.dir, join(workspace, 'deploy'), { recursive: true });
    await revision.cleanup();
    const home = join(root, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(
      join(home, '.aws', 'config'),
      '[profile deploy]\nregion = eu-north-1\naws_access_key_id = AKIDRUNNER\naws_secret_access_key = runner-secret\n',
    );

    const result = await runStep(
      'main',
      await newJob(root, 'runner', workspace),
      {
        application: fleet.application,
        'deployment-group': fleet.deploymentGroup,
        'revision-path': 'deploy',
        's3-bucket': fleet.bucket,
        'poll-interval': '0.25s',
        'max-poll-interval': '1s',
      },
      {
        HOME: home,
        AWS_PROFILE: 'deploy',
        AWS_ENDPOINT_URL: server.endpoint,
        HTTP_PROXY: `http://runner:pr0xy-pass@127.0.0.1:${proxy.port}`,
      },
    );

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: 'succeeded' });
    // Both the S3 upload and the CodeDeploy calls, signed as the profile says.
    expect(proxy.signatures()).toEqual(
      new Set(['AKIDRUNNER eu-north-1 codedeploy', 'AKIDRUNNER eu-north-1 s3']),
    );
    expect(proxy.requests.every((r) => r.credentials === 'runner:pr0xy-pass')).toBe(true);
    expect(`${result.stdout}${result.stderr}${result.summary}`).not.toContain('pr0xy-pass');
  });
});
