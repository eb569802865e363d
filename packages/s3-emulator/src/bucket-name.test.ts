import { describe, expect, it } from 'vitest';
import { isValidBucketName } from './bucket-name.js';

describe('bucket names', () => {
  it.each([
    'abc',
    'deploys',
    '2015-03-31',
    'my.artifacts.example',
    'codepipeline-us-east-1-artifacts',
    'a'.repeat(63),
  ])('accepts %s, as S3 does', (name) => {
    expect(isValidBucketName(name)).toBe(true);
  });

  it.each([
    '',
    '.',
    '..',
    'ab',
    'a'.repeat(64),
    'Deploys',
    'my_bucket',
    '-deploys',
    'deploys-',
    '.deploys',
    'my..bucket',
    '192.168.1.10',
    'a/b',
    'a\\b',
    'dep\u0000loys',
    '..%2f..',
  ])('refuses %j, as S3 does', (name) => {
    expect(isValidBucketName(name)).toBe(false);
  });
});
