import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProcess } from '@codedeploy-gate/test-support';
import { describe, expect, it } from 'vitest';

// `pnpm demo` promises to show each lifecycle event as it happens. A newcomer runs it in a terminal,
// where the CLI draws a live block: the demo runs here on a pseudo-terminal (util-linux `script`),
// the way they see it, without the build (`--no-build`; the suite has built the CLI already).

const DEMO = fileURLToPath(new URL('../../../../scripts/demo.mjs', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('pnpm demo', () => {
  it('shows every lifecycle event of every instance as it happens, on a terminal', async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(DEMO)} --no-build`;
    // A terminal's environment, not CI's: the CLI draws its live block only for a person.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', NO_COLOR: '1' };
    const run = await startProcess(
      ...((hasScript ? ['script', ['-qefc', command, '/dev/null']] : ['sh', ['-c', command]]) as [
        string,
        string[],
      ]),
      { env },
    ).done;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    if (hasScript) expect(run.stdout, 'the live block of a terminal').toMatch(/\u001b\[\d+A/);
    // What stays on the screen: the block's redraws (cursor up, erase down) taken out.
    const text = run.stdout.replace(/\r/g, '').replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    for (const instance of ['sample-app-1', 'sample-app-2', 'sample-app-3']) {
      for (const event of [
        'ApplicationStop',
        'DownloadBundle',
        'Install',
        'ApplicationStart',
        'ValidateService',
      ]) {
        expect(text).toMatch(new RegExp(`^ {2}${instance} +✓ ${event} Succeeded \\d+\\.\\d s$`, 'm'));
      }
    }
    // An event seen running is shown when it starts, then again when it ends (ValidateService's health
    // check takes about a second: at least one start is seen).
    const started = [...text.matchAll(/^ {2}(\S+) +… (\w+)$/gm)];
    expect(started.length).toBeGreaterThan(0);
    for (const [line, instance, event] of started) {
      const ended = new RegExp(`^ {2}${instance} +✓ ${event} Succeeded`, 'm').exec(text);
      expect(ended?.index, line).toBeGreaterThan(text.indexOf(line));
    }
    expect(text).toMatch(/each line is a lifecycle event on one instance/);
    expect(text).toMatch(/✓ Deployment d-\w+ to sample-app\/sample-app-local succeeded on 3 of 3 targets/);
    expect(text).not.toMatch(/^building \d+ packages/m);
  });
});
