import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateDeploymentCommand, type RevisionLocation } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { pushRevision } from '@codedeploy-gate/core';
import { writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet, settle, targetsOf } from './deployment-fixture.js';
import { type Harness, startHarness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('a bundle uploaded in parts', () => {
  it('deploys with the multipart ETag (-N) S3 gives it, and fails DownloadBundle with the MD5 of the whole bundle as on AWS', async () => {
    const target = await fleet(h, 'multipart-bundle', 1);
    const revision = await writeRevision({ version: 'multipart' });
    // Incompressible and above core's 8 MiB part size: the bundle goes up in two parts.
    await writeFile(join(revision.dir, 'payload.bin'), randomBytes(9 * 1024 * 1024));
    const pushed = await pushRevision(revision.dir, {
      application: target.application,
      s3Location: `s3://${target.bucket}/${target.application}`,
      clients: { codeDeploy: h.codeDeploy, s3: h.s3 },
    });
    expect(pushed.eTag).toMatch(/^[0-9a-f]{32}-2$/);
    const create = (location: RevisionLocation) =>
      h.codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: target.application,
          deploymentGroupName: target.deploymentGroup,
          revision: location,
        }),
      );

    const good = await create(pushed.revision);
    expect((await settle(h, good.deploymentId ?? '')).status).toBe('Succeeded');

    const object = await h.s3.send(new GetObjectCommand({ Bucket: pushed.bucket, Key: pushed.key }));
    const wholeMd5 = createHash('md5')
      .update(await (object.Body?.transformToByteArray() ?? new Uint8Array()))
      .digest('hex');
    const s3Location = { ...pushed.revision.s3Location, eTag: wholeMd5 };
    const bad = await create({ ...pushed.revision, s3Location });
    const info = await settle(h, bad.deploymentId ?? '');
    expect(info.status).toBe('Failed');
    const [instance] = target.instanceNames;
    const download = (await targetsOf(h, bad.deploymentId ?? ''))[instance ?? '']?.lifecycleEvents?.find(
      (event) => event.lifecycleEventName === 'DownloadBundle',
    );
    expect(download?.status).toBe('Failed');
    expect(download?.diagnostics?.message).toContain(
      `Expected deployment artifact bundle etag ${wholeMd5} but was actually "${pushed.eTag}"`,
    );
    await revision.cleanup();
  });
});
