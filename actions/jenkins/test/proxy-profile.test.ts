import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import {
  type ForwardProxy,
  startForwardProxy,
  startProcess,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A Jenkins agent behind a corporate proxy whose credentials live in an AWS profile. It also proves
// the one-file bundle carries the proxy agents core loads on demand.
const WRAPPER = fileURLToPath(new URL('../bin/codedeploy-gate-jenkins', import.meta.url));
let server: LocalCodeDeploy;
let proxy: ForwardProxy;
let root: string;

beforeAll(async () => {
  server = await startLocalCodeDeploy({ port: 0 });
  proxy = await startForwardProxy();
  root = await mkdtemp(join(tmpdir(), 'jenkins proxy '));
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('codedeploy-gate-jenkins behind a proxy, with --profile', () => {
  it('deploys through HTTP_PROXY, signing with the profile keys and region', async () => {
    const env = { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l' };
    const codeDeploy = createCodeDeployClient({ env });
    const s3 = createS3Client({ env });
    const fleet = await provisionFleet({ codeDeploy, s3 }, { application: 'jenkins-proxied', instances: 1 });
    codeDeploy.destroy();
    s3.destroy();
    const workspace = join(root, 'workspace');
    const revision = await writeRevision({});
    await cp(revision.dir, join(workspace, 'app'), { recursive: true });
    await revision.cleanup();
    const home = join(root, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(
      join(home, '.aws', 'config'),
      '[profile jenkins]\nregion = us-east-2\naws_access_key_id = AKIDJENKINS\naws_secret_access_key = agent-secret\n',
    );

    const run = await startProcess(
      WRAPPER,
      [
        '--application',
        fleet.application,
        '--deployment-group',
        fleet.deploymentGroup,
        'app',
        '--s3-location',
        `s3://${fleet.bucket}/jenkins`,
        '--poll-interval',
        '0.25s',
        '--profile',
        'jenkins',
      ],
      {
        cwd: workspace,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          WORKSPACE: workspace,
          AWS_ENDPOINT_URL: server.endpoint,
          HTTP_PROXY: `http://agent:pr0xy-pass@127.0.0.1:${proxy.port}`,
        },
      },
    ).done;

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(proxy.signatures()).toEqual(
      new Set(['AKIDJENKINS us-east-2 codedeploy', 'AKIDJENKINS us-east-2 s3']),
    );
    expect(run.stdout + run.stderr).not.toContain('pr0xy-pass');
  });
});
