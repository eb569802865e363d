import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { createCodeDeployClient } from '@codedeploy-gate/core';
import { type RevisionFolder, writeRevision } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchStdout } from '../support/local-fleet.js';
import { runCli, startCli } from '../support/run-cli.js';

// A deployment on the local CodeDeploy is in no AWS console: the output must not send people there.
// And the variables `local serve` tells people to export must work for the other AWS tools too.

let work: string;
let revision: RevisionFolder | undefined;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-honest-output-'));
});
afterEach(async () => {
  await revision?.cleanup();
  revision = undefined;
  await rm(work, { recursive: true, force: true });
});

describe('output for the local CodeDeploy', () => {
  it('shows no AWS console link for a local deployment: not in the console output nor in any report', async () => {
    revision = await writeRevision({});
    const reports = {
      json: join(work, 'report.json'),
      markdown: join(work, 'report.md'),
      junit: join(work, 'report.xml'),
      properties: join(work, 'deployment.properties'),
    };
    const run = await runCli(
      [
        'local',
        'run',
        revision.dir,
        '--instances',
        '1',
        '--report-json',
        reports.json,
        '--report-markdown',
        reports.markdown,
        '--report-junit',
        reports.junit,
        '--report-properties',
        reports.properties,
      ],
      { cwd: work },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ Deployment d-\w+ to .* succeeded/);
    const everything = [
      run.stdout,
      run.stderr,
      ...(await Promise.all(Object.values(reports).map((f) => readFile(f, 'utf8')))),
    ];
    for (const text of everything) {
      expect(text).not.toMatch(/console\.aws\.amazon\.com|console: |AWS console/);
    }
    const json = JSON.parse(await readFile(reports.json, 'utf8'));
    expect(json.deployment.consoleUrl).toBeUndefined();
    expect(await readFile(reports.properties, 'utf8')).toMatch(/^CONSOLE_URL=$/m);
    // The deployment is still named where the link was.
    expect(await readFile(reports.markdown, 'utf8')).toContain(`\`${json.deployment.id}\``);
  });

  it('local serve prints AWS_DEFAULT_REGION beside AWS_REGION, so the AWS CLI v1 and boto3 find the region', async () => {
    const { child } = startCli(['local', 'serve', '--port', '0', '--state-dir', join(work, 'state')], {
      cwd: work,
    });
    try {
      const stdout = watchStdout(child);
      const [line = ''] = await stdout.until(/export AWS_ENDPOINT_URL=.*$/m);
      // The line as a user pastes it, into a shell that then runs a tool reading only AWS_DEFAULT_REGION.
      const exported = execFileSync(
        'bash',
        [
          '--noprofile',
          '--norc',
          '-c',
          `${line.trim()}\nenv -u AWS_REGION node -p 'JSON.stringify(process.env)'`,
        ],
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      );
      const env = JSON.parse(exported);
      expect(env).toMatchObject({ AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local' });
      expect(env.AWS_REGION).toBeUndefined();
      const client = createCodeDeployClient({ env });
      try {
        expect((await client.send(new ListApplicationsCommand({}))).applications).toEqual([]);
      } finally {
        client.destroy();
      }
    } finally {
      child.kill('SIGINT');
    }
  });
});
