import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { describeEndpoint, resolveEndpoint, resolveMaxAttempts, resolveRegion } from './config.js';

describe('resolveEndpoint', () => {
  it('prefers AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL for S3', () => {
    const env = { AWS_ENDPOINT_URL: 'http://generic:1', AWS_ENDPOINT_URL_S3: 'http://s3-only:2' };
    expect(resolveEndpoint('s3', { env })).toEqual({
      url: 'http://s3-only:2',
      variable: 'AWS_ENDPOINT_URL_S3',
    });
  });

  it('falls back to AWS_ENDPOINT_URL when the service has no variable of its own', () => {
    const env = { AWS_ENDPOINT_URL: 'http://generic:1', AWS_ENDPOINT_URL_S3: 'http://s3-only:2' };
    expect(resolveEndpoint('codedeploy', { env })).toEqual({
      url: 'http://generic:1',
      variable: 'AWS_ENDPOINT_URL',
    });
  });

  it('uses AWS_ENDPOINT_URL_CODEDEPLOY for CodeDeploy only', () => {
    const env = { AWS_ENDPOINT_URL_CODEDEPLOY: 'http://cd:3' };
    expect(resolveEndpoint('codedeploy', { env })?.url).toBe('http://cd:3');
    expect(resolveEndpoint('s3', { env })).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(
      resolveEndpoint('s3', { env: { AWS_ENDPOINT_URL_S3: ' ', AWS_ENDPOINT_URL: '' } }),
    ).toBeUndefined();
  });

  it('ignores every endpoint variable when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, like the SDK', () => {
    const env = { AWS_ENDPOINT_URL: 'http://generic:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(resolveEndpoint('s3', { env })).toBeUndefined();
  });

  it('rejects a value that is not an http(s) URL, naming the variable but not echoing the value', () => {
    const attempt = () => resolveEndpoint('s3', { env: { AWS_ENDPOINT_URL_S3: 'localhost:4566' } });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/AWS_ENDPOINT_URL_S3/);
    expect(() => resolveEndpoint('s3', { env: { AWS_ENDPOINT_URL: 'not a url' } })).toThrow(
      /AWS_ENDPOINT_URL is not a URL/,
    );
  });
});

describe('describeEndpoint', () => {
  it('says which variable set the endpoint', () => {
    expect(describeEndpoint('s3', { env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' } })).toBe(
      'http://127.0.0.1:4569 (AWS_ENDPOINT_URL_S3)',
    );
  });

  it('never shows user info embedded in the URL', () => {
    const text = describeEndpoint('s3', {
      env: { AWS_ENDPOINT_URL: 'https://AKIDEXAMPLE:s3cr3t@minio.local:9000/base' },
    });
    expect(text).toBe('https://minio.local:9000/base (AWS_ENDPOINT_URL)');
    expect(text).not.toContain('s3cr3t');
  });

  it('is undefined for the real AWS endpoint', () => {
    expect(describeEndpoint('codedeploy', { env: {} })).toBeUndefined();
  });
});

describe('resolveRegion', () => {
  it('takes --region over AWS_REGION over AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };
    expect(resolveRegion({ region: 'ap-south-1', env })).toBe('ap-south-1');
    expect(resolveRegion({ env })).toBe('eu-west-1');
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'eu-west-2' } })).toBe('eu-west-2');
  });

  it('fails with exit 2 and a hint when no region is set and the endpoint is AWS', () => {
    let error: unknown;
    try {
      resolveRegion({ env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).exitCode).toBe(2);
    expect((error as InvalidInputError).hint).toMatch(/--region|AWS_REGION/);
  });

  it('defaults to us-east-1 when a custom endpoint is set and no region is', () => {
    expect(resolveRegion({ env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' } })).toBe('us-east-1');
    expect(resolveRegion({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } })).toBe('us-east-1');
  });

  it('still prefers an explicit region when a custom endpoint is set', () => {
    expect(resolveRegion({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'eu-north-1' } })).toBe(
      'eu-north-1',
    );
  });

  it('rejects something that is not a region name, saying where it came from', () => {
    expect(() => resolveRegion({ region: 'US East', env: {} })).toThrow(
      /--region "US East" is not an AWS region/,
    );
    expect(() => resolveRegion({ env: { AWS_REGION: 'https://s3.amazonaws.com' } })).toThrow(/AWS_REGION/);
  });
});

describe('resolveMaxAttempts', () => {
  it('defaults to 5, reads AWS_MAX_ATTEMPTS, and lets the option win', () => {
    expect(resolveMaxAttempts({ env: {} })).toBe(5);
    expect(resolveMaxAttempts({ env: { AWS_MAX_ATTEMPTS: '3' } })).toBe(3);
    expect(resolveMaxAttempts({ maxAttempts: 1, env: { AWS_MAX_ATTEMPTS: '3' } })).toBe(1);
  });

  it('rejects zero and non-numbers', () => {
    expect(() => resolveMaxAttempts({ maxAttempts: 0 })).toThrow(InvalidInputError);
    expect(() => resolveMaxAttempts({ env: { AWS_MAX_ATTEMPTS: 'many' } })).toThrow(/AWS_MAX_ATTEMPTS/);
  });
});
