import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import type { UploadResult } from '../s3/index.js';
import { createDeploymentCommand, revisionToCreateDeploymentArgs, s3Revision } from './revision.js';

const upload: UploadResult = {
  bucket: 'artifacts',
  key: 'web/app-abc.zip',
  eTag: '0123456789abcdef0123456789abcdef',
  uploaded: true,
  size: 10,
};

describe('s3Revision', () => {
  it('describes the uploaded object as an S3 revision', () => {
    expect(s3Revision(upload, 'zip')).toEqual({
      revisionType: 'S3',
      s3Location: { bucket: 'artifacts', key: 'web/app-abc.zip', bundleType: 'zip', eTag: upload.eTag },
    });
  });

  it('pins the object version when the bucket is versioned', () => {
    expect(s3Revision({ ...upload, versionId: 'v1' }, 'tgz').s3Location).toMatchObject({
      bundleType: 'tgz',
      version: 'v1',
    });
  });
});

describe('revisionToCreateDeploymentArgs', () => {
  it('gives the --s3-location shorthand of aws deploy create-deployment', () => {
    expect(revisionToCreateDeploymentArgs(s3Revision({ ...upload, versionId: 'v1' }, 'zip'))).toEqual([
      '--s3-location',
      `bucket=artifacts,key=web/app-abc.zip,bundleType=zip,eTag=${upload.eTag},version=v1`,
    ]);
  });

  it('refuses a revision that is not in S3', () => {
    expect(() => revisionToCreateDeploymentArgs({ revisionType: 'GitHub' })).toThrow(InvalidInputError);
  });
});

describe('createDeploymentCommand', () => {
  it('prints a command a human can paste, quoting only what the shell needs', () => {
    const text = createDeploymentCommand({
      application: 'My App',
      revision: s3Revision(upload, 'zip'),
      description: "it's live",
    });
    expect(text).toBe(
      "aws deploy create-deployment --application-name 'My App' " +
        `--s3-location bucket=artifacts,key=web/app-abc.zip,bundleType=zip,eTag=${upload.eTag} ` +
        `--deployment-group-name <deployment-group-name> --description 'it'\\''s live'`,
    );
  });
});
