import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchStdout } from '../support/local-fleet.js';
import { EXAMPLES, runCli, startCli } from '../support/run-cli.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-serve-compute-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('codedeploy-gate local serve --compute --minute', () => {
  it('seeds the functions from the file (paths relative to it) and runs canaries on the short minute', async () => {
    // Started from another folder: the seed's runner paths must not depend on the working directory.
    const { child, done } = startCli(
      [
        'local',
        'serve',
        '--port',
        '0',
        '--minute',
        '100ms',
        '--compute',
        join(EXAMPLES, 'lambda', 'local-compute.json'),
      ],
      { cwd: work },
    );
    const stdout = watchStdout(child);
    const [, endpoint = ''] = await stdout.until(/listening on (http:\/\/\S+)/);
    await stdout.until(/Lambda function orders-post-traffic/);
    expect(stdout.text()).toContain('one deployment-configuration minute lasts 100 ms');
    expect(stdout.text()).toContain('Lambda function orders (alias live → 1)');

    const config = { endpoint, region: 'us-east-1', credentials: CREDENTIALS };
    const lambda = new LambdaClient(config);
    const codeDeploy = new CodeDeployClient(config);
    try {
      // examples/lambda/app/index.mjs plays version 1.
      const invoked = await lambda.send(
        new InvokeCommand({ FunctionName: 'orders', Qualifier: 'live', Payload: '{"path":"/health"}' }),
      );
      expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString())).toEqual({
        statusCode: 200,
        body: JSON.stringify({ status: 'ok', version: '1' }),
      });

      await codeDeploy.send(
        new CreateApplicationCommand({ applicationName: 'orders', computePlatform: 'Lambda' }),
      );
      await codeDeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'orders',
          deploymentGroupName: 'live',
          serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeploy',
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        }),
      );
      // Five deployment minutes of canary: half a second here, not five minutes.
      const run = await runCli(
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
          '2',
          '--poll-interval',
          '0.1s',
        ],
        {
          env: {
            AWS_ENDPOINT_URL: endpoint,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            CI: 'true',
          },
        },
      );
      expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('⇄ traffic 100% → version 2 (step 2 of 2');
      const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' }));
      expect(alias.FunctionVersion).toBe('2');
    } finally {
      lambda.destroy();
      codeDeploy.destroy();
      child.kill('SIGINT');
    }
    expect((await done).code).toBe(0);
  });

  it('exits 2 naming the file and the part for a seed the server refuses, starting nothing', async () => {
    const seed = join(work, 'seed.json');
    await writeFile(seed, JSON.stringify({ functions: [{ name: 'orders', runner: { script: 'x.sh' } }] }));
    const run = await runCli(['local', 'serve', '--port', '0', '--compute', seed]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: --compute ${seed}: functions[0].runner`);
    expect(run.stderr).toMatch(/^hint: Fix the seed file; nothing was started/m);
    expect(run.stdout).not.toMatch(/listening on/);
  });

  it('exits 2 for a seed that is not JSON or YAML, a missing seed, and a --minute that is no duration', async () => {
    const broken = join(work, 'seed.yaml');
    await writeFile(broken, 'functions:\n  - name: [orders\n');
    const cases: Array<[string[], RegExp]> = [
      [['--compute', broken], /--compute .*seed\.yaml is not valid YAML/],
      [['--compute', join(work, 'none.json')], /--compute .*none\.json does not exist/],
      [['--minute', 'soon'], /--minute "soon" is not a duration/],
      [['--minute', '0s'], /--minute "0s" must be longer than zero/],
    ];
    for (const [extra, message] of cases) {
      const run = await runCli(['local', 'serve', '--port', '0', ...extra]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('reads a YAML seed', async () => {
    const seed = join(work, 'seed.yaml');
    await writeFile(
      seed,
      [
        'functions:',
        '  - name: greeter',
        '    runner: { command: "echo \'\\"hi\\"\'" }',
        '    versions: [{}]',
        '    aliases: [{ name: live, version: "1" }]',
        'alarms:',
        '  greeter-errors: OK',
        '',
      ].join('\n'),
    );
    const { child, done } = startCli(['local', 'serve', '--port', '0', '--compute', seed]);
    const stdout = watchStdout(child);
    await stdout.until(/alarm greeter-errors: OK/);
    const [, endpoint = ''] = /listening on (http:\/\/\S+)/.exec(stdout.text()) ?? [];
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    try {
      const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'greeter:live' }));
      expect(Buffer.from(invoked.Payload ?? []).toString()).toBe('"hi"');
    } finally {
      lambda.destroy();
      child.kill('SIGINT');
    }
    expect((await done).code).toBe(0);
  });
});
