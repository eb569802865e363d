import { basename, checkConflicts, type FileMapping } from './file-conflicts.js';
import { checkServerHooks, type HookScript } from './hooks.js';
import type { YamlMap, YamlNode } from './located-yaml.js';
import {
  asString,
  checkKnownKeys,
  childPath,
  describe,
  expectList,
  findEntry,
  isNull,
  shown,
} from './nodes.js';
import { checkPermissions, NEEDS_NORMALISING, normalisePosix } from './permissions.js';
import type { ProblemSink } from './problems.js';
import { didYouMean } from './suggest.js';
import type { RevisionContents } from './types.js';

export const SERVER_KEYS = [
  'version',
  'os',
  'files',
  'permissions',
  'hooks',
  'file_exists_behavior',
] as const;
const OSES = ['linux', 'windows'];
const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN'];

/** Checks an EC2/on-premises AppSpec against the rules the CodeDeploy agent enforces. */
export function checkServerAppspec(
  sink: ProblemSink,
  root: YamlMap,
  contents: RevisionContents | undefined,
): void {
  checkKnownKeys(sink, root, SERVER_KEYS, '', { ignoredBy: 'the CodeDeploy agent' });
  const os = checkOs(sink, root);
  const files = findEntry(root, 'files');
  const fileTargets = files === undefined ? new Set<string>() : checkFiles(sink, files.value, os, contents);
  const permissions = findEntry(root, 'permissions');
  if (permissions !== undefined) checkPermissions(sink, permissions.value, os, fileTargets);
  checkFileExistsBehavior(sink, root);
  const hooks = findEntry(root, 'hooks');
  const scripts = hooks === undefined ? [] : checkServerHooks(sink, hooks.value, os);
  if (contents !== undefined) checkScriptsExist(sink, scripts, contents);
}

function checkOs(sink: ProblemSink, root: YamlMap): string | undefined {
  const entry = findEntry(root, 'os');
  const hint = 'Add "os: linux" for Linux instances or "os: windows" for Windows Server instances.';
  if (entry === undefined) {
    sink.error(root, 'os', 'os-missing', 'The AppSpec file has no "os"; the agent rejects it.', hint);
    return undefined;
  }
  const os = asString(entry.value);
  if (os !== undefined && OSES.includes(os)) return os;
  const lower = os?.toLowerCase();
  sink.error(
    entry.value,
    'os',
    'os-invalid',
    `os is ${isNull(entry.value) ? 'empty' : describe(entry.value)}; the agent supports only "linux" and "windows".`,
    lower !== undefined && OSES.includes(lower)
      ? `Write os: ${lower} (lowercase; the agent compares exactly).`
      : `${os === undefined ? '' : didYouMean(os, OSES)}${hint}`,
  );
  return lower !== undefined && OSES.includes(lower) ? lower : undefined;
}

/** Checks `files`; returns the destination paths that are known to be files (for permissions). */
function checkFiles(
  sink: ProblemSink,
  node: YamlNode,
  os: string | undefined,
  contents: RevisionContents | undefined,
): Set<string> {
  const fileTargets = new Set<string>();
  if (isNull(node)) return fileTargets;
  const items = expectList(
    sink,
    node,
    'files',
    'Write files as a list: "files:" then "  - source: /" and "    destination: /var/www/app".',
  );
  if (items === undefined) return fileTargets;
  const mappings: FileMapping[] = [];
  items.forEach((item, index) => {
    const path = childPath('files', index);
    if (item.kind !== 'map') {
      sink.error(
        item,
        path,
        'wrong-type',
        `Each files item must be a mapping with source and destination, not ${describe(item)}.`,
        'Write "- source: app" and "  destination: /var/www/app".',
      );
      return;
    }
    checkKnownKeys(sink, item, ['source', 'destination'], path, { ignoredBy: 'the agent' });
    const source = checkSource(sink, item, path, contents);
    const destination = checkDestination(sink, item, path, os);
    if (source === undefined || destination === undefined) return;
    const kind = source === '' ? 'directory' : contents?.has(source);
    mappings.push({ source, destination, kind, line: item.line, node: item, path });
    if (kind === 'file' || kind === 'symlink')
      fileTargets.add(normalisePosix(`${destination}/${basename(source)}`));
  });
  checkConflicts(sink, mappings, contents !== undefined);
  return fileTargets;
}

function checkSource(
  sink: ProblemSink,
  item: YamlMap,
  path: string,
  contents: RevisionContents | undefined,
): string | undefined {
  const entry = findEntry(item, 'source');
  const sourcePath = childPath(path, 'source');
  const hint =
    'Set source to a path relative to the bundle root (where the AppSpec file is), or "/" for the whole bundle.';
  if (entry === undefined || isNull(entry.value)) {
    sink.error(
      entry?.value ?? item,
      sourcePath,
      'files-source-required',
      'A files item has no source; the agent rejects it.',
      hint,
    );
    return undefined;
  }
  const source = asString(entry.value);
  if (source === undefined || source.trim() === '') {
    sink.error(
      entry.value,
      sourcePath,
      'files-source-invalid',
      `source is ${describe(entry.value)}, not a path.`,
      `${hint} Quote it if YAML reads it as something else.`,
    );
    return undefined;
  }
  const relative = toBundlePath(source);
  if (relative === undefined) {
    sink.error(
      entry.value,
      sourcePath,
      'files-source-outside-bundle',
      `source ${JSON.stringify(source)} points outside the bundle.`,
      'Only files inside the revision bundle can be installed; remove the "..".',
    );
    return undefined;
  }
  if (contents !== undefined && relative !== '' && contents.has(relative) === undefined) {
    const excluded = contents.excluded?.(relative);
    if (excluded !== undefined) {
      sink.error(
        entry.value,
        sourcePath,
        'files-source-excluded',
        `source ${JSON.stringify(source)} is excluded from the bundle by ${excluded.because}.`,
        excluded.hint,
      );
    } else {
      sink.error(
        entry.value,
        sourcePath,
        'files-source-missing',
        `source ${JSON.stringify(source)} is not in the revision.`,
        `Add ${relative} to the bundle, or fix the path (it is relative to the bundle root).`,
      );
    }
  }
  return relative;
}

function checkDestination(
  sink: ProblemSink,
  item: YamlMap,
  path: string,
  os: string | undefined,
): string | undefined {
  const entry = findEntry(item, 'destination');
  const destinationPath = childPath(path, 'destination');
  const example = os === 'windows' ? 'C:\\inetpub\\app' : '/var/www/app';
  if (entry === undefined || isNull(entry.value)) {
    sink.error(
      entry?.value ?? item,
      destinationPath,
      'files-destination-required',
      'A files item has no destination; the agent rejects it.',
      `Add the absolute directory to install into, e.g. "destination: ${example}".`,
    );
    return undefined;
  }
  const destination = asString(entry.value);
  if (destination === undefined || destination.trim() === '') {
    sink.error(
      entry.value,
      destinationPath,
      'files-destination-invalid',
      `destination is ${describe(entry.value)}, not a path.`,
      `Write an absolute directory, e.g. "destination: ${example}".`,
    );
    return undefined;
  }
  const windowsPath = /^[A-Za-z]:[\\/]/.test(destination) || destination.startsWith('\\\\');
  const absolute =
    os === 'windows'
      ? windowsPath
      : os === 'linux'
        ? destination.startsWith('/')
        : windowsPath || destination.startsWith('/');
  if (!absolute) {
    sink.error(
      entry.value,
      destinationPath,
      'files-destination-not-absolute',
      `destination ${JSON.stringify(destination)} is not an absolute ${os === undefined ? '' : `${os} `}path.`,
      `Use a fully qualified path, e.g. "${example}".`,
    );
  }
  return os === 'windows' || windowsPath
    ? destination.replace(/\\/g, '/').toLowerCase()
    : normalisePosix(destination);
}

function checkFileExistsBehavior(sink: ProblemSink, root: YamlMap): void {
  const entry = findEntry(root, 'file_exists_behavior');
  if (entry === undefined) return;
  const value = asString(entry.value);
  if (value !== undefined && FILE_EXISTS_BEHAVIORS.includes(value)) return;
  const upper = value?.toUpperCase();
  sink.error(
    entry.value,
    'file_exists_behavior',
    'file-exists-behavior-invalid',
    `file_exists_behavior is ${shown(entry.value)}; it must be DISALLOW, OVERWRITE or RETAIN.`,
    upper !== undefined && FILE_EXISTS_BEHAVIORS.includes(upper)
      ? `Write file_exists_behavior: ${upper} (uppercase; the agent compares exactly).`
      : `${value === undefined ? '' : didYouMean(value, FILE_EXISTS_BEHAVIORS)}Use DISALLOW (fail), OVERWRITE or RETAIN.`,
  );
}

function checkScriptsExist(sink: ProblemSink, scripts: HookScript[], contents: RevisionContents): void {
  for (const script of scripts) {
    const relative = toBundlePath(script.location.replace(/\\/g, '/'));
    if (relative === undefined || relative === '') {
      sink.error(
        script.node,
        script.path,
        'hook-script-missing',
        `Hook script ${JSON.stringify(script.location)} is outside the bundle.`,
        'Point location at a script inside the bundle, relative to its root.',
      );
      continue;
    }
    const kind = contents.has(relative);
    const excluded = kind === undefined ? contents.excluded?.(relative) : undefined;
    if (excluded !== undefined) {
      sink.error(
        script.node,
        script.path,
        'hook-script-excluded',
        `Hook script ${JSON.stringify(script.location)} is excluded from the bundle by ${excluded.because}.`,
        excluded.hint,
      );
    } else if (kind === undefined) {
      sink.error(
        script.node,
        script.path,
        'hook-script-missing',
        `Hook script ${JSON.stringify(script.location)} is not in the revision.`,
        `Add ${relative} to the bundle, or fix the location (it is relative to the bundle root); the agent fails with ScriptMissing.`,
      );
    } else if (kind === 'directory') {
      sink.error(
        script.node,
        script.path,
        'hook-script-not-file',
        `Hook location ${JSON.stringify(script.location)} is a directory, not a script.`,
        `Point location at the script file inside ${relative}/.`,
      );
    }
  }
}

/** A path relative to the bundle root ('' for the root itself), or undefined when it escapes it. */
function toBundlePath(path: string): string | undefined {
  const trimmed = path.trim();
  if (!trimmed.startsWith('/') && !NEEDS_NORMALISING.test(trimmed)) return trimmed;
  const parts: string[] = [];
  for (const part of trimmed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}
