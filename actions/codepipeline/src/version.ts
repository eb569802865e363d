import { PACKAGE_VERSION } from './package-version.js';

/**
 * The worker's own version (not the action type's), for its logs: which build is running where.
 * Compiled in at build time (src/package-version.ts): the bundle in dist/ runs without package.json.
 */
export function workerVersion(): string {
  return PACKAGE_VERSION;
}
