import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startLocalCodeDeploy } from '@codedeploy-gate/local';
import { fakeCredentials, leakableParts, leakyHookScript } from '@codedeploy-gate/test-support';
import { describe, expect, it } from 'vitest';
import {
  deployArgs,
  deploymentIds,
  deploymentInfo,
  provisionApp,
  useLocalCodeDeploy,
} from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';
import { elementsNamed, parseXml } from '../support/xml.js';

// One local CodeDeploy for the file; each test deploys to its own application, so groups never meet.
const local = useLocalCodeDeploy({ workPrefix: 'cli-deploy-' });

const uploadedKeys = async (prefix: string) =>
  (
    (await local.s3.send(new ListObjectsV2Command({ Bucket: 'codedeploy-gate-local', Prefix: prefix })))
      .Contents ?? []
  ).map((object) => object.Key);

const reportFiles = () => ({
  json: join(local.work, 'reports', 'report.json'),
  markdown: join(local.work, 'reports', 'report.md'),
  junit: join(local.work, 'reports', 'junit.xml'),
});
const reportArgs = (files: ReturnType<typeof reportFiles>) => [
  '--report-json',
  files.json,
  '--report-markdown',
  files.markdown,
  '--report-junit',
  files.junit,
];

describe('codedeploy-gate deploy', () => {
  it('shortens a description too long for CodeDeploy and keeps the marker that finds the deployment again', async () => {
    const fleet = await provisionApp(local, 'long-description', 1);
    const description = `Jenkins ${'very/deep/folder/'.repeat(20)}deploy #1234 https://jenkins.example.com/job/x/1234/`;
    const run = await runCli([...deployArgs(fleet, await local.revision()), '--description', description], {
      env: local.env,
    });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const [id = ''] = await deploymentIds(local, fleet);
    const stored = (await deploymentInfo(local, id)).description ?? '';
    expect(stored).toHaveLength(256);
    expect(stored.startsWith(description.slice(0, 200))).toBe(true);
    expect(stored).toMatch(/… \[cdg:[0-9a-f]{12}\]$/);
  });

  it('deploys a folder to every instance, exits 0 and writes JSON, Markdown and JUnit reports', async () => {
    const fleet = await provisionApp(local, 'ok-app', 3);
    const files = reportFiles();
    const run = await runCli([...deployArgs(fleet, await local.revision()), ...reportArgs(files)], {
      env: local.env,
    });

    expect(run.stderr).toBe('');
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const ids = await deploymentIds(local, fleet);
    expect(ids).toHaveLength(1);
    const id = ids[0] ?? '';
    expect((await deploymentInfo(local, id)).status).toBe('Succeeded');
    expect(run.stdout).toMatch(new RegExp(`deployment ${id} created`));
    for (const name of fleet.instanceNames)
      expect(run.stdout).toMatch(new RegExp(`^${name} +Succeeded`, 'm'));
    expect(run.stdout).toMatch(
      new RegExp(`✓ Deployment ${id} to ok-app/ok-app-local succeeded on 3 of 3 targets`),
    );
    expect(run.stdout).toContain(`report: ${files.junit}`);

    const report = JSON.parse(await readFile(files.json, 'utf8'));
    expect(report).toMatchObject({
      schema: 'codedeploy-gate/report@1',
      verdict: 'succeeded',
      exitCode: 0,
      region: 'us-east-1',
      deployment: {
        id,
        application: 'ok-app',
        deploymentGroup: 'ok-app-local',
        status: 'Succeeded',
        overview: { succeeded: 3, failed: 0, pending: 0, inProgress: 0 },
      },
      actions: [{ kind: 'created' }],
    });
    expect(report.deployment.revision).toMatch(
      /^s3:\/\/codedeploy-gate-local\/ok-app\/ok-app-[0-9a-f]{64}\.zip/,
    );
    expect(report.deployment.targets.map((t: { id: string }) => t.id).sort()).toEqual(fleet.instanceNames);
    for (const target of report.deployment.targets) {
      expect(target.status).toBe('Succeeded');
      expect(target.events.map((e: { name: string }) => e.name)).toEqual(
        expect.arrayContaining(['DownloadBundle', 'Install', 'ApplicationStart', 'ValidateService']),
      );
      expect(target.events.every((e: { status: string }) => e.status === 'Succeeded')).toBe(true);
    }
    expect(report.watch.getDeploymentCalls).toBeGreaterThan(0);

    const markdown = await readFile(files.markdown, 'utf8');
    expect(markdown).toContain(id);
    expect(markdown).toMatch(/```mermaid\ngantt\n/);
    expect(markdown).toMatch(/section ok-app-1/);

    const junit = parseXml(await readFile(files.junit, 'utf8'));
    expect(junit.name).toBe('testsuites');
    expect(Number(junit.attributes.tests)).toBeGreaterThan(0);
    expect(junit.attributes.failures).toBe('0');
    expect(elementsNamed(junit, 'testcase').length).toBe(Number(junit.attributes.tests));
    expect(elementsNamed(junit, 'failure')).toEqual([]);
  });

  it('prints the report as JSON on stdout with --json, and nothing else there', async () => {
    const fleet = await provisionApp(local, 'json-app', 1);
    const files = reportFiles();
    const args = [...deployArgs(fleet, await local.revision()), '--json', '--report-json', files.json];
    const run = await runCli(args, { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ schema: 'codedeploy-gate/report@1', verdict: 'succeeded', exitCode: 0 });
    expect(printed.deployment.id).toBe((await deploymentIds(local, fleet))[0]);
    expect(printed.bundleSha256).toMatch(/^[0-9a-f]{64}$/);
    const { bundleSha256: _, ...report } = printed;
    expect(report).toEqual(JSON.parse(await readFile(files.json, 'utf8')));
  });

  it('exits 1 naming the failed instance, lifecycle event, error code and log tail', async () => {
    const fleet = await provisionApp(local, 'hook-app', 2);
    const files = reportFiles();
    const dir = await local.revision({ failOn: ['hook-app-1'] });
    const run = await runCli([...deployArgs(fleet, dir), ...reportArgs(files)], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    const [id] = await deploymentIds(local, fleet);
    expect((await deploymentInfo(local, id ?? '')).status).toBe('Failed');
    expect(run.stdout).toMatch(
      /^hook-app-1 +Failed .*ValidateService: ScriptFailed Script at specified location: scripts\/validate.sh failed with exit code 3/m,
    );
    expect(run.stdout).toMatch(
      /hook-app-1: ValidateService failed \(ScriptFailed\) in scripts\/validate\.sh/,
    );
    expect(run.stdout).toMatch(/^ {2}\| \[stderr\]failing on purpose$/m);
    expect(run.stdout).toMatch(
      new RegExp(
        `✗ Deployment ${id} to hook-app/hook-app-local failed: HEALTH_CONSTRAINTS: .*; hook-app-1 failed in ValidateService \\(ScriptFailed\\)`,
      ),
    );

    const report = JSON.parse(await readFile(files.json, 'utf8'));
    expect(report).toMatchObject({ verdict: 'failed', exitCode: 1, deployment: { status: 'Failed' } });
    const failed = report.deployment.targets.find((t: { id: string }) => t.id === 'hook-app-1');
    expect(failed.events.find((e: { name: string }) => e.name === 'ValidateService')).toMatchObject({
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/validate.sh' },
    });

    const junit = parseXml(await readFile(files.junit, 'utf8'));
    const failures = elementsNamed(junit, 'failure');
    expect(junit.attributes.failures).toBe(String(failures.length));
    // The failed hook, and the deployment testcase every report has (failed here).
    expect(failures).toHaveLength(2);
    expect(failures[0]?.attributes.type).toBe('ScriptFailed');
    expect(failures[0]?.attributes.message).toMatch(/^ValidateService failed: ScriptFailed/);
    expect(failures[0]?.text).toContain('Script: scripts/validate.sh');
    expect(failures[0]?.text).toContain('failing on purpose');
    expect(failures[1]?.attributes.type).toBe('HEALTH_CONSTRAINTS');
  });

  it('exits 1 with HEALTH_CONSTRAINTS when failures break the deployment config’s minimum healthy hosts', async () => {
    // HalfAtATime on 4 instances keeps 2 healthy: two failures end it before the other two start.
    const fleet = await provisionApp(local, 'half-app', 4);
    const files = reportFiles();
    const dir = await local.revision({ failOn: ['half-app-1', 'half-app-2'] });
    const run = await runCli(
      [
        ...deployArgs(fleet, dir),
        '--deployment-config',
        'CodeDeployDefault.HalfAtATime',
        '--report-json',
        files.json,
      ],
      { env: local.env },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/deployment error HEALTH_CONSTRAINTS: The overall deployment failed/);
    const report = JSON.parse(await readFile(files.json, 'utf8'));
    expect(report).toMatchObject({
      verdict: 'failed',
      deployment: {
        deploymentConfig: 'CodeDeployDefault.HalfAtATime',
        status: 'Failed',
        error: { code: 'HEALTH_CONSTRAINTS' },
        overview: { failed: 2, skipped: 2, succeeded: 0 },
      },
    });
    const info = await deploymentInfo(local, report.deployment.id);
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(info.deploymentConfigName).toBe('CodeDeployDefault.HalfAtATime');
  });

  it('follows the automatic rollback of a failed deployment to its end and reports it', async () => {
    const fleet = await provisionApp(local, 'rb-app', 2);
    const first = await runCli(deployArgs(fleet, await local.revision({ version: '1' })), { env: local.env });
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    const files = reportFiles();
    const dir = await local.revision({ version: '2', failOn: ['rb-app-1'] });
    const run = await runCli(
      [...deployArgs(fleet, dir), '--auto-rollback', 'on-failure', ...reportArgs(files)],
      { env: local.env },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    const report = JSON.parse(await readFile(files.json, 'utf8'));
    const failed = await deploymentInfo(local, report.deployment.id);
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId;
    expect(failed.status).toBe('Failed');
    expect(rollbackId).toMatch(/^d-/);
    expect(report.rollback).toMatchObject({ id: rollbackId, status: 'Succeeded' });
    const rollback = await deploymentInfo(local, rollbackId ?? '');
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' });
    expect(run.stdout).toContain(`rollback ${rollbackId}: Succeeded`);
    expect(run.stdout).toMatch(
      new RegExp(
        `✗ Deployment ${failed.deploymentId} .* failed.*; rolled back by ${rollbackId} \\(Succeeded\\)\\.`,
      ),
    );
    const junit = parseXml(await readFile(files.junit, 'utf8'));
    expect(elementsNamed(junit, 'testsuite').map((s) => s.attributes.name)).toEqual([
      expect.stringContaining(failed.deploymentId ?? ''),
      expect.stringMatching(new RegExp(`${rollbackId} .*\\(rollback\\)`)),
    ]);
    const all = await deploymentIds(local, fleet);
    expect(all).toHaveLength(3);
    expect(all).toEqual(expect.arrayContaining([report.deployment.id, rollbackId]));
  });
});

describe('codedeploy-gate deploy: invalid input exits 2 and creates nothing', () => {
  const S3 = 's3://codedeploy-gate-local/bad-app';
  const GROUP = ['--application', 'bad-app', '--deployment-group', 'bad-app-local'];
  it.each([
    {
      behaviour: 'an unknown application',
      args: (dir: string) => [
        dir,
        '--s3-location',
        S3,
        '--application',
        'nope',
        '--deployment-group',
        'bad-app-local',
      ],
      message: /CodeDeploy application "nope" does not exist; nothing was created/,
    },
    {
      behaviour: 'an unknown deployment group',
      args: (dir: string) => [
        dir,
        '--s3-location',
        S3,
        '--application',
        'bad-app',
        '--deployment-group',
        'nope',
      ],
      message: /deployment group "nope" does not exist in application "bad-app"; nothing was created/,
    },
    {
      behaviour: 'two revision sources',
      args: (dir: string) => [
        dir,
        '--s3-location',
        S3,
        ...GROUP,
        '--github-repo',
        'my-org/my-service',
        '--commit',
        'abc1234',
      ],
      message: /deploy: give one revision source, not DIR and --github-repo\/--commit/,
    },
    {
      behaviour: 'an S3 bundle that does not exist',
      args: () => ['--s3-location', `${S3}/missing.zip`, ...GROUP],
      message: /the revision s3:\/\/codedeploy-gate-local\/bad-app\/missing\.zip does not exist/,
    },
    {
      behaviour: 'a --timeout that is not a duration',
      args: (dir: string) => [dir, '--s3-location', S3, ...GROUP, '--timeout', 'soon'],
      message: /--timeout "soon" is not a duration/,
    },
    {
      behaviour: 'a --github-repo that is not OWNER/REPO',
      args: () => ['--github-repo', 'not a repo', '--commit', 'abc1234', ...GROUP],
      message: /--github-repo "not a repo" is not OWNER\/REPO/,
    },
  ])('rejects $behaviour', async ({ args, message }) => {
    const fleet = await provisionApp(local, 'bad-app', 1);
    const run = await runCli(['deploy', ...args(await local.revision())], { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^hint: /m);
    expect(await deploymentIds(local, fleet)).toEqual([]);
    expect(await uploadedKeys('bad-app/')).toEqual([]);
  });

  it('rejects an invalid appspec in DIR with its location, before uploading anything', async () => {
    const fleet = await provisionApp(local, 'bad-app', 1);
    const dir = await local.revision();
    await writeFile(
      join(dir, 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  Install:\n    - location: scripts/start.sh\n',
    );
    const run = await runCli(deployArgs(fleet, dir), { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toMatch(/appspec\.yml:4:3 error hooks\.Install/);
    expect(await deploymentIds(local, fleet)).toEqual([]);
    expect(await uploadedKeys('bad-app/')).toEqual([]);
  });
});

describe('codedeploy-gate deploy: credentials', () => {
  const SECRET = 'some-distinctive-secret-4f1c9a';
  const TOKEN = 'another-distinctive-token-b27e0d';
  const withSecrets = () => ({ ...local.env, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN });

  async function everythingWritten(run: { stdout: string; stderr: string }): Promise<string> {
    const files = reportFiles();
    const reports = await Promise.all(Object.values(files).map((file) => readFile(file, 'utf8')));
    return [run.stdout, run.stderr, ...reports].join('\n');
  }

  it('never prints the secret key or session token, in output or reports, when the deployment succeeds', async () => {
    const fleet = await provisionApp(local, 'secret-ok', 1);
    const run = await runCli(
      [...deployArgs(fleet, await local.revision()), ...reportArgs(reportFiles()), '--debug'],
      {
        env: withSecrets(),
      },
    );
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const all = await everythingWritten(run);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(TOKEN);
  });

  it('never prints the secret key or session token when the deployment fails', async () => {
    const fleet = await provisionApp(local, 'secret-fail', 1);
    const dir = await local.revision({ failOn: ['secret-fail-1'] });
    const run = await runCli([...deployArgs(fleet, dir), ...reportArgs(reportFiles()), '--debug'], {
      env: withSecrets(),
    });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    const all = await everythingWritten(run);
    expect(all).toContain('failing on purpose');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(TOKEN);
  });

  it('never prints the secret key or session token when AWS cannot be reached (exit 4, --debug)', async () => {
    const fleet = await provisionApp(local, 'secret-down', 1);
    const closed = await startLocalCodeDeploy({ port: 0 });
    const endpoint = closed.endpoint;
    await closed.close();
    const run = await runCli([...deployArgs(fleet, await local.revision()), '--debug'], {
      env: { ...withSecrets(), AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: '1' },
    });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(4);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
  });
});

describe('secrets', () => {
  it('masks what a failing hook prints in every report and on the terminal, and says how many', async () => {
    // Made up for this run; the hook prints them as literals (hooks get no host environment).
    const fakes = fakeCredentials();
    const fleet = await provisionApp(local, 'leaky-hook', 1);
    const dir = await local.revision();
    await writeFile(
      join(dir, 'scripts', 'validate.sh'),
      leakyHookScript(fakes, ['echo "health check failed" >&2']),
    );
    const files = { ...reportFiles(), properties: join(local.work, 'reports', 'report.properties') };
    const run = await runCli(
      [...deployArgs(fleet, dir), ...reportArgs(files), '--report-properties', files.properties],
      { env: { ...local.env, MY_API_TOKEN: fakes.apiToken } },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    const reports = Object.fromEntries(
      await Promise.all(
        Object.entries(files).map(async ([format, file]) => [format, await readFile(file, 'utf8')] as const),
      ),
    );
    for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, ...reports })) {
      for (const secret of leakableParts(fakes))
        expect(text, `${where} shows ${secret}`).not.toContain(secret);
    }
    // The log tail still says what happened, around the masks.
    expect(run.stdout).toMatch(/^ {2}\| \[stdout\]configuring with \*\*\*$/m);
    expect(run.stdout).toMatch(/^ {2}\| \[stderr\]health check failed$/m);
    expect(run.stdout).toContain('4 values masked');
    const report = JSON.parse(reports.json ?? '');
    expect(report.maskedValues).toBe(4);
    const tail = report.deployment.targets[0].events.find((e: { status: string }) => e.status === 'Failed')
      .diagnostics.logTail;
    expect(tail).toContain('[stdout]calling the API with ***\n');
    expect(reports.markdown).toContain('4 values masked');
    expect(reports.junit).toContain('4 values masked');
    expect(reports.properties).toContain('MASKED_VALUES=4');
  });
});
