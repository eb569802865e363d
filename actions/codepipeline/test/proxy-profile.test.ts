import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { type ForwardProxy, startForwardProxy } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executionEnd,
  newCodePipelineClient,
  newPipeline,
  registerActionTypes,
  startExecution,
  startWorker,
  type WorkerProcess,
} from './support/pipeline.js';

// The worker on a host behind a corporate proxy, its region and keys in an AWS profile.
let server: LocalCodeDeploy;
let proxy: ForwardProxy;
let root: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  server = await startLocalCodeDeploy({ port: 0, pipelines: { continuationDelayMs: 200 } });
  proxy = await startForwardProxy();
  root = await mkdtemp(join(tmpdir(), 'codepipeline-proxy-'));
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await worker?.done;
  await proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('codedeploy-gate-codepipeline behind a proxy, with --profile', () => {
  it('polls, deploys and answers through HTTP_PROXY, signing as the profile says', async () => {
    const env = { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l' };
    const clients = {
      codeDeploy: createCodeDeployClient({ env }),
      s3: createS3Client({ env }),
      codePipeline: newCodePipelineClient(server.endpoint),
    };
    try {
      await registerActionTypes(clients.codePipeline, clients.s3);
      const { name } = await newPipeline(clients, 'cp-proxied');
      const home = join(root, 'home');
      await mkdir(join(home, '.aws'), { recursive: true });
      await writeFile(
        join(home, '.aws', 'config'),
        '[profile worker]\nregion = eu-south-1\naws_access_key_id = AKIDWORKER\naws_secret_access_key = worker-secret\n',
      );
      worker = startWorker(
        {
          HOME: home,
          AWS_ENDPOINT_URL: server.endpoint,
          HTTP_PROXY: `http://worker:pr0xy-pass@127.0.0.1:${proxy.port}`,
        },
        join(root, 'state'),
        ['--profile', 'worker'],
      );
      const execution = await startExecution(clients.codePipeline, name);
      const end = await executionEnd(clients.codePipeline, name, execution);

      expect(end.status, JSON.stringify(worker.lines().slice(-5))).toBe('Succeeded');
      expect(worker.lines().find((l) => l.msg === 'starting')?.region).toBe('eu-south-1');
      // CodePipeline and CodeDeploy calls through the proxy, signed with the profile's key and region.
      // (The artifact is read with the job's own credentials, also through the proxy.)
      const scopes = proxy.signatures();
      expect(scopes).toContain('AKIDWORKER eu-south-1 codepipeline');
      expect(scopes).toContain('AKIDWORKER eu-south-1 codedeploy');
      expect([...scopes].some((s) => s.endsWith(' eu-south-1 s3'))).toBe(true);
      expect(JSON.stringify(worker.lines())).not.toContain('pr0xy-pass');
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });
});
