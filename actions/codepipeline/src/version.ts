import { createRequire } from 'node:module';

/** The worker's own version (not the action type's), for its logs: which build is running where. */
export function workerVersion(): string {
  // Required rather than read, so ncc inlines it into the bundle.
  const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
  return pkg.version;
}
