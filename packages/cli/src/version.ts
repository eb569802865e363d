import { readFileSync } from 'node:fs';

/** The CLI's version, read from its package.json so a release needs one edit. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
