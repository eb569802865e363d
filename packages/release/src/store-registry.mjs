// @ts-check
// A throwaway npm registry on 127.0.0.1 for installing packed tarballs with no network. It answers
// for every package version in pnpm-lock.yaml and for the tarballs it is given. Third-party tarballs
// are never served: their metadata carries the lockfile's integrity, by which pnpm takes them from its
// content-addressable store (filled by `pnpm install --frozen-lockfile`), so a clean CI machine needs
// neither the network nor an npm cache (`npm install --offline` would need the latter).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { load } from 'js-yaml';

/**
 * @typedef {Record<string, unknown> & { name: string, version: string, dist: Record<string, string> }} Manifest
 * @typedef {{ url: string, close(): Promise<void> }} StoreRegistry
 */

/**
 * Starts the registry. `tarballs` are npm tarballs (`pnpm pack` output) served as they are.
 * @param {{ lockfile: string, tarballs: string[] }} options
 * @returns {Promise<StoreRegistry>}
 */
export async function startStoreRegistry({ lockfile, tarballs }) {
  /** @type {Map<string, Map<string, Manifest>>} name → version → manifest */
  const packages = lockfilePackages(/** @type {Lockfile} */ (load(await readFile(lockfile, 'utf8'))));
  /** @type {Map<string, string>} file name → path */
  const files = new Map();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname).slice(1);
    const file = path.startsWith('-/tarballs/') ? files.get(path.slice('-/tarballs/'.length)) : undefined;
    if (file !== undefined) {
      readFile(file).then(
        (body) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
        () => response.writeHead(500).end(),
      );
      return;
    }
    const versions = packages.get(path);
    if (versions === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument(versions)));
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the registry has no TCP address');
  const url = `http://127.0.0.1:${address.port}/`;
  for (const tarball of tarballs) {
    const bytes = await readFile(tarball);
    const manifest = JSON.parse(tarEntry(gunzipSync(bytes), 'package/package.json').toString('utf8'));
    files.set(basename(tarball), tarball);
    const versions = packages.get(manifest.name) ?? new Map();
    versions.set(manifest.version, {
      ...manifest,
      dist: {
        tarball: `${url}-/tarballs/${encodeURIComponent(basename(tarball))}`,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
      },
    });
    packages.set(manifest.name, versions);
  }
  return {
    url,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

/**
 * @typedef {{ resolution?: { integrity?: string }, [field: string]: unknown }} LockedPackage
 * @typedef {{ dependencies?: Record<string, string>, optionalDependencies?: Record<string, string> }} LockedSnapshot
 * @typedef {{ packages?: Record<string, LockedPackage>, snapshots?: Record<string, LockedSnapshot> }} Lockfile
 */

/**
 * The lockfile's registry packages as npm manifests. A snapshot's dependencies are exact versions
 * (peer suffixes `(…)` dropped), so the install resolves to what the workspace uses.
 * @param {Lockfile} lock
 */
function lockfilePackages(lock) {
  /** @type {Map<string, Map<string, Manifest>>} */
  const packages = new Map();
  /** @type {Map<string, LockedSnapshot>} */
  const snapshots = new Map();
  for (const [key, snapshot] of Object.entries(lock.snapshots ?? {})) {
    const id = key.replace(/\(.*$/, '');
    if (!snapshots.has(id)) snapshots.set(id, snapshot);
  }
  for (const [id, locked] of Object.entries(lock.packages ?? {})) {
    const integrity = locked.resolution?.integrity;
    if (integrity === undefined) continue;
    const at = id.lastIndexOf('@');
    const name = id.slice(0, at);
    const version = id.slice(at + 1);
    const snapshot = snapshots.get(id) ?? {};
    /** @type {Manifest} */
    const manifest = {
      name,
      version,
      dependencies: exact(snapshot.dependencies),
      optionalDependencies: exact(snapshot.optionalDependencies),
      dist: { integrity, tarball: `http://127.0.0.1/not-served/${id}.tgz` },
    };
    for (const field of ['peerDependencies', 'peerDependenciesMeta', 'engines', 'os', 'cpu', 'libc']) {
      if (locked[field] !== undefined) manifest[field] = locked[field];
    }
    const versions = packages.get(name) ?? new Map();
    versions.set(version, manifest);
    packages.set(name, versions);
  }
  return packages;
}

/** @param {Record<string, string> | undefined} dependencies */
function exact(dependencies) {
  return Object.fromEntries(
    Object.entries(dependencies ?? {}).map(([name, version]) => [name, version.replace(/\(.*$/, '')]),
  );
}

/** @param {Map<string, Manifest>} versions */
function packument(versions) {
  const [first] = versions.values();
  const latest = [...versions.keys()].sort(compareVersions).at(-1);
  return { name: first?.name, 'dist-tags': { latest }, versions: Object.fromEntries(versions) };
}

/**
 * Orders plain X.Y.Z versions (a pre-release sorts before its release, which is all `latest` needs).
 * @param {string} a
 * @param {string} b
 */
function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((part) => Number(part));
  const pb = b.split(/[.-]/).map((part) => Number(part));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return pb.length - pa.length;
}

/**
 * One file's bytes from an uncompressed tar (ustar: 512-byte headers, contents padded to 512).
 * @param {Buffer} tar
 * @param {string} name
 */
function tarEntry(tar, name) {
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (entryName === '') break;
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    if (entryName === name) return tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} is not in the tarball`);
}
