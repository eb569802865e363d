import {
  ApplicationDoesNotExistException,
  ApplicationNameRequiredException,
  CodeDeployServiceException,
  GetApplicationCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

const TARGET = 'CodeDeploy_20141006.ListApplications';
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/codedeploy/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc123';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function post(
  headers: Record<string, string>,
  body = '{}',
): Promise<{ status: number; json: Record<string, unknown>; requestId: string | null }> {
  const response = await fetch(`${h.server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body,
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    requestId: response.headers.get('x-amzn-requestid'),
  };
}

describe('the AWS JSON 1.1 wire protocol', () => {
  it('answers an unsigned request with MissingAuthenticationTokenException', async () => {
    const answer = await post({ 'x-amz-target': TARGET });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed Authorization header with IncompleteSignatureException', async () => {
    const answer = await post({
      'x-amz-target': TARGET,
      authorization: 'Bearer token',
      'x-amz-date': '20240101T000000Z',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('IncompleteSignatureException');
    expect(answer.json.message).toContain("Authorization header requires 'Credential' parameter.");

    const missingEquals = await post({
      'x-amz-target': TARGET,
      'x-amz-date': '20240101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/codedeploy/aws4_request, SignedHeaders, Signature=abc',
    });
    expect(missingEquals.json.__type).toBe('IncompleteSignatureException');
    expect(missingEquals.json.message).toContain('not a valid key=value pair (missing equal-sign)');
  });

  it('accepts any well-formed signature without checking credentials', async () => {
    const answer = await post({
      'x-amz-target': TARGET,
      authorization: SIGNED,
      'x-amz-date': '20240101T000000Z',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ applications: [] });
  });

  it('answers unknown operations and malformed JSON like the service', async () => {
    const signed = { authorization: SIGNED, 'x-amz-date': '20240101T000000Z' };
    const unknown = await post({ ...signed, 'x-amz-target': 'CodeDeploy_20141006.DoSomething' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('UnknownOperationException');
    const malformed = await post({ ...signed, 'x-amz-target': TARGET }, '{not json');
    expect(malformed.status).toBe(400);
    expect(malformed.json.__type).toBe('SerializationException');
  });

  it('gives SDK clients the modelled exception classes', async () => {
    const missing = await rejectionOf(
      h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'nope' })),
    );
    expect(missing).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(missing).toBeInstanceOf(CodeDeployServiceException);
    expect(missing.message).toBe('The application nope does not exist with the user or AWS account.');
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    const required = await rejectionOf(h.codeDeploy.send(new GetApplicationCommand({ applicationName: '' })));
    expect(required).toBeInstanceOf(ApplicationNameRequiredException);
  });

  it('serves the admin health endpoint outside S3', async () => {
    const response = await fetch(`${h.server.endpoint}/__local/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
