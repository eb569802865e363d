import { describe, expect, it } from 'vitest';
import { decodeSource } from './source-text.js';

describe('decodeSource', () => {
  it('strips a BOM and normalises CRLF and CR to LF', () => {
    expect(decodeSource('\ufeffa: 1\r\nb: 2\rc: 3\n')).toEqual({ text: 'a: 1\nb: 2\nc: 3\n', problems: [] });
  });

  it('decodes UTF-8 bytes', () => {
    expect(decodeSource(new TextEncoder().encode('os: linux # é\r\n')).text).toBe('os: linux # é\n');
  });

  it('locates the first invalid UTF-8 byte', () => {
    const { problems } = decodeSource(new Uint8Array([0x61, 0x0a, 0x62, 0xff]));
    expect(problems.map((p) => `${p.code}@${p.line}:${p.column}`)).toEqual(['encoding-not-utf8@2:2']);
  });
});
