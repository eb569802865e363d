import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine } from './crc32-combine.js';

describe('crc32Combine', () => {
  it('gives the CRC of the concatenation, for any split', () => {
    const data = randomBytes(200_000);
    for (const split of [0, 1, 7, 65_536, 199_999, 200_000]) {
      const a = data.subarray(0, split);
      const b = data.subarray(split);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(data));
    }
  });

  it('chains over many blocks', () => {
    const blocks = Array.from({ length: 20 }, (_, i) => randomBytes(1000 + i * 37));
    const combined = blocks.reduce((crc, block) => crc32Combine(crc, crc32(block), block.length), 0);
    expect(combined).toBe(crc32(Buffer.concat(blocks)));
  });
});
