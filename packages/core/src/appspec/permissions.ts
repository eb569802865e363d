import type { YamlMap, YamlNode } from './located-yaml.js';
import { asScalar, asString, childPath, describe, expectList, findEntry, isNull } from './nodes.js';
import { PermissionClashes } from './permission-clashes.js';
import type { ProblemSink } from './problems.js';
import { isOctalLooking, rubyToS } from './scalars.js';
import { didYouMean } from './suggest.js';

const PERMISSION_KEYS = ['object', 'pattern', 'except', 'type', 'owner', 'group', 'mode', 'acls', 'context'];
const TYPES = ['file', 'directory'];

/**
 * Checks `permissions` the way the agent's `LinuxPermissionInfo`, `ModeInfo`, `AceInfo` and
 * `RangeInfo` do. `fileTargets` are destination paths known to be files (from `files`): a permission
 * on one of them must keep pattern `**`, no except, and no default ACL.
 */
export function checkPermissions(
  sink: ProblemSink,
  node: YamlNode,
  os: string | undefined,
  fileTargets: ReadonlySet<string>,
): void {
  if (isNull(node)) return;
  const items = expectList(
    sink,
    node,
    'permissions',
    'Write permissions as a list: "permissions:" then "  - object: /var/www/app" and its settings.',
  );
  if (items === undefined) return;
  if (os === 'windows' && items.length > 0) {
    sink.error(
      node,
      'permissions',
      'permissions-on-windows',
      'permissions are set, but os is windows.',
      'The agent supports permissions on Linux only; remove the permissions section for Windows deployments.',
    );
    return;
  }
  const clashes = new PermissionClashes();
  items.forEach((item, index) => {
    const path = childPath('permissions', index);
    if (item.kind !== 'map') {
      sink.error(
        item,
        path,
        'wrong-type',
        `Each permission must be a mapping with "object", not ${describe(item)}.`,
        'Write "- object: /var/www/app" followed by owner, group, mode, ...',
      );
      return;
    }
    for (const entry of item.entries) {
      if (PERMISSION_KEYS.includes(entry.name)) continue;
      sink.warn(
        entry.key,
        childPath(path, entry.name),
        'unknown-key',
        `Unknown key "${entry.name}" in a permission; the agent ignores it.`,
        () => `${didYouMean(entry.name, PERMISSION_KEYS)}Permission keys are: ${PERMISSION_KEYS.join(', ')}.`,
      );
    }
    const object = checkObject(sink, item, path);
    const normalised = object === undefined ? undefined : normalisePosix(object);
    const isFile = normalised !== undefined && fileTargets.has(normalised);
    const pattern = checkPattern(sink, item, path, isFile);
    checkExcept(sink, item, path, isFile);
    const types = checkTypes(sink, item, path);
    checkOwner(sink, item, path, 'owner');
    checkOwner(sink, item, path, 'group');
    const mode = findEntry(item, 'mode');
    if (mode !== undefined && !isNull(mode.value)) checkMode(sink, mode.value, childPath(path, 'mode'));
    const acls = findEntry(item, 'acls');
    if (acls !== undefined && !isNull(acls.value))
      checkAcls(sink, acls.value, childPath(path, 'acls'), isFile);
    const context = findEntry(item, 'context');
    if (context !== undefined && !isNull(context.value))
      checkContext(sink, context.value, childPath(path, 'context'));
    if (object === undefined || normalised === undefined) return;
    const clash = clashes.add({ object: normalised, types, pattern, line: item.line });
    if (clash !== undefined) {
      sink.error(
        item,
        path,
        'permissions-duplicate-object',
        `Permissions for ${object} are set again (first on line ${clash.line}) for overlapping files.`,
        'The agent fails when one object gets permissions twice ("specified more than once"); merge the two entries or make their type/pattern disjoint.',
      );
    }
  });
}

function checkObject(sink: ProblemSink, item: YamlMap, path: string): string | undefined {
  const entry = findEntry(item, 'object');
  const hint =
    'Set "object" to the absolute path of an installed file or directory, e.g. "object: /var/www/app".';
  const scalar = entry === undefined ? undefined : asScalar(entry.value);
  const object = scalar === undefined ? '' : rubyToS(scalar.value).trim();
  if (entry === undefined || object === '') {
    sink.error(
      entry?.value ?? item,
      childPath(path, 'object'),
      'permissions-object-missing',
      'A permission has no object.',
      hint,
    );
    return undefined;
  }
  if (!object.startsWith('/')) {
    sink.error(
      entry.value,
      childPath(path, 'object'),
      'permissions-object-not-absolute',
      `object ${JSON.stringify(object)} is not an absolute path.`,
      `Use the installed (destination) path, starting with "/", e.g. "/${object.replace(/^\.?\/*/, '')}" if that is where files puts it.`,
    );
  }
  return object;
}

function checkPattern(sink: ProblemSink, item: YamlMap, path: string, isFile: boolean): string {
  const entry = findEntry(item, 'pattern');
  if (entry === undefined || isNull(entry.value)) return '**';
  const pattern = asString(entry.value);
  const patternPath = childPath(path, 'pattern');
  if (pattern === undefined) {
    sink.error(
      entry.value,
      patternPath,
      'permissions-pattern-invalid',
      `pattern is ${describe(entry.value)}, not a glob string.`,
      'Quote the pattern, e.g. pattern: "*.sh".',
    );
    return '**';
  }
  if (isFile && pattern !== '**') {
    sink.error(
      entry.value,
      patternPath,
      'permissions-pattern-on-file',
      `pattern ${JSON.stringify(pattern)} is set on an object that is a file.`,
      'A permission on a single file must use pattern "**" (or none); point object at the directory to select files by pattern.',
    );
  } else if (pattern !== '**' && pattern.includes('/')) {
    sink.warn(
      entry.value,
      patternPath,
      'permissions-pattern-slash',
      `pattern ${JSON.stringify(pattern)} contains "/", so it never matches.`,
      'The agent matches pattern against names directly under object (only "*" is a wildcard); point object at the subdirectory instead.',
    );
  }
  return pattern;
}

function checkExcept(sink: ProblemSink, item: YamlMap, path: string, isFile: boolean): void {
  const entry = findEntry(item, 'except');
  if (entry === undefined || isNull(entry.value)) return;
  const exceptPath = childPath(path, 'except');
  if (entry.value.kind !== 'seq') {
    sink.error(
      entry.value,
      exceptPath,
      'permissions-except-invalid',
      `except is ${describe(entry.value)}; it must be a list of patterns.`,
      'Write except: ["*.log"] (a list, even for one pattern).',
    );
    return;
  }
  if (isFile && entry.value.items.length > 0) {
    sink.error(
      entry.value,
      exceptPath,
      'permissions-except-on-file',
      'except is set on an object that is a file.',
      'Remove except, or point object at the directory that holds the files.',
    );
  }
  entry.value.items.forEach((glob, index) => {
    if (asString(glob) === undefined) {
      sink.error(
        glob,
        childPath(exceptPath, index),
        'permissions-except-invalid',
        `except item is ${describe(glob)}, not a pattern string.`,
        'Quote each pattern, e.g. "*.log".',
      );
    }
  });
}

function checkTypes(sink: ProblemSink, item: YamlMap, path: string): string[] {
  const entry = findEntry(item, 'type');
  if (entry === undefined || isNull(entry.value)) return TYPES;
  const typePath = childPath(path, 'type');
  if (entry.value.kind !== 'seq') {
    sink.error(
      entry.value,
      typePath,
      'permissions-type-invalid',
      `type is ${describe(entry.value)}; it must be a list.`,
      'Write type: [file], type: [directory] or type: [file, directory].',
    );
    return TYPES;
  }
  const types: string[] = [];
  entry.value.items.forEach((node, index) => {
    const type = asString(node);
    if (type === undefined || !TYPES.includes(type)) {
      sink.error(
        node,
        childPath(typePath, index),
        'permissions-type-invalid',
        `type ${node.kind === 'scalar' ? JSON.stringify(node.text) : describe(node)} is not supported for permissions.`,
        `${type === undefined ? '' : didYouMean(type, TYPES)}Use file and/or directory.`,
      );
    } else {
      types.push(type);
    }
  });
  return types;
}

function checkOwner(sink: ProblemSink, item: YamlMap, path: string, key: 'owner' | 'group'): void {
  const entry = findEntry(item, key);
  if (entry === undefined || isNull(entry.value) || asString(entry.value) !== undefined) return;
  sink.error(
    entry.value,
    childPath(path, key),
    `permissions-${key}-invalid`,
    `${key} is ${describe(entry.value)}, not a ${key === 'owner' ? 'user' : 'group'} name.`,
    `Write the ${key} name as a string (quote it if it looks like a number: ${key}: "1000"); the agent resolves names, not ids.`,
  );
}

/** The agent does `mode.to_s`, pads it to 3 digits and wants at most 4 octal digits. */
export function checkMode(sink: ProblemSink, node: YamlNode, path: string): void {
  const scalar = asScalar(node);
  const hint = 'Write the mode as 1 to 4 octal digits, e.g. "mode: 644" (or quoted, "mode: \'0644\'").';
  if (scalar === undefined) {
    sink.error(node, path, 'permissions-mode-invalid', `mode is ${describe(node)}.`, hint);
    return;
  }
  if (scalar.style === 'plain' && scalar.value.type === 'int' && isOctalLooking(scalar.text)) {
    sink.error(
      scalar,
      path,
      'permissions-mode-octal',
      `mode: ${scalar.text} is read by the agent's YAML 1.1 parser as the octal number ${scalar.text} = ${scalar.value.value}, so it would apply mode "${rubyToS(scalar.value)}" instead of ${scalar.text.replace(/^([-+]?)0+(?=.)/, '$1')}.`,
      `Write mode: ${scalar.text.replace(/^0+(?=.)/, '')} (or quote it as '${scalar.text}'; the agent does to_s on the value, so the quoted string keeps its digits).`,
    );
    return;
  }
  let mode = rubyToS(scalar.value);
  while (mode.length < 3) mode = `0${mode}`;
  if (mode.length > 4) {
    sink.error(
      scalar,
      path,
      'permissions-mode-invalid',
      `mode ${JSON.stringify(mode)} is longer than 4 digits.`,
      hint,
    );
    return;
  }
  const bad = [...mode].find((char) => char < '0' || char > '7');
  if (bad !== undefined) {
    sink.error(
      scalar,
      path,
      'permissions-mode-invalid',
      `mode ${JSON.stringify(mode)} contains the invalid character ${JSON.stringify(bad)}.`,
      hint,
    );
  }
}

function checkAcls(sink: ProblemSink, node: YamlNode, path: string, isFile: boolean): void {
  if (node.kind !== 'seq') {
    sink.error(
      node,
      path,
      'permissions-acl-invalid',
      `acls is ${describe(node)}; it must be a list of entries.`,
      'Write acls: ["u:deploy:rwx", "g:web:r-x"].',
    );
    return;
  }
  node.items.forEach((item, index) => {
    const itemPath = childPath(path, index);
    const scalar = asScalar(item);
    const ace = scalar === undefined ? undefined : rubyToS(scalar.value);
    const problem = ace === undefined ? 'it is not a string' : aceProblem(ace);
    if (problem !== undefined) {
      sink.error(
        item,
        itemPath,
        'permissions-acl-invalid',
        `Invalid acl entry ${JSON.stringify(ace ?? describe(item))}: ${problem}.`,
        'Use [d[efault]:][u[ser]|g[roup]|m[ask]|o[ther]]:[name]:perm, where perm is one octal digit or r/w/x/- letters, e.g. "u:deploy:rwx" or "d:g:web:5"; set base entries with mode.',
      );
      return;
    }
    if (isFile && ace !== undefined && /^d(efault)?:/.test(ace)) {
      sink.error(
        item,
        itemPath,
        'permissions-acl-default-on-file',
        `Default acl entry ${JSON.stringify(ace)} is set on an object that is a file.`,
        'Default ACLs (d:) apply to directories only; remove it or point object at a directory.',
      );
    }
  });
}

/** Why an ACL entry is invalid (the rules of the agent's `AceInfo`), or undefined when it is valid. */
export function aceProblem(ace: string): string | undefined {
  const parts = ace.split(':').reverse();
  if (parts.length < 2 || parts.length > 4) return 'it needs 2 to 4 parts separated by ":"';
  let isDefault = false;
  let type: string | undefined;
  let name = '';
  if (parts.length === 4) {
    if (parts[3] !== 'd' && parts[3] !== 'default') return 'a 4-part entry must start with d: or default:';
    isDefault = true;
  }
  if (parts.length >= 3) {
    const kind = parts[2] ?? '';
    if (kind === 'd' || kind === 'default') {
      if (isDefault) return 'default is given twice';
      isDefault = true;
    } else if (kind === 'm' || kind === 'mask') type = 'mask';
    else if (kind === 'o' || kind === 'other') type = 'other';
    else if (kind === 'g' || kind === 'group') type = 'group';
    else if (kind === 'u' || kind === 'user') type = 'user';
    else return `unknown entry type ${JSON.stringify(kind)}`;
  }
  const subject = parts[1] ?? '';
  if (subject === 'm' || subject === 'mask' || subject === 'o' || subject === 'other') {
    if (type === undefined) type = subject.startsWith('m') ? 'mask' : 'other';
    else name = subject;
  } else {
    type ??= 'user';
    name = subject;
  }
  if ((type === 'mask' || type === 'other') && name !== '')
    return `a ${type} entry cannot name a user or group`;
  if (!isDefault && type !== 'mask' && name === '')
    return 'a base entry without a name must be set with mode, not acls';
  const perm = parts[0] ?? '';
  if (perm.length === 1 && perm >= '0' && perm <= '7') return undefined;
  const bad = [...perm].find((char) => !'rwx-'.includes(char));
  return bad === undefined ? undefined : `invalid permission character ${JSON.stringify(bad)}`;
}

function checkContext(sink: ProblemSink, node: YamlNode, path: string): void {
  if (node.kind !== 'map') {
    sink.error(
      node,
      path,
      'permissions-context-invalid',
      `context is ${describe(node)}; it must be a mapping with type (and optionally name, range).`,
      'Write context: { type: httpd_sys_content_t }.',
    );
    return;
  }
  for (const entry of node.entries) {
    if (entry.name === 'role') {
      sink.error(
        entry.key,
        childPath(path, 'role'),
        'permissions-context-role',
        'context sets role, but the agent does not support SELinux roles.',
        'Remove role; the agent supports name, type and range.',
      );
    } else if (!['name', 'type', 'range'].includes(entry.name)) {
      sink.warn(
        entry.key,
        childPath(path, entry.name),
        'unknown-key',
        `Unknown key "${entry.name}" in context; the agent ignores it.`,
        () => `${didYouMean(entry.name, ['name', 'type', 'range'])}Context keys are: name, type, range.`,
      );
    }
  }
  const type = findEntry(node, 'type');
  if (type === undefined || isNull(type.value)) {
    sink.error(
      type?.value ?? node,
      childPath(path, 'type'),
      'permissions-context-invalid',
      'context has no type.',
      'Add the SELinux type, e.g. "type: httpd_sys_content_t".',
    );
  }
  const range = findEntry(node, 'range');
  if (range === undefined || isNull(range.value)) return;
  const text = asString(range.value);
  const problem = text === undefined ? 'it is not a string' : rangeProblem(text);
  if (problem !== undefined) {
    sink.error(
      range.value,
      childPath(path, 'range'),
      'permissions-context-range',
      `Invalid SELinux range ${JSON.stringify(text ?? describe(range.value))}: ${problem}.`,
      'Use s<low>[-s<high>][:c<n>[.c<m>](,c<n>[.c<m>])*] with high >= low and categories 0..1023 without duplicates, e.g. "s0-s0:c0.c255".',
    );
  }
}

/** Why an SELinux range is invalid (the agent's `RangeInfo` rules), or undefined when it is valid. */
export function rangeProblem(range: string): string | undefined {
  const [levels = '', categories] = splitOnce(range, ':');
  if (levels === '' || categories === '') return 'an empty part';
  const [low = '', high] = splitOnce(levels, '-');
  const lowLevel = sensitivity(low);
  if (lowLevel === undefined || high === '') return `invalid sensitivity ${JSON.stringify(low)}`;
  if (high !== undefined) {
    const highLevel = sensitivity(high);
    if (highLevel === undefined) return `invalid sensitivity ${JSON.stringify(high)}`;
    if (highLevel < lowLevel) return 'the high sensitivity is below the low one';
  }
  if (categories === undefined) return undefined;
  // Each part may name up to 1,024 categories; marking them (and stopping at the first repeat) keeps a
  // range of many parts from listing a thousand numbers per part. Every part is still read: an invalid
  // one is reported before a repeat.
  const seen = new Uint8Array(MAX_CATEGORY + 1);
  let repeated = false;
  for (const part of categories.split(',')) {
    const [from = '', to] = splitOnce(part, '.');
    const start = category(from);
    if (start === undefined || to === '') return `invalid category ${JSON.stringify(part)}`;
    const end = to === undefined ? start : category(to);
    if (end === undefined) return `invalid category ${JSON.stringify(to)}`;
    if (end < start) return `invalid category range ${JSON.stringify(part)}`;
    for (let n = start; n <= end && !repeated; n++) {
      repeated = seen[n] === 1;
      seen[n] = 1;
    }
  }
  return repeated ? 'duplicate categories' : undefined;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function sensitivity(text: string): number | undefined {
  return /^s\d+$/.test(text) ? Number.parseInt(text.slice(1), 10) : undefined;
}

const MAX_CATEGORY = 1023;

function category(text: string): number | undefined {
  if (!/^c\d+$/.test(text)) return undefined;
  const level = Number.parseInt(text.slice(1), 10);
  return level > MAX_CATEGORY ? undefined : level;
}

/** A path with an empty, `.` or `..` segment, or a trailing `/`: one that normalising would change. */
export const NEEDS_NORMALISING = /\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/** Collapses `//`, `/./` and a trailing `/` so paths compare equal. */
export function normalisePosix(path: string): string {
  if (!NEEDS_NORMALISING.test(path)) return path;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `${path.startsWith('/') ? '/' : ''}${parts.join('/')}`;
}
