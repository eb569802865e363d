import { bundleRoot, openBundle } from '../src/bundle/read/index.js';
import type { Measurement } from './contenders.js';

export interface Verification {
  /** File entries the output lists (symlinks and directories not counted). */
  files: number;
  unsafeEntries: number;
  /** The appspec was found where the agent looks for it and read back. */
  appspec: boolean;
  ok: boolean;
  problem?: string;
}

/**
 * Opens an output with our bundle reader: a fast benchmark that writes a bundle the agent cannot use
 * would be worthless, so every output must list the tree's files and hold a readable appspec.
 */
export async function verifyOutput(outcome: Measurement, expectedFiles: number): Promise<Verification> {
  try {
    const reader = await openBundle(outcome.outFile);
    try {
      const files = reader.entries.filter((entry) => entry.type === 'file').length;
      const root = bundleRoot(reader.entries);
      const appspec = (await reader.read(root === '' ? 'appspec.yml' : `${root}/appspec.yml`)).includes(
        'version:',
      );
      const ok = files === expectedFiles && appspec && reader.unsafeEntries.length === 0;
      return {
        files,
        unsafeEntries: reader.unsafeEntries.length,
        appspec,
        ok,
        ...(ok
          ? {}
          : { problem: `${files} of ${expectedFiles} files, appspec ${appspec ? 'found' : 'missing'}` }),
      };
    } finally {
      await reader.close();
    }
  } catch (error) {
    return { files: 0, unsafeEntries: 0, appspec: false, ok: false, problem: (error as Error).message };
  }
}
