import { PACKAGE_VERSION } from './package-version.js';

/**
 * The CLI's version, from its package.json so a release needs one edit; compiled in at build time
 * (src/package-version.ts) so the bundles (bin's dist/bundle/, the Jenkins wrapper's) carry it.
 */
export function cliVersion(): string {
  return PACKAGE_VERSION;
}
