import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/index.js';
import { resolveRegion } from './config.js';
import { withAwsProfile } from './profile.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aws-profile-'));
  env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  await writeFile(
    join(dir, 'config'),
    '[default]\nregion = us-west-1\n\n[profile dev]\nregion = eu-west-1\n\n[profile typo]\nregion = Europe\n',
  );
  await writeFile(
    join(dir, 'credentials'),
    '[ci]\naws_access_key_id = A\naws_secret_access_key = B\nregion = sa-east-1\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withAwsProfile', () => {
  it("takes the region of AWS_PROFILE's [profile x] section, and carries the profile to the clients", async () => {
    const options = await withAwsProfile({ env: { ...env, AWS_PROFILE: 'dev' } });
    expect(options).toMatchObject({ region: 'eu-west-1', profile: 'dev' });
    expect(resolveRegion(options)).toBe('eu-west-1');
  });

  it('reads a profile that is only in the credentials file', async () => {
    expect(await withAwsProfile({ env, profile: 'ci' })).toMatchObject({
      region: 'sa-east-1',
      profile: 'ci',
    });
  });

  it('uses [default] without a profile, and leaves a set region alone', async () => {
    expect((await withAwsProfile({ env })).region).toBe('us-west-1');
    expect(
      (await withAwsProfile({ env: { ...env, AWS_DEFAULT_REGION: 'eu-north-1' } })).region,
    ).toBeUndefined();
    expect((await withAwsProfile({ env, profile: 'dev', region: 'ap-south-1' })).region).toBe('ap-south-1');
  });

  it('refuses a region that is no region name, naming the profile', async () => {
    await expect(withAwsProfile({ env, profile: 'typo' })).rejects.toMatchObject({
      exitCode: ExitCode.InvalidInput,
      message: 'region of AWS profile typo "Europe" is not an AWS region name',
    });
  });

  it('refuses a named profile that is in neither file, naming both', async () => {
    await expect(withAwsProfile({ env: { ...env, AWS_PROFILE: 'prod' } })).rejects.toMatchObject({
      exitCode: ExitCode.InvalidInput,
      message: `AWS profile "prod" (AWS_PROFILE) is not in ${join(dir, 'config')} or ${join(dir, 'credentials')}`,
    });
  });
});
