import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateApplicationCommand, CreateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { startLocalCodeDeploy } from '@codedeploy-gate/local';
import { describe, expect, it } from 'vitest';
import { readComputeSeedFile } from '../../src/commands/compute-seed-file.js';
import { COMMANDS } from '../../src/commands/index.js';
import { computeClients, trafficSteps } from '../support/local-compute.js';
import { useLocalCodeDeploy } from '../support/local-fleet.js';
import { EXAMPLES, runCli } from '../support/run-cli.js';

// The Lambda, ECS and Jenkins examples are what users copy: their seeds must load, every option their
// commands pass must exist, and the walk-throughs must do what their READMEs say.

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const FILES_WITH_COMMANDS = [
  'examples/lambda/try-local.sh',
  'examples/lambda/README.md',
  'examples/ecs/README.md',
  'examples/jenkins/Jenkinsfile',
  'packages/cli/README.md',
  'actions/jenkins/README.md',
];
/** How the examples call the CLI: the command itself, the Jenkins wrapper, or a shell function/variable for it. */
const INVOCATION =
  /(?:^|[\s(;&|/])(?:pnpm exec )?(?:node \S*codedeploy-gate\.js|codedeploy-gate(?:-jenkins)?|gate|"\$CODEDEPLOY_GATE")\s+([a-z-][^\n]*)$/;

/** Each call of the CLI in a file: the command (`deploy` by default, as the wrapper does) and its options. */
function invocations(text: string): Array<{ command: string; flags: string[]; line: string }> {
  const logical = text.replace(/\\\n\s*/g, ' ').split('\n');
  return logical.flatMap((line) => {
    const match = INVOCATION.exec(line);
    if (!match?.[1]) return [];
    // Quoted arguments (a --continue-after command) hold other programs' options.
    const args = match[1].replace(/'[^']*'|"[^"]*"/g, 'ARG');
    const words = args.split(/\s+/);
    const first = words[0] ?? '';
    const command = COMMANDS.some((c) => c.name === first) ? first : 'deploy';
    return [
      {
        command,
        flags: [...args.matchAll(/(?<=^|\s)(--[a-z][a-z0-9-]*)/g)].map((m) => m[1] ?? ''),
        line,
      },
    ];
  });
}

describe('example commands', () => {
  it.each(FILES_WITH_COMMANDS)('%s passes only options the CLI has', async (file) => {
    const calls = invocations(await readFile(join(REPO, file), 'utf8'));
    expect(calls.length, 'no codedeploy-gate command found').toBeGreaterThan(0);
    const usages = new Map(
      await Promise.all(COMMANDS.map(async (c) => [c.name, (await c.load()).usage] as const)),
    );
    const unknown = calls.flatMap(({ command, flags, line }) => {
      const usage = usages.get(command) ?? '';
      return flags
        .filter((flag) => !['--json', '--debug', '--help'].includes(flag))
        .filter((flag) => !new RegExp(`${flag}(?![a-z-])`).test(usage))
        .map((flag) => `${flag} (${command}) in: ${line.trim()}`);
    });
    expect(unknown).toEqual([]);
  });

  it('cover the Lambda and ECS options', async () => {
    const flags = new Set<string>();
    for (const file of FILES_WITH_COMMANDS) {
      for (const call of invocations(await readFile(join(REPO, file), 'utf8'))) {
        for (const flag of call.flags) flags.add(flag);
      }
    }
    for (const flag of [
      '--lambda-function',
      '--lambda-zip',
      '--lambda-version',
      '--hook',
      '--ecs-task-definition',
      '--ecs-service',
      '--ecs-image',
      '--continue-after',
      '--minute',
      '--compute',
    ]) {
      expect(flags, flag).toContain(flag);
    }
  });
});

describe('example seeds', () => {
  it.each(['lambda', 'ecs'])(
    'examples/%s/local-compute.json loads into the local CodeDeploy',
    async (name) => {
      const seed = await readComputeSeedFile(join(EXAMPLES, name, 'local-compute.json'), '/');
      const server = await startLocalCodeDeploy({ port: 0, compute: seed });
      try {
        const state = server.store.state;
        if (name === 'lambda') {
          expect(server.compute.runtime.lambda.alias('orders', 'live')).toEqual({
            version: '1',
            weights: {},
          });
          for (const version of ['1', '2', '3'])
            expect(server.compute.runtime.lambda.versionExists('orders', version)).toBe(true);
          // Module runners point at files that exist, wherever the server was started.
          for (const fn of ['orders', 'orders-pre-traffic', 'orders-post-traffic']) {
            const runner = state.lambda.functions[fn]?.latest.runner;
            expect(runner && 'module' in runner && existsSync(runner.module), fn).toBe(true);
          }
        } else {
          const service = server.compute.runtime.ecs.service('shop', 'web');
          expect(service?.taskDefinition).toMatch(/task-definition\/web:1$/);
        }
      } finally {
        await server.close();
      }
    },
  );
});

describe('the walk-throughs', () => {
  // 400 ms per minute: the canary's 10 % step lasts 2 s, time enough for the gate to see it on a busy machine.
  const local = useLocalCodeDeploy({ minuteMs: 400, workPrefix: 'cli-examples-' });
  const env = () => ({ env: { ...local.env, CI: 'true' } });

  it('examples/lambda: version 2 goes out as a canary, version 3 is stopped by its pre-traffic check', async () => {
    // The example folder as a user has it after `npm install` in hooks/ (the SDK linked from here).
    const example = join(local.work, 'lambda');
    await cp(join(EXAMPLES, 'lambda'), example, {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    await mkdir(join(example, 'hooks', 'node_modules', '@aws-sdk'), { recursive: true });
    for (const sdk of ['client-codedeploy', 'client-lambda']) {
      const installed = fileURLToPath(new URL(`../../node_modules/@aws-sdk/${sdk}`, import.meta.url));
      await symlink(installed, join(example, 'hooks', 'node_modules', '@aws-sdk', sdk), 'dir');
    }
    local.server.compute.seed(await readComputeSeedFile(join(example, 'local-compute.json'), '/'));
    await local.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'orders', computePlatform: 'Lambda' }),
    );
    await local.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'orders',
        deploymentGroupName: 'live',
        serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      }),
    );
    const release = (version: string) =>
      runCli(
        [
          'deploy',
          '--application',
          'orders',
          '--deployment-group',
          'live',
          '--lambda-function',
          'orders',
          '--lambda-alias',
          'live',
          '--lambda-version',
          version,
          '--hook',
          'BeforeAllowTraffic=orders-pre-traffic',
          '--hook',
          'AfterAllowTraffic=orders-post-traffic',
          '--poll-interval',
          '0.1s',
        ],
        env(),
      );
    const { lambda, ecs } = computeClients(local);
    try {
      const good = await release('2');
      expect(good.code, `${good.stdout}${good.stderr}`).toBe(0);
      expect(trafficSteps(good.stdout)).toEqual([
        [10, 1, 2],
        [100, 2, 2],
      ]);
      expect(good.stdout).toMatch(/orders:live +✓ BeforeAllowTraffic Succeeded/);
      expect(good.stdout).toMatch(/orders:live +✓ AfterAllowTraffic Succeeded/);

      const bad = await release('3');
      expect(bad.code, `${bad.stdout}${bad.stderr}`).toBe(1);
      expect(bad.stdout).toMatch(
        /orders:live: BeforeAllowTraffic failed \(ScriptFailed\) in orders-pre-traffic/,
      );
      expect(bad.stdout).toMatch(
        /\| pre-traffic check for deployment d-\w+: FAILED: orders version 3: statusCode 500 database unreachable/,
      );
      expect(trafficSteps(bad.stdout).filter(([percent]) => percent > 0)).toEqual([]);
      const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' }));
      expect(alias.FunctionVersion).toBe('2');
    } finally {
      lambda.destroy();
      ecs.destroy();
    }
  });

  it('examples/ecs: taskdef.json with a new image goes to shop/web after the check in READY_WAIT', async () => {
    local.server.compute.seed(await readComputeSeedFile(join(EXAMPLES, 'ecs', 'local-compute.json'), '/'));
    const group = JSON.parse(await readFile(join(EXAMPLES, 'ecs', 'deployment-group.json'), 'utf8'));
    await local.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }),
    );
    await local.codeDeploy.send(new CreateDeploymentGroupCommand(group));
    const image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.4.1';
    const run = await runCli(
      [
        'deploy',
        '--application',
        'shop',
        '--deployment-group',
        'web',
        '--ecs-task-definition',
        join(EXAMPLES, 'ecs', 'taskdef.json'),
        '--ecs-service',
        'shop/web',
        '--ecs-image',
        `web=${image}`,
        '--continue-after',
        'echo "smoke test in $CODEDEPLOY_GATE_WAIT_TYPE"',
        '--poll-interval',
        '0.1s',
      ],
      env(),
    );
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`revision: registered task definition web:2 (web=${image})`);
    expect(run.stdout).toMatch(/^ {2}│ smoke test in READY_WAIT$/m);
    expect(run.stdout).toMatch(/→ ContinueDeployment READY_WAIT/);
    const steps = trafficSteps(run.stdout);
    expect(steps.at(-1)).toEqual([100, 10, 10]);
    // Linear steps only grow.
    expect(steps.map(([percent]) => percent)).toEqual(
      [...steps.map(([percent]) => percent)].sort((a, b) => a - b),
    );

    const { ecs, lambda } = computeClients(local);
    try {
      const { services = [] } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }),
      );
      const primary = services[0]?.taskSets?.find((set) => set.status === 'PRIMARY');
      expect(primary?.taskDefinition).toMatch(/task-definition\/web:2$/);
    } finally {
      ecs.destroy();
      lambda.destroy();
    }
  });
});
