import { describe, expect, it } from 'vitest';
import { paxRecord, tarHeader, tarTrailerLength } from './tar-writer.js';

function field(block: Buffer, offset: number, length: number): string {
  return block
    .subarray(offset, offset + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');
}

describe('tarHeader', () => {
  it('writes a ustar header owned by root with the mode, size and fixed mtime', () => {
    const block = tarHeader({ path: 'hooks/start.sh', type: 'file', mode: 0o755, size: 10 }, 315532800);
    expect(block.length).toBe(512);
    expect(field(block, 0, 100)).toBe('hooks/start.sh');
    expect(field(block, 100, 8)).toBe('0000755');
    expect(field(block, 108, 8)).toBe('0000000');
    expect(field(block, 124, 12)).toBe('00000000012');
    expect(parseInt(field(block, 136, 12), 8)).toBe(315532800);
    expect(field(block, 257, 6)).toBe('ustar');
    expect(field(block, 265, 32)).toBe('');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    expect(parseInt(field(block, 148, 8), 8)).toBe(sum);
  });

  it('splits long names into prefix and name when it can', () => {
    const path = `${'d'.repeat(120)}/file.txt`;
    const block = tarHeader({ path, type: 'file', mode: 0o644, size: 0 }, 0);
    expect(block.length).toBe(512);
    expect(field(block, 345, 155)).toBe('d'.repeat(120));
    expect(field(block, 0, 100)).toBe('file.txt');
  });

  it('uses a PAX header for names and link targets that do not fit', () => {
    const path = 'x'.repeat(300);
    const header = tarHeader({ path, type: 'symlink', mode: 0o777, size: 0, linkTarget: 'y'.repeat(150) }, 0);
    expect(String.fromCharCode(header[156]!)).toBe('x');
    const text = header.toString('utf8');
    expect(text).toContain(`path=${path}\n`);
    expect(text).toContain(`linkpath=${'y'.repeat(150)}\n`);
    expect(header.length % 512).toBe(0);
    expect(String.fromCharCode(header[header.length - 512 + 156]!)).toBe('2');
  });
});

describe('paxRecord', () => {
  it('counts its own length, including when the digits roll over', () => {
    for (const n of [1, 90, 91, 92, 93, 94, 95, 96, 97, 98, 990, 995]) {
      const record = paxRecord('path', 'p'.repeat(n));
      expect(Number(record.split(' ')[0])).toBe(Buffer.byteLength(record));
    }
  });
});

describe('tarTrailerLength', () => {
  it('adds two zero blocks and pads to a 10 KiB record', () => {
    expect(tarTrailerLength(0)).toBe(10240);
    expect((512 + tarTrailerLength(512)) % 10240).toBe(0);
    expect(tarTrailerLength(9216)).toBe(1024);
  });
});
