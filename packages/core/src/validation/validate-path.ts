import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type AppspecProblem,
  type AppspecValidation,
  type ComputePlatform,
  type RevisionContents,
  validateAppspec,
} from '../appspec/index.js';
import {
  bundleRoot,
  openBundle,
  type RevisionScan,
  type ScanOptions,
  scanRevision,
} from '../bundle/index.js';
import { detectFormat } from '../bundle/read/open.js';
import { MAX_READ_SIZE } from '../bundle/read/types.js';
import { InvalidInputError } from '../errors/index.js';
import {
  type OpenedRegularFile,
  openRegularFile,
  type ReadRegularFileOptions,
  readOpenedFile,
  readRegularFile,
} from '../files/index.js';
import { bundleContentProblems } from './bundle-contents.js';
import { excludedPaths } from './excluded-paths.js';
import { appspecNameProblems, chooseAppspec } from './find-appspec.js';

export type ValidatedSource = 'directory' | 'bundle' | 'file';

export interface RevisionValidation extends AppspecValidation {
  /** What PATH was: a revision folder, a zip/tar/tgz bundle, or a lone appspec file. */
  source: ValidatedSource;
}

export interface ValidateOptions extends ScanOptions {
  platform?: ComputePlatform;
  /** false: the result's `appspec` stays undefined (see ValidateAppspecOptions.plain). */
  plain?: boolean;
}

/** Validates the appspec of a scanned revision folder against the files that will be in its bundle. */
export async function validateScan(
  scan: RevisionScan,
  platform?: ComputePlatform,
  plain = true,
): Promise<RevisionValidation> {
  const byPath = new Map(scan.entries.map((entry) => [entry.path, entry]));
  const rootNames = scan.entries.filter((e) => !e.path.includes('/')).map((e) => e.path);
  const name = chooseAppspec(rootNames, scan.root);
  const appspecEntry = byPath.get(name);
  if (appspecEntry?.type !== 'file') {
    throw new InvalidInputError(`${join(scan.root, name)} is not a regular file`, {
      hint: 'Replace the link with the appspec file itself.',
    });
  }
  const contents: RevisionContents = {
    has: (path) => byPath.get(path)?.type,
    excluded: excludedPaths(scan.ignored),
  };
  const validation = validateAppspec(await readRegularFile(appspecEntry.absolutePath, APPSPEC_FILE), {
    file: name,
    contents,
    plain,
    ...(platform ? { platform } : {}),
  });
  return merge(validation, appspecNameProblems(name, validation.platform), 'directory');
}

/**
 * Validates PATH as `codedeploy-gate validate` does: a revision folder, a bundle (recognised by its
 * magic bytes, whatever its name), or any other file read as an appspec in YAML or JSON.
 */
export async function validatePath(path: string, options: ValidateOptions = {}): Promise<RevisionValidation> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(
      `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`,
      {
        hint: 'Pass a revision folder, a zip/tar/tgz bundle, or an appspec file.',
        cause: error,
      },
    );
  });
  const plain = options.plain !== false;
  if (info.isDirectory()) return validateScan(await scanRevision(path, options), options.platform, plain);
  // One open: its descriptor says what the path is and how large, and is what gets read.
  const file = await openRegularFile(path, APPSPEC_FILE);
  try {
    if (await looksLikeBundle(file)) return await validateBundle(path, options.platform, plain);
    const validation = validateAppspec(await readOpenedFile(file, APPSPEC_FILE), {
      file: path,
      plain,
      ...(options.platform ? { platform: options.platform } : {}),
    });
    return { ...validation, source: 'file' };
  } finally {
    await file.handle.close();
  }
}

/** An appspec file is held to the limit of one read from a bundle: a regular file of at most 16 MiB. */
const APPSPEC_FILE: ReadRegularFileOptions = {
  what: 'the appspec',
  maxBytes: MAX_READ_SIZE,
  hint: 'Pass a revision folder, a zip/tar/tgz bundle, or an appspec file.',
};

async function validateBundle(
  path: string,
  platform: ComputePlatform | undefined,
  plain: boolean,
): Promise<RevisionValidation> {
  const bundle = await openBundle(path);
  try {
    const root = bundleRoot(bundle.entries);
    const strip = root === '' ? '' : `${root}/`;
    const inRoot = new Map(
      bundle.entries.filter((e) => e.path.startsWith(strip)).map((e) => [e.path.slice(strip.length), e]),
    );
    const rootNames = [...inRoot.keys()].filter((name) => name !== '' && !name.includes('/'));
    const name = chooseAppspec(rootNames, basename(path));
    const appspecPath = `${strip}${name}`;
    const validation = validateAppspec(await bundle.read(appspecPath), {
      file: `${basename(path)}:${appspecPath}`,
      plain,
      contents: {
        has: (p) => inRoot.get(p)?.type ?? (hasDirectoryBelow(inRoot, p) ? 'directory' : undefined),
      },
      ...(platform ? { platform } : {}),
    });
    const contentProblems = bundleContentProblems(basename(path), bundle, inRoot);
    return merge(
      validation,
      [...appspecNameProblems(name, validation.platform), ...contentProblems],
      'bundle',
    );
  } finally {
    await bundle.close();
  }
}

/** Zip archives do not always carry directory entries; a directory exists when something is below it. */
function hasDirectoryBelow(entries: Map<string, unknown>, path: string): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  for (const name of entries.keys()) if (name.startsWith(prefix)) return true;
  return false;
}

/** A bundle is recognised by its first bytes, whatever its name. */
async function looksLikeBundle(file: OpenedRegularFile): Promise<boolean> {
  const head = Buffer.alloc(512);
  const { bytesRead } = await file.handle.read(head, 0, head.length, 0);
  return detectFormat(head.subarray(0, bytesRead)) !== undefined;
}

function merge(
  validation: AppspecValidation,
  extra: AppspecProblem[],
  source: ValidatedSource,
): RevisionValidation {
  if (extra.length === 0) return { ...validation, source };
  const problems = [...extra, ...validation.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ...validation, problems, valid: problems.every((p) => p.severity !== 'error'), source };
}
