import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ForwardProxy, startForwardProxy } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployArgs, provisionApp, stopIfActive, useLocalCodeDeploy } from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

// Region and credentials from AWS profiles, as `aws configure` writes them. The CLI reaches the local
// CodeDeploy through a forward proxy that reads each request's SigV4 scope: which key and region the
// CLI actually signed with.
const local = useLocalCodeDeploy({ workPrefix: 'cdg-profile-' });
let proxy: ForwardProxy;

beforeEach(async () => {
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await proxy.close();
});

/** A temp HOME with ~/.aws/config (and credentials, if given); the environment that uses it. */
async function awsHome(config: string, credentials?: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(join(local.work, '.aws'));
  await writeFile(join(local.work, '.aws', 'config'), config);
  if (credentials !== undefined) await writeFile(join(local.work, '.aws', 'credentials'), credentials);
  // No AWS_REGION and no keys: only the profile can supply them.
  return { HOME: local.work, AWS_ENDPOINT_URL: local.server.endpoint, HTTP_PROXY: proxy.url };
}

const CONFIG = `[default]
region = us-west-1
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[profile dev]
region = eu-west-1
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret

[profile ops]
region = ap-southeast-2
aws_access_key_id = AKIDOPS
aws_secret_access_key = ops-secret
`;

describe('AWS profiles', () => {
  it('deploys with the region and keys of AWS_PROFILE from ~/.aws/config', async () => {
    const env = await awsHome(CONFIG);
    const fleet = await provisionApp(local, 'profile-deploy', 1);
    const revision = await local.revision();
    const run = await runCli([...deployArgs(fleet, revision), '--json'], {
      env: { ...env, AWS_PROFILE: 'dev' },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'succeeded' });
    expect(proxy.signatures()).toEqual(new Set(['AKIDDEV eu-west-1 codedeploy', 'AKIDDEV eu-west-1 s3']));
  });

  it('lets --profile win over AWS_PROFILE', async () => {
    const env = await awsHome(CONFIG);
    const run = await runCli(['status', 'd-AAAAAAAAA', '--profile', 'ops'], {
      env: { ...env, AWS_PROFILE: 'dev' },
    });

    // No such deployment (exit 2, answered by the service): the call was made, signed as `ops`.
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain('deployment d-AAAAAAAAA does not exist');
    expect(proxy.signatures()).toEqual(new Set(['AKIDOPS ap-southeast-2 codedeploy']));
  });

  it('lets AWS_REGION win over the profile region', async () => {
    const env = await awsHome(CONFIG);
    const run = await runCli(['status', 'd-AAAAAAAAA'], {
      env: { ...env, AWS_PROFILE: 'dev', AWS_REGION: 'us-west-2' },
    });

    expect(run.stderr).toContain('deployment d-AAAAAAAAA does not exist');
    expect(proxy.signatures()).toEqual(new Set(['AKIDDEV us-west-2 codedeploy']));
  });

  it('uses the [default] profile without AWS_PROFILE, and the credentials file', async () => {
    const env = await awsHome(
      '[default]\nregion = ca-central-1\n',
      '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n',
    );
    const run = await runCli(['status', 'd-AAAAAAAAA'], { env });

    expect(run.stderr).toContain('deployment d-AAAAAAAAA does not exist');
    expect(proxy.signatures()).toEqual(new Set(['AKIDFILE ca-central-1 codedeploy']));
  });

  it('signs with the keys a credential_process prints', async () => {
    const marker = join(local.work, 'credential-process-ran');
    const script = join(local.work, 'creds.sh');
    await writeFile(
      script,
      `#!/bin/sh\n: > '${marker}'\nprintf '{"Version":1,"AccessKeyId":"AKIDPROCESS","SecretAccessKey":"from-process"}'\n`,
    );
    await chmod(script, 0o755);
    const env = await awsHome(`[profile sso-like]\nregion = eu-central-1\ncredential_process = ${script}\n`);
    const fleet = await provisionApp(local, 'profile-process', 1);
    const revision = await local.revision();
    const run = await runCli(
      [...deployArgs(fleet, revision), '--no-wait', '--json', '--profile', 'sso-like'],
      { env },
    );
    if (run.code === 0) local.afterTest(() => stopIfActive(local, JSON.parse(run.stdout).deployment.id));

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(proxy.signatures()).toEqual(
      new Set(['AKIDPROCESS eu-central-1 codedeploy', 'AKIDPROCESS eu-central-1 s3']),
    );
  });

  it('exits 2 naming the profile and the files when the profile does not exist', async () => {
    const env = await awsHome(CONFIG);
    const run = await runCli(['status', 'd-AAAAAAAAA', '--profile', 'nope'], { env });
    const config = join(local.work, '.aws', 'config');

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(
      `AWS profile "nope" (--profile) is not in ${config} or ${join(local.work, '.aws', 'credentials')}`,
    );
    expect(proxy.requests).toEqual([]);
  });

  it('exits 2 naming every place it looked when no region is set anywhere', async () => {
    const configFile = join(local.work, 'elsewhere.ini');
    await writeFile(configFile, '[default]\noutput = json\n');
    // Real AWS (no endpoint), so there is no emulator default either.
    const run = await runCli(['status', 'd-AAAAAAAAA'], {
      env: {
        HOME: local.work,
        AWS_CONFIG_FILE: configFile,
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
      },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain('No AWS region is set');
    for (const place of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'profile "default"', configFile]) {
      expect(run.stderr).toContain(place);
    }
  });
});
