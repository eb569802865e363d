import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { computeClients, deploymentsOf, ecsApp, trafficSteps } from '../support/local-compute.js';
import { useLocalCodeDeploy } from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

// A blue/green wait of 30 "minutes" lasts 3 s here at most; the gate continues or stops it long before.
const local = useLocalCodeDeploy({ minuteMs: 100, workPrefix: 'cli-ecs-' });
const POLLING = ['--poll-interval', '0.1s', '--max-poll-interval', '0.2s'];
const ci = () => ({ env: { ...local.env, CI: 'true' } });

let clients: ReturnType<typeof computeClients> | undefined;
const ecs = () => {
  clients ??= computeClients(local);
  return clients.ecs;
};
afterAll(() => {
  clients?.lambda.destroy();
  clients?.ecs.destroy();
});

/** The service's PRIMARY task set's task definition (`family:revision`) and the task sets there are. */
async function serviceState(cluster: string, service: string) {
  const { services = [] } = await ecs().send(new DescribeServicesCommand({ cluster, services: [service] }));
  const taskSets = services[0]?.taskSets ?? [];
  const primary = taskSets.find((set) => set.status === 'PRIMARY')?.taskDefinition ?? '';
  return { primary: primary.slice(primary.lastIndexOf('/') + 1), taskSets: taskSets.length };
}

function ecsArgs(app: { application: string; deploymentGroup: string }, ...extra: string[]) {
  return [
    'deploy',
    '--application',
    app.application,
    '--deployment-group',
    app.deploymentGroup,
    ...POLLING,
    ...extra,
  ];
}

describe('codedeploy-gate deploy --ecs-service', () => {
  it('registers the new image, verifies it in READY_WAIT, continues, and the green task set takes production', async () => {
    const app = await ecsApp(local, 'ecs-go');
    const reportFile = join(local.work, 'report.json');
    const check = `node -e "console.log('smoke test on the test listener: 200 OK (' + process.env.CODEDEPLOY_GATE_WAIT_TYPE + ')')"`;
    const run = await runCli(
      ecsArgs(
        app,
        '--ecs-service',
        'ecs-go/web',
        '--ecs-image',
        'web=registry.example.com/web:2',
        '--continue-after',
        check,
        '--report-json',
        reportFile,
      ),
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const registered = at(
      /^revision: registered task definition ecs-go-web:2 \(web=registry\.example\.com\/web:2\)$/,
    );
    const waiting = at(/^⏸ deployment d-\w+ is in READY_WAIT .*running `node -e/);
    const output = at(/^ {2}│ smoke test on the test listener: 200 OK \(READY_WAIT\)$/);
    const passed = at(/^✓ verification passed: `node -e .*` passed in READY_WAIT$/);
    const continued = at(/^→ ContinueDeployment READY_WAIT: production traffic may move to the new version$/);
    const shifted = at(/⇄ traffic Green 100% \/ Blue 0% \(step 1 of 1, all at once\)/);
    expect(
      [registered, waiting, output, passed, continued, shifted].every((i) => i >= 0),
      run.stdout,
    ).toBe(true);
    expect(registered).toBeLessThan(waiting);
    expect(waiting).toBeLessThan(output);
    expect(output).toBeLessThan(passed);
    expect(passed).toBeLessThan(continued);
    expect(continued).toBeLessThan(shifted);
    // Test traffic is checked before production traffic moves.
    expect(at(/✓ AfterAllowTestTraffic Succeeded/)).toBeLessThan(waiting);

    expect(await serviceState('ecs-go', 'web')).toEqual({ primary: 'ecs-go-web:2', taskSets: 1 });
    const { taskDefinition } = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'ecs-go-web:2' }),
    );
    expect(taskDefinition?.containerDefinitions?.map((c) => [c.name, c.image])).toEqual([
      ['web', 'registry.example.com/web:2'],
      ['log-router', 'registry.example.com/fluent-bit:3'],
    ]);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report).toMatchObject({ verdict: 'succeeded', deployment: { status: 'Succeeded' } });
    expect(report.deployment.ecs).toMatchObject({
      cluster: 'ecs-go',
      service: 'web',
      taskDefinition: 'ecs-go-web:2',
      origin: 'service',
      containerName: 'web',
      containerPort: 8080,
    });
    expect(report.actions.map((a: { kind: string }) => a.kind)).toEqual(
      expect.arrayContaining(['created', 'verification-passed', 'continued']),
    );
    expect(report.deployment.targets[0].trafficShift).toMatchObject({ percent: 100 });
  });

  it('stops with rollback when the --continue-after check fails: exit 1, production traffic never moved', async () => {
    const app = await ecsApp(local, 'ecs-stop');
    const reportFile = join(local.work, 'report.json');
    const run = await runCli(
      ecsArgs(
        app,
        '--ecs-service',
        'ecs-stop/web',
        '--ecs-image',
        'web=registry.example.com/web:2',
        '--continue-after',
        'echo "smoke test: 503 from the test listener" >&2; exit 3',
        '--report-json',
        reportFile,
      ),
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^ {2}│ smoke test: 503 from the test listener$/m);
    expect(run.stdout).toMatch(/^✗ verification failed: `.*` failed in READY_WAIT: stopping with rollback$/m);
    expect(run.stdout).toMatch(/^→ StopDeployment with rollback: /m);
    // No production shift was ever shown, and the service still runs the original task definition.
    expect(trafficSteps(run.stdout).filter(([percent]) => percent > 0)).toEqual([]);
    expect((await serviceState('ecs-stop', 'web')).primary).toBe('ecs-stop-web:1');
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report).toMatchObject({ verdict: 'stopped', exitCode: 1, deployment: { status: 'Stopped' } });
    expect(report.actions.map((a: { kind: string }) => a.kind)).toEqual(
      expect.arrayContaining(['verification-failed', 'stopped']),
    );
    expect(report.deployment.targets[0].trafficShift?.percent ?? 0).toBe(0);
  });

  it('exits 2 for an image override naming a container the task definition lacks, creating nothing', async () => {
    const app = await ecsApp(local, 'ecs-bad');
    const run = await runCli(
      ecsArgs(app, '--ecs-service', 'ecs-bad/web', '--ecs-image', 'api=registry.example.com/api:2'),
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toMatch(/error: no container "api" in .*ecs-bad-web:1.* it has .*web/);
    expect(run.stderr).toMatch(/^hint: /m);
    expect(await deploymentsOf(local, app)).toEqual([]);
    // Nothing registered either: the family's latest revision is still the service's.
    const { taskDefinition } = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'ecs-bad-web' }),
    );
    expect(taskDefinition?.revision).toBe(1);
    expect(await serviceState('ecs-bad', 'web')).toEqual({ primary: 'ecs-bad-web:1', taskSets: 1 });
  });

  it('exits 2 for ECS flags that do not fit, naming the flag, before any AWS call', async () => {
    const app = await ecsApp(local, 'ecs-flags');
    const cases: Array<[string[], RegExp]> = [
      [['--ecs-service', 'web'], /--ecs-service is "web", not CLUSTER\/SERVICE/],
      [
        ['--ecs-service', 'ecs-flags/web', '--hook', 'AfterInstal=fn'],
        /--hook names AfterInstal, which is not a hook event of ECS/,
      ],
      [
        ['--ecs-service', 'ecs-flags/web', '--ecs-subnets', 'subnet-1'],
        /--ecs-subnets needs --ecs-security-groups/,
      ],
      [
        ['--ecs-task-definition', join(local.work, 'nope.json')],
        /--ecs-task-definition names .*nope\.json, which does not exist/,
      ],
    ];
    for (const [extra, message] of cases) {
      const run = await runCli(ecsArgs(app, ...extra), ci());
      expect(run.code, `${extra.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(await deploymentsOf(local, app)).toEqual([]);
  });
});
