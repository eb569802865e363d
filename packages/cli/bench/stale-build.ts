import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Benchmarks measure core as built, which is what the CLI runs. Warns when a source of core's `folder`
 * (`gate`, `appspec`) is newer than that build, or that build newer than the bin's bundle (made by the
 * cli's own build from core's dist/); the last build is measured anyway.
 */
export async function warnIfStale(folder: string, log: (line: string) => void): Promise<void> {
  const built = fileURLToPath(import.meta.resolve('@codedeploy-gate/core'));
  const sources = join(dirname(built), '..', 'src', folder);
  const builtAt = (await stat(built)).mtimeMs;
  const bundle = fileURLToPath(new URL('../dist/bundle/index.js', import.meta.url));
  const bundledAt = (await stat(bundle).catch(() => undefined))?.mtimeMs;
  if (bundledAt !== undefined && bundledAt < builtAt) {
    log(
      "warning: core's dist/ is newer than the bin's bundle; measuring the bundle (run the cli's pnpm build)",
    );
  }
  for (const entry of await readdir(sources, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if ((await stat(join(sources, entry.name))).mtimeMs > builtAt) {
      log(
        `warning: ${entry.name} is newer than core's dist/; measuring the last build (pnpm bench rebuilds it)`,
      );
      return;
    }
  }
}
