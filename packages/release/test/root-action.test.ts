import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

interface ActionMetadata {
  name: string;
  branding?: { icon: string; color: string };
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string; post?: string };
}

async function action(path: string): Promise<ActionMetadata> {
  return load(await readFile(join(root, path), 'utf8')) as ActionMetadata;
}

describe('the root action.yml (uses: OWNER/codedeploy-gate@v1, the Marketplace listing)', () => {
  it('is what scripts/action-yml.mjs generates from actions/github/action.yml', async () => {
    // Exit 0 means the committed file is byte for byte the generated one.
    await expect(
      promisify(execFile)(process.execPath, ['scripts/action-yml.mjs', '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  });

  it('has the same metadata as actions/github/action.yml except the bundle paths', async () => {
    const rooted = await action('action.yml');
    const source = await action('actions/github/action.yml');
    expect({ ...rooted, runs: undefined }).toEqual({ ...source, runs: undefined });
    expect(rooted.runs).toEqual({
      using: 'node24',
      main: `actions/github/${source.runs.main}`,
      post: `actions/github/${source.runs.post}`,
    });
    expect(rooted.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
  });

  it('points at bundle files that exist in the repository', async () => {
    const rooted = await action('action.yml');
    for (const file of [rooted.runs.main, rooted.runs.post ?? rooted.runs.main]) {
      await expect(readFile(join(root, file))).resolves.toBeInstanceOf(Buffer);
    }
  });
});
