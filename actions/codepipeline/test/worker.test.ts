import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeployClient,
  GetDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { type CodePipelineClient, ListActionExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '@codedeploy-gate/local';
import {
  fakeCredentials,
  identity,
  leakableParts,
  leakyHookScript,
  outputDevice,
  startCountingProxy,
  startProcess,
  until,
} from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  actionState,
  deploymentsOf,
  executionEnd,
  newCodePipelineClient,
  newPipeline,
  registerActionTypes,
  startExecution,
  startWorker,
  uploadRelease,
  WORKER,
  type WorkerProcess,
} from './support/pipeline.js';

let server: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let codePipeline: CodePipelineClient;
let s3: ReturnType<typeof createS3Client>;
let env: Record<string, string>;
let root: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  // Short job deadlines, so a worker that goes silent is noticed within a test; follow-up jobs soon.
  server = await startLocalCodeDeploy({
    port: 0,
    pipelines: { ackTimeoutMs: 2_000, jobTimeoutMs: 20_000, continuationDelayMs: 200 },
  });
  env = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'worker',
    AWS_SECRET_ACCESS_KEY: 'worker-secret',
  };
  codeDeploy = createCodeDeployClient({ env });
  s3 = createS3Client({ env });
  codePipeline = newCodePipelineClient(server.endpoint);
  await registerActionTypes(codePipeline, s3);
  root = await mkdtemp(join(tmpdir(), 'codepipeline-worker-'));
});

afterEach(async () => {
  server.setFaults([]);
  for (const worker of workers.splice(0)) {
    worker.child.kill('SIGKILL');
    await worker.done;
  }
});

afterAll(async () => {
  codeDeploy?.destroy();
  codePipeline?.destroy();
  s3?.destroy();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function worker(stateDir: string, extra: string[] = []): WorkerProcess {
  const running = startWorker(env, stateDir, extra);
  workers.push(running);
  return running;
}

async function status(id: string) {
  return (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo?.status;
}

async function gateExecutions(name: string, executionId: string) {
  const { actionExecutionDetails = [] } = await codePipeline.send(
    new ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: executionId } }),
  );
  return actionExecutionDetails.filter((d) => d.stageName === 'Deploy');
}

describe('codedeploy-gate-codepipeline (bundled worker) against the local pipeline', () => {
  it('deploys the source artifact, answers with continuation tokens, and passes the stage with output variables', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-ok', {
      spec: { startSleep: 2 },
    });
    const health = join(root, 'ok-health.json');
    const w = worker(join(root, 'ok'), ['--health-file', health]);
    const execution = await startExecution(codePipeline, name);
    const end = await executionEnd(codePipeline, name, execution);
    expect(end.status, JSON.stringify(w.lines().slice(-5))).toBe('Succeeded');
    expect(end.smokeJobs).toBe(1); // the next stage ran

    const [id, ...others] = await deploymentsOf(codeDeploy, fleet);
    expect(others).toEqual([]);
    expect(await status(id as string)).toBe('Succeeded');
    const [gate] = await gateExecutions(name, execution);
    expect(gate?.status).toBe('Succeeded');
    expect(gate?.output?.outputVariables).toMatchObject({ DeploymentId: id, Status: 'Succeeded' });
    expect(gate?.output?.executionResult?.externalExecutionId).toBe(id);
    // The console link filled from action-type.json's executionUrlTemplate.
    expect(gate?.output?.executionResult?.externalExecutionUrl).toContain(`/deployments/${id}`);
    // Never held a job while the deployment ran: at least one follow-up job carried the token.
    const answered = w.lines().filter((l) => l.msg === 'job answered; deployment continues');
    expect(answered.length).toBeGreaterThan(0);
    expect(w.lines().find((l) => l.msg === 'ready')).toBeDefined();
    expect(w.lines().find((l) => l.msg === 'starting')?.worker).toMatch(/^\d+\.\d+\.\d+/);
    // The liveness file is rewritten after every poll.
    const written = JSON.parse(await readFile(health, 'utf8')) as { time: string };
    expect(Date.now() - Date.parse(written.time)).toBeLessThan(5_000);
    // The revision is the artifact's own S3 object: nothing was copied.
    const info = (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
    expect(info?.revision?.s3Location?.bucket).toBe('codepipeline-artifacts');
    expect(info?.description).toContain(`CodePipeline ${name} Deploy/Gate execution ${execution}`);
    // No credential in any log line.
    const logs = JSON.stringify(w.lines());
    expect(logs).not.toContain('worker-secret');
  });

  it('fails the stage on a hook failure with the diagnostics in the message; the next stage never runs', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-hook', {
      spec: { failOn: ['cp-hook-1'] },
      configuration: { DeploymentConfigName: 'CodeDeployDefault.OneAtATime' },
    });
    worker(join(root, 'hook'));
    const execution = await startExecution(codePipeline, name);
    const end = await executionEnd(codePipeline, name, execution);
    expect(end.status).toBe('Failed');
    expect(end.smokeJobs).toBe(0);
    const state = await actionState(codePipeline, name, 'Deploy');
    expect(state?.status).toBe('Failed');
    const message = state?.errorDetails?.message ?? '';
    expect(message).toMatch(/cp-hook-1 failed in ValidateService \(ScriptFailed\)/);
    expect(message).toContain('scripts/validate.sh');
    expect(message).toContain('failing on purpose');
    const [id] = await deploymentsOf(codeDeploy, fleet);
    expect(await status(id as string)).toBe('Failed');
  });

  it('deploys a BundlePath folder of the artifact, re-packaged and pushed to the artifact bucket', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-nested', {
      nested: true,
      // The build zipped a .env into the artifact; re-packaging deploy/ leaves it out and logs so.
      artifactFiles: { '.codedeployignore': '!.env\n', 'deploy/.env': 'DATABASE_PASSWORD=hunter2\n' },
      configuration: { BundlePath: 'deploy' },
    });
    const running = worker(join(root, 'nested'));
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    const [id] = await deploymentsOf(codeDeploy, fleet);
    const info = (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
    expect(info?.revision?.s3Location?.key).toMatch(new RegExp(`^codedeploy-gate/${name}/`));
    expect(running.lines()).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'skipped 1 path by the default secret-safe ignore list (.env); `!PATTERN` in .codedeployignore includes one',
        code: 'default-ignored',
        paths: 1,
      }),
    );
  });

  it("encrypts the re-packaged folder with the artifact store's KMS key", async () => {
    const kmsKeyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-kms', {
      nested: true,
      configuration: { BundlePath: 'deploy' },
      kmsKeyId,
    });
    // The local S3 keeps no encryption settings, so the worker's S3 calls go through a recording proxy.
    const uploads: Array<Record<string, string | undefined>> = [];
    const proxy = createServer((req, res) => {
      if (req.method === 'PUT' || req.method === 'POST') {
        uploads.push({
          path: req.url,
          sse: req.headers['x-amz-server-side-encryption'] as string | undefined,
          key: req.headers['x-amz-server-side-encryption-aws-kms-key-id'] as string | undefined,
        });
      }
      const target = new URL(req.url ?? '/', server.endpoint);
      const forward = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const running = startWorker(
        { ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` },
        join(root, 'kms'),
      );
      workers.push(running);
      const execution = await startExecution(codePipeline, name);
      expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    } finally {
      proxy.close();
    }
    const [id] = await deploymentsOf(codeDeploy, fleet);
    const key = (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo
      ?.revision?.s3Location?.key;
    const bundle = uploads.filter((u) => u.path?.includes(encodeURI(key ?? '?')));
    expect(bundle.length).toBeGreaterThan(0);
    for (const upload of bundle) expect(upload).toMatchObject({ sse: 'aws:kms', key: kmsKeyId });
  });

  it('fails a malformed configuration as ConfigurationError without creating anything', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-config', {
      configuration: { TimeoutMinutes: 'soon' },
    });
    worker(join(root, 'config'));
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
    const state = await actionState(codePipeline, name, 'Deploy');
    expect(state?.errorDetails?.code).toBe('ConfigurationError');
    expect(state?.errorDetails?.message).toMatch(/TimeoutMinutes must be a number/);
    expect(await deploymentsOf(codeDeploy, fleet)).toEqual([]);
  });

  it('a worker killed mid-deployment and restarted completes the job with one deployment', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-restart', {
      spec: { startSleep: 4 },
    });
    const stateDir = join(root, 'restart');
    const first = worker(stateDir);
    const execution = await startExecution(codePipeline, name);
    const id = await until('the deployment', async () => (await deploymentsOf(codeDeploy, fleet))[0]);
    await until('a continuation', async () =>
      first.lines().some((l) => l.msg === 'job answered; deployment continues') ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await first.done;
    worker(stateDir);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    expect(await deploymentsOf(codeDeploy, fleet)).toEqual([id]);
  });

  it('a worker killed between creating the deployment and reporting it finishes the job after a restart', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-journal', {
      spec: { startSleep: 2 },
    });
    const stateDir = join(root, 'journal');
    // Every report fails: the worker creates the deployment but cannot say so.
    server.setFaults([{ operation: 'PutJobSuccessResult', serverError: 1 }]);
    const first = worker(stateDir);
    const execution = await startExecution(codePipeline, name);
    const id = await until('the deployment', async () => (await deploymentsOf(codeDeploy, fleet))[0]);
    await until('the job in the journal', async () =>
      (await readdir(join(stateDir, 'jobs')).catch(() => [])).length > 0 ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await first.done;
    server.setFaults([]);
    const second = worker(stateDir);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    expect(await deploymentsOf(codeDeploy, fleet)).toEqual([id]);
    expect(second.lines().some((l) => l.msg === 'resuming a job acknowledged before a restart')).toBe(true);
  });

  it('two workers share the queue: every job is worked by one of them, one deployment per execution', async () => {
    const a = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-share-a', { spec: { startSleep: 1 } });
    const b = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-share-b', { spec: { startSleep: 1 } });
    const one = worker(join(root, 'share-1'), ['--concurrency', '1']);
    const two = worker(join(root, 'share-2'), ['--concurrency', '1']);
    const executions = [
      await startExecution(codePipeline, a.name),
      await startExecution(codePipeline, b.name),
    ];
    expect((await executionEnd(codePipeline, a.name, executions[0] as string)).status).toBe('Succeeded');
    expect((await executionEnd(codePipeline, b.name, executions[1] as string)).status).toBe('Succeeded');
    expect(await deploymentsOf(codeDeploy, a.fleet)).toHaveLength(1);
    expect(await deploymentsOf(codeDeploy, b.fleet)).toHaveLength(1);
    const worked = (w: WorkerProcess) =>
      new Set(
        w
          .lines()
          .filter((l) => l.msg === 'job started' || l.msg === 'follow-up job')
          .map((l) => l.jobId),
      );
    const byOne = worked(one);
    const byTwo = worked(two);
    expect([...byOne].filter((job) => byTwo.has(job))).toEqual([]);
    expect(byOne.size + byTwo.size).toBeGreaterThanOrEqual(4);
  });

  it('backs off when CodePipeline throttles its polls, and carries on', async () => {
    const { name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-throttle');
    server.setFaults([{ operation: 'PollForJobs', throttle: 1, count: 12 }]);
    const w = worker(join(root, 'throttle'));
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    // Twelve throttled polls in a row took seconds of backing off (the SDK's, then the worker's once
    // the SDK gives up), not a hot loop: the first poll that got through came well after the start.
    const at = (msg: string) => Date.parse(String(w.lines().find((l) => l.msg === msg)?.time));
    expect(at('ready') - at('starting')).toBeGreaterThan(2_000);
  });

  it('on SIGTERM finishes the job in hand, says so, and exits 0', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-term', {
      spec: { startSleep: 3 },
    });
    // A health file that cannot be written is said once and never stops the work.
    const w = worker(join(root, 'term'), ['--health-file', join(root, 'no-such-dir', 'health.json')]);
    const execution = await startExecution(codePipeline, name);
    await until('the deployment', async () => (await deploymentsOf(codeDeploy, fleet))[0]);
    w.child.kill('SIGTERM');
    const exit = await w.done;
    expect(exit.code).toBe(0);
    expect(w.lines().map((l) => l.msg)).toContain('stopped');
    expect(w.lines().filter((l) => l.msg === 'cannot write the health file')).toHaveLength(1);
    // Nothing lost: another worker takes the follow-up job.
    worker(join(root, 'term-2'));
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    const [id] = await deploymentsOf(codeDeploy, fleet);
    await codeDeploy.send(new StopDeploymentCommand({ deploymentId: id as string })).catch(() => undefined);
  });

  it('refuses to start without its options, and stops with exit 2 for an action type that does not exist', async () => {
    const bare = await startProcess(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH ?? '', ...env },
    }).done;
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('--provider is required');
    const noState = startWorker(env, '/dev/null/state');
    workers.push(noState);
    expect((await noState.done).code).toBe(2);
    expect(noState.lines().at(-1)?.msg).toMatch(/^cannot use the state dir \/dev\/null\/state/);
    const unknown = startWorker(env, join(root, 'unknown'), ['--provider', 'Nope']);
    workers.push(unknown);
    expect((await unknown.done).code).toBe(2);
    expect(unknown.lines().find((l) => l.level === 'error')?.msg).toBe('cannot poll for this action type');
  });
});

describe('the worker hostile-input: invalid input fails a job before any CodeDeploy request', () => {
  it('fails a BundlePath folder whose appspec is invalid, sending CodeDeploy nothing', async () => {
    const { fleet, name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-bad-appspec', {
      nested: true,
      configuration: { BundlePath: 'deploy' },
    });
    const release = await mkdtemp(join(tmpdir(), 'cp-bad-appspec-'));
    await mkdir(join(release, 'deploy'));
    await writeFile(
      join(release, 'deploy', 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/missing.sh\n',
    );
    await uploadRelease(s3, `${name}/release.zip`, release);
    await rm(release, { recursive: true, force: true });
    const proxy = await startCountingProxy(server.endpoint);
    try {
      const w = startWorker({ ...env, AWS_ENDPOINT_URL: proxy.endpoint }, join(root, 'bad-appspec'));
      workers.push(w);
      const execution = await startExecution(codePipeline, name);
      expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
      const state = await actionState(codePipeline, name, 'Deploy');
      expect(state?.errorDetails?.message).toMatch(/appspec\.yml is not a valid appspec/);
      expect(proxy.requests.filter((operation) => operation.startsWith('CodeDeploy_'))).toEqual([]);
      expect(await deploymentsOf(codeDeploy, fleet)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses to start with exit 2 when --health-file is a device, leaving it as it was', async () => {
    const dir = await mkdtemp(join(root, 'health-'));
    const device = outputDevice(dir);
    const w = worker(join(root, 'health-device'), ['--health-file', device]);
    expect((await w.done).code).toBe(2);
    expect(w.lines().at(-1)?.msg).toBe(
      `--health-file ${device} is a character device, not a regular file; nothing was written`,
    );
    expect(identity(device).kind).toBe('character device');
  });
});

describe('secrets', () => {
  it('masks what a failing hook prints in the failure message and the worker log, and says how many', async () => {
    // Made up for this run; the hook prints them as literals (hooks get no host environment).
    const fakes = fakeCredentials();
    const { name } = await newPipeline({ codeDeploy, codePipeline, s3 }, 'cp-leak', {
      configuration: { DeploymentConfigName: 'CodeDeployDefault.OneAtATime' },
      prepare: (dir) => writeFile(join(dir, 'scripts', 'validate.sh'), leakyHookScript(fakes)),
    });
    const w = startWorker({ ...env, MY_API_TOKEN: fakes.apiToken }, join(root, 'leak'));
    workers.push(w);
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');

    const message = (await actionState(codePipeline, name, 'Deploy'))?.errorDetails?.message ?? '';
    expect(message).toContain('[stdout]configuring with ***');
    expect(message).toContain('[stdout]calling the API with ***');
    expect(message).toContain('4 values masked');
    const logs = JSON.stringify(w.lines());
    for (const secret of leakableParts(fakes)) {
      expect(message).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
