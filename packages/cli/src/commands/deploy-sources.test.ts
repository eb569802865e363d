import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

/** Runs `codedeploy-gate ARGS` in-process with no AWS endpoint: only what fails before any call can pass. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const sink = (collect: boolean) =>
    new Writable({
      write(chunk, _encoding, done) {
        if (collect) stderr += chunk;
        done();
      },
    });
  const code = await main(args, {
    stdout: sink(false),
    stderr: sink(true),
    // An endpoint nothing listens on: a call that slipped through would fail with exit 4, not 2.
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1', NO_COLOR: '1' },
  });
  return { code, stderr };
}

const GROUP = ['deploy', '--application', 'orders', '--deployment-group', 'live'];

describe('deploy: one revision source', () => {
  it.each([
    [
      ['--lambda-function', 'orders', '--lambda-alias', 'live', '--appspec-content', 'appspec.yml'],
      /give one revision source, not --appspec-content and --lambda-function/,
    ],
    [
      ['--ecs-service', 'shop/web', '--github-repo', 'acme/shop', '--commit', 'abc1234'],
      /give one revision source, not --github-repo\/--commit and --ecs-task-definition\/--ecs-service/,
    ],
    [
      ['--lambda-function', 'orders', '--ecs-service', 'shop/web'],
      /--lambda-\* and --ecs-\* options do not go together/,
    ],
    [
      ['dist/', '--s3-location', 's3://b/p', '--hook', 'AfterAllowTraffic=f'],
      /--hook applies only to a Lambda/,
    ],
    [
      ['--s3-location', 's3://b/app.zip', '--appspec-format', 'json'],
      /--appspec-format applies only to a Lambda/,
    ],
    [
      ['--lambda-function', 'orders', '--lambda-alias', 'live', '--version', '7'],
      /--version applies only to an existing S3 bundle/,
    ],
  ])('%j exits 2 before any AWS call', async (extra, message) => {
    const result = await run([...GROUP, ...extra]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('points a Lambda user who wrote --version at --lambda-version', async () => {
    const result = await run([
      ...GROUP,
      '--lambda-function',
      'orders',
      '--lambda-alias',
      'live',
      '--version',
      '7',
    ]);
    expect(result.stderr).toContain('hint: For the Lambda version to shift to, use --lambda-version N.');
  });

  it('lists the Lambda and ECS sources when no revision is given', async () => {
    const result = await run(GROUP);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: deploy: no revision given/);
    expect(result.stderr).toMatch(
      /hint: .*--lambda-function NAME --lambda-alias ALIAS, or --ecs-task-definition FILE \/ --ecs-service CLUSTER\/SERVICE/,
    );
  });
});
