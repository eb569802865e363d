import { afterEach, describe, expect, it } from 'vitest';
import { readInputs } from './inputs.js';

const BASE = { application: 'shop', 'deployment-group': 'prod', 's3-bucket': 'deploys' };

/** Sets the INPUT_* variables the runner would set for `with:`, for one test. */
function withInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

afterEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

describe('readInputs', () => {
  it('packages the folder to s3://bucket/prefix by default, with the defaults of action.yml', () => {
    withInputs({ ...BASE, 's3-prefix': '/builds/shop', exclude: 'docs/**\n# a comment\n*.map' });
    const inputs = readInputs('/work/repo');
    expect(inputs.revision).toEqual({
      kind: 'folder',
      dir: '/work/repo',
      s3Location: 's3://deploys/builds/shop',
      format: 'zip',
      exclude: ['docs/**', '*.map'],
    });
    expect(inputs).toMatchObject({ wait: true, queue: true, timeoutMs: 30 * 60_000, onCancel: 'rollback' });
    expect(inputs.onTimeout).toBeUndefined();
  });

  it('reads an s3:// revision-path as a bundle already in S3, and appspec as a Lambda/ECS revision', () => {
    withInputs({ application: 'shop', 'deployment-group': 'prod', 'revision-path': 's3://b/app.tgz' });
    expect(readInputs('/w').revision).toEqual({ kind: 's3', url: 's3://b/app.tgz' });
    withInputs({ 'revision-path': '', appspec: 'deploy/appspec.yaml' });
    expect(readInputs('/w').revision).toEqual({ kind: 'appspec', file: '/w/deploy/appspec.yaml' });
  });

  it('takes decimals for timeout-minutes, case-insensitive choices and a list for auto-rollback', () => {
    withInputs({
      ...BASE,
      'timeout-minutes': '2.5',
      'on-timeout': 'Stop',
      'file-exists-behavior': 'overwrite',
      'auto-rollback': 'on-failure, on-alarm',
      'poll-interval': '2s',
      'max-poll-interval': '15',
    });
    expect(readInputs('/w')).toMatchObject({
      timeoutMs: 150_000,
      onTimeout: 'stop',
      fileExistsBehavior: 'OVERWRITE',
      autoRollback: ['on-failure', 'on-alarm'],
      pacing: { baseMs: 2_000, maxMs: 15_000 },
    });
  });

  it.each([
    [{ 'revision-type': 'github' }, /input "s3-bucket" is not used with revision-type github/],
    [{ appspec: 'a.yaml' }, /input "appspec" is for Lambda and ECS/],
    [{ 'revision-path': 's3://b/k.zip' }, /input "s3-bucket" is not used when revision-path is already/],
    [{ 'revision-type': 'svn' }, /input "revision-type" must be one of s3, github/],
    [{ 'auto-rollback': 'on-failure,disabled' }, /combines disabled/],
    [{ 'auto-rollback': 'sometimes' }, /input "auto-rollback" has "sometimes"/],
    [{ 'timeout-minutes': '0' }, /input "timeout-minutes" must be a number of minutes above 0/],
    [{ 'timeout-minutes': '1000' }, /at most 360/],
    [{ 'poll-interval': 'often' }, /input "poll-interval" "often" is not a duration/],
    [{ 'poll-interval': '10s', 'max-poll-interval': '5s' }, /input "max-poll-interval" is shorter/],
    [{ 'aws-region': 'Frankfurt' }, /input "aws-region" "Frankfurt" is not an AWS region name/],
    [{ 'bundle-format': 'rar' }, /input "bundle-format" must be one of zip, tgz, tar/],
  ])('rejects %j', (extra, message) => {
    withInputs({ ...BASE, ...extra });
    expect(() => readInputs('/w')).toThrow(message);
  });
});
