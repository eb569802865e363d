import { describe, expect, it } from 'vitest';
import { METHOD_DEFLATE, METHOD_STORE, ZIP64_STREAM_THRESHOLD, ZipEncoder } from './zip-writer.js';

const MTIME = new Date(Date.UTC(1980, 0, 1));

function find(buffers: Buffer[], signature: number): Buffer | undefined {
  return buffers.find((b) => b.length >= 4 && b.readUInt32LE(0) === signature);
}

describe('ZipEncoder', () => {
  it('marks members as made on Unix, UTF-8 named, with type and mode in the external attributes', () => {
    const zip = new ZipEncoder(MTIME);
    zip.member(
      {
        path: 'hooks/start.sh',
        kind: 'file',
        mode: 0o755,
        method: METHOD_STORE,
        crc: 0,
        compressedSize: 0,
        size: 0,
      },
      [],
    );
    zip.member(
      { path: 'logs', kind: 'directory', mode: 0o750, method: 0, crc: 0, compressedSize: 0, size: 0 },
      [],
    );
    const central = zip.finish().filter((b) => b.readUInt32LE(0) === 0x02014b50);
    const [file, dir] = central;
    expect(file!.readUInt16LE(4) >> 8).toBe(3);
    expect(file!.readUInt16LE(8) & 0x0800).toBe(0x0800);
    expect(file!.readUInt32LE(38) >>> 16).toBe(0o100755);
    expect(dir!.readUInt32LE(38) >>> 16).toBe(0o040750);
    expect(dir!.subarray(46).toString()).toBe('logs/');
  });

  it('writes Zip64 sizes for a streamed member over 4 GiB and a 24-byte data descriptor', () => {
    const zip = new ZipEncoder(MTIME);
    const size = 5 * 1024 ** 3;
    const local = zip.beginStream({
      path: 'big.bin',
      kind: 'file',
      mode: 0o644,
      size,
      method: METHOD_DEFLATE,
    });
    expect(local.readUInt16LE(4)).toBe(45);
    expect(local.readUInt16LE(6) & 0x0008).toBe(0x0008);
    expect(local.readUInt32LE(18)).toBe(0xffffffff);
    expect(local.readUInt16LE(28)).toBe(20);
    zip.streamData(4.5 * 1024 ** 3);
    const descriptor = zip.endStream(0x12345678);
    expect(descriptor.length).toBe(24);
    expect(Number(descriptor.readBigUInt64LE(8))).toBe(4.5 * 1024 ** 3);
    expect(Number(descriptor.readBigUInt64LE(16))).toBe(size);
    const central = zip.finish().find((b) => b.readUInt32LE(0) === 0x02014b50)!;
    expect(central.readUInt32LE(20)).toBe(0xffffffff);
    expect(central.readUInt32LE(24)).toBe(0xffffffff);
    const extra = central.subarray(46 + 'big.bin'.length);
    expect(extra.readUInt16LE(0)).toBe(1);
    expect(Number(extra.readBigUInt64LE(4))).toBe(size);
    expect(Number(extra.readBigUInt64LE(12))).toBe(4.5 * 1024 ** 3);
  });

  it('puts offsets past 4 GiB in a Zip64 extra and adds the Zip64 end record and locator', () => {
    const zip = new ZipEncoder(MTIME);
    zip.beginStream({ path: 'big.bin', kind: 'file', mode: 0o644, size: ZIP64_STREAM_THRESHOLD, method: 8 });
    zip.streamData(4_300_000_000);
    zip.endStream(1);
    zip.member(
      { path: 'after', kind: 'file', mode: 0o644, method: 0, crc: 0, compressedSize: 0, size: 0 },
      [],
    );
    const end = zip.finish();
    const centrals = end.filter((b) => b.readUInt32LE(0) === 0x02014b50);
    expect(centrals[1]!.readUInt32LE(42)).toBe(0xffffffff);
    expect(Number(centrals[1]!.readBigUInt64LE(46 + 'after'.length + 4))).toBeGreaterThan(2 ** 32);
    const record = find(end, 0x06064b50)!;
    expect(Number(record.readBigUInt64LE(48))).toBeGreaterThan(2 ** 32);
    expect(find(end, 0x07064b50)).toBeDefined();
    const eocd = end.at(-1)!;
    expect(eocd.readUInt32LE(16)).toBe(0xffffffff);
  });

  it('keeps small archives free of Zip64 records', () => {
    const zip = new ZipEncoder(MTIME);
    zip.member({ path: 'a', kind: 'file', mode: 0o644, method: 0, crc: 0, compressedSize: 0, size: 0 }, []);
    const end = zip.finish();
    expect(find(end, 0x06064b50)).toBeUndefined();
    expect(end.at(-1)!.readUInt16LE(10)).toBe(1);
  });
});
