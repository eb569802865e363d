import { describe, expect, it } from 'vitest';
import { type RevisionContents, validateAppspec } from './index.js';

const located = (text: string, contents?: RevisionContents) =>
  validateAppspec(
    text,
    contents === undefined ? { file: 'appspec.yml' } : { file: 'appspec.yml', contents },
  ).problems.map((p) => `${p.severity === 'error' ? 'E' : 'W'} ${p.code}@${p.line}:${p.column} ${p.path}`);

const head = 'version: 0.0\nos: linux\n';

describe('server rules: top level', () => {
  it.each([
    ['missing version', 'os: linux\n', ['E version-missing@1:1 version']],
    ['missing os', 'version: 0.0\n', ['E os-missing@1:1 os']],
    ['os in capitals', 'version: 0.0\nos: Linux\n', ['E os-invalid@2:5 os']],
    ['unsupported os', 'version: 0.0\nos: macos\n', ['E os-invalid@2:5 os']],
    ['typo hook:', `${head}hook:\n  AfterInstall: []\n`, ['W unknown-key@3:1 hook']],
    [
      'file_exists_behavior lowercase',
      `${head}file_exists_behavior: overwrite\n`,
      ['E file-exists-behavior-invalid@3:23 file_exists_behavior'],
    ],
    [
      'file_exists_behavior unknown',
      `${head}file_exists_behavior: KEEP\n`,
      ['E file-exists-behavior-invalid@3:23 file_exists_behavior'],
    ],
    ['duplicate key', `${head}os: windows\n`, ['E duplicate-key@3:1 os']],
  ])('%s', (_name, text, expected) => {
    expect(located(text)).toEqual(expected);
  });

  it('hints the lowercase spelling of os and the uppercase one of file_exists_behavior', () => {
    const hints = validateAppspec('version: 0.0\nos: Linux\nfile_exists_behavior: retain\n', {
      file: 'appspec.yml',
    }).problems.map((p) => p.hint);
    expect(hints[0]).toContain('os: linux');
    expect(hints[1]).toContain('file_exists_behavior: RETAIN');
  });
});

describe('server rules: files', () => {
  it.each([
    ['files not a list', `${head}files:\n  source: /\n`, ['E wrong-type@4:3 files']],
    [
      'missing source',
      `${head}files:\n  - destination: /srv\n`,
      ['E files-source-required@4:5 files[0].source'],
    ],
    [
      'missing destination',
      `${head}files:\n  - source: app\n`,
      ['E files-destination-required@4:5 files[0].destination'],
    ],
    [
      'relative destination',
      `${head}files:\n  - source: app\n    destination: srv/app\n`,
      ['E files-destination-not-absolute@5:18 files[0].destination'],
    ],
    [
      'windows destination on linux',
      `${head}files:\n  - source: app\n    destination: C:\\app\n`,
      ['E files-destination-not-absolute@5:18 files[0].destination'],
    ],
    [
      'source escaping the bundle',
      `${head}files:\n  - source: ../secrets\n    destination: /srv\n`,
      ['E files-source-outside-bundle@4:13 files[0].source'],
    ],
    [
      'numeric source',
      `${head}files:\n  - source: 2024\n    destination: /srv\n`,
      ['E files-source-invalid@4:13 files[0].source'],
    ],
    [
      'unknown key',
      `${head}files:\n  - source: app\n    destination: /srv\n    owner: root\n`,
      ['W unknown-key@6:5 files[0].owner'],
    ],
    [
      'same entry twice',
      `${head}files:\n  - source: app\n    destination: /srv\n  - source: ./app/\n    destination: /srv/\n`,
      ['E files-duplicate-entry@6:5 files[1]'],
    ],
    [
      'two files with one name into one directory',
      `${head}files:\n  - source: a/config.txt\n    destination: /etc/app\n  - source: b/config.txt\n    destination: /etc/app\n`,
      ['W files-destination-conflict@6:5 files[1]'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(located(text)).toEqual(expected);
  });

  it('accepts a Windows drive path when os is windows', () => {
    expect(
      located(
        'version: 0.0\nos: windows\nfiles:\n  - source: app\n    destination: c:\\temp\\webapps\\myApp\n',
      ),
    ).toEqual([]);
  });

  it('checks sources against the revision contents', () => {
    const contents: RevisionContents = {
      has: (path) =>
        ({ 'a/config.txt': 'file', 'b/config.txt': 'file', app: 'directory' })[path] as 'file' | undefined,
    };
    const text = `${head}files:\n  - source: /\n    destination: /srv\n  - source: app\n    destination: /srv/app\n  - source: missing.txt\n    destination: /srv\n  - source: a/config.txt\n    destination: /etc\n  - source: b/config.txt\n    destination: /etc\n`;
    expect(located(text, contents)).toEqual([
      'E files-source-missing@8:13 files[2].source',
      'E files-destination-conflict@12:5 files[4]',
    ]);
    const missing = validateAppspec(text, { file: 'appspec.yml', contents }).problems[0];
    expect(missing?.hint).toContain('missing.txt');
  });
});

describe('server rules: permissions', () => {
  const permission = (body: string) => `${head}permissions:\n  - object: /srv/app\n${body}`;
  it.each([
    [
      'object missing',
      `${head}permissions:\n  - owner: root\n`,
      ['E permissions-object-missing@4:5 permissions[0].object'],
    ],
    [
      'relative object',
      `${head}permissions:\n  - object: srv/app\n`,
      ['E permissions-object-not-absolute@4:13 permissions[0].object'],
    ],
    [
      'mode with 5 digits',
      permission('    mode: 12345\n'),
      ['E permissions-mode-invalid@5:11 permissions[0].mode'],
    ],
    ['mode with 8', permission('    mode: 648\n'), ['E permissions-mode-invalid@5:11 permissions[0].mode']],
    [
      'mode 0755 unquoted',
      permission('    mode: 0755\n'),
      ['E permissions-mode-octal@5:11 permissions[0].mode'],
    ],
    [
      'type not a list',
      permission('    type: file\n'),
      ['E permissions-type-invalid@5:11 permissions[0].type'],
    ],
    [
      'unknown type',
      permission('    type: [file, link]\n'),
      ['E permissions-type-invalid@5:18 permissions[0].type[1]'],
    ],
    [
      'except not a list',
      permission('    except: "*.log"\n'),
      ['E permissions-except-invalid@5:13 permissions[0].except'],
    ],
    [
      'numeric owner',
      permission('    owner: 1000\n'),
      ['E permissions-owner-invalid@5:12 permissions[0].owner'],
    ],
    [
      'bad acl',
      permission('    acls: ["x:bob:rwx"]\n'),
      ['E permissions-acl-invalid@5:12 permissions[0].acls[0]'],
    ],
    [
      'context role',
      permission('    context: {type: t, role: object_r}\n'),
      ['E permissions-context-role@5:24 permissions[0].context.role'],
    ],
    [
      'context without type',
      permission('    context: {name: u}\n'),
      ['E permissions-context-invalid@5:14 permissions[0].context.type'],
    ],
    [
      'bad range',
      permission('    context: {type: t, range: "s0:c1,c1"}\n'),
      ['E permissions-context-range@5:31 permissions[0].context.range'],
    ],
    ['typo key', permission('    onwer: root\n'), ['W unknown-key@5:5 permissions[0].onwer']],
    [
      'same object twice',
      `${permission('    mode: 755\n')}  - object: /srv/app/\n    mode: 700\n`,
      ['E permissions-duplicate-object@6:5 permissions[1]'],
    ],
    [
      'pattern with slash',
      permission('    pattern: "bin/*.sh"\n'),
      ['W permissions-pattern-slash@5:14 permissions[0].pattern'],
    ],
    [
      'permissions on windows',
      'version: 0.0\nos: windows\npermissions:\n  - object: C:\\app\n',
      ['E permissions-on-windows@4:3 permissions'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(located(text)).toEqual(expected);
  });

  it('allows the same object twice for disjoint types', () => {
    expect(
      located(
        `${head}permissions:\n  - object: /srv\n    type: [file]\n  - object: /srv\n    type: [directory]\n`,
      ),
    ).toEqual([]);
  });

  it('applies file-object rules to an object that files installs as a file', () => {
    const contents: RevisionContents = { has: (path) => (path === 'conf/app.conf' ? 'file' : undefined) };
    const text = `${head}files:\n  - source: conf/app.conf\n    destination: /etc/app\npermissions:\n  - object: /etc/app/app.conf\n    pattern: "*.conf"\n    except: [x]\n    acls: ["d:u:bob:rwx"]\n`;
    expect(located(text, contents)).toEqual([
      'E permissions-pattern-on-file@8:14 permissions[0].pattern',
      'E permissions-except-on-file@9:13 permissions[0].except',
      'E permissions-acl-default-on-file@10:12 permissions[0].acls[0]',
    ]);
  });
});
