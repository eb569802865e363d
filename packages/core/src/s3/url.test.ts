import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { contentAddressedKey, parseS3Url } from './url.js';

const SHA = 'a'.repeat(64);

describe('parseS3Url', () => {
  it('splits bucket and prefix', () => {
    expect(parseS3Url('s3://my-artifacts/deploys/web')).toEqual({
      bucket: 'my-artifacts',
      key: 'deploys/web',
    });
    expect(parseS3Url('s3://my.artifacts.example/a/b/c.zip')).toEqual({
      bucket: 'my.artifacts.example',
      key: 'a/b/c.zip',
    });
  });

  it('accepts the bucket root with or without a slash', () => {
    expect(parseS3Url('s3://bucket-1')).toEqual({ bucket: 'bucket-1', key: '' });
    expect(parseS3Url('s3://bucket-1/')).toEqual({ bucket: 'bucket-1', key: '' });
  });

  it.each([
    ['https://bucket.s3.amazonaws.com/key', /not an s3:\/\/ URL/],
    ['bucket/key', /not an s3:\/\/ URL/],
    ['s3:///key', /bucket name is empty/],
    ['s3://ab/key', /3 to 63 characters/],
    ['s3://My_Bucket/key', /lower-case letters/],
    ['s3://-bucket/key', /start and end/],
    ['s3://bucket../key', /start and end|"\.\."/],
    ['s3://my..bucket/key', /"\.\."/],
    ['s3://192.168.1.10/key', /IP addresses/],
    ['s3://xn--bucket/key', /"xn--"/],
    ['s3://bucket-s3alias/key', /"-s3alias"/],
    [`s3://${'b'.repeat(64)}/key`, /3 to 63 characters/],
  ])('rejects %s with exit 2 and the s3://BUCKET/PREFIX hint', (url, message) => {
    let error: unknown;
    try {
      parseS3Url(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(message);
    expect((error as InvalidInputError).exitCode).toBe(2);
    expect((error as InvalidInputError).hint).toContain('s3://BUCKET/PREFIX');
  });

  it('rejects keys longer than S3 allows', () => {
    expect(() => parseS3Url(`s3://bucket/${'k'.repeat(1025)}`)).toThrow(/longer than 1024 bytes/);
  });
});

describe('contentAddressedKey', () => {
  it('puts NAME-SHA256.EXT below the prefix', () => {
    expect(contentAddressedKey('deploys/web', SHA, 'zip', 'web-app')).toBe(`deploys/web/web-app-${SHA}.zip`);
  });

  it('uses the digest alone without a name, at the bucket root for an empty prefix', () => {
    expect(contentAddressedKey('', SHA, 'tgz')).toBe(`${SHA}.tgz`);
  });

  it('trims slashes around the prefix', () => {
    expect(contentAddressedKey('/deploys/', SHA, 'tar', 'app')).toBe(`deploys/app-${SHA}.tar`);
  });

  it('makes names with spaces or slashes safe for a key', () => {
    expect(contentAddressedKey('p', SHA, 'zip', 'My App/prod')).toBe(`p/My-App-prod-${SHA}.zip`);
    expect(contentAddressedKey('p', SHA, 'zip', '///')).toBe(`p/${SHA}.zip`);
  });

  it('gives different bundles different keys and the same bundle the same key', () => {
    const other = 'b'.repeat(64);
    expect(contentAddressedKey('p', SHA, 'zip', 'app')).toBe(contentAddressedKey('p', SHA, 'zip', 'app'));
    expect(contentAddressedKey('p', SHA, 'zip', 'app')).not.toBe(
      contentAddressedKey('p', other, 'zip', 'app'),
    );
  });

  it('refuses something that is not a hex SHA-256', () => {
    expect(() => contentAddressedKey('p', 'abc', 'zip')).toThrow(InvalidInputError);
    expect(() => contentAddressedKey('p', SHA.toUpperCase(), 'zip')).toThrow(/SHA-256/);
  });
});
