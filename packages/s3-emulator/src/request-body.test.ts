import { describe, expect, it } from 'vitest';
import { isObjectUpload, MAX_MESSAGE_BYTES, MAX_UPLOAD_BYTES, refuseBody } from './request-body.js';

const query = (text: string) => new URLSearchParams(text);

describe('request bodies', () => {
  it('streams PutObject and UploadPart, and only them', () => {
    expect(isObjectUpload('PUT', query('x-id=PutObject'))).toBe(true);
    expect(isObjectUpload('PUT', query('partNumber=2&uploadId=abc&x-id=UploadPart'))).toBe(true);
    expect(isObjectUpload('PUT', query('tagging'))).toBe(false);
    expect(isObjectUpload('PUT', query('acl'))).toBe(false);
    expect(isObjectUpload('POST', query('delete'))).toBe(false);
    expect(isObjectUpload('POST', query('uploadId=abc'))).toBe(false);
  });

  it('lets an upload of up to 5 GiB through and refuses a larger one with EntityTooLarge, before reading it', () => {
    expect(refuseBody('PUT', query(''), { 'content-length': String(MAX_UPLOAD_BYTES) })).toBeUndefined();
    expect(refuseBody('PUT', query(''), { 'content-length': String(MAX_UPLOAD_BYTES + 1) })).toMatchObject({
      status: 400,
      code: 'EntityTooLarge',
      detail: { ProposedSize: String(MAX_UPLOAD_BYTES + 1), MaxSizeAllowed: MAX_UPLOAD_BYTES },
    });
  });

  it('judges a streamed (chunked) upload by its declared decoded length, and lets one without it stream', () => {
    const chunked = { 'transfer-encoding': 'chunked' };
    expect(
      refuseBody('PUT', query(''), {
        ...chunked,
        'x-amz-decoded-content-length': String(MAX_UPLOAD_BYTES * 2),
      }),
    ).toMatchObject({ code: 'EntityTooLarge' });
    expect(refuseBody('PUT', query(''), chunked)).toBeUndefined();
  });

  it('refuses other bodies above 4 MiB (MaxMessageLengthExceeded) and chunked ones (MissingContentLength)', () => {
    expect(
      refuseBody('POST', query('delete'), { 'content-length': String(MAX_MESSAGE_BYTES) }),
    ).toBeUndefined();
    expect(
      refuseBody('PUT', query('tagging'), { 'content-length': String(MAX_MESSAGE_BYTES + 1) }),
    ).toMatchObject({
      status: 400,
      code: 'MaxMessageLengthExceeded',
    });
    expect(refuseBody('POST', query('uploadId=abc'), { 'transfer-encoding': 'chunked' })).toMatchObject({
      status: 411,
      code: 'MissingContentLength',
    });
    expect(refuseBody('GET', query(''), {})).toBeUndefined();
  });
});
