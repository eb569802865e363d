import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPSPEC_FILE_NAMES, validateAppspec } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const errorsOf = (source: string | Uint8Array, file = 'appspec.yml') =>
  validateAppspec(source, { file }).problems.filter((problem) => problem.severity === 'error');

describe('validateAppspec on the AWS documentation examples', () => {
  it.each([
    ['ec2-doc-example.yml', 'appspec.yml', 'server'],
    ['ec2-full.yml', 'appspec.yml', 'server'],
    ['lambda-doc-example.yml', 'appspec.yml', 'lambda'],
    ['lambda-doc-example.json.txt', 'appspec.json', 'lambda'],
    ['ecs-doc-example.yml', 'appspec.yaml', 'ecs'],
    ['ecs-doc-example.json.txt', 'appspec.json', 'ecs'],
  ])('%s read as %s passes with no problem and is detected as %s', (name, file, platform) => {
    const result = validateAppspec(fixture(name), { file });
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.platform).toBe(platform);
  });

  it('returns the parsed document with YAML 1.1 typing', () => {
    const result = validateAppspec(fixture('ec2-doc-example.yml'), { file: 'appspec.yml' });
    expect(result.appspec).toMatchObject({
      version: 0,
      os: 'linux',
      hooks: { AfterInstall: [{ timeout: 180 }] },
    });
  });
});

describe('validateAppspec input handling', () => {
  it('validates CRLF files like LF files, with the same locations', () => {
    const lf = 'version: 0.0\nos: linux\nhooks:\n  AfterInstal:\n    - location: a.sh\n';
    const crlf = validateAppspec(lf.replace(/\n/g, '\r\n'), { file: 'appspec.yml' });
    expect(crlf.problems).toEqual(validateAppspec(lf, { file: 'appspec.yml' }).problems);
    expect(crlf.problems.map((p) => `${p.code}@${p.line}:${p.column}`)).toEqual(['hook-unknown-event@4:3']);
  });

  it('reports the same problems without building the plain copy when plain is false', () => {
    const text = 'version: 0.0\nos: linux\nos: windows\nhooks:\n  AfterInstal:\n    - location: a.sh\n';
    const full = validateAppspec(text, { file: 'appspec.yml' });
    const problemsOnly = validateAppspec(text, { file: 'appspec.yml', plain: false });
    expect(full.appspec).toMatchObject({ version: 0, os: 'windows' });
    expect(problemsOnly.appspec).toBeUndefined();
    expect(problemsOnly.problems).toEqual(full.problems);
    expect(problemsOnly.problems.map((p) => p.code)).toEqual(['duplicate-key', 'hook-unknown-event']);
  });

  it('validates old-Mac CR line ends', () => {
    expect(validateAppspec('version: 0.0\ros: linux\r', { file: 'appspec.yml' }).problems).toEqual([]);
  });

  it('accepts bytes with a UTF-8 BOM', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode('version: 0.0\r\nos: linux\r\n'),
    ]);
    const result = validateAppspec(bytes, { file: 'appspec.yml' });
    expect(result.problems).toEqual([]);
    expect(result.appspec).toEqual({ version: 0, os: 'linux' });
  });

  it('reports bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('version: 0.0\nos: linux\n# caf'), 0xe9, 0x0a]);
    expect(errorsOf(bytes).map((p) => `${p.code}@${p.line}:${p.column}`)).toEqual(['encoding-not-utf8@3:6']);
  });

  it('reports UTF-16 files', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...[...'version: 0.0\n'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(errorsOf(bytes).map((p) => p.code)).toContain('encoding-not-utf8');
  });

  it('parses a JSON AppSpec indented with tabs', () => {
    const json =
      '{\n\t"version": 0.0,\n\t"os": "linux",\n\t"files": [\n\t\t{"source": "/", "destination": "/srv"}\n\t]\n}\n';
    const result = validateAppspec(json, { file: 'appspec.yml' });
    expect(result.problems).toEqual([]);
    expect(result.appspec).toEqual({
      version: 0,
      os: 'linux',
      files: [{ source: '/', destination: '/srv' }],
    });
  });

  it('locates problems inside a JSON AppSpec', () => {
    const json =
      '{\n  "version": "0.0",\n  "os": "linux",\n  "hooks": {"AfterInstall": [{"location": "a.sh", "timeout": 0}]}\n}\n';
    expect(errorsOf(json).map((p) => `${p.code}@${p.line}:${p.column}`)).toEqual([
      'version-quoted@2:14',
      'hook-timeout-invalid@4:62',
    ]);
  });

  it('warns that the agent does not read appspec.json for EC2/on-premises', () => {
    const result = validateAppspec('{"version": 0.0, "os": "linux"}', { file: 'appspec.json' });
    expect(result.problems.map((p) => p.code)).toEqual(['appspec-json-on-server']);
    expect(result.valid).toBe(true);
  });

  it.each([
    ['', 'appspec-empty'],
    ['# only a comment\n', 'appspec-empty'],
    ['- version: 0.0\n', 'appspec-not-a-map'],
    ['just text\n', 'appspec-not-a-map'],
  ])('reports %j as %s', (text, code) => {
    const result = validateAppspec(text, { file: 'appspec.yml' });
    expect(result.problems.map((p) => p.code)).toEqual([code]);
    expect(result.valid).toBe(false);
  });

  it('returns appspec undefined when the YAML cannot be parsed', () => {
    const result = validateAppspec('version: [0.0\n', { file: 'appspec.yml' });
    expect(result.appspec).toBeUndefined();
    expect(result.problems.map((p) => p.code)).toEqual(['yaml-syntax']);
  });

  it('sorts problems by line then column and names the file on each', () => {
    const result = validateAppspec('os: Linux\nversion: 1\nhooks:\n  Install: []\n', {
      file: 'deploy/appspec.yml',
    });
    const order = result.problems.map((p) => [p.line, p.column]);
    expect(order).toEqual([...order].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0)));
    expect(new Set(result.problems.map((p) => p.file))).toEqual(new Set(['deploy/appspec.yml']));
  });
});

describe('validateAppspec on a tab-indented file', () => {
  it('reports every tabbed line and still validates the rest, at the right columns', () => {
    const text = [
      'version: 0.0',
      'os: linux',
      'hooks:',
      '\tAfterInstall:',
      '\t\t- location: scripts/a.sh',
      '\t\t  timeout: 0',
      '\tApplicationStrat:',
      '\t\t- location: scripts/b.sh',
      '',
    ].join('\n');
    const result = validateAppspec(text, { file: 'appspec.yml' });
    const located = result.problems.map((p) => `${p.line}:${p.column} ${p.code}`);
    expect(located).toEqual([
      '4:1 yaml-tab-indentation',
      '5:1 yaml-tab-indentation',
      '6:1 yaml-tab-indentation',
      '6:14 hook-timeout-invalid',
      '7:1 yaml-tab-indentation',
      '7:2 hook-unknown-event',
      '8:1 yaml-tab-indentation',
    ]);
  });
});

describe('validateAppspec platform', () => {
  it('uses options.platform over detection', () => {
    const result = validateAppspec(fixture('lambda-doc-example.yml'), {
      file: 'appspec.yml',
      platform: 'server',
    });
    expect(result.platform).toBe('server');
    expect(result.problems.map((p) => `${p.code}:${p.path}`)).toEqual([
      'os-missing:os',
      'unknown-key:Resources',
      'unknown-key:Hooks',
    ]);
  });

  it('detects server when Resources names no Lambda function or ECS service', () => {
    expect(validateAppspec('version: 0.0\nos: linux\n', { file: 'appspec.yml' }).platform).toBe('server');
  });

  it('exports the AppSpec file names CodeDeploy looks for', () => {
    expect(APPSPEC_FILE_NAMES).toEqual(['appspec.yml', 'appspec.yaml', 'appspec.json']);
  });
});

describe('YAML 1.1 traps the agent falls into', () => {
  it('rejects version "0.0" quoted: the agent needs the number 0.0', () => {
    const [problem] = errorsOf('version: "0.0"\nos: linux\n');
    expect(problem).toMatchObject({ code: 'version-quoted', line: 1, column: 10, path: 'version' });
    expect(problem?.hint).toContain('version: 0.0');
  });

  it('accepts version written as 0.00 or .0 (both load as 0.0)', () => {
    expect(errorsOf('version: 0.00\nos: linux\n')).toEqual([]);
    expect(errorsOf('version: .0\nos: linux\n')).toEqual([]);
  });

  it('warns on version 0 (the agent accepts it because 0 == 0.0 in Ruby)', () => {
    const result = validateAppspec('version: 0\nos: linux\n', { file: 'appspec.yml' });
    expect(result.problems.map((p) => [p.code, p.severity])).toEqual([['version-not-float', 'warning']]);
  });

  it.each([['1.0'], ['0.0.0'], ['"0"'], ['null']])('rejects version %s', (version) => {
    expect(errorsOf(`version: ${version}\nos: linux\n`).map((p) => p.code)).toEqual(['version-invalid']);
  });

  it('flags mode: 0644 unquoted, which the agent reads as the octal number 420', () => {
    const [problem] = errorsOf(
      'version: 0.0\nos: linux\npermissions:\n  - object: /srv/app\n    mode: 0644\n',
    );
    expect(problem).toMatchObject({
      code: 'permissions-mode-octal',
      line: 5,
      column: 11,
      path: 'permissions[0].mode',
    });
    expect(problem?.message).toContain('420');
    expect(problem?.hint).toContain('mode: 644');
    expect(problem?.hint).toContain("'0644'");
  });

  it("accepts mode '0644' quoted (to_s keeps the 4 digits) and mode 644", () => {
    expect(
      errorsOf("version: 0.0\nos: linux\npermissions:\n  - object: /srv/app\n    mode: '0644'\n"),
    ).toEqual([]);
    expect(errorsOf('version: 0.0\nos: linux\npermissions:\n  - object: /srv/app\n    mode: 644\n')).toEqual(
      [],
    );
  });

  it('reads yes/no/on/off as booleans, so os: yes is not a string', () => {
    expect(errorsOf('version: 0.0\nos: yes\n')[0]?.message).toContain('boolean true');
  });
});
