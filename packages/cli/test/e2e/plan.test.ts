import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateDeploymentConfigCommand,
  DeregisterOnPremisesInstanceCommand,
  ListApplicationRevisionsCommand,
} from '@aws-sdk/client-codedeploy';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Fleet } from '@codedeploy-gate/local';
import { type CountingProxy, startCountingProxy } from '@codedeploy-gate/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  denyOperation,
  deployArgs,
  deploymentIds,
  provisionApp,
  stopIfActive,
  useLocalCodeDeploy,
} from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

const local = useLocalCodeDeploy({ workPrefix: 'cli-plan-' });

let proxy: CountingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const APPSPEC_V1 = [
  'version: 0.0',
  'os: linux',
  'files:',
  '  - source: app',
  '    destination: /srv/app',
  'file_exists_behavior: OVERWRITE',
  'hooks:',
  '  ApplicationStart:',
  '    - location: scripts/start.sh',
  '',
].join('\n');
const APPSPEC_V2 = `${APPSPEC_V1}  ValidateService:\n    - location: scripts/validate.sh\n      timeout: 30\n`;

/** A revision folder from paths and contents; shell scripts are made executable. Removed after the test. */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-plan-revision-'));
  local.afterTest(() => rm(dir, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
    if (path.endsWith('.sh')) await chmod(join(dir, path), 0o755);
  }
  return dir;
}

// Incompressible, so the bundle is mostly data and its central directory a small part of it.
const payload = randomBytes(4 * 1024 * 1024);
const v1 = () =>
  folder({
    'appspec.yml': APPSPEC_V1,
    'app/index.html': '<h1>v1</h1>\n',
    'app/config.json': '{"color":"blue"}\n',
    'app/gone.txt': 'removed in v2\n',
    'app/payload.bin': payload,
    'scripts/start.sh': '#!/bin/sh\necho starting\n',
  });
const v2 = () =>
  folder({
    'appspec.yml': APPSPEC_V2,
    'app/index.html': '<h1>v2, longer</h1>\n',
    'app/config.json': '{"color":"blue"}\n',
    'app/payload.bin': payload,
    'scripts/start.sh': '#!/bin/sh\necho starting\n',
    'scripts/validate.sh': '#!/bin/sh\necho healthy\n',
  });

function planArgs(fleet: Fleet, dir: string, ...extra: string[]): string[] {
  const [, , ...rest] = deployArgs(fleet, dir, ...extra);
  return ['plan', dir, ...rest];
}

/** `plan` of an S3 revision (a bundle already in S3) for the fleet's group. */
function planS3Args(fleet: Fleet, location: string, ...extra: string[]): string[] {
  const group = ['--application', fleet.application, '--deployment-group', fleet.deploymentGroup];
  return ['plan', ...group, '--s3-location', location, ...extra];
}

/** Every request the plan sent is a read: CodeDeploy Get/List/BatchGet, S3 GET or HEAD. */
function writesIn(requests: string[]): string[] {
  return requests.filter(
    (request) =>
      !/^CodeDeploy_20141006\.(Get|List|BatchGet)[A-Za-z]+$/.test(request) && !/^(GET|HEAD) \//.test(request),
  );
}

async function storedState(fleet: Fleet) {
  const objects = await local.s3.send(
    new ListObjectsV2Command({ Bucket: fleet.bucket, Prefix: fleet.application }),
  );
  const revisions = await local.codeDeploy.send(
    new ListApplicationRevisionsCommand({ applicationName: fleet.application }),
  );
  return {
    objects: (objects.Contents ?? []).map((o) => o.Key).sort(),
    revisions: revisions.revisions?.length ?? 0,
    deployments: (await deploymentIds(local, fleet)).sort(),
  };
}

describe('codedeploy-gate plan', () => {
  it('lists exactly the changed, added and removed files and the new hook, in OneAtATime order, and creates, uploads and registers nothing', async () => {
    const fleet = await provisionApp(local, 'plan-app', 5);
    const first = await runCli(deployArgs(fleet, await v1()), { env: local.env });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    const before = await storedState(fleet);

    proxy = await startCountingProxy(local.server.endpoint);
    const json = join(local.work, 'plan.json');
    const markdown = join(local.work, 'plan.md');
    const run = await runCli(
      planArgs(fleet, await v2(), '--report-json', json, '--report-markdown', markdown),
      { env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint } },
    );
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);

    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(writesIn(proxy.requests)).toEqual([]);
    expect(await storedState(fleet)).toEqual(before);

    const plan = JSON.parse(await readFile(json, 'utf8'));
    expect(plan).toMatchObject({
      schema: 'codedeploy-gate/plan@1',
      application: 'plan-app',
      computePlatform: 'Server',
      blocking: false,
      exitCode: 0,
      revision: { kind: 'folder', bundleType: 'zip', alreadyInS3: false },
      live: { deploymentId: before.deployments[0], bundleType: 'zip' },
    });
    expect(plan.revision.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.revision.location).toBe(`s3://${fleet.bucket}/plan-app/plan-app-${plan.revision.sha256}.zip`);
    expect(plan.files.entries.map((e: { change: string; path: string }) => `${e.change} ${e.path}`)).toEqual(
      [
        'changed app/index.html',
        'removed app/gone.txt',
        'changed appspec.yml',
        'added scripts/validate.sh',
      ].sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!)),
    );
    expect(plan.files).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 3 });
    expect(plan.appspec).toEqual([
      expect.objectContaining({ area: 'hooks', change: 'added', subject: 'ValidateService' }),
    ]);
    expect(plan.appspec[0].detail).toMatch(/^scripts\/validate\.sh, sha256 [0-9a-f]{12}, timeout 30s$/);
    expect(plan.rollout).toMatchObject({
      deploymentConfig: 'CodeDeployDefault.OneAtATime',
      targets: 5,
      minimumHealthy: 4,
      batchSize: 1,
      invalid: false,
    });
    expect(plan.rollout.batches).toEqual(fleet.instanceNames.map((id) => [{ id, standing: 'current' }]));
    expect(plan.safeguards).toMatchObject({ autoRollback: 'disabled', alarms: [], durationFrom: 1 });
    expect(plan.safeguards.expectedDurationMs).toBeGreaterThan(0);
    // The live zip is listed from its tail and central directory, not downloaded.
    expect(plan.live.bytesDownloaded).toBeGreaterThan(0);
    expect(plan.live.bytesDownloaded).toBeLessThanOrEqual(plan.live.size * 0.05);

    expect(run.stdout).toMatch(/Files: 1 added, 1 removed, 2 changed, 3 unchanged/);
    expect(run.stdout).toMatch(/^ {2}\+ scripts\/validate\.sh/m);
    expect(run.stdout).toMatch(/^ {2}\+ hooks ValidateService: scripts\/validate\.sh/m);
    expect(run.stdout).toMatch(/^ {2}batch {2}1 {2}plan-app-1 \(current\)$/m);
    expect(run.stdout).toMatch(/not in S3 yet: deploy would upload and register it/);
    expect(run.stdout).toMatch(/✓ nothing blocks this deployment to plan-app\/plan-app-local/);
    const md = await readFile(markdown, 'utf8');
    expect(md).toContain('| added | `scripts/validate.sh` |');
    expect(md).toContain('| 5 | plan-app-5 (current) |');
  });

  it('puts the instance that failed the last deployment first (unhealthy before current)', async () => {
    // OneAtATime deploys h-1, h-2, then h-3, which fails: the last instance may fail, so the
    // deployment still succeeds, and h-3 is unhealthy for the next one.
    const fleet = await provisionApp(local, 'plan-health', 3);
    const first = await runCli(deployArgs(fleet, await local.revision({ failOn: ['plan-health-3'] })), {
      env: local.env,
    });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);

    const run = await runCli([...planArgs(fleet, await local.revision()), '--json'], { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.rollout.batches).toEqual([
      [{ id: 'plan-health-3', standing: 'unhealthy' }],
      [{ id: 'plan-health-1', standing: 'current' }],
      [{ id: 'plan-health-2', standing: 'current' }],
    ]);
    expect(plan.findings).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'unhealthy-instances' }),
    );
  });

  it('names deregistered (offline) instances: blocking when the rest cannot keep the minimum healthy, a warning otherwise', async () => {
    await local.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'plan-offline-two-healthy',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 },
      }),
    );
    const fleet = await provisionApp(local, 'plan-offline', 3, 'plan-offline-two-healthy');
    const first = await runCli(deployArgs(fleet, await local.revision()), { env: local.env });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    await local.codeDeploy.send(new DeregisterOnPremisesInstanceCommand({ instanceName: 'plan-offline-3' }));

    proxy = await startCountingProxy(local.server.endpoint);
    const blocked = await runCli([...planArgs(fleet, await local.revision()), '--json'], {
      env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    expect(blocked.code, `${blocked.stdout}${blocked.stderr}`).toBe(1);
    expect(writesIn(proxy.requests)).toEqual([]);
    const plan = JSON.parse(blocked.stdout);
    expect(plan.rollout.targets).toBe(2);
    expect(plan.rollout.offline).toEqual([{ id: 'plan-offline-3', deregisteredAt: expect.any(String) }]);
    expect(plan.findings).toContainEqual({
      severity: 'blocking',
      code: 'instances-offline',
      message:
        '1 instance(s) of plan-offline/plan-offline-local are deregistered (offline): plan-offline-3; the 2 left cannot keep 2 healthy as plan-offline-two-healthy requires',
      hint: expect.stringContaining('RegisterOnPremisesInstance'),
    });

    // Under OneAtATime the two left can deploy: the offline instance is worth knowing, not a stop.
    const warned = await runCli(
      planArgs(fleet, await local.revision(), '--deployment-config', 'CodeDeployDefault.OneAtATime'),
      { env: local.env },
    );
    expect(warned.code, `${warned.stdout}${warned.stderr}`).toBe(0);
    expect(warned.stdout).toContain(
      'warning: 1 instance(s) of plan-offline/plan-offline-local are deregistered (offline) and would not get this revision: plan-offline-3',
    );
  });

  it('names the IAM action and resource of a refused read as a blocking finding, and the role CodeDeploy would use', async () => {
    const fleet = await provisionApp(local, 'plan-denied', 2);
    const first = await runCli(deployArgs(fleet, await local.revision()), { env: local.env });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    const live = JSON.parse(
      (await runCli([...planArgs(fleet, await local.revision()), '--json'], { env: local.env })).stdout,
    ).live.location as string;

    await denyOperation(local, 'GetDeploymentGroup');
    proxy = await startCountingProxy(local.server.endpoint);
    const json = join(local.work, 'denied.json');
    const run = await runCli(planArgs(fleet, await local.revision(), '--report-json', json), {
      env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(writesIn(proxy.requests)).toEqual([]);
    expect(run.stdout).toContain(
      'blocking: these credentials may not call codedeploy:GetDeploymentGroup on deployment group plan-denied/plan-denied-local (AccessDenied): deploy makes the same call and would fail; the plan stops here',
    );
    expect(run.stdout).toContain(
      'hint: Allow codedeploy:GetDeploymentGroup on deployment group plan-denied/plan-denied-local',
    );
    // Stopped before it looked in S3, the plan claims nothing about the bundle being there.
    expect(run.stdout).not.toMatch(/not in S3 yet|already in S3/);
    const plan = JSON.parse(await readFile(json, 'utf8'));
    expect(plan).toMatchObject({ blocking: true, exitCode: 1, computePlatform: 'Server' });

    // An S3 revision whose bundle these credentials may not read: HeadObject is s3:GetObject.
    await denyOperation(local, 'S3:*');
    const s3Run = await runCli(planS3Args(fleet, live, '--json'), { env: local.env });
    expect(s3Run.code, `${s3Run.stdout}${s3Run.stderr}`).toBe(1);
    expect(JSON.parse(s3Run.stdout).findings).toContainEqual(
      expect.objectContaining({
        code: 'access-denied',
        message: `these credentials may not call s3:GetObject on arn:aws:s3:::${live.slice('s3://'.length)} (AccessDenied): the plan cannot read the revision; the plan stops here`,
      }),
    );

    // Refused later, once the group is known: the hint names the service role CodeDeploy acts as.
    await denyOperation(local, 'BatchGetOnPremisesInstances');
    const later = await runCli([...planArgs(fleet, await local.revision()), '--json'], { env: local.env });
    expect(later.code, `${later.stdout}${later.stderr}`).toBe(1);
    expect(JSON.parse(later.stdout).findings).toContainEqual({
      severity: 'blocking',
      code: 'access-denied',
      message: expect.stringContaining('may not call codedeploy:BatchGetOnPremisesInstances'),
      hint: expect.stringContaining(
        "CodeDeploy itself will act as the group's service role arn:aws:iam::111122223333:role/CodeDeployServiceRole",
      ),
    });
  });

  it('lists a live tgz bundle in one streamed pass and reports the whole bundle as downloaded', async () => {
    const fleet = await provisionApp(local, 'plan-tgz', 1);
    const first = await runCli([...deployArgs(fleet, await v1()), '--format', 'tgz'], { env: local.env });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);

    const run = await runCli([...planArgs(fleet, await v2(), '--format', 'tgz'), '--json'], {
      env: local.env,
    });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.live.bundleType).toBe('tgz');
    expect(plan.live.bytesDownloaded).toBe(plan.live.size);
    expect(plan.files).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 3 });
    expect(plan.appspec.map((c: { subject: string }) => c.subject)).toEqual(['ValidateService']);

    // The live bundle itself, given as an S3 revision: nothing changes, and the plan says so.
    const same = await runCli(planS3Args(fleet, plan.live.location, '--json'), { env: local.env });
    expect(same.code, `${same.stdout}${same.stderr}`).toBe(0);
    const unchanged = JSON.parse(same.stdout);
    expect(unchanged.files).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 6 });
    expect(unchanged.revision).toMatchObject({ kind: 's3', alreadyInS3: true, bundleType: 'tgz' });
    expect(unchanged.findings).toContainEqual(expect.objectContaining({ code: 'unchanged' }));
  });

  it('exits 1 naming the deployment already running in the group, and notes it with --queue', async () => {
    const fleet = await provisionApp(local, 'plan-busy', 1);
    const slow = await local.revision({ startSleep: 30 });
    const started = await runCli([...deployArgs(fleet, slow), '--no-wait'], { env: local.env });
    expect(started.code, `${started.stdout}${started.stderr}`).toBe(0);
    const [active = ''] = await deploymentIds(local, fleet);
    local.afterTest(() => stopIfActive(local, active));

    const run = await runCli(planArgs(fleet, await local.revision()), { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toContain(
      `✗ blocking: deployment group plan-busy/plan-busy-local already has an active deployment ${active}: deploy would fail`,
    );
    expect(run.stdout).toContain(`hint: Wait for it (codedeploy-gate wait ${active})`);

    const queued = await runCli(planArgs(fleet, await local.revision(), '--queue', '--json'), {
      env: local.env,
    });
    expect(queued.code, `${queued.stdout}${queued.stderr}`).toBe(0);
    expect(JSON.parse(queued.stdout).findings).toContainEqual(
      expect.objectContaining({ severity: 'note', code: 'queued' }),
    );
    expect(await deploymentIds(local, fleet)).toEqual([active]);
  });

  it('deploy --plan-first prints the plan, then deploys', async () => {
    const fleet = await provisionApp(local, 'plan-first', 1);
    const run = await runCli([...deployArgs(fleet, await v1()), '--plan-first'], { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const planAt = run.stdout.indexOf('Plan for plan-first/plan-first-local');
    const createdAt = run.stdout.search(/deployment d-[A-Z0-9]+ created/);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(createdAt).toBeGreaterThan(planAt);
    expect(run.stdout).toContain('has no successful deployment yet: every file is new to it');
    expect(run.stdout).toMatch(/✓ Deployment d-[A-Z0-9]+ to plan-first\/plan-first-local succeeded/);
  });

  it('exits 2 on invalid input before any request', async () => {
    proxy = await startCountingProxy(local.server.endpoint);
    const run = await runCli(
      [
        'plan',
        '--application',
        'x',
        '--deployment-group',
        'y',
        '--report-junit',
        'j.xml',
        '--s3-location',
        's3://b/k.zip',
      ],
      { env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plan: --report-junit is a deployment');
    expect(proxy.requests).toEqual([]);
  });
});
