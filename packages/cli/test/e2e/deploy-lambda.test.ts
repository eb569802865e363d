import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import {
  answering,
  computeClients,
  deploymentsOf,
  exampleHookFunctions,
  lambdaApp,
  trafficSteps,
  writeCodePackage,
} from '../support/local-compute.js';
import { useLocalCodeDeploy } from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

// One deployment-configuration minute lasts 400 ms: a canary's 5 minutes take 2 s, a 10-step linear
// shift 4 s, and a poll every 100 ms sees each step.
const local = useLocalCodeDeploy({ minuteMs: 400, workPrefix: 'cli-lambda-' });
const POLLING = ['--poll-interval', '0.1s', '--max-poll-interval', '0.2s'];
/** A CI log: one line per change, no redrawn block. */
const ci = () => ({ env: { ...local.env, CI: 'true' } });

let clients: ReturnType<typeof computeClients> | undefined;
const lambda = () => {
  clients ??= computeClients(local);
  return clients.lambda;
};
afterAll(() => {
  clients?.lambda.destroy();
  clients?.ecs.destroy();
});

const aliasOf = (functionName: string) =>
  lambda().send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));

function lambdaArgs(app: { application: string; deploymentGroup: string }, fn: string, ...extra: string[]) {
  return [
    'deploy',
    '--application',
    app.application,
    '--deployment-group',
    app.deploymentGroup,
    '--lambda-function',
    fn,
    '--lambda-alias',
    'live',
    ...POLLING,
    ...extra,
  ];
}

describe('codedeploy-gate deploy --lambda-function', () => {
  it('uploads a code package, publishes it and shifts the alias as a canary: 10 %, then 100 %', async () => {
    local.server.compute.putFunction({
      name: 'canary-fn',
      runner: answering(200),
      versions: [{}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const app = await lambdaApp(local, 'canary-app', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    const zip = await writeCodePackage(join(local.work, 'canary-fn.zip'), 'canary-fn build 2');
    const reportFile = join(local.work, 'report.json');
    const run = await runCli(
      [...lambdaArgs(app, 'canary-fn', '--lambda-zip', zip), '--report-json', reportFile],
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`revision: updating the code of canary-fn from ${zip}`);
    expect(run.stdout).toContain('revision: published version 2 of canary-fn');
    // The canary step was seen while it lasted, then the full shift.
    expect(trafficSteps(run.stdout)).toEqual([
      [10, 1, 2],
      [100, 2, 2],
    ]);
    expect(run.stdout).toMatch(
      /canary-fn:live +⇄ traffic 10% → version 2 \(step 1 of 2, canary 10% then 100% after 5m\) · \d+:\d\d/,
    );
    // The published version precedes the deployment, and the shift precedes the verdict.
    const published = run.stdout.indexOf('published version 2');
    const created = run.stdout.search(/deployment d-\w+ created/);
    const full = run.stdout.indexOf('⇄ traffic 100%');
    expect(published).toBeLessThan(created);
    expect(created).toBeLessThan(full);
    // The final report says where the traffic ended.
    expect(run.stdout).toMatch(/^canary-fn:live +Succeeded .*version 1 → 2, 100% on 2 \(step 2 of 2/m);

    const alias = await aliasOf('canary-fn');
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report.deployment.lambda).toEqual({
      functionName: 'canary-fn',
      alias: 'live',
      currentVersion: '1',
      targetVersion: '2',
      origin: 'uploaded',
    });
    expect(report.deployment.targets[0].trafficShift).toMatchObject({ percent: 100, step: 2, steps: 2 });
  });

  it('shows a linear shift step by step: 10 % more every interval until 100 %', async () => {
    local.server.compute.putFunction({
      name: 'linear-fn',
      runner: answering(200),
      versions: [{}, {}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const app = await lambdaApp(local, 'linear-app');
    const run = await runCli(
      [
        ...lambdaArgs(app, 'linear-fn', '--lambda-version', '2'),
        '--deployment-config',
        'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      ],
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    // Each line is one step as the gate saw it: 10 % more per step, in order, ending at 100 %. (A poll
    // delayed past a whole step on a loaded machine may skip one; the local engine's own test pins
    // every step.)
    const steps = trafficSteps(run.stdout);
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(steps.at(-1)).toEqual([100, 10, 10]);
    for (const [index, [percent, step, of]] of steps.entries()) {
      expect([percent, of]).toEqual([step * 10, 10]);
      if (index > 0) expect(step).toBeGreaterThan(steps[index - 1]![1]);
    }
    expect(run.stdout).toContain('(step 4 of 10, linear 10% every 1m)');
    expect((await aliasOf('linear-fn')).FunctionVersion).toBe('2');
  });

  it('fails the gate and rolls the alias back when the AfterAllowTraffic hook function reports Failed', async () => {
    // The example's post-traffic check calls the alias; version 2 answers 500.
    const hooks = await exampleHookFunctions(local.work);
    local.server.compute.seed({
      functions: [
        {
          name: 'broken-fn',
          runner: answering(200),
          versions: [{}, { runner: answering(500) }],
          aliases: [{ name: 'live', version: '1' }],
        },
        { name: 'broken-fn-post-traffic', runner: { module: join(hooks, 'post-traffic.mjs') } },
      ],
    });
    const app = await lambdaApp(local, 'broken-app', {
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const reportFile = join(local.work, 'report.json');
    const run = await runCli(
      [
        ...lambdaArgs(app, 'broken-fn', '--lambda-version', '2'),
        '--hook',
        'AfterAllowTraffic=broken-fn-post-traffic',
        '--appspec-format',
        'json',
        '--report-json',
        reportFile,
      ],
      ci(),
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/broken-fn:live +⇄ traffic 100% → version 2/);
    expect(run.stdout).toMatch(/broken-fn:live +✗ AfterAllowTraffic Failed/);
    // The hook's own log line, from its invocation's log tail.
    expect(run.stdout).toMatch(
      /\| post-traffic check for deployment d-\w+: FAILED: broken-fn:live call 1: statusCode 500/,
    );
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report).toMatchObject({ verdict: 'failed', exitCode: 1, deployment: { status: 'Failed' } });
    expect(report.rollback).toMatchObject({ status: 'Succeeded' });
    expect(run.stdout).toMatch(new RegExp(`rolled back by ${report.rollback.id} \\(Succeeded\\)`));
    expect(run.stdout).toMatch(new RegExp(`rollback ${report.rollback.id} Succeeded`));

    const alias = await aliasOf('broken-fn');
    expect(alias.FunctionVersion).toBe('1');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });

  it('exits 2 for a --lambda-version the function does not have, creating no deployment', async () => {
    local.server.compute.putFunction({
      name: 'nover-fn',
      runner: answering(200),
      versions: [{}, {}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const app = await lambdaApp(local, 'nover-app');
    const run = await runCli(lambdaArgs(app, 'nover-fn', '--lambda-version', '9'), ci());

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain('error: Lambda function nover-fn has no version 9; nothing was created');
    expect(run.stderr).toMatch(/hint: Give a published version/);
    expect(await deploymentsOf(local, app)).toEqual([]);
    expect((await aliasOf('nover-fn')).FunctionVersion).toBe('1');
  });

  it('exits 2 for flags that do not fit a Lambda deployment before any AWS call', async () => {
    local.server.compute.putFunction({
      name: 'flags-fn',
      runner: answering(200),
      versions: [{}, {}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const app = await lambdaApp(local, 'flags-app');
    const cases: Array<[string[], RegExp]> = [
      [
        ['--hook', 'AfterAllowTestTraffic=check'],
        /--hook names AfterAllowTestTraffic, which is not a hook event of Lambda/,
      ],
      [
        ['--lambda-zip', join(local.work, 'missing.zip')],
        /--lambda-zip names .*missing\.zip, which does not exist/,
      ],
      [['--ecs-image', 'web=nginx:2'], /--lambda-\* and --ecs-\* options do not go together/],
      [['--continue-after', 'true'], /a continue-after check never runs for a Lambda deployment/],
      [
        ['--deployment-config', 'CodeDeployDefault.OneAtATime'],
        /deployment configuration "CodeDeployDefault\.OneAtATime" is for the Server compute platform/,
      ],
    ];
    for (const [extra, message] of cases) {
      const run = await runCli(lambdaArgs(app, 'flags-fn', ...extra), ci());
      expect(run.code, `${extra.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^hint: /m);
    }
    expect(await deploymentsOf(local, app)).toEqual([]);
    const { Versions = [] } = await lambda().send(
      new ListVersionsByFunctionCommand({ FunctionName: 'flags-fn' }),
    );
    expect(Versions.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
  });

  it('refuses a busy group before uploading or publishing anything, and with --queue deploys after it', async () => {
    local.server.compute.putFunction({
      name: 'busy-fn',
      runner: answering(200),
      versions: [{}, {}],
      aliases: [{ name: 'live', version: '1' }],
    });
    // A slow canary (5 minutes of 400 ms) holds the group while the second deploy starts.
    const app = await lambdaApp(local, 'busy-app', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    const first = await runCli([...lambdaArgs(app, 'busy-fn', '--lambda-version', '2'), '--no-wait'], ci());
    expect(first.code, first.stderr).toBe(0);
    const zip = await writeCodePackage(join(local.work, 'busy-fn.zip'), 'busy-fn build 3');

    const refused = await runCli(lambdaArgs(app, 'busy-fn', '--lambda-zip', zip), ci());
    expect(refused.code, `${refused.stdout}${refused.stderr}`).toBe(2);
    expect(refused.stderr).toMatch(/already has an active deployment d-\w+; nothing was created/);
    const versions = async () =>
      (
        (await lambda().send(new ListVersionsByFunctionCommand({ FunctionName: 'busy-fn' }))).Versions ?? []
      ).map((v) => v.Version);
    expect(await versions()).toEqual(['$LATEST', '1', '2']);
    expect(await deploymentsOf(local, app)).toHaveLength(1);

    // With --queue the gate waits for the canary to end, then reads the alias on 2 and publishes 3.
    const queued = await runCli([...lambdaArgs(app, 'busy-fn', '--lambda-zip', zip), '--queue'], ci());
    expect(queued.code, `${queued.stdout}${queued.stderr}`).toBe(0);
    expect(queued.stdout).toMatch(/published version 3 of busy-fn/);
    expect(await versions()).toEqual(['$LATEST', '1', '2', '3']);
    expect((await aliasOf('busy-fn')).FunctionVersion).toBe('3');
  });
});
