import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeployClient,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import {
  type Fleet,
  type LocalCodeDeploy,
  provisionFleet,
  startLocalCodeDeploy,
} from '@codedeploy-gate/local';
import {
  fakeCredentials,
  leakableParts,
  leakyHookScript,
  until,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, newJob, RUN, runStep, type StepResult, startStep } from './support/runner.js';

// Credentials as configure-aws-credentials leaves them: none of these values may appear in any log,
// output, state or summary (only in the ::add-mask:: command that registers them with the runner).
const SECRET = 'gh-test-secret-Wq7Lp2Zx9Kv4';
const SESSION = 'gh-test-session-Rt5Yh8Jn3Bc6';

let server: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let s3: ReturnType<typeof createS3Client>;
let awsEnv: Record<string, string>;
let root: string;
let githubDir: string;
const apps: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gh action '));
  githubDir = join(root, 'github');
  server = await startLocalCodeDeploy({ port: 0, githubDir });
  awsEnv = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'ASIAGHACTIONTEST',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: SESSION,
  };
  codeDeploy = createCodeDeployClient({ env: awsEnv });
  s3 = createS3Client({ env: awsEnv });
});

afterAll(async () => {
  // Leave nothing running behind a failed assertion.
  for (const app of apps) {
    const { deployments = [] } = await codeDeploy
      .send(new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: `${app}-local` }))
      .catch(() => ({ deployments: [] as string[] }));
    for (const id of deployments) {
      await codeDeploy.send(new StopDeploymentCommand({ deploymentId: id })).catch(() => undefined);
    }
  }
  codeDeploy?.destroy();
  s3?.destroy();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** A fleet, and a job whose checked-out workspace holds the revision in `deploy/`. */
async function setup(
  application: string,
  spec: Parameters<typeof writeRevision>[0] = {},
): Promise<{ fleet: Fleet; job: Job }> {
  apps.push(application);
  const fleet = await provisionFleet({ codeDeploy, s3 }, { application, instances: 2 });
  const workspace = join(root, application, 'workspace');
  await mkdir(workspace, { recursive: true });
  const revision = await writeRevision(spec);
  await cp(revision.dir, join(workspace, 'deploy'), { recursive: true });
  await revision.cleanup();
  return { fleet, job: await newJob(join(root, application), 'runner', workspace) };
}

function s3Inputs(fleet: Fleet, extra: Record<string, string> = {}): Record<string, string> {
  return {
    application: fleet.application,
    'deployment-group': fleet.deploymentGroup,
    'revision-path': 'deploy',
    's3-bucket': fleet.bucket,
    's3-prefix': 'actions/shop',
    'poll-interval': '0.25s',
    'max-poll-interval': '1s',
    ...extra,
  };
}

/** Runs a step and checks, for every run, that no credential leaked anywhere. */
async function step(
  phase: 'main' | 'post',
  job: Job,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const result = await runStep(phase, job, inputs, { ...awsEnv, ...env });
  expectNoSecrets(result);
  return result;
}

function expectNoSecrets(result: StepResult): void {
  const logs = [result.stdout, result.stderr]
    .join('\n')
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const everything = [logs, JSON.stringify(result.outputs), JSON.stringify(result.state), result.summary];
  for (const text of everything) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SESSION);
  }
}

async function deploymentsOf(fleet: Fleet): Promise<string[]> {
  const { deployments = [] } = await codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: fleet.application,
      deploymentGroupName: fleet.deploymentGroup,
    }),
  );
  return deployments;
}

async function deployment(id: string) {
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
  return deploymentInfo;
}

function annotations(result: StepResult, command: 'error' | 'warning') {
  return result.commands.filter((c) => c.command === command);
}

describe('the bundled action (dist/index.js, dist/post.js) as the runner runs it', () => {
  it('pushes the folder, deploys, passes, and fills outputs, job summary, reports and state', async () => {
    const { fleet, job } = await setup('gh-ok');
    // A checkout's credentials beside the revision stay out of the bundle, and the log says so.
    await writeFile(join(root, 'gh-ok', 'workspace', 'deploy', '.env'), 'DATABASE_PASSWORD=hunter2\n');
    const reportDir = join(job.dir, 'reports');
    const result = await step('main', job, s3Inputs(fleet, { 'report-dir': reportDir }));
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const [id] = await deploymentsOf(fleet);
    expect(result.outputs).toMatchObject({
      'deployment-id': id,
      status: 'Succeeded',
      verdict: 'succeeded',
      'rollback-deployment-id': '',
    });
    expect(result.outputs.revision).toMatch(new RegExp(`^s3://${fleet.bucket}/actions/shop/.+\\.zip`));
    expect(result.outputs['bundle-sha256']).toMatch(/^[0-9a-f]{64}$/);
    // The local CodeDeploy's deployments are in no AWS console: no link that leads nowhere.
    expect(result.outputs['deployment-url']).toBe('');

    // The default description names the repository, commit, run and actor, with a link back.
    const info = await deployment(id as string);
    expect(info?.description).toContain(`${RUN.repository}@${RUN.sha.slice(0, 12)}`);
    expect(info?.description).toContain(`${RUN.workflow} #${RUN.runNumber}`);
    expect(info?.description).toContain(`by ${RUN.actor}`);
    expect(info?.description).toContain(`https://github.com/${RUN.repository}/actions/runs/${RUN.runId}`);

    // Log: grouped, one line per lifecycle event, the result table outside the groups.
    expect(result.stdout).toContain('::group::Preparing the deployment');
    expect(result.stdout).toContain(`::group::Deployment ${id}`);
    expect(result.stdout).toMatch(/gh-ok-1 +✓ ValidateService Succeeded/);
    expect(result.stdout).toContain(
      'note: skipped 1 path by the default secret-safe ignore list (.env); `!PATTERN` in .codedeployignore includes one',
    );
    expect(result.stdout.lastIndexOf('::endgroup::')).toBeLessThan(result.stdout.lastIndexOf('✓'));
    expect(annotations(result, 'error')).toEqual([]);

    // Job summary: verdict, a table per target, the Mermaid timeline, the console link.
    expect(result.summary).toContain('succeeded');
    expect(result.summary).toContain('gh-ok-1');
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toContain(`\`${id}\``);
    expect(result.summary).not.toMatch(/AWS console|console\.aws/);
    expect(result.stdout).not.toMatch(/console\.aws/);
    expect(result.summary).toContain(result.outputs['bundle-sha256']);

    const json = JSON.parse(await readFile(join(reportDir, 'report.json'), 'utf8'));
    expect(json).toMatchObject({ verdict: 'succeeded', deployment: { id } });
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      await readFile(join(reportDir, 'report.xml'), 'utf8'),
    );
    expect(Number(xml.testsuites.failures)).toBe(0);

    // The state says the deployment was seen through: the post step leaves it alone.
    expect(result.state).toMatchObject({ 'deployment-id': id, settled: 'true' });
    const post = await step('post', job, s3Inputs(fleet));
    expect(post.code).toBe(0);
    expect(post.stdout.trim()).toBe('');
  });

  it('fails the step on a hook failure, with annotations naming instance, event, error code and log tail', async () => {
    // OneAtATime: the first instance failing fails the deployment and skips the second.
    const { fleet, job } = await setup('gh-hook', { failOn: ['gh-hook-1'] });
    const result = await step(
      'main',
      job,
      s3Inputs(fleet, { 'deployment-config': 'CodeDeployDefault.OneAtATime' }),
    );
    expect(result.code, result.stdout).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'Failed', verdict: 'failed' });

    const errors = annotations(result, 'error');
    const hook = errors.find((e) => e.properties.title?.startsWith('gh-hook-1: ValidateService failed'));
    expect(hook, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(hook?.properties.title).toContain('(ScriptFailed)');
    expect(hook?.message).toContain('scripts/validate.sh');
    expect(hook?.message).toContain('failing on purpose');
    // setFailed's own annotation carries the verdict sentence.
    expect(errors.at(-1)?.message).toMatch(/gh-hook-1 failed in ValidateService/);
    const skipped = annotations(result, 'warning').find((w) => w.properties.title === 'gh-hook-2 skipped');
    expect(skipped?.message).toContain('gh-hook-2 was skipped');

    expect(result.summary).toContain('failed');
    expect(result.summary).toContain('failing on purpose');
    expect(result.summary).toContain('```mermaid');
    expect(result.state.settled).toBe('true');
    // GitHub's log renders colours: by default the verdict is red.
    expect(result.stdout).toContain('\u001b[31m');
  });

  it('passes a deployment CodeDeploy calls a success despite a failed instance, with a warning for it', async () => {
    // OneAtATime succeeds when every instance but the last succeeded: the gate follows CodeDeploy.
    const { fleet, job } = await setup('gh-partial', { failOn: ['gh-partial-2'] });
    // A workflow that turns colours off (no-color.org) gets none.
    const result = await step(
      'main',
      job,
      s3Inputs(fleet, { 'deployment-config': 'CodeDeployDefault.OneAtATime' }),
      { NO_COLOR: '1' },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.outputs.status).toBe('Succeeded');
    expect(annotations(result, 'error')).toEqual([]);
    const warning = annotations(result, 'warning').find((w) =>
      w.properties.title?.startsWith('gh-partial-2'),
    );
    expect(warning?.properties.title).toBe('gh-partial-2: ValidateService failed (ScriptFailed)');
  });

  it('follows the automatic rollback of a failed deployment and names it in the outputs', async () => {
    const { fleet, job } = await setup('gh-rollback');
    const first = await step('main', job, s3Inputs(fleet));
    expect(first.code, first.stdout).toBe(0);
    // The next revision fails everywhere; the rollback redeploys the first one.
    await writeFile(join(job.workspace, 'deploy', 'fail-on'), 'gh-rollback-1\ngh-rollback-2\n');
    const second = await step('main', job, s3Inputs(fleet, { 'auto-rollback': 'on-failure' }));
    expect(second.code).toBe(1);
    expect(second.outputs.verdict).toBe('failed');
    const rollbackId = second.outputs['rollback-deployment-id'];
    expect(rollbackId).toMatch(/^d-/);
    expect((await deployment(rollbackId as string))?.status).toBe('Succeeded');
    expect(second.stdout).toContain(`::group::Rollback ${rollbackId}`);
    expect(second.summary).toContain(rollbackId);
  });

  it('with wait false, creates the deployment, passes at once and leaves it to run (post too)', async () => {
    const { fleet, job } = await setup('gh-nowait', { startSleep: 2 });
    const result = await step('main', job, s3Inputs(fleet, { wait: 'false' }));
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.verdict).toBe('created');
    const id = result.outputs['deployment-id'] as string;
    expect(result.state).toMatchObject({ 'deployment-id': id, settled: 'true' });
    const post = await step('post', job, s3Inputs(fleet, { wait: 'false' }));
    expect(post.stdout.trim()).toBe('');
    expect(
      await until('the deployment to end', async () => {
        const status = (await deployment(id))?.status;
        return status === 'Succeeded' || status === 'Failed' ? status : undefined;
      }),
    ).toBe('Succeeded');
  });

  it('times out with exit 3, stops the deployment as on-timeout says, and says so', async () => {
    const { fleet, job } = await setup('gh-timeout', { startSleep: 30 });
    const result = await step(
      'main',
      job,
      s3Inputs(fleet, { 'timeout-minutes': '0.05', 'on-timeout': 'stop' }),
    );
    expect(result.code).toBe(3);
    expect(result.outputs.verdict).toBe('timed-out');
    const [id] = await deploymentsOf(fleet);
    expect((await deployment(id as string))?.status).toBe('Stopped');
    expect(annotations(result, 'error').at(-1)?.message).toMatch(/timed out|timeout/i);
    expect(result.state.settled).toBe('true');
  });

  it('when main is killed mid-deployment, the post step stops the deployment as on-cancel says', async () => {
    const { fleet, job } = await setup('gh-killed', { startSleep: 30 });
    const main = startStep('main', job, s3Inputs(fleet, { 'on-cancel': 'stop' }), awsEnv);
    const id = await until('the deployment to be created', async () => (await deploymentsOf(fleet))[0]);
    await until('the deployment to be in progress', async () =>
      (await deployment(id))?.status === 'InProgress' ? true : undefined,
    );
    // The runner's last resort: SIGKILL, no clean-up in main at all.
    main.child.kill('SIGKILL');
    const killed = await main.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.state).toMatchObject({ 'deployment-id': id });
    expect(killed.state.settled).toBeUndefined();
    expect((await deployment(id))?.status).toBe('InProgress');

    const post = await step('post', job, s3Inputs(fleet, { 'on-cancel': 'stop' }));
    expect(post.code).toBe(0);
    const warning = annotations(post, 'warning').find((w) => w.message.includes(id));
    expect(warning?.message).toContain('StopDeployment');
    expect((await deployment(id))?.status).toBe('Stopped');
  });

  it('on SIGINT (a cancelled run) main stops the deployment itself, and post has nothing left to do', async () => {
    const { fleet, job } = await setup('gh-cancel', { startSleep: 30 });
    const main = startStep('main', job, s3Inputs(fleet, { 'on-cancel': 'stop' }), awsEnv);
    const id = await until('the deployment to be created', async () => (await deploymentsOf(fleet))[0]);
    await until('the deployment to be in progress', async () =>
      (await deployment(id))?.status === 'InProgress' ? true : undefined,
    );
    const sentAt = Date.now();
    main.child.kill('SIGINT');
    const result = await main.done;
    expectNoSecrets(result);
    expect(Date.now() - sentAt).toBeLessThan(7_500); // inside the runner's grace before SIGTERM
    expect(result.code).toBe(130);
    expect(result.outputs.verdict).toBe('cancelled');
    expect((await deployment(id))?.status).toBe('Stopped');
    expect(result.state.settled).toBe('true');
    const post = await step('post', job, s3Inputs(fleet, { 'on-cancel': 'stop' }));
    expect(post.stdout.trim()).toBe('');
  });

  it('deploys the workflow commit as a GitHub revision (revision-type github)', async () => {
    const { fleet, job } = await setup('gh-github');
    // The local agent fetches GitHub revisions from githubDir/<owner>/<repo>, a git repository.
    const repo = join(githubDir, ...RUN.repository.split('/'));
    await mkdir(repo, { recursive: true });
    await cp(join(job.workspace, 'deploy'), repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'revision');
    const sha = git('rev-parse', 'HEAD');

    const result = await step(
      'main',
      job,
      {
        application: fleet.application,
        'deployment-group': fleet.deploymentGroup,
        'revision-type': 'github',
        'poll-interval': '0.25s',
        'max-poll-interval': '1s',
      },
      { GITHUB_SHA: sha },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'Succeeded', revision: `${RUN.repository}@${sha}` });
    expect(result.outputs['bundle-sha256']).toBe('');
    const info = await deployment(result.outputs['deployment-id'] as string);
    expect(info?.revision?.gitHubLocation).toEqual({ repository: RUN.repository, commitId: sha });
  });

  describe('bad inputs: a clear error naming the input, exit 2, nothing created', () => {
    const cases: Array<[string, (fleet: Fleet) => Record<string, string>, RegExp]> = [
      ['no application', (f) => ({ ...s3Inputs(f), application: '' }), /input "application" is required/],
      [
        'revision-type s3 without a bucket',
        (f) => ({ ...s3Inputs(f), 's3-bucket': '' }),
        /input "s3-bucket" is required/,
      ],
      [
        'a bad timeout',
        (f) => s3Inputs(f, { 'timeout-minutes': 'soon' }),
        /input "timeout-minutes" must be a number/,
      ],
      [
        'a bad on-cancel',
        (f) => s3Inputs(f, { 'on-cancel': 'panic' }),
        /input "on-cancel" must be one of stop, rollback, leave/,
      ],
      ['a bad wait flag', (f) => s3Inputs(f, { wait: 'yes please' }), /input "wait" must be true or false/],
      [
        'an unknown group',
        (f) => s3Inputs(f, { 'deployment-group': 'nope' }),
        /deployment group "nope" does not exist/,
      ],
      ['a missing revision folder', (f) => s3Inputs(f, { 'revision-path': 'missing' }), /missing/],
    ];
    it.each(cases)('%s', async (_name, inputsOf, message) => {
      const { fleet, job } = await setup(`gh-bad-${apps.length}`);
      const result = await step('main', job, inputsOf(fleet));
      expect(result.code, result.stdout + result.stderr).toBe(2);
      const errors = annotations(result, 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(message);
      expect(await deploymentsOf(fleet)).toEqual([]);
      expect(result.state['deployment-id']).toBeUndefined();
      expect(result.outputs).toEqual({});
    });

    it('an invalid appspec.yml is annotated on its file and line', async () => {
      const { fleet, job } = await setup('gh-bad-appspec');
      const appspec = join(job.workspace, 'deploy', 'appspec.yml');
      const text = await readFile(appspec, 'utf8');
      await writeFile(appspec, text.replace('ValidateService:', 'ValidateServices:'));
      const result = await step('main', job, s3Inputs(fleet));
      expect(result.code).toBe(2);
      const onFile = annotations(result, 'error').find((e) => e.properties.file === 'deploy/appspec.yml');
      expect(onFile, JSON.stringify(result.commands, null, 2)).toBeDefined();
      expect(Number(onFile?.properties.line)).toBeGreaterThan(1);
      expect(await deploymentsOf(fleet)).toEqual([]);
    });
  });
});

describe('secrets', () => {
  it('masks what a failing hook prints in the annotations, job summary, reports and log, and registers it', async () => {
    // Made up for this run; the hook prints them as literals (hooks get no host environment).
    const fakes = fakeCredentials();
    const { fleet, job } = await setup('gh-leak', { failOn: ['gh-leak-1'] });
    await writeFile(
      join(job.workspace, 'deploy', 'scripts', 'validate.sh'),
      leakyHookScript(fakes, ['case "$CODEDEPLOY_GATE_INSTANCE_NAME" in *-1) ;; *) exit 0 ;; esac']),
    );
    const reportDir = join(job.dir, 'reports');
    const result = await step(
      'main',
      job,
      s3Inputs(fleet, { 'deployment-config': 'CodeDeployDefault.OneAtATime', 'report-dir': reportDir }),
      { MY_API_TOKEN: fakes.apiToken },
    );
    expect(result.code, result.stdout).toBe(1);

    const log = [result.stdout, result.stderr]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    const reports = await Promise.all(
      ['report.json', 'report.md', 'report.xml'].map((name) => readFile(join(reportDir, name), 'utf8')),
    );
    for (const text of [log, result.summary, JSON.stringify(result.outputs), ...reports]) {
      for (const secret of leakableParts(fakes)) expect(text).not.toContain(secret);
    }

    const hook = annotations(result, 'error').find((e) => e.properties.title?.startsWith('gh-leak-1:'));
    expect(hook?.message).toContain('[stdout]configuring with ***');
    expect(hook?.message).toContain('[stdout]calling the API with ***');
    expect(result.summary).toContain('4 values masked');
    expect(JSON.parse(reports[0] ?? '')).toMatchObject({ maskedValues: 4 });

    // The runner is told each value, so it hides them in later lines and steps too.
    const registered = result.commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(registered).toEqual(expect.arrayContaining(leakableParts(fakes)));
  });
});
