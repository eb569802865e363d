import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/core */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root, whose pnpm store supplies the node_modules fixture. */
export const REPO_ROOT = resolve(PACKAGE_DIR, '../..');
/** Git-ignored scratch space: fixtures, outputs and results. */
export const WORK_DIR = join(REPO_ROOT, 'bench', '.work');
export const PNPM_STORE = join(REPO_ROOT, 'node_modules', '.pnpm');
