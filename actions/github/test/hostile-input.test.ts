import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import {
  type Fleet,
  type LocalCodeDeploy,
  provisionFleet,
  startLocalCodeDeploy,
} from '@codedeploy-gate/local';
import {
  type CountingProxy,
  identity,
  makeFifo,
  outputDevice,
  startCountingProxy,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Job, newJob, runStep, type StepResult } from './support/runner.js';

// The bundled action run as the runner runs it, its AWS endpoint a proxy that counts requests in front
// of a local CodeDeploy: invalid inputs fail the step with exit 2 before the first request.
let server: LocalCodeDeploy;
let proxy: CountingProxy;
let codeDeploy: CodeDeployClient;
let s3: ReturnType<typeof createS3Client>;
let root: string;
let fleet: Fleet;
let runs = 0;

const awsEnv = () => ({
  AWS_ENDPOINT_URL: proxy.endpoint,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIAGHHOSTILE',
  AWS_SECRET_ACCESS_KEY: 'gh-hostile-secret',
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gh action hostile '));
  server = await startLocalCodeDeploy({ port: 0 });
  proxy = await startCountingProxy(server.endpoint);
  const direct = { ...awsEnv(), AWS_ENDPOINT_URL: server.endpoint };
  codeDeploy = createCodeDeployClient({ env: direct });
  s3 = createS3Client({ env: direct });
  fleet = await provisionFleet({ codeDeploy, s3 }, { application: 'gh-hostile', instances: 1 });
});
afterAll(async () => {
  codeDeploy?.destroy();
  s3?.destroy();
  await proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.requests.length = 0;
});

/** A job whose workspace holds a valid revision in `deploy/`. */
async function newWorkspace(): Promise<Job> {
  runs += 1;
  const workspace = join(root, `run-${runs}`, 'workspace');
  await mkdir(workspace, { recursive: true });
  const revision = await writeRevision();
  await cp(revision.dir, join(workspace, 'deploy'), { recursive: true });
  await revision.cleanup();
  return newJob(join(root, `run-${runs}`), 'runner', workspace);
}

const inputs = (extra: Record<string, string>) => ({
  application: fleet.application,
  'deployment-group': fleet.deploymentGroup,
  'revision-path': 'deploy',
  's3-bucket': fleet.bucket,
  'poll-interval': '0.25s',
  'max-poll-interval': '1s',
  ...extra,
});

/** Exit 2, one error annotation saying MESSAGE, no outputs, and not one request sent. */
function expectRefused(result: StepResult, message: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const errors = result.commands.filter((c) => c.command === 'error');
  expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  expect(result.outputs).toEqual({});
  expect(proxy.requests).toEqual([]);
}

async function deployments(): Promise<string[]> {
  const answer = await codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: fleet.application,
      deploymentGroupName: fleet.deploymentGroup,
    }),
  );
  return answer.deployments ?? [];
}

describe('the bundled action hostile-input: invalid input is exit 2 before any AWS request', () => {
  it('refuses a revision folder that does not exist', async () => {
    const job = await newWorkspace();
    const result = await runStep('main', job, inputs({ 'revision-path': 'missing' }), awsEnv());
    expectRefused(result, /Cannot read the revision folder .*missing/);
  });

  it('refuses an invalid appspec.yml, annotated on its file and line', async () => {
    const job = await newWorkspace();
    await writeFile(
      join(job.workspace, 'deploy', 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/missing.sh\n',
    );
    const result = await runStep('main', job, inputs({}), awsEnv());
    expectRefused(result, /appspec\.yml is not a valid appspec/);
    const onFile = result.commands.find(
      (c) => c.command === 'error' && c.properties.file === 'deploy/appspec.yml',
    );
    expect(onFile?.properties.line).toBe('5');
  });

  it('refuses a report-dir that is a device, or holds a folder where report.json goes, touching neither', async () => {
    const job = await newWorkspace();
    const device = outputDevice(job.dir);
    const first = await runStep('main', job, inputs({ 'report-dir': device }), awsEnv());
    expectRefused(
      first,
      /input "report-dir": the JSON report .* cannot be written: .* is a character device, not a folder/,
    );
    expect(identity(device).kind).toBe('character device');

    const reports = join(job.dir, 'reports');
    await mkdir(join(reports, 'report.json'), { recursive: true });
    const second = await runStep('main', job, inputs({ 'report-dir': reports }), awsEnv());
    expectRefused(
      second,
      /input "report-dir": the JSON report .*report\.json is a folder, not a regular file/,
    );
    expect(await readdir(reports)).toEqual(['report.json']);
    expect(await deployments()).toEqual([]);
  });

  it('refuses an AppSpec file that is a named pipe, and a Lambda code package that is not a zip', async () => {
    const job = await newWorkspace();
    makeFifo(join(job.workspace, 'appspec.yaml'));
    expectRefused(
      await runStep(
        'main',
        job,
        inputs({ appspec: 'appspec.yaml', 'revision-path': '.', 's3-bucket': '' }),
        awsEnv(),
      ),
      /the AppSpec file .*appspec\.yaml is a named pipe \(FIFO\), not a regular file/,
    );
    await writeFile(join(job.workspace, 'function.zip'), 'not a zip');
    expectRefused(
      await runStep(
        'main',
        job,
        inputs({
          'lambda-function': 'checkout',
          'lambda-alias': 'live',
          'lambda-zip': 'function.zip',
          'revision-path': '.',
          's3-bucket': '',
        }),
        awsEnv(),
      ),
      /function\.zip is not a zip archive/,
    );
  });

  it('goes through the proxy once the inputs are valid', async () => {
    const job = await newWorkspace();
    const result = await runStep('main', job, inputs({ wait: 'false' }), awsEnv());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(proxy.requests).toContain('CodeDeploy_20141006.CreateDeployment');
  });
});
