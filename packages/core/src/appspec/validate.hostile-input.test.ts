import { describe, expect, it } from 'vitest';
import { type AppspecValidation, type RevisionContents, validateAppspec } from './index.js';
import { MAX_PROBLEMS } from './problems.js';

const head = 'version: 0.0\nos: linux\n';
/** Large inputs take seconds on a loaded machine; this bounds a hang, it does not time the work. */
const LARGE = 120_000;

const codes = (validation: AppspecValidation) => {
  const counts = new Map<string, number>();
  for (const problem of validation.problems) counts.set(problem.code, (counts.get(problem.code) ?? 0) + 1);
  return Object.fromEntries(counts);
};

// Lists longer than a function's argument limit (about 120,000 on Node's default stack) used to be
// spread into push(...) and threw RangeError; large lists were compared item by item.
describe('hostile-input: AppSpecs with very long lists', () => {
  it(
    'checks every script of an event that lists 250,000 of them',
    () => {
      const count = 250_000;
      const scripts = Array.from({ length: count }, (_, i) => `    - location: s/${i}.sh\n`).join('');
      const contents: RevisionContents = {
        has: (path) => (path === `s/${count - 1}.sh` ? undefined : 'file'),
      };
      const result = validateAppspec(`${head}hooks:\n  AfterInstall:\n${scripts}`, {
        file: 'appspec.yml',
        contents,
      });
      expect(result.problems.map((p) => `${p.code}@${p.line}`)).toEqual([`hook-script-missing@${4 + count}`]);
    },
    LARGE,
  );

  it(
    'merges a map of 250,000 keys',
    () => {
      const keys = Array.from({ length: 250_000 }, (_, i) => `    k${i}: ${i}\n`).join('');
      const result = validateAppspec(`${head}extra:\n  <<:\n${keys}  own: 1\n`, { file: 'appspec.yml' });
      const extra = (result.appspec as { extra: Record<string, number> }).extra;
      expect(Object.keys(extra)).toHaveLength(250_001);
      expect(extra.k249999).toBe(249_999);
      expect(codes(result)).toEqual({ 'unknown-key': 1 });
    },
    LARGE,
  );

  it(
    'finds the duplicate and the name clash among 100,000 files installed into one folder',
    () => {
      const count = 100_000;
      const items = Array.from(
        { length: count },
        (_, i) => `  - {source: d${i % 10}/f${i}.js, destination: /srv}\n`,
      );
      items.push(
        '  - {source: d0/f0.js, destination: /srv}\n',
        '  - {source: other/f7.js, destination: /srv/}\n',
      );
      const result = validateAppspec(`${head}files:\n${items.join('')}`, { file: 'appspec.yml' });
      expect(result.problems.map((p) => `${p.code}@${p.line} ${p.message}`)).toEqual([
        `files-duplicate-entry@${4 + count} files installs "d0/f0.js" to the same destination twice (first on line 4).`,
        `files-destination-conflict@${5 + count} "other/f7.js" and "d7/f7.js" (line 11) would both install /srv/f7.js.`,
      ]);
    },
    LARGE,
  );

  it('quotes a long earlier source by its end in each conflict with it, not whole', () => {
    const long = `${'deep/'.repeat(2_000)}app.js`;
    const items = [`  - {source: "${long}", destination: /srv}\n`];
    for (let i = 0; i < 3; i++) items.push(`  - {source: other${i}/app.js, destination: /srv}\n`);
    const result = validateAppspec(`${head}files:\n${items.join('')}`, { file: 'appspec.yml' });
    expect(result.problems).toHaveLength(3);
    for (const problem of result.problems) {
      expect(problem.message).toMatch(
        /^"other\d\/app\.js" and "….*\/app\.js" \(line 4\) would both install \/srv\/app\.js\.$/,
      );
      expect(problem.message.length).toBeLessThan(1200);
    }
  });
});

describe('hostile-input: files with more problems than a report can hold', () => {
  it(
    `lists the first ${MAX_PROBLEMS} problems found and counts the rest as an error`,
    () => {
      const items = '  - x\n'.repeat(MAX_PROBLEMS + 10_000);
      const result = validateAppspec(`${head}permissions:\n${items}`, { file: 'appspec.yml' });
      expect(result.valid).toBe(false);
      expect(result.problems).toHaveLength(MAX_PROBLEMS + 1);
      expect(result.problems[0]).toMatchObject({
        severity: 'error',
        code: 'too-many-problems',
        line: 1,
        message: expect.stringContaining('10,000 more (10,000 of them errors) are not listed'),
      });
      expect(result.problems.at(-1)).toMatchObject({ code: 'wrong-type', line: 3 + MAX_PROBLEMS });
    },
    LARGE,
  );

  it('counts left-out warnings as warnings', () => {
    const keys = Array.from({ length: MAX_PROBLEMS + 5 }, (_, i) => `typo${i}: 1\n`).join('');
    const result = validateAppspec(`${head}${keys}`, { file: 'appspec.yml' });
    expect(result.valid).toBe(true);
    expect(result.problems[0]).toMatchObject({
      severity: 'warning',
      code: 'too-many-problems',
      message: expect.stringContaining('5 more (0 of them errors)'),
    });
  });
});

describe('hostile-input: aliases', () => {
  it('reads aliases that repeat more than half the file as empty, and says so once', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const result = validateAppspec(`${head}${levels.join('\n')}\nfiles: *l\n`, { file: 'appspec.yml' });
    expect(codes(result)['yaml-alias-expansion']).toBe(1);
    const expansion = result.problems.find((p) => p.code === 'yaml-alias-expansion');
    expect(expansion?.message).toContain('read as empty');
  });

  it('accepts an anchor reused for every one of 2,000 scripts', () => {
    const scripts = '    - <<: *script\n      location: run.sh\n'.repeat(2_000);
    const result = validateAppspec(
      `${head}defaults: &script\n  timeout: 2\n  runas: deploy\nhooks:\n  AfterInstall:\n${scripts}`,
      { file: 'appspec.yml' },
    );
    expect(codes(result)).toEqual({ 'unknown-key': 1, 'hook-timeouts-exceed-event-limit': 1 });
  });
});
