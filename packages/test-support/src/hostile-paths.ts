import { execFileSync } from 'node:child_process';
import { type Stats, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

/*
 * Paths a careless or hostile user may hand a command where a regular file belongs, made fresh by
 * each test (no binaries committed). Sockets must be closed by the test (`close()` in afterEach).
 */

/** A named pipe at PATH; nothing ever writes to it, so a reader that opens it blindly hangs. */
export function makeFifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * A character device for an output to be pointed at: as root, a private copy of /dev/null (`mknod`
 * DIR/null c 1 3), so a regression that replaced its target would replace this node and not the
 * machine's /dev/null; otherwise /dev/null itself, which a user without root cannot replace.
 */
export function outputDevice(dir: string): string {
  const path = join(dir, 'null-device');
  try {
    execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
    return path;
  } catch {
    return '/dev/null';
  }
}

/** A listening unix socket at PATH. */
export async function listenOnSocket(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return server;
}

export function closeSocket(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** A file of BYTES bytes that takes no disk space (a hole), for size limits. */
export async function sparseFile(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'w');
  try {
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
  return path;
}

/** What is at PATH now, to show a test left a device, pipe or socket as it was: its kind, device id and inode. */
export function identity(path: string): { kind: string; rdev: number; ino: number } {
  const stats: Stats = statSync(path);
  const kind = stats.isCharacterDevice()
    ? 'character device'
    : stats.isFIFO()
      ? 'fifo'
      : stats.isSocket()
        ? 'socket'
        : stats.isDirectory()
          ? 'directory'
          : stats.isFile()
            ? 'file'
            : 'other';
  return { kind, rdev: stats.rdev, ino: stats.ino };
}
