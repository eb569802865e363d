import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { createCodeDeployClient } from './clients.js';
import { hasAwsConsole, isAwsEndpointHost } from './console-link.js';

describe('isAwsEndpointHost', () => {
  it.each<[string, boolean]>([
    ['codedeploy.eu-west-1.amazonaws.com', true],
    ['codedeploy-fips.us-gov-west-1.amazonaws.com', true],
    ['codedeploy.cn-north-1.amazonaws.com.cn', true],
    ['codedeploy.eu-west-1.api.aws', true],
    ['vpce-0a1b2c3d.codedeploy.eu-west-1.vpce.amazonaws.com', true],
    ['CODEDEPLOY.EU-WEST-1.AMAZONAWS.COM.', true],
    ['127.0.0.1', false],
    ['localhost', false],
    ['codedeploy.local', false],
    ['amazonaws.com.example.com', false],
    ['notamazonaws.com', false],
    ['api.aws.example.net', false],
  ])('%s: %s', (host, aws) => {
    expect(isAwsEndpointHost(host)).toBe(aws);
  });
});

describe('hasAwsConsole', () => {
  const credentials = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'eu-west-1' };

  it.each<[NodeJS.ProcessEnv, boolean]>([
    [{}, true],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4599' }, false],
    [{ AWS_ENDPOINT_URL_CODEDEPLOY: 'http://localhost:4599' }, false],
    [{ AWS_ENDPOINT_URL: 'https://codedeploy-fips.eu-west-1.amazonaws.com' }, true],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4599', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, true],
  ])('knows where a client made from %j deploys', async (env, aws) => {
    const client = createCodeDeployClient({ env: { ...credentials, ...env } });
    try {
      expect(await hasAwsConsole(client)).toBe(aws);
    } finally {
      client.destroy();
    }
  });

  it('reads a client the caller configured with an endpoint of its own', async () => {
    const client = new CodeDeployClient({ region: 'eu-west-1', endpoint: 'http://10.0.0.5:8080' });
    try {
      expect(await hasAwsConsole(client)).toBe(false);
    } finally {
      client.destroy();
    }
  });
});
