import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/e2e/helpers.js';
import { RECORD_VARIABLE, type RecordedExchange } from './recorder.js';

/** An empty zip archive: enough for CreateFunction. */
const EMPTY_ZIP = (() => {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return end;
})();

describe('recording responses', () => {
  let folder: string;
  let previous: string | undefined;
  let h: Harness | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'local-recording-'));
    previous = process.env[RECORD_VARIABLE];
    process.env[RECORD_VARIABLE] = folder;
  });
  afterEach(async () => {
    await h?.close();
    if (previous === undefined) delete process.env[RECORD_VARIABLE];
    else process.env[RECORD_VARIABLE] = previous;
    await rm(folder, { recursive: true, force: true });
  });

  it('writes one line per response with its protocol and operation, and no credential or secret', async () => {
    h = await startHarness();
    await h.codeDeploy.send(new ListApplicationsCommand({}));
    await h.s3.send(new CreateBucketCommand({ Bucket: 'recorded' }));
    await h.s3.send(
      new PutObjectCommand({ Bucket: 'recorded', Key: 'blob.bin', Body: Buffer.from([0, 1, 2]) }),
    );
    await h.s3.send(new GetObjectCommand({ Bucket: 'recorded', Key: 'blob.bin' }));
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'recorded',
        Role: 'arn:aws:iam::111122223333:role/lambda',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Environment: { Variables: { DATABASE_PASSWORD: 'hunter2-recorded' } },
      }),
    );
    const [file, ...others] = await readdir(folder);
    expect(others).toEqual([]);
    expect(file).toBe(`local-${process.pid}.jsonl`);
    const text = await readFile(join(folder, file ?? ''), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RecordedExchange);
    expect(lines.map((l) => [l.protocol, l.operation ?? `${l.method} ${l.path}`, l.status])).toEqual([
      ['json', 'CodeDeploy_20141006.ListApplications', 200],
      ['s3', 'PUT /recorded/', 200],
      ['s3', 'PUT /recorded/blob.bin', 200],
      ['s3', 'GET /recorded/blob.bin', 200],
      ['lambda', 'CreateFunction', 201],
    ]);
    expect(lines[0]?.body).toBe('{"applications":[]}');
    expect(lines[3]).toMatchObject({ bodyOmitted: 'payload', headers: { etag: expect.any(String) } });
    expect(JSON.parse(lines[4]?.body ?? '{}').Environment).toEqual({
      Variables: { DATABASE_PASSWORD: '<redacted>' },
    });
    expect(text).not.toContain('hunter2-recorded');
    expect(text).not.toMatch(/authorization|AWS4-HMAC-SHA256|Credential=/i);
  });

  it('records nothing when the variable is not set', async () => {
    delete process.env[RECORD_VARIABLE];
    h = await startHarness();
    await h.codeDeploy.send(new ListApplicationsCommand({}));
    expect(await readdir(folder)).toEqual([]);
  });
});
