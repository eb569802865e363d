import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-validate-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('codedeploy-gate validate', () => {
  it('accepts the sample EC2 revision folder and exits 0', async () => {
    const run = await runCli(['validate', join(EXAMPLES, 'sample-app')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('appspec.yml is valid (server)');
  });

  it('accepts the Lambda and ECS examples, detecting the platform', async () => {
    const lambda = await runCli(['validate', join(EXAMPLES, 'lambda', 'appspec.yml'), '--json']);
    expect(lambda.code).toBe(0);
    expect(JSON.parse(lambda.stdout)).toMatchObject({ valid: true, platform: 'lambda', source: 'file' });
    const ecs = await runCli(['validate', join(EXAMPLES, 'ecs', 'appspec.yaml'), '--json']);
    expect(ecs.code).toBe(0);
    expect(JSON.parse(ecs.stdout)).toMatchObject({ valid: true, platform: 'ecs', errors: 0 });
  });

  it('reports every problem with file:line:column, field and hint, and exits 2', async () => {
    const file = join(work, 'appspec.yml');
    await writeFile(
      file,
      [
        'version: 0.0',
        'os: linux',
        'hooks:',
        '  AfterInstal:',
        '    - location: x.sh',
        '      timeout: 7200',
        '',
      ].join('\n'),
    );
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/appspec\.yml:4:3 error hooks\.AfterInstal/);
    expect(run.stdout).toMatch(/AfterInstall/);
    expect(run.stdout).toMatch(
      /appspec\.yml:6:16 error hooks\.AfterInstal\[0\]\.timeout: timeout "7200" is 7200 seconds, more than the agent's limit of 3600 seconds/,
    );
    expect(run.stdout).toMatch(/2 errors, 0 warnings/);
    expect(run.stdout).toMatch(/hint: /);
  });

  it('gives machine-readable problems with --json', async () => {
    const file = join(work, 'spec.txt');
    await writeFile(file, 'version: "0.0"\nos: solaris\n');
    const run = await runCli(['validate', file, '--json', '--platform', 'server']);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result.valid).toBe(false);
    const paths = result.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'os']));
    for (const problem of result.problems) {
      expect(problem).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
      expect(problem.hint.length).toBeGreaterThan(0);
    }
  });

  it('checks that hook scripts named by a folder appspec exist in the folder', async () => {
    await writeFile(
      join(work, 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n',
    );
    const run = await runCli(['validate', work, '--json']);
    expect(run.code).toBe(2);
    const [problem] = JSON.parse(run.stdout).problems;
    expect(problem).toMatchObject({
      code: 'hook-script-missing',
      line: 5,
      path: 'hooks.ApplicationStart[0].location',
    });
  });

  it('exits 2 with a clear message when PATH does not exist or the folder has no appspec', async () => {
    const missing = await runCli(['validate', join(work, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: cannot read .*nope: no such file or directory/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const empty = await runCli(['validate', work]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no appspec.yml, appspec.yaml or appspec.json at the root/);
  });

  it('rejects an unknown option and an unknown platform with exit 2 and a pointer to --help', async () => {
    const option = await runCli(['validate', work, '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--bogus'/);
    expect(option.stderr).toMatch(/codedeploy-gate validate --help/);
    const platform = await runCli(['validate', work, '--platform', 'k8s']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toMatch(/--platform must be one of server, lambda, ecs/);
  });
});

describe('hostile input: validate refuses what package refuses', () => {
  const APPSPEC = 'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n';

  /** A revision folder whose hook script is a link to /etc/passwd, and GNU tar's archive of it. */
  async function linkedOut(): Promise<{ dir: string; tar: string }> {
    const dir = join(work, 'rev');
    await mkdir(join(dir, 'scripts'), { recursive: true });
    await writeFile(join(dir, 'appspec.yml'), APPSPEC);
    await symlink('/etc/passwd', join(dir, 'scripts', 'start.sh'));
    const tar = join(work, 'rev.tar');
    execFileSync('tar', ['-cf', tar, '-C', dir, '.']);
    return { dir, tar };
  }

  it('exits 2 for a tar whose hook script links to /etc/passwd, as package does for its folder', async () => {
    const { dir, tar } = await linkedOut();
    const pack = await runCli(['package', dir, '--out', join(work, 'x.zip')]);
    expect(pack.code).toBe(2);
    expect(pack.stderr).toContain('scripts/start.sh -> /etc/passwd');
    const run = await runCli(['validate', tar, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems).toEqual([
      expect.objectContaining({ code: 'bundle-symlink-outside', path: 'scripts/start.sh' }),
    ]);
  });

  it('exits 2 for a tar holding appspec.yml twice (appended by tar -r)', async () => {
    const dir = join(work, 'rev');
    await mkdir(join(dir, 'scripts'), { recursive: true });
    await writeFile(join(dir, 'appspec.yml'), APPSPEC);
    await writeFile(join(dir, 'scripts', 'start.sh'), '#!/bin/sh\n');
    const tar = join(work, 'rev.tar');
    execFileSync('tar', ['-cf', tar, '-C', dir, '.']);
    await writeFile(join(dir, 'appspec.yml'), 'version: 0.0\nos: linux\n');
    execFileSync('tar', ['-rf', tar, '-C', dir, './appspec.yml']);
    const run = await runCli(['validate', tar]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/error appspec\.yml: the bundle holds 2 entries named appspec\.yml/);
  });

  it('exits 2 with file:line for timeout: 1e400', async () => {
    const file = join(work, 'appspec.yml');
    await writeFile(
      file,
      'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: 1e400\n',
    );
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /appspec\.yml:6:16 error hooks\.AfterInstall\[0\]\.timeout: timeout "1e400" is not a finite number/,
    );
  });
});

describe('codedeploy-gate', () => {
  it('prints help listing every command and the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['validate', 'package', 'push']) expect(run.stdout).toContain(command);
    expect(run.stdout).toMatch(/4 AWS or network failure/);
  });

  it('exits 2 for an unknown command', async () => {
    const run = await runCli(['deploi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "deploi"/);
  });
});
