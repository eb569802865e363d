import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  createCodeDeployClient,
  createS3Client,
  lifecycleEventsOf,
  listTargets,
} from '@codedeploy-gate/core';
import {
  type Fleet,
  type LocalCodeDeploy,
  provisionFleet,
  startLocalCodeDeploy,
} from '@codedeploy-gate/local';
import {
  identity,
  makeFifo,
  type RunningProcess,
  startProcess,
  until,
  validateJunitXml,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WRAPPER = fileURLToPath(new URL('../bin/codedeploy-gate-jenkins', import.meta.url));

let server: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let s3: ReturnType<typeof createS3Client>;
let awsEnv: Record<string, string>;
let root: string;

beforeAll(async () => {
  // A deployment-configuration minute of 300 ms: a Lambda canary's 5 minutes take 1.5 s.
  server = await startLocalCodeDeploy({ port: 0, minuteMs: 300 });
  awsEnv = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'jenkins-test',
    AWS_SECRET_ACCESS_KEY: 'jenkins-test-secret',
  };
  codeDeploy = createCodeDeployClient({ env: awsEnv });
  s3 = createS3Client({ env: awsEnv });
  // A Jenkins workspace with a space in its path, as `/var/lib/jenkins/workspace/My Job` often is.
  root = await mkdtemp(join(tmpdir(), 'jenkins wrapper '));
});

afterAll(async () => {
  // Leave no deployment running behind a failed assertion.
  await setFaults([]).catch(() => undefined);
  for (const app of [
    'jenkins-abort',
    'jenkins-term-group',
    'jenkins-term-wrapper',
    'jenkins-kill-slow-stop',
    'jenkins-kill-late-stop',
  ]) {
    const { deployments = [] } = await codeDeploy
      .send(new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: `${app}-local` }))
      .catch(() => ({ deployments: [] as string[] }));
    for (const id of deployments) {
      await codeDeploy.send(new StopDeploymentCommand({ deploymentId: id })).catch(() => undefined);
    }
  }
  codeDeploy.destroy();
  s3.destroy();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

interface Build {
  workspace: string;
  reports: string;
  fleet: Fleet;
  revisionDir: string;
}

/** A fleet and a workspace holding the revision folder ("app dir", with a space). */
async function newBuild(application: string, spec: Parameters<typeof writeRevision>[0] = {}): Promise<Build> {
  const fleet = await provisionFleet({ codeDeploy, s3 }, { application, instances: 2 });
  const workspace = join(root, application);
  const revision = await writeRevision(spec);
  const revisionDir = join(workspace, 'app dir');
  await mkdir(workspace, { recursive: true });
  await cp(revision.dir, revisionDir, { recursive: true });
  await revision.cleanup();
  return { workspace, reports: join(workspace, 'codedeploy-gate'), fleet, revisionDir };
}

function jenkinsEnv(build: Pick<Build, 'workspace'>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...awsEnv,
    WORKSPACE: build.workspace,
    JOB_NAME: 'shop/deploy "prod"',
    BUILD_NUMBER: '42',
    BUILD_URL: 'https://jenkins.example.com/job/shop/job/deploy/42/',
    GIT_COMMIT: '4f2d8c1e9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
    // Jenkins' console is no terminal; many agents also set TERM=dumb.
    TERM: 'dumb',
    ...extra,
  };
}

function deployArgs(build: Build): string[] {
  return [
    '--application',
    build.fleet.application,
    '--deployment-group',
    build.fleet.deploymentGroup,
    build.revisionDir,
    '--s3-location',
    `s3://${build.fleet.bucket}/jenkins builds`,
    '--poll-interval',
    '0.25s',
    '--max-poll-interval',
    '1s',
  ];
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): RunningProcess {
  // Its own process group (startProcess always starts one), no TTY: how a Jenkins agent runs a `sh` step.
  return startProcess(command, args, { env, cwd });
}

/** The way Jenkins runs a `sh` step: the step's script in a file, run by `sh -xe`. */
async function shStep(
  build: Pick<Build, 'workspace'>,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<RunningProcess> {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'"'"'`)}'`).join(' ');
  const script = join(build.workspace, 'step.sh');
  await writeFile(script, `"${WRAPPER}" ${quoted}\n`);
  return start('sh', ['-xe', script], env, build.workspace);
}

function readProperties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.search(/(?<!\\)=/);
        return [line.slice(0, at), line.slice(at + 1).replace(/\\(.)/g, '$1')];
      }),
  );
}

/** The JUnit report as Jenkins reads it, checked first against the xUnit plugin's strict schema. */
function junit(text: string) {
  const check = validateJunitXml(text);
  if (check.kind === 'invalid') throw new Error(`report.xml fails junit-10.xsd:\n${check.errors}`);
  if (check.kind === 'unavailable') console.warn(`junit-10.xsd not checked: ${check.reason}`);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
  const suites = [parsed.testsuites.testsuite].flat();
  const cases = suites.flatMap((suite) => [suite.testcase].flat());
  return { totals: parsed.testsuites, cases };
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

/** The deployment's id once a target runs its ApplicationStart hook (a `sleep`, in these revisions). */
async function startHookRunning(fleet: Fleet): Promise<string> {
  // (The revision's ApplicationStart is replaced by `exec sleep`: one process that dies on the local
  // agent's SIGTERM at once, so the local stop answers as fast as CodeDeploy's and the fault's delay
  // is what the test measures.)
  return until('ApplicationStart to run', async () => {
    const [id] = await deploymentsOf(fleet);
    if (!id) return undefined;
    const targets = await listTargets(codeDeploy, id);
    const running = targets.some((target) =>
      lifecycleEventsOf(target).some(
        (e) => e.lifecycleEventName === 'ApplicationStart' && e.status === 'InProgress',
      ),
    );
    return running ? id : undefined;
  });
}

/** Replaces the local CodeDeploy's fault rules through its admin endpoint. */
async function setFaults(rules: object[]): Promise<void> {
  const answer = await fetch(`${server.endpoint}/__local/faults`, {
    method: 'PUT',
    body: JSON.stringify(rules),
  });
  if (!answer.ok) throw new Error(`PUT /__local/faults: ${answer.status} ${await answer.text()}`);
}

/**
 * Aborts a step as Jenkins does: SIGTERM to its process group, SIGKILL to what is left 5 s later
 * (SoftKillWaitSeconds' default). `sh` dies of the SIGTERM at once; the result comes when the CLI,
 * which shares its output, has finished or was killed: its last line tells which.
 */
async function jenkinsAbort(step: RunningProcess) {
  const group = -(step.child.pid ?? 0);
  process.kill(group, 'SIGTERM');
  const kill = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // Everything had exited already.
    }
  }, 5_000);
  try {
    return await step.done;
  } finally {
    clearTimeout(kill);
  }
}

async function statusOf(id: string): Promise<string | undefined> {
  return (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo?.status;
}

describe('codedeploy-gate-jenkins under sh -xe', () => {
  it('deploys, exits 0 and leaves JUnit, Markdown, JSON and properties reports in the workspace', async () => {
    const build = await newBuild('jenkins-ok');
    // A workspace checkout's git credentials stay out of the pushed bundle, and the console says so.
    await mkdir(join(build.revisionDir, '.git'));
    await writeFile(
      join(build.revisionDir, '.git', 'config'),
      '[remote "origin"]\n\turl = https://u:hunter2@example.com/r\n',
    );
    const run = await (await shStep(build, deployArgs(build), jenkinsEnv(build))).done;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('note: skipped 1 path by the default secret-safe ignore list (.git/)');
    // sh -x traces the step's command line, quotes and all.
    expect(run.stderr).toContain('+ ');

    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({ STATUS: 'Succeeded', VERDICT: 'succeeded', EXIT_CODE: '0' });
    expect(await deploymentsOf(build.fleet)).toEqual([properties.DEPLOYMENT_ID]);
    expect(properties.REVISION).toContain(`s3://${build.fleet.bucket}/jenkins builds/`);
    // A deployment on the local CodeDeploy is in no AWS console: no link to one.
    expect(properties.CONSOLE_URL).toBe('');
    expect(run.stdout).not.toContain('console.aws');

    const xml = junit(await readFile(join(build.reports, 'report.xml'), 'utf8'));
    expect(Number(xml.totals.tests)).toBeGreaterThan(0);
    expect(xml.totals.failures).toBe('0');
    expect(await readFile(join(build.reports, 'report.md'), 'utf8')).toContain('```mermaid');
    expect(JSON.parse(await readFile(join(build.reports, 'report.json'), 'utf8')).verdict).toBe('succeeded');

    const { deploymentInfo } = await codeDeploy.send(
      new GetDeploymentCommand({ deploymentId: properties.DEPLOYMENT_ID }),
    );
    expect(deploymentInfo?.description).toMatch(
      /^Jenkins shop\/deploy "prod" #42 @ 4f2d8c1e9b7a https:\/\/jenkins\.example\.com\/job\/shop\/job\/deploy\/42\/ \[cdg:[0-9a-f]{12}\]$/,
    );
    // A Jenkins console without colour codes.
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('exits 1 with the failed hook and its log tail in the JUnit report', async () => {
    const build = await newBuild('jenkins-fail', { failOn: ['jenkins-fail-1'] });
    const run = await (await shStep(build, deployArgs(build), jenkinsEnv(build))).done;
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/jenkins-fail-1: ValidateService failed \(ScriptFailed\)/);

    const xml = junit(await readFile(join(build.reports, 'report.xml'), 'utf8'));
    const failed = xml.cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => `${c.classname} ${c.name}`)).toContain(
      'jenkins-fail.jenkins-fail-local.jenkins-fail-1 ValidateService',
    );
    const failure = failed.find((c) => c.name === 'ValidateService')?.failure;
    expect(failure.type).toBe('ScriptFailed');
    expect(failure['#text']).toContain('failing on purpose');
    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({ VERDICT: 'failed', EXIT_CODE: '1', STATUS: 'Failed' });
  });

  it('stops the deployment when Jenkins aborts the build (SIGTERM to the process group) and reports it', async () => {
    const build = await newBuild('jenkins-abort', { startSleep: 30 });
    const step = await shStep(build, [...deployArgs(build), '--on-cancel', 'stop'], jenkinsEnv(build));
    const id = await until('the deployment to run', async () => {
      const [first] = await deploymentsOf(build.fleet);
      return first && (await statusOf(first)) === 'InProgress' ? first : undefined;
    });
    const abortedAt = Date.now();
    process.kill(-(step.child.pid ?? 0), 'SIGTERM');
    await step.done;
    // Everything in the group is done well inside Jenkins' grace period, and the deployment is stopped.
    const properties = await until('the reports', async () =>
      readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8')),
    );
    expect(Date.now() - abortedAt).toBeLessThan(10_000);
    expect(properties).toMatchObject({
      DEPLOYMENT_ID: id,
      VERDICT: 'cancelled',
      EXIT_CODE: '143',
      STATUS: 'Stopped',
    });
    expect(await statusOf(id)).toBe('Stopped');
    expect(JSON.parse(await readFile(join(build.reports, 'report.json'), 'utf8')).summary).toMatch(
      /^Cancelled by SIGTERM while deployment .* StopDeployment/,
    );
  });

  it("stops the deployment inside Jenkins' 5 s before SIGKILL while the StopDeployment answer takes 2 s, reports included", async () => {
    const build = await newBuild('jenkins-kill-slow-stop', { startSleep: 30 });
    await writeFile(join(build.revisionDir, 'scripts', 'start.sh'), '#!/bin/sh\nexec sleep 30\n');
    const step = await shStep(build, deployArgs(build), jenkinsEnv(build));
    const id = await startHookRunning(build.fleet);
    await setFaults([{ operation: 'StopDeployment', latencyMs: 2_000, count: 1 }]);
    try {
      const run = await jenkinsAbort(step);
      // `sh` dies of the SIGTERM at once; the CLI's last line says it finished before the SIGKILL.
      expect(run.stdout, run.stdout + run.stderr).toMatch(
        /✗ Cancelled by SIGTERM while deployment .*StopDeployment: Succeeded/,
      );
      expect(await statusOf(id)).toBe('Stopped');
      const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
      expect(properties).toMatchObject({
        DEPLOYMENT_ID: id,
        VERDICT: 'cancelled',
        EXIT_CODE: '143',
        STATUS: 'Stopped',
      });
      expect(JSON.parse(await readFile(join(build.reports, 'report.json'), 'utf8')).summary).toMatch(
        /StopDeployment: (Succeeded|Pending)/,
      );
    } finally {
      await setFaults([]);
    }
  });

  it('gives up on a StopDeployment that answers too late and still writes the reports before SIGKILL', async () => {
    const build = await newBuild('jenkins-kill-late-stop', { startSleep: 30 });
    await writeFile(join(build.revisionDir, 'scripts', 'start.sh'), '#!/bin/sh\nexec sleep 30\n');
    // A budget of 2 s: the stop's own timeout (1.5 s) ends long before the answer (6 s) and the kill (5 s).
    const step = await shStep(
      build,
      deployArgs(build),
      jenkinsEnv(build, { CODEDEPLOY_GATE_CANCEL_BUDGET: '2' }),
    );
    const id = await startHookRunning(build.fleet);
    await setFaults([{ operation: 'StopDeployment', latencyMs: 6_000, count: 1 }]);
    try {
      const run = await jenkinsAbort(step);
      expect(run.stdout, run.stdout + run.stderr).toMatch(
        /✗ Cancelled by SIGTERM while deployment .*stopping failed/,
      );
      const report = JSON.parse(await readFile(join(build.reports, 'report.json'), 'utf8'));
      expect(report).toMatchObject({ verdict: 'cancelled', exitCode: 143 });
      expect(report.deployment.id).toBe(id);
      // The report does not pretend: the stop did not answer in time, and it says so.
      expect(report.summary).toMatch(/stopping failed/);
    } finally {
      await setFaults([]);
    }
  });

  it('exits 143 itself when its process group is signalled, and forwards a signal aimed at it alone', async () => {
    for (const target of ['group', 'wrapper'] as const) {
      const build = await newBuild(`jenkins-term-${target}`, { startSleep: 30 });
      const run = start(WRAPPER, deployArgs(build), jenkinsEnv(build), build.workspace);
      const id = await until('the deployment to run', async () => {
        const [first] = await deploymentsOf(build.fleet);
        return first && (await statusOf(first)) === 'InProgress' ? first : undefined;
      });
      const pid = run.child.pid ?? 0;
      process.kill(target === 'group' ? -pid : pid, 'SIGTERM');
      const result = await run.done;
      expect(result.code, `${target}: ${result.stdout}${result.stderr}`).toBe(143);
      expect(await statusOf(id)).toBe('Stopped');
    }
  });

  it('plan writes plan.md and plan.json beside the reports and creates nothing', async () => {
    const build = await newBuild('jenkins-plan');
    const deployed = await (await shStep(build, deployArgs(build), jenkinsEnv(build))).done;
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    await writeFile(join(build.revisionDir, 'app', 'VERSION'), '2\n');

    const run = await (await shStep(build, ['plan', ...deployArgs(build)], jenkinsEnv(build))).done;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Files: 0 added, 0 removed, 1 changed');
    const plan = JSON.parse(await readFile(join(build.reports, 'plan.json'), 'utf8'));
    expect(plan).toMatchObject({ schema: 'codedeploy-gate/plan@1', blocking: false, files: { changed: 1 } });
    expect(await readFile(join(build.reports, 'plan.md'), 'utf8')).toContain('| changed | `app/VERSION` |');
    // The deploy's reports are still there, and no second deployment was created.
    expect((await stat(join(build.reports, 'report.xml'))).isFile()).toBe(true);
    expect(await deploymentsOf(build.fleet)).toHaveLength(1);
  });

  it('exits 2 for bad arguments, creating nothing and leaving no stale reports', async () => {
    const build = await newBuild('jenkins-bad');
    await mkdir(build.reports, { recursive: true });
    await writeFile(join(build.reports, 'deployment.properties'), 'VERDICT=succeeded\n');
    const run = await (
      await shStep(
        build,
        [...deployArgs(build), '--github-repo', 'acme/shop', '--commit', 'abc1234'],
        jenkinsEnv(build),
      )
    ).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /error: deploy: give one revision source, not DIR and --github-repo\/--commit/,
    );
    expect(await deploymentsOf(build.fleet)).toEqual([]);
    await expect(stat(join(build.reports, 'deployment.properties'))).rejects.toThrow();
  });

  it('exits 2 before deploying when the report folder is a file or a report is a pipe, leaving both as they were', async () => {
    const build = await newBuild('jenkins-hostile-reports');
    const file = join(build.workspace, 'not-a-folder');
    await writeFile(file, 'keep me\n');
    const misplaced = await (
      await shStep(build, deployArgs(build), jenkinsEnv(build, { CODEDEPLOY_GATE_REPORT_DIR: file }))
    ).done;
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain(`codedeploy-gate-jenkins: the report folder ${file} is not a folder`);
    expect(await readFile(file, 'utf8')).toBe('keep me\n');

    await mkdir(build.reports, { recursive: true });
    const fifo = makeFifo(join(build.reports, 'report.xml'));
    const piped = await (await shStep(build, deployArgs(build), jenkinsEnv(build))).done;
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain(
      `error: --report-junit ${fifo} is a named pipe (FIFO), not a regular file`,
    );
    expect(identity(fifo).kind).toBe('fifo');
    expect(await deploymentsOf(build.fleet)).toEqual([]);
  });

  it('says clearly when Node is missing or too old, with exit 2', async () => {
    const build = await newBuild('jenkins-nonode');
    // A PATH with bash and the few tools the script needs, but no node.
    const bin = join(root, 'bin-without-node');
    await mkdir(bin, { recursive: true });
    for (const tool of ['bash', 'dirname']) {
      const path = (await startProcess('sh', ['-c', `command -v ${tool}`]).done).stdout.trim();
      await symlink(path, join(bin, tool)).catch(() => undefined);
    }
    const env = { ...jenkinsEnv(build), PATH: bin };
    const missing = await start(join(bin, 'bash'), [WRAPPER, ...deployArgs(build)], env, build.workspace)
      .done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Node\.js 20\.19 or newer was not found on this agent/);
    expect(missing.stderr).toMatch(/CODEDEPLOY_GATE_NODE/);

    const old = join(root, 'old-node');
    await writeFile(old, '#!/bin/sh\nif [ "$1" = --version ]; then echo v18.20.4; exit 0; fi\nexit 1\n');
    await chmod(old, 0o755);
    const tooOld = await start(
      join(bin, 'bash'),
      [WRAPPER, ...deployArgs(build)],
      { ...env, CODEDEPLOY_GATE_NODE: old },
      build.workspace,
    ).done;
    expect(tooOld.code).toBe(2);
    expect(tooOld.stderr).toContain(`${old} is Node.js v18.20.4; codedeploy-gate needs 20.19 or newer`);
    expect(await deploymentsOf(build.fleet)).toEqual([]);
  });
});

/** A workspace for a Lambda or ECS build (no fleet, no revision folder). */
async function computeBuild(name: string): Promise<{ workspace: string; reports: string }> {
  const workspace = join(root, name);
  await mkdir(workspace, { recursive: true });
  return { workspace, reports: join(workspace, 'codedeploy-gate') };
}

const FAST = ['--poll-interval', '0.1s', '--max-poll-interval', '0.25s'];

/**
 * An ECS service NAME/web on `NAME-web:1` and an ECS application NAME with group `web` that waits in
 * READY_WAIT for ContinueDeployment and releases the original task set at once.
 */
async function ecsGroup(name: string): Promise<void> {
  server.compute.putService(name, {
    name: 'web',
    taskDefinition: {
      family: `${name}-web`,
      containerDefinitions: [
        { name: 'web', image: 'registry.example.com/web:1', portMappings: [{ containerPort: 8080 }] },
      ],
    },
    desiredCount: 2,
    targetGroups: [`${name}-blue`, `${name}-green`],
  });
  await codeDeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: 'ECS' }));
  const listener = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/1';
  await codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: name,
      deploymentGroupName: 'web',
      serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeploy',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ecsServices: [{ clusterName: name, serviceName: 'web' }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }],
            prodTrafficRoute: { listenerArns: [`${listener}/prod`] },
            testTrafficRoute: { listenerArns: [`${listener}/test`] },
          },
        ],
      },
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 600 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
    }),
  );
}

describe('codedeploy-gate-jenkins for Lambda and ECS under sh -xe', () => {
  it('publishes a Lambda version, shows the canary 10 % → 100 % in the console and reports the shift', async () => {
    server.compute.putFunction({
      name: 'jenkins-orders',
      runner: { command: `echo '{"statusCode":200}'` },
      versions: [{}],
      aliases: [{ name: 'live', version: '1' }],
    });
    await codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'jenkins-orders', computePlatform: 'Lambda' }),
    );
    await codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'jenkins-orders',
        deploymentGroupName: 'live',
        serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      }),
    );
    const build = await computeBuild('jenkins-orders');
    // The build's code package: an (empty) zip archive, all the local Lambda needs.
    await mkdir(join(build.workspace, 'build'), { recursive: true });
    await writeFile(
      join(build.workspace, 'build', 'orders.zip'),
      Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]),
    );
    const args = [
      '--application',
      'jenkins-orders',
      '--deployment-group',
      'live',
      '--lambda-function',
      'jenkins-orders',
      '--lambda-alias',
      'live',
      '--lambda-zip',
      'build/orders.zip',
      ...FAST,
    ];
    const run = await (await shStep(build, args, jenkinsEnv(build))).done;

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('revision: updating the code of jenkins-orders from');
    expect(run.stdout).toContain('revision: published version 2 of jenkins-orders');
    const shifts = [...run.stdout.matchAll(/⇄ traffic (\d+)% → version 2 \(step (\d) of 2/g)].map(
      (m) => m[1],
    );
    expect(shifts).toEqual(['10', '100']);
    expect(run.stdout).not.toContain('\u001b[');
    expect(server.compute.runtime.lambda.alias('jenkins-orders', 'live')).toEqual({
      version: '2',
      weights: {},
    });

    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({
      STATUS: 'Succeeded',
      VERDICT: 'succeeded',
      EXIT_CODE: '0',
      LAMBDA_FUNCTION: 'jenkins-orders',
      LAMBDA_CURRENT_VERSION: '1',
      LAMBDA_TARGET_VERSION: '2',
      TRAFFIC_PERCENT: '100',
    });
    const xml = junit(await readFile(join(build.reports, 'report.xml'), 'utf8'));
    expect(xml.cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']),
    );
    expect(xml.totals.failures).toBe('0');
  });

  it('fails the build when the AfterAllowTraffic hook function reports Failed, and shows the rollback', async () => {
    // The hook function as a user writes it: it reports its verdict to CodeDeploy through the SDK.
    const hook = join(root, 'jenkins-pay-check.mjs');
    await writeFile(
      hook,
      `import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
export async function handler(event) {
  console.log('checking payments on the new version: 3 of 20 calls failed');
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: 'Failed',
  }));
}
`,
    );
    server.compute.seed({
      functions: [
        {
          name: 'jenkins-pay',
          runner: { command: `echo '{"statusCode":200}'` },
          versions: [{}, {}],
          aliases: [{ name: 'live', version: '1' }],
        },
        { name: 'jenkins-pay-check', runner: { module: hook, handler: 'handler' }, timeout: 60 },
      ],
    });
    await codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'jenkins-pay', computePlatform: 'Lambda' }),
    );
    await codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'jenkins-pay',
        deploymentGroupName: 'live',
        serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
    );
    const build = await computeBuild('jenkins-pay');
    const args = [
      '--application',
      'jenkins-pay',
      '--deployment-group',
      'live',
      '--lambda-function',
      'jenkins-pay',
      '--lambda-alias',
      'live',
      '--lambda-version',
      '2',
      '--hook',
      'AfterAllowTraffic=jenkins-pay-check',
      ...FAST,
    ];
    const run = await (await shStep(build, args, jenkinsEnv(build))).done;

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/jenkins-pay:live +✗ AfterAllowTraffic Failed/);
    // The hook's own words, from its invocation's log tail, in the console.
    expect(run.stdout).toContain('checking payments on the new version: 3 of 20 calls failed');
    expect(run.stdout).toMatch(/rolled back by d-\w+ \(Succeeded\)/);
    expect(server.compute.runtime.lambda.alias('jenkins-pay', 'live')).toEqual({ version: '1', weights: {} });

    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({ VERDICT: 'failed', EXIT_CODE: '1', LAMBDA_TARGET_VERSION: '2' });
    const xml = junit(await readFile(join(build.reports, 'report.xml'), 'utf8'));
    // The failed hook and the deployment testcase (in every report, failed here).
    expect(xml.totals.failures).toBe('2');
    expect(xml.cases.filter((c) => c.failure !== undefined).map((c) => c.name)).toEqual([
      'AfterAllowTraffic',
      'deployment',
    ]);
  });

  it('deploys an ECS image blue/green: --continue-after passes in READY_WAIT, ContinueDeployment, green takes production', async () => {
    await ecsGroup('jenkins-shop');
    const build = await computeBuild('jenkins-shop');
    // The smoke test the stage runs, from the workspace as Jenkins checks it out.
    await writeFile(
      join(build.workspace, 'smoke-test.sh'),
      '#!/bin/sh\necho "smoke test in $CODEDEPLOY_GATE_WAIT_TYPE: GET /health 200"\n',
    );
    await chmod(join(build.workspace, 'smoke-test.sh'), 0o755);
    const args = [
      '--application',
      'jenkins-shop',
      '--deployment-group',
      'web',
      '--ecs-service',
      'jenkins-shop/web',
      '--ecs-image',
      'web=registry.example.com/web:2',
      '--continue-after',
      './smoke-test.sh',
      ...FAST,
    ];
    const run = await (await shStep(build, args, jenkinsEnv(build))).done;

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'revision: registered task definition jenkins-shop-web:2 (web=registry.example.com/web:2)',
    );
    expect(run.stdout).toMatch(/^⏸ deployment d-\w+ is in READY_WAIT /m);
    expect(run.stdout).toMatch(/^ {2}│ smoke test in READY_WAIT: GET \/health 200$/m);
    expect(run.stdout).toMatch(/^✓ verification passed: `\.\/smoke-test\.sh` passed in READY_WAIT$/m);
    expect(run.stdout).toMatch(/^→ ContinueDeployment READY_WAIT/m);
    expect(run.stdout).toMatch(/⇄ traffic Green 100% \/ Blue 0%/);
    const service = server.compute.runtime.ecs.service('jenkins-shop', 'web');
    expect(service?.taskSets.find((set) => set.status === 'PRIMARY')?.taskDefinition).toMatch(
      /jenkins-shop-web:2$/,
    );

    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({
      STATUS: 'Succeeded',
      EXIT_CODE: '0',
      ECS_SERVICE: 'jenkins-shop/web',
    });
    const report = JSON.parse(await readFile(join(build.reports, 'report.json'), 'utf8'));
    expect(report.actions.map((a: { kind: string }) => a.kind)).toEqual(
      expect.arrayContaining(['verification-passed', 'continued']),
    );
  });

  it('stops the ECS deployment with rollback when the smoke test fails: exit 1, production never moved', async () => {
    await ecsGroup('jenkins-shop-bad');
    const build = await computeBuild('jenkins-shop-bad');
    const args = [
      '--application',
      'jenkins-shop-bad',
      '--deployment-group',
      'web',
      '--ecs-service',
      'jenkins-shop-bad/web',
      '--ecs-image',
      'web=registry.example.com/web:2',
      '--continue-after',
      'echo "GET /health 503" >&2; exit 1',
      ...FAST,
    ];
    const run = await (await shStep(build, args, jenkinsEnv(build))).done;

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^ {2}│ GET \/health 503$/m);
    expect(run.stdout).toMatch(/^✗ verification failed: .* failed in READY_WAIT: stopping with rollback$/m);
    expect(run.stdout).not.toMatch(/⇄ traffic Green [1-9]/);
    const service = server.compute.runtime.ecs.service('jenkins-shop-bad', 'web');
    expect(service?.taskSets.find((set) => set.status === 'PRIMARY')?.taskDefinition).toMatch(
      /jenkins-shop-bad-web:1$/,
    );
    const properties = readProperties(await readFile(join(build.reports, 'deployment.properties'), 'utf8'));
    expect(properties).toMatchObject({ STATUS: 'Stopped', VERDICT: 'stopped', EXIT_CODE: '1' });
  });
});
