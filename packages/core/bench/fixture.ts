import { createCipheriv, createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PNPM_STORE, WORK_DIR } from './paths.js';

/** Aimed-at size of the application tree: a mid-sized Node service with its production node_modules. */
export const APP_TARGET = { files: 8_000, bytes: 80_000_000 };
/**
 * Packages above this size (the biome and turbo binaries) are build tools that a
 * deployed application does not carry; leaving them out keeps the tree's mix of small and large files
 * like a production node_modules.
 */
const MAX_PACKAGE_BYTES = 24_000_000;
const BIG_TARGET_BYTES = 1024 ** 3;
const BIG_FILE_SIZE = 64 * 1024 * 1024;
export const MIN_FREE_DISK = 5 * 1024 ** 3;

export interface TreeInfo {
  dir: string;
  files: number;
  bytes: number;
  /** Whether this run built the tree (false: reused from an earlier run with the same manifest). */
  built: boolean;
}

interface StoreFile {
  from: string;
  to: string;
  size: number;
}

interface StorePackage {
  /** Path inside the pnpm store, e.g. `typescript@5.9.3/node_modules/typescript`. */
  storePath: string;
  name: string;
  files: StoreFile[];
  bytes: number;
}

async function sortedDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Regular files below `dir` in sorted order; symlinks (pnpm's links to dependencies) are left out. */
async function listFiles(dir: string, relative = ''): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const name of await sortedDir(join(dir, relative))) {
    const path = relative === '' ? name : `${relative}/${name}`;
    const stats = await lstat(join(dir, path));
    if (stats.isDirectory()) out.push(...(await listFiles(dir, path)));
    else if (stats.isFile()) out.push({ path, size: stats.size });
  }
  return out;
}

/** Every package the pnpm store holds for real (not as a link), in sorted order. */
async function storePackages(): Promise<StorePackage[]> {
  const packages: StorePackage[] = [];
  for (const entry of await sortedDir(PNPM_STORE)) {
    const modules = join(PNPM_STORE, entry, 'node_modules');
    const names = await sortedDir(modules).catch(() => []);
    for (const top of names) {
      const scoped = top.startsWith('@')
        ? (await sortedDir(join(modules, top))).map((n) => `${top}/${n}`)
        : [top];
      for (const name of scoped) {
        const dir = join(modules, name);
        if (!(await lstat(dir)).isDirectory()) continue;
        const files = (await listFiles(dir)).map((file) => ({
          from: join(dir, file.path),
          to: `${name}/${file.path}`,
          size: file.size,
        }));
        packages.push({
          storePath: `${entry}/node_modules/${name}`,
          name,
          files,
          bytes: files.reduce((sum, file) => sum + file.size, 0),
        });
      }
    }
  }
  return packages;
}

/** Packages whose files average more than this are native binaries or bundled compilers. */
const HEAVY_FILE_BYTES = 100_000;

/**
 * Chooses store packages for node_modules, whole packages in sorted order. Light packages (ordinary
 * JS, JSON, maps, typings) come first and fill the file budget; the store holds fewer of them than the
 * target, so later passes nest further copies the way npm nests duplicate versions
 * (`a/node_modules/b`). Heavy packages (native binaries) then fill the byte budget.
 */
function choosePackages(packages: StorePackage[], budget: { files: number; bytes: number }): StoreFile[] {
  const chosen: StoreFile[] = [];
  const placed = new Set<string>();
  let files = 0;
  let bytes = 0;
  const take = (pkg: StorePackage, host: string, limit: { files: number; bytes: number }): void => {
    // Two versions of one package cannot share a folder: the later one waits for a nested place.
    if (placed.has(`${host}${pkg.name}`)) return;
    if (files + pkg.files.length > limit.files || bytes + pkg.bytes > limit.bytes) return;
    placed.add(`${host}${pkg.name}`);
    for (const file of pkg.files) chosen.push({ ...file, to: `node_modules/${host}${file.to}` });
    files += pkg.files.length;
    bytes += pkg.bytes;
  };
  const usable = packages.filter((pkg) => pkg.files.length > 0 && pkg.bytes <= MAX_PACKAGE_BYTES);
  const heavy = usable.filter((pkg) => pkg.bytes / pkg.files.length > HEAVY_FILE_BYTES);
  const light = usable.filter((pkg) => !heavy.includes(pkg));
  // Leave room in the file budget for the heavy packages' few files.
  const lightLimit = {
    files: budget.files - heavy.reduce((sum, pkg) => sum + pkg.files.length, 0),
    bytes: budget.bytes,
  };
  for (let pass = 0; pass < 4 && files < lightLimit.files * 0.98; pass++) {
    for (const [index, pkg] of light.entries()) {
      // Pass 0 is the flat top level; pass n nests the copy under the package n places further on.
      take(pkg, pass === 0 ? '' : `${light[(index + pass) % light.length]!.name}/node_modules/`, lightLimit);
    }
  }
  for (const pkg of heavy) take(pkg, '', budget);
  return chosen;
}

const HOOKS = [
  'before_install',
  'after_install',
  'application_start',
  'application_stop',
  'validate_service',
];

const APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /srv/bench-app
file_exists_behavior: OVERWRITE
permissions:
  - object: /srv/bench-app/scripts
    pattern: "*.sh"
    mode: 755
hooks:
${HOOKS.map((hook) => {
  const event = hook.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
  return `  ${event}:\n    - location: scripts/${hook}.sh\n      timeout: 300\n      runas: root`;
}).join('\n')}
`;

/** The application's own files: appspec, hook scripts, package.json and a generated src/ tree. */
function applicationFiles(): Map<string, { content: string; mode: number }> {
  const files = new Map<string, { content: string; mode: number }>();
  files.set('appspec.yml', { content: APPSPEC, mode: 0o644 });
  for (const hook of HOOKS) {
    files.set(`scripts/${hook}.sh`, {
      content: `#!/bin/bash\nset -euo pipefail\ncd /srv/bench-app\necho "${hook} $(date -u +%FT%TZ)"\n`,
      mode: 0o755,
    });
  }
  files.set('package.json', {
    content: `${JSON.stringify({ name: 'bench-app', version: '1.0.0', type: 'module', main: 'src/index.js' }, null, 2)}\n`,
    mode: 0o644,
  });
  for (let module = 0; module < 120; module++) {
    const area = ['routes', 'services', 'models', 'lib'][module % 4]!;
    const lines = [`// ${area} module ${module}`, `import { log } from '../lib/log.js';`, ''];
    for (let fn = 0; fn < 40; fn++) {
      lines.push(
        `export function handler${module}_${fn}(request, context = {}) {`,
        `  const started = Date.now();`,
        `  log('${area}.${module}.${fn}', { id: request.id, user: context.user ?? 'anonymous' });`,
        `  return { status: ${200 + (fn % 5)}, elapsed: Date.now() - started, module: ${module} };`,
        '}',
        '',
      );
    }
    files.set(`src/${area}/module-${String(module).padStart(3, '0')}.js`, {
      content: lines.join('\n'),
      mode: 0o644,
    });
  }
  return files;
}

async function readManifest(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/**
 * The application fixture under bench/.work/app, rebuilt only when the chosen store files (and so the
 * manifest's digest) changed since the last run.
 */
export async function ensureAppFixture(log: (line: string) => void): Promise<TreeInfo> {
  const dir = join(WORK_DIR, 'app');
  const manifestFile = join(WORK_DIR, 'app.manifest.json');
  const appFiles = applicationFiles();
  const appBytes = [...appFiles.values()].reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
  const storeFiles = choosePackages(await storePackages(), {
    files: APP_TARGET.files - appFiles.size,
    bytes: APP_TARGET.bytes - appBytes,
  });
  const digest = createHash('sha256');
  for (const file of storeFiles) digest.update(`${file.to}\0${file.size}\n`);
  for (const [path, { content, mode }] of appFiles) digest.update(`${path}\0${mode}\0${content}\n`);
  const manifest = JSON.stringify({
    digest: digest.digest('hex'),
    files: storeFiles.length + appFiles.size,
    bytes: storeFiles.reduce((sum, file) => sum + file.size, 0) + appBytes,
  });
  const info = JSON.parse(manifest) as { files: number; bytes: number };
  if ((await readManifest(manifestFile)) === manifest) return { dir, ...info, built: false };

  log(
    `building the application fixture in ${dir} (${info.files} files, ${(info.bytes / 1e6).toFixed(1)} MB)`,
  );
  await rm(manifestFile, { force: true });
  await rm(dir, { recursive: true, force: true });
  for (const file of storeFiles) {
    const target = join(dir, file.to);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file.from, target);
    await chmod(target, (await lstat(file.from)).mode & 0o7777);
  }
  for (const [path, { content, mode }] of appFiles) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content, { mode });
  }
  await writeFile(manifestFile, manifest);
  return { dir, ...info, built: true };
}

/** Deterministic incompressible bytes (AES-CTR keystream over zeros), like images or jars. */
async function writeRandomFile(path: string, size: number, seed: number): Promise<void> {
  const key = createHash('sha256').update(`bench-key-${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1024 * 1024);
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += zeros.length) {
    if (!out.write(cipher.update(zeros.subarray(0, Math.min(zeros.length, size - written))))) {
      await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

/** Deterministic compressible text shaped like application logs. */
async function writeTextFile(path: string, size: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  let written = 0;
  let line = 0;
  while (written < size) {
    const lines: string[] = [];
    for (let i = 0; i < 4096; i++, line++) {
      const id = ((line * 2654435761 + seed) >>> 0).toString(16).padStart(8, '0');
      lines.push(
        `2026-01-${String((line % 28) + 1).padStart(2, '0')}T${String(line % 24).padStart(2, '0')}:` +
          `${String(line % 60).padStart(2, '0')}:00Z INFO req=${id} ${methods[line % 4]} /api/v1/items/${line % 9973}` +
          ` status=${200 + (line % 7)} ms=${line % 997} user=u${line % 313}\n`,
      );
    }
    const chunk = Buffer.from(lines.join(''));
    const slice = chunk.subarray(0, Math.min(chunk.length, size - written));
    written += slice.length;
    if (!out.write(slice)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Free space on the file system holding `dir`, in bytes. */
export async function freeDisk(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/**
 * The ≈ 1 GiB tree for the memory check: a copy of the application plus 64 MiB files, alternately
 * pseudo-random and log-like text, generated once.
 */
export async function ensureBigTree(app: TreeInfo, log: (line: string) => void): Promise<TreeInfo> {
  const dir = join(WORK_DIR, 'big');
  const manifestFile = join(WORK_DIR, 'big.manifest.json');
  const largeFiles = Math.ceil((BIG_TARGET_BYTES - app.bytes) / BIG_FILE_SIZE);
  const appManifest = await readFile(join(WORK_DIR, 'app.manifest.json'), 'utf8');
  const manifest = JSON.stringify({
    app: JSON.parse(appManifest) as unknown,
    largeFiles,
    size: BIG_FILE_SIZE,
    files: app.files + largeFiles,
    bytes: app.bytes + largeFiles * BIG_FILE_SIZE,
  });
  const info = { dir, files: app.files + largeFiles, bytes: app.bytes + largeFiles * BIG_FILE_SIZE };
  if ((await readManifest(manifestFile)) === manifest) return { ...info, built: false };

  log(`building the 1 GiB tree in ${dir} (${largeFiles} files of 64 MiB on top of the application)`);
  await rm(manifestFile, { force: true });
  await rm(dir, { recursive: true, force: true });
  for (const file of await listFiles(app.dir)) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await copyFile(join(app.dir, file.path), join(dir, file.path));
    await chmod(join(dir, file.path), (await lstat(join(app.dir, file.path))).mode & 0o7777);
  }
  await mkdir(join(dir, 'assets'), { recursive: true });
  for (let index = 0; index < largeFiles; index++) {
    const name = String(index).padStart(2, '0');
    if (index % 2 === 0)
      await writeRandomFile(join(dir, 'assets', `media-${name}.bin`), BIG_FILE_SIZE, index);
    else await writeTextFile(join(dir, 'assets', `access-${name}.log`), BIG_FILE_SIZE, index);
  }
  await writeFile(manifestFile, manifest);
  return { ...info, built: true };
}
