import {
  CreateApplicationCommand,
  GetApplicationCommand,
  ListApplicationsCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: 1 }, { maxAttempts: 2 });
});
beforeEach(() => h.server.setFaults([]));
afterAll(() => h.close());

describe('fault injection', () => {
  it('throttles an operation: the SDK retries, then throws ThrottlingException', async () => {
    h.server.setFaults([{ operation: 'GetApplication', throttle: 1 }]);
    const error = await rejectionOf(h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'a' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata?.attempts).toBe(2);
    // Other operations are untouched.
    await expect(h.codeDeploy.send(new ListApplicationsCommand({}))).resolves.toMatchObject({
      applications: [],
    });
  });

  it('answers 500 InternalFailure for server errors', async () => {
    h.server.setFaults([{ operation: 'ListApplications', serverError: 1 }]);
    const error = await rejectionOf(h.codeDeploy.send(new ListApplicationsCommand({})));
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata?.httpStatusCode).toBe(500);
  });

  it('adds latency', async () => {
    h.server.setFaults([{ operation: 'ListApplications', latencyMs: 300 }]);
    const started = Date.now();
    await h.codeDeploy.send(new ListApplicationsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drops the connection, which the SDK reports as a network error', async () => {
    h.server.setFaults([{ operation: '*', drop: 1 }]);
    const error = await rejectionOf(h.codeDeploy.send(new ListApplicationsCommand({})));
    expect(error.name).not.toMatch(/Exception$/);
    expect(String((error as { code?: string }).code ?? error.message)).toMatch(/ECONNRESET|socket hang up/);
  });

  it('loses a response once: the operation takes effect, and the SDK retry runs into its own result', async () => {
    h.server.setFaults([{ operation: 'CreateApplication', lose: 1, count: 1 }]);
    const error = await rejectionOf(
      h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'lost-answer' })),
    );
    // Attempt 1 created the application and its answer was lost; attempt 2 (maxAttempts 2) found it.
    // This is why the gate never lets the SDK retry CreateDeployment blindly.
    expect(error.name).toBe('ApplicationAlreadyExistsException');
    expect(error.$metadata?.attempts).toBe(2);
    await expect(
      h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'lost-answer' })),
    ).resolves.toMatchObject({ application: { applicationName: 'lost-answer' } });
    // count=1 spends the rule after one request.
    expect(await (await fetch(`${h.server.endpoint}/__local/faults`)).json()).toEqual([]);
  });

  it('injects S3 faults with S3:*', async () => {
    h.server.setFaults([{ operation: 'S3:*', serverError: 1 }]);
    const error = await rejectionOf(h.s3.send(new CreateBucketCommand({ Bucket: 'faulty-bucket' })));
    expect(error.name).toBe('InternalError');
  });

  it('turns faults on and off through the admin endpoint', async () => {
    const put = await fetch(`${h.server.endpoint}/__local/faults`, {
      method: 'PUT',
      body: JSON.stringify([{ operation: 'ListApplications', throttle: 1 }]),
    });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${h.server.endpoint}/__local/faults`)).json()).toEqual([
      { operation: 'ListApplications', throttle: 1 },
    ]);
    expect((await rejectionOf(h.codeDeploy.send(new ListApplicationsCommand({})))).name).toBe(
      'ThrottlingException',
    );

    await fetch(`${h.server.endpoint}/__local/faults`, { method: 'PUT', body: '[]' });
    await expect(h.codeDeploy.send(new ListApplicationsCommand({}))).resolves.toBeDefined();

    const bad = await fetch(`${h.server.endpoint}/__local/faults`, {
      method: 'PUT',
      body: '[{"operation":"X","throttle":3}]',
    });
    expect(bad.status).toBe(400);
  });
});
