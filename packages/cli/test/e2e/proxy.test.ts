import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  closedPort,
  type ForwardProxy,
  startForwardProxy,
  startTlsFront,
  type TlsFront,
} from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deployArgs,
  provisionApp,
  stopIfActive,
  untilStatus,
  useLocalCodeDeploy,
} from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

// The CLI behind a corporate proxy: HTTP_PROXY / HTTPS_PROXY / NO_PROXY, a proxy password that never
// shows, AWS_CA_BUNDLE for an endpoint whose certificate only that file vouches for.
const local = useLocalCodeDeploy({ workPrefix: 'cdg-proxy-' });
let proxy: ForwardProxy;

beforeEach(async () => {
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await proxy.close();
});

/** A deployment made directly (no proxy), ended; its id. */
async function endedDeployment(application: string): Promise<string> {
  const fleet = await provisionApp(local, application, 1);
  const revision = await local.revision();
  const run = await runCli([...deployArgs(fleet, revision), '--no-wait', '--json'], { env: local.env });
  expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
  const id: string = JSON.parse(run.stdout).deployment.id;
  local.afterTest(() => stopIfActive(local, id));
  await untilStatus(local, id);
  return id;
}

describe('behind an HTTP proxy', () => {
  it('sends every call of deploy (S3 upload and CodeDeploy) through HTTP_PROXY', async () => {
    const fleet = await provisionApp(local, 'proxied-deploy', 1);
    const revision = await local.revision();
    const reports = ['json', 'markdown', 'junit', 'properties'].map((kind) =>
      join(local.work, `report.${kind}`),
    );
    const run = await runCli(
      [
        ...deployArgs(fleet, revision),
        '--json',
        ...['json', 'markdown', 'junit', 'properties'].flatMap((kind, i) => [
          `--report-${kind}`,
          reports[i] as string,
        ]),
      ],
      { env: { ...local.env, HTTP_PROXY: `http://deployer:s3cret@127.0.0.1:${proxy.port}` } },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'succeeded' });
    const targets = proxy.requests.map((r) => `${r.method} ${new URL(r.target).pathname}`);
    expect(targets).toContain('POST /');
    expect(targets.some((t) => t.startsWith(`PUT /${fleet.bucket}/`))).toBe(true);
    // Absolute-URI requests to the endpoint, each with the proxy's credentials.
    for (const request of proxy.requests) {
      expect(request.target.startsWith(`${local.server.endpoint}/`)).toBe(true);
      expect(request.credentials).toBe('deployer:s3cret');
    }
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cret');
    for (const file of reports) expect(await readFile(file, 'utf8')).not.toContain('s3cret');
  });

  it('reads the lower-case http_proxy too, for status', async () => {
    const id = await endedDeployment('proxied-status');
    const run = await runCli(['status', id], { env: { ...local.env, http_proxy: proxy.url } });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${id} proxied-status/proxied-status-local: Succeeded`, 'm'));
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const id = await endedDeployment('no-proxy');
    const run = await runCli(['status', id], {
      env: { ...local.env, HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(proxy.requests).toEqual([]);
  });

  it('exits 4 naming the proxy, never its password, when the proxy is down', async () => {
    const port = await closedPort();
    const revision = await local.revision();
    const fleet = await provisionApp(local, 'dead-proxy', 1);
    const run = await runCli(deployArgs(fleet, revision), {
      env: {
        ...local.env,
        HTTP_PROXY: `http://deployer:s3cret@127.0.0.1:${port}`,
        AWS_MAX_ATTEMPTS: '2',
      },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(4);
    expect(run.stderr).toContain(`could not connect to the proxy http://127.0.0.1:${port} (HTTP_PROXY)`);
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cret');
  });
});

describe('behind an HTTPS proxy (CONNECT), with AWS_CA_BUNDLE', () => {
  let front: TlsFront;
  beforeEach(async () => {
    front = await startTlsFront(local.server.endpoint);
  });
  afterEach(async () => {
    await front.close();
  });

  it('tunnels to an https endpoint trusted through AWS_CA_BUNDLE', async () => {
    const id = await endedDeployment('proxied-tls');
    const run = await runCli(['status', id], {
      env: {
        ...local.env,
        AWS_ENDPOINT_URL: front.endpoint,
        HTTPS_PROXY: `http://deployer:s3cret@127.0.0.1:${proxy.port}`,
        AWS_CA_BUNDLE: front.caFile,
      },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${id} proxied-tls/proxied-tls-local: Succeeded`, 'm'));
    const { host } = new URL(front.endpoint);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.method === 'CONNECT' && r.target === host)).toBe(true);
    expect(proxy.requests[0]?.credentials).toBe('deployer:s3cret');
  });

  it('refuses the self-signed endpoint without AWS_CA_BUNDLE (exit 4)', async () => {
    const run = await runCli(['status', 'd-AAAAAAAAA'], {
      env: { ...local.env, AWS_ENDPOINT_URL: front.endpoint, HTTPS_PROXY: proxy.url, AWS_MAX_ATTEMPTS: '1' },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(4);
    expect(run.stderr).toMatch(/self[- ]signed certificate/i);
    expect(proxy.requests.map((r) => r.method)).toContain('CONNECT');
  });

  it('exits 2 when AWS_CA_BUNDLE is not a readable PEM file', async () => {
    const notPem = join(local.work, 'bundle.der');
    await writeFile(notPem, 'not a certificate');
    const run = await runCli(['status', 'd-AAAAAAAAA'], {
      env: { ...local.env, AWS_ENDPOINT_URL: front.endpoint, AWS_CA_BUNDLE: notPem },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(`AWS_CA_BUNDLE ${notPem} holds no PEM certificate`);
  });
});

describe('credential providers behind the proxy', () => {
  // Real AWS endpoints (no AWS_ENDPOINT_URL): the test proxy records the tunnel and refuses it, so
  // the command fails (exit 4), after having asked the proxy for the provider's host.
  const realAws = () => ({
    HOME: local.work,
    AWS_REGION: 'eu-west-1',
    HTTPS_PROXY: proxy.url,
    AWS_MAX_ATTEMPTS: '1',
  });

  it('asks STS for web identity credentials through HTTPS_PROXY', async () => {
    const token = join(local.work, 'token');
    await writeFile(token, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.');
    const run = await runCli(['status', 'd-AAAAAAAAA'], {
      env: {
        ...realAws(),
        AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/ci',
        AWS_WEB_IDENTITY_TOKEN_FILE: token,
      },
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(4);
    expect(proxy.requests.map((r) => r.target)).toContain('sts.eu-west-1.amazonaws.com:443');
  });

  it('asks the SSO portal for role credentials through HTTPS_PROXY', async () => {
    const startUrl = 'https://example.awsapps.com/start';
    const cache = join(local.work, '.aws', 'sso', 'cache');
    await mkdir(cache, { recursive: true });
    await writeFile(
      join(cache, `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({
        startUrl,
        region: 'eu-west-1',
        accessToken: 'cached-sso-token',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    await writeFile(
      join(local.work, '.aws', 'config'),
      `[profile sso]\nsso_start_url = ${startUrl}\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = Deploy\n`,
    );
    const run = await runCli(['status', 'd-AAAAAAAAA', '--profile', 'sso'], { env: realAws() });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(4);
    expect(proxy.requests.map((r) => r.target)).toContain('portal.sso.eu-west-1.amazonaws.com:443');
  });
});
