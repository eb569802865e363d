import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from './package-version.js';

describe('the compiled-in version', () => {
  it('is the version in package.json (the build rewrites it: run `pnpm build` after a bump)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

    expect(PACKAGE_VERSION).toBe(pkg.version);
  });
});
