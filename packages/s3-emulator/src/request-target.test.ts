import { describe, expect, it } from 'vitest';
import { parseTarget, routablePath } from './request-target.js';

describe('request targets', () => {
  it('keeps the raw path (dot segments and escapes as sent) and decodes the bucket', () => {
    expect(parseTarget('/%2e%2e?uploads')).toMatchObject({ path: '/%2e%2e', bucket: '..', hasKey: false });
    expect(parseTarget('/b/../../x?x-id=PutObject')).toMatchObject({
      path: '/b/../../x',
      bucket: 'b',
      hasKey: true,
    });
    expect(parseTarget('//etc/x')).toMatchObject({ bucket: '', hasKey: true });
    expect(parseTarget('/')).toMatchObject({ bucket: '', hasKey: false });
    expect(parseTarget('/bkt/')).toMatchObject({ bucket: 'bkt', hasKey: false });
  });

  it('writes the empty parts of a key as %2F so the router matches and decodes the same key', () => {
    expect(routablePath('/bkt/a//b')).toBe('/bkt/a%2F/b');
    expect(routablePath('/bkt//tmp/x')).toBe('/bkt/%2Ftmp/x');
    expect(routablePath('/bkt/a//')).toBe('/bkt/a%2F/');
    expect(routablePath('/bkt/a/b/')).toBe('/bkt/a/b/');
    expect(routablePath('/bkt')).toBe('/bkt');
  });
});
