import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_BODY_LIMITS } from '../../src/wire/request-body.js';
import { type Harness, startHarness } from '../e2e/helpers.js';
import { declareOnly } from './raw-http.js';

const SETTINGS =
  'a fault rule takes operation, throttle, serverError, accessDenied, drop, lose, latencyMs, count';
const ROUTES = [
  'GET /__local/health',
  'GET, PUT /__local/faults',
  'GET /__local/alarms',
  'GET, PUT /__local/alarms/NAME',
  'PUT /__local/compute',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { maxAttempts: 1 });
});
beforeEach(() => h.server.setFaults([]));
afterAll(async () => {
  await h?.close();
});

async function admin(
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; allow: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`${h.server.endpoint}/__local/${path}`, {
    method,
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('PUT /__local/faults', () => {
  it('takes latencyMs, the spelling the CLI flag uses too', async () => {
    const put = await admin(
      'PUT',
      'faults',
      JSON.stringify([{ operation: 'ListApplications', latencyMs: 5 }]),
    );
    expect(put).toMatchObject({ status: 200, json: [{ operation: 'ListApplications', latencyMs: 5 }] });
    expect((await admin('GET', 'faults')).json).toEqual([{ operation: 'ListApplications', latencyMs: 5 }]);
  });

  it('refuses an unknown setting with 400 naming it, the one meant and every allowed one; the rules stay', async () => {
    h.server.setFaults([{ operation: 'GetApplication', throttle: 1 }]);
    const put = await admin(
      'PUT',
      'faults',
      JSON.stringify([
        { operation: 'ListApplications', throttle: 0 },
        { operation: 'GetDeployment', latency: 200 },
      ]),
    );
    expect(put).toEqual({
      status: 400,
      allow: null,
      json: {
        error: `rule [1]: fault rule for GetDeployment: unknown setting "latency"; did you mean "latencyMs"? (${SETTINGS})`,
      },
    });
    expect((await admin('GET', 'faults')).json).toEqual([{ operation: 'GetApplication', throttle: 1 }]);
  });

  it.each([
    [
      [{ operation: 'X', throttle: 2 }],
      'rule [0]: fault rule for X: "throttle" must be a probability from 0 to 1, got 2',
    ],
    [[{ operation: 'X', count: 0 }], 'rule [0]: fault rule for X: "count" must be a whole number ≥ 1, got 0'],
    [
      [{ operation: 'X', latencyMs: '200' }],
      'rule [0]: fault rule for X: "latencyMs" must be a number of milliseconds from 0 to 3600000, got "200"',
    ],
    [[{ throttle: 1 }], 'rule [0]: a fault rule needs an "operation" (an operation name, "S3:*" or "*")'],
    [['GetDeployment:throttle=1'], 'rule [0]: a fault rule must be an object'],
    [
      { operation: 'X' },
      'the body of PUT /__local/faults must be a JSON array of fault rules ([] turns faults off)',
    ],
  ])('refuses %j with 400: %s', async (body, error) => {
    expect(await admin('PUT', 'faults', JSON.stringify(body))).toMatchObject({
      status: 400,
      json: { error },
    });
  });

  it('refuses a body that is not JSON, saying where without quoting it', async () => {
    const put = await admin('PUT', 'faults', '[{"operation": "X"\n  "token": "s3cr3t"}]');
    expect(put).toMatchObject({
      status: 400,
      json: { error: 'the body of PUT /__local/faults is not JSON at line 2, column 3' },
    });
    // Node's message for a stray token quotes the text around it: none of it is answered.
    const stray = await admin('PUT', 'faults', '[{"operation": "X", "token": s3cr3t}]');
    expect(stray).toMatchObject({
      status: 400,
      json: { error: 'the body of PUT /__local/faults is not JSON' },
    });
    expect((await admin('PUT', 'faults', '')).json.error).toBe(
      'the body of PUT /__local/faults is not JSON (it ends too early)',
    );
  });

  it('a name that is a JavaScript object key is an ordinary operation name', async () => {
    const put = await admin('PUT', 'faults', '[{"operation": "__proto__", "throttle": 1, "__proto__": 1}]');
    expect(put.status).toBe(400);
    expect(put.json.error).toMatch(/unknown setting "__proto__"/);
    expect(({} as Record<string, unknown>).throttle).toBeUndefined();
    await expect(h.codeDeploy.send(new ListApplicationsCommand({}))).resolves.toMatchObject({
      applications: [],
    });
  });
});

describe('every admin route', () => {
  it.each(['nope', '', 'faults/extra', 'health/x', 'compute/x'])(
    'answers /__local/%s with 404 listing the routes',
    async (path) => {
      const answer = await admin('GET', path);
      expect(answer.status).toBe(404);
      expect(answer.json.error).toBe(
        `no admin endpoint /__local/${path}; the routes are: ${ROUTES.join('; ')}`,
      );
    },
  );

  it.each([
    ['POST', 'faults', 'GET, PUT'],
    ['DELETE', 'health', 'GET'],
    ['GET', 'compute', 'PUT'],
    ['PUT', 'alarms', 'GET'],
    ['DELETE', 'alarms/errors', 'GET, PUT'],
  ])('answers %s /__local/%s with 405 and Allow: %s', async (method, path, allow) => {
    const answer = await admin(method, path);
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe(allow);
    expect(answer.json.error).toBe(
      `${method} is not allowed on /__local/${path}; use ${allow.replace(', ', ' or ')}`,
    );
  });

  it('refuses query parameters it does not take', async () => {
    expect(await admin('GET', 'faults?operation=X')).toMatchObject({
      status: 400,
      json: { error: '/__local/faults takes no query parameters' },
    });
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const limit = REQUEST_BODY_LIMITS.admin.default;
    const answer = await declareOnly(`${h.server.endpoint}/__local/compute`, 'PUT', {}, limit + 1);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: `Request must be smaller than ${limit} bytes for the PUT /__local/compute operation`,
    });
  });
});

describe('alarms and compute', () => {
  it('sets an alarm with {"state"} only, refusing other members and bad states', async () => {
    expect(await admin('PUT', 'alarms/errors', '{"state": "ALARM"}')).toMatchObject({
      status: 200,
      json: { name: 'errors', state: 'ALARM' },
    });
    expect(await admin('PUT', 'alarms/errors', '{"state": "OK", "reason": "x"}')).toMatchObject({
      status: 400,
      json: {
        error: 'the body of PUT /__local/alarms/errors has unknown member "reason"; it takes "state" only',
      },
    });
    const bad = await admin('PUT', 'alarms/errors', '{"state": "RED"}');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('the body\'s "state" must be one of OK, ALARM, INSUFFICIENT_DATA, got "RED"');
    expect((await admin('GET', 'alarms/errors')).json).toEqual({ name: 'errors', state: 'ALARM' });
  });

  it('keeps alarms named like JavaScript object keys apart from the prototype', async () => {
    expect((await admin('GET', 'alarms/constructor')).json).toEqual({
      name: 'constructor',
      state: 'INSUFFICIENT_DATA',
    });
    expect(await admin('PUT', 'alarms/__proto__', '{"state": "ALARM"}')).toMatchObject({ status: 200 });
    expect((await admin('GET', 'alarms/__proto__')).json).toEqual({ name: '__proto__', state: 'ALARM' });
    expect(Object.entries((await admin('GET', 'alarms')).json)).toContainEqual(['__proto__', 'ALARM']);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('refuses an alarm name that is not valid percent-encoding', async () => {
    expect(await admin('GET', 'alarms/%E0%A4%A')).toMatchObject({
      status: 400,
      json: { error: 'the alarm name "%E0%A4%A" is not valid percent-encoding' },
    });
  });

  it('refuses a compute seed with an unknown member, naming it and what is allowed', async () => {
    const answer = await admin('PUT', 'compute', JSON.stringify({ functions: [], lambdas: [] }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/unknown member "lambdas"/);
  });
});
