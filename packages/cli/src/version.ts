import { createRequire } from 'node:module';

/**
 * The CLI's version, from its package.json so a release needs one edit. Required rather than read,
 * so bundlers (the Jenkins wrapper's ncc bundle) inline it and the bundle stays one file.
 */
export function cliVersion(): string {
  const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
  return pkg.version;
}
