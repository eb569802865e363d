import { describe, expect, it } from 'vitest';
import { CODEDEPLOY_TIMESTAMP_INPUTS, decodeInput, encodeOutput } from './json-protocol.js';
import { pageOf } from './paging.js';
import { ServiceError } from './service-error.js';
import { verifySignatureShape } from './signature.js';

describe('JSON 1.1 codecs', () => {
  it('answers Dates as fractional epoch seconds and leaves out undefined members', () => {
    expect(
      encodeOutput({ createTime: new Date(1700000000123), gone: undefined, list: [{ at: new Date(0) }] }),
    ).toBe('{"createTime":1700000000.123,"list":[{"at":0}]}');
  });

  it('reads modelled timestamps in requests as Dates', () => {
    const input = decodeInput(
      '{"createTimeRange":{"start":1700000000.5}}',
      CODEDEPLOY_TIMESTAMP_INPUTS.ListDeployments,
    ) as {
      createTimeRange: { start: Date };
    };
    expect(input.createTimeRange.start).toEqual(new Date(1700000000500));
  });

  it('treats an empty body as {} and anything but an object as a SerializationException', () => {
    expect(decodeInput('')).toEqual({});
    for (const body of ['{', '[]', '"x"']) {
      expect(() => decodeInput(body)).toThrow(expect.objectContaining({ code: 'SerializationException' }));
    }
  });
});

describe('verifySignatureShape', () => {
  const date = { 'x-amz-date': '20240101T000000Z' };
  const credential = 'AKID/20240101/eu-west-1/codedeploy/aws4_request';

  it('returns the credential scope of a well-formed header', () => {
    const scope = verifySignatureShape(
      {
        ...date,
        authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=ff`,
      },
      'codedeploy',
    );
    expect(scope).toEqual({
      accessKeyId: 'AKID',
      date: '20240101',
      region: 'eu-west-1',
      service: 'codedeploy',
    });
  });

  it('names every missing part, as AWS does', () => {
    try {
      verifySignatureShape({ authorization: `AWS4-HMAC-SHA256 Credential=${credential}` }, 'codedeploy');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).message).toBe(
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          `Authorization=AWS4-HMAC-SHA256 Credential=${credential}`,
      );
    }
  });

  it('rejects a credential scoped to another service', () => {
    expect(() =>
      verifySignatureShape(
        {
          ...date,
          authorization:
            'AWS4-HMAC-SHA256 Credential=A/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=f',
        },
        'codedeploy',
      ),
    ).toThrow("Credential should be scoped to correct service: 'codedeploy'.");
  });
});

describe('pageOf', () => {
  it('pages with an opaque token and rejects tokens it did not hand out', () => {
    const items = Array.from({ length: 5 }, (_, i) => i);
    const first = pageOf(items, undefined, 2);
    expect(first.items).toEqual([0, 1]);
    const second = pageOf(items, first.nextToken, 2);
    expect(second.items).toEqual([2, 3]);
    expect(pageOf(items, second.nextToken, 2)).toEqual({ items: [4] });
    expect(() => pageOf(items, 'garbage', 2)).toThrow(
      expect.objectContaining({ code: 'InvalidNextTokenException' }),
    );
  });
});
