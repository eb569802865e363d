import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from '../errors/index.js';
import type { BundleFormat } from './format.js';
import { extractBundle } from './read/index.js';
import { type RevisionScan, scanRevision } from './scan.js';
import { createBundle, defaultConcurrency, SINGLE_THREAD_ABOVE_BYTES, writeBundle } from './write-bundle.js';

const hasUnzip = existsSync('/usr/bin/unzip');
const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const formats: BundleFormat[] = ['zip', 'tar', 'tgz'];
const LONG = `deep/${'d'.repeat(90)}/${'n'.repeat(90)}/file-with-a-long-name.txt`;

let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-bundle-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A revision with hooks, links, an empty folder, a long and a non-ASCII name, and a 2.5 MiB file. */
async function makeTree(dir: string, reverse = false): Promise<void> {
  const big = Buffer.alloc(2.5 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251 < 40 ? (i >> 9) & 0xff : 0x61;
  const files: Array<[string, string | Buffer, number]> = [
    ['appspec.yml', 'version: 0.0\nos: linux\n', 0o644],
    ['scripts/start.sh', '#!/bin/sh\necho start\n', 0o755],
    ['data/big.bin', big, 0o644],
    [LONG, 'long', 0o600],
    ['données/été.txt', 'unicode', 0o644],
    ['empty.txt', '', 0o644],
    ...Array.from({ length: 30 }, (_, i): [string, string, number] => [
      `lib/m${i}.js`,
      `module ${i}\n`.repeat(i * 50),
      0o644,
    ]),
  ];
  for (const [path, content, mode] of reverse ? [...files].reverse() : files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
    await chmod(join(dir, path), mode);
  }
  await mkdir(join(dir, 'logs/empty'), { recursive: true });
  await symlink('scripts/start.sh', join(dir, 'start'));
  await symlink('../lib', join(dir, 'scripts/lib'));
}

async function sha(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

async function listing(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(dir, path));
    if (stats.isSymbolicLink()) out.push(`${path} -> ${await readlink(join(dir, path))}`);
    else if (stats.isDirectory()) out.push(`${path}/`, ...(await listing(dir, path)));
    else out.push(`${path} ${(stats.mode & 0o7777).toString(8)} ${stats.size}`);
  }
  return out;
}

describe('writeBundle', () => {
  it.each(formats)(
    'gives identical %s bytes for the same tree whatever the mtimes, creation order and concurrency',
    async (format) => {
      const a = join(work, 'a');
      const b = join(work, 'b');
      await makeTree(a);
      await makeTree(b, true);
      await utimes(join(b, 'appspec.yml'), new Date('2001-01-01'), new Date('2001-01-01'));
      await utimes(join(b, 'data/big.bin'), new Date('2030-01-01'), new Date('2030-01-01'));
      const first = await createBundle(a, join(work, `1.${format}`), { format, concurrency: 1 });
      const second = await createBundle(b, join(work, `2.${format}`), { format, concurrency: 4 });
      const third = await createBundle(b, join(work, `3.${format}`), { format, concurrency: 2 });
      expect(second.sha256).toBe(first.sha256);
      expect(third.sha256).toBe(first.sha256);
      expect(await sha(join(work, `2.${format}`))).toBe(first.sha256);
      expect(first.size).toBe((await readFile(join(work, `1.${format}`))).length);
      expect(first).toMatchObject({ format, files: 36, symlinks: 2 });
    },
  );

  it.each(formats)(
    'extracts the %s with the system tools the CodeDeploy agent uses, keeping modes, links and empty folders',
    async (format) => {
      const src = join(work, 'src');
      const out = join(work, 'out');
      await makeTree(src);
      await mkdir(out);
      const bundle = join(work, `b.${format}`);
      await createBundle(src, bundle, { format });
      if (format === 'zip') {
        // The agent unpacks zips with Info-ZIP's unzip; where it is missing, our own extractor stands in.
        if (hasUnzip) {
          execFileSync('unzip', ['-tq', bundle]);
          execFileSync('unzip', ['-qo', bundle], { cwd: out });
        } else {
          await extractBundle(bundle, out);
        }
      } else {
        execFileSync('tar', [format === 'tgz' ? '-xzpsf' : '-xpsf', bundle, '-C', out]);
      }
      const extracted = await listing(out);
      expect(extracted).toEqual(await listing(src));
      expect(extracted).toContain('scripts/start.sh 755 21');
      expect(extracted).toContain('start -> scripts/start.sh');
      expect(extracted).toContain('logs/empty/');
      expect(await readFile(join(out, LONG), 'utf8')).toBe('long');
    },
  );

  it.skipIf(!hasPython)(
    'stores already-compressed types (png, zip) as they are, even at level 9, small or streamed',
    async () => {
      const src = join(work, 'src');
      await mkdir(join(src, 'static'), { recursive: true });
      // Zeros deflate to almost nothing: a stored member proves the choice is by type, not by gain.
      await writeFile(join(src, 'static', 'logo.PNG'), Buffer.alloc(50_000));
      await writeFile(join(src, 'static', 'vendor.zip'), Buffer.alloc(3 * 1024 * 1024));
      await writeFile(join(src, 'static', 'app.js'), Buffer.alloc(50_000));
      await writeFile(join(src, 'appspec.yml'), 'version: 0.0\nos: linux\n');
      const bundle = join(work, 'b.zip');
      await createBundle(src, bundle, { format: 'zip', level: 9, concurrency: 2 });
      const script = [
        'import sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        "print(' '.join(f'{i.filename}={i.compress_type}' for i in z.infolist() if not i.is_dir()))",
      ].join('\n');
      const out = execFileSync('python3', ['-c', script, bundle], { encoding: 'utf8' }).trim();
      expect(out).toBe('appspec.yml=0 static/app.js=8 static/logo.PNG=0 static/vendor.zip=0');
    },
  );

  it.skipIf(!hasPython)("reads back with Python's zipfile: CRCs, Unix modes, symlink type", async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const bundle = join(work, 'b.zip');
    await createBundle(src, bundle, { format: 'zip' });
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'm = {i.filename: (i.external_attr >> 16, i.create_system) for i in z.infolist()}',
      "print(oct(m['scripts/start.sh'][0]), oct(m['start'][0]), oct(m['logs/empty/'][0]), m['appspec.yml'][1], len(m))",
    ].join('\n');
    const out = execFileSync('python3', ['-c', script, bundle], { encoding: 'utf8' }).trim();
    expect(out).toBe('0o100755 0o120777 0o40755 3 47');
  });

  it('writes the Zip64 end of central directory for 70,000 entries, and unzip lists them', async () => {
    const entries = Array.from({ length: 70_000 }, (_, i) => ({
      path: `d${String(i).padStart(5, '0')}`,
      type: 'directory' as const,
      mode: 0o755,
      size: 0,
      absolutePath: join(work, 'unused'),
    }));
    const scan: RevisionScan = {
      root: join(work, 'root'),
      entries,
      ignored: [],
      outsideHardLinks: [],
      totalBytes: 0,
    };
    const bundle = join(work, 'many.zip');
    await writeBundle(scan, bundle, { format: 'zip' });
    const data = await readFile(bundle);
    const eocd = data.subarray(data.length - 22);
    expect(eocd.readUInt16LE(10)).toBe(0xffff);
    const locator = data.subarray(data.length - 42, data.length - 22);
    expect(locator.readUInt32LE(0)).toBe(0x07064b50);
    const record = data.subarray(Number(locator.readBigUInt64LE(8)));
    expect(record.readUInt32LE(0)).toBe(0x06064b50);
    expect(Number(record.readBigUInt64LE(32))).toBe(70_000);
    if (hasUnzip) {
      const list = execFileSync('unzip', ['-l', bundle], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(list.trim().split('\n').at(-1)).toMatch(/70000 files/);
    }
  });

  it('compresses on worker threads in a process started with node --import tsx --input-type=module', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const expected = await createBundle(src, join(work, 'inline.zip'), { format: 'zip', concurrency: 1 });
    // The 2.5 MiB file puts the tree over the size below which no worker is started.
    const script = [
      `const { createBundle } = await import(${JSON.stringify(new URL('./write-bundle.ts', import.meta.url).href)});`,
      'const [src, out] = process.argv.slice(1);',
      "const result = await createBundle(src, out, { format: 'zip', concurrency: 2 });",
      'console.log(result.sha256);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, src, join(work, 'workers.zip')],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(stdout.trim()).toBe(expected.sha256);
  });

  it('leaves no temporary file when aborted mid-write, and rejects with the reason', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const controller = new AbortController();
    const bundle = join(work, 'out/b.zip');
    await mkdir(join(work, 'out'));
    const result = createBundle(src, bundle, {
      format: 'zip',
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(result).rejects.toThrow('stop');
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });

  it('leaves no temporary file when a file changes between scan and write', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const scan = await scanRevision(src);
    await truncate(join(src, 'data/big.bin'), 10);
    await mkdir(join(work, 'out'));
    const error = await writeBundle(scan, join(work, 'out/b.tgz'), { format: 'tgz' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).entry).toBe('data/big.bin');
    expect((error as BundleError).message).toMatch(/changed size/);
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });

  it('refuses to bundle a previous copy of itself, while createBundle excludes it', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const first = await createBundle(src, join(src, 'bundle.zip'), { format: 'zip' });
    const again = await createBundle(src, join(src, 'bundle.zip'), { format: 'zip' });
    expect(again.sha256).toBe(first.sha256);
    const scan = await scanRevision(src);
    await expect(writeBundle(scan, join(src, 'bundle.zip'), { format: 'zip' })).rejects.toThrow(
      /previous copy/,
    );
  });

  it('reports progress, ending with everything done', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const seen: Array<{ entriesDone: number; bytesDone: number; bytesTotal: number; entriesTotal: number }> =
      [];
    await createBundle(src, join(work, 'b.tgz'), { format: 'tgz', onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.entriesDone).toBe(last.entriesTotal);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(seen.length).toBeLessThan(20);
  });

  it('uses SOURCE_DATE_EPOCH for the entry timestamps', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      await createBundle(src, join(work, 'b.tar'), { format: 'tar' });
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    const header = (await readFile(join(work, 'b.tar'))).subarray(0, 512);
    expect(parseInt(header.subarray(136, 147).toString(), 8)).toBe(1700000000);
  });

  it('rejects bad options before writing anything', async () => {
    const scan: RevisionScan = { root: work, entries: [], ignored: [], outsideHardLinks: [], totalBytes: 0 };
    await expect(writeBundle(scan, join(work, 'b.zip'), { format: 'zip', level: 12 })).rejects.toThrow(
      /level/,
    );
    await expect(writeBundle(scan, join(work, 'b.rar'), { format: 'rar' as BundleFormat })).rejects.toThrow(
      /format/,
    );
    expect(await readdir(work)).toEqual([]);
  });
});

describe('defaultConcurrency', () => {
  it('uses every CPU up to 256 MiB of input and one thread above it, where memory would grow', () => {
    expect(defaultConcurrency(80 * 1024 * 1024, 2)).toBe(2);
    expect(defaultConcurrency(SINGLE_THREAD_ABOVE_BYTES, 8)).toBe(8);
    expect(defaultConcurrency(SINGLE_THREAD_ABOVE_BYTES + 1, 8)).toBe(1);
    expect(defaultConcurrency(1024 * 1024 * 1024, 2)).toBe(1);
  });
});
