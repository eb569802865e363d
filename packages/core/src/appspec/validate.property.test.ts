import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AppspecValidation, formatProblems, validateAppspec } from './index.js';

const SEEDS = [
  'ec2-doc-example.yml',
  'ec2-full.yml',
  'lambda-doc-example.yml',
  'ecs-doc-example.yml',
  'lambda-doc-example.json.txt',
  'ecs-doc-example.json.txt',
].map((name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

function expectWellFormed(result: AppspecValidation, lineCount: number): void {
  for (const problem of result.problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lineCount);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
    expect(problem.hint.length).toBeGreaterThan(0);
    expect(typeof problem.path).toBe('string');
    expect(problem.file).toBe('appspec.yml');
  }
  expect(result.valid).toBe(!result.problems.some((problem) => problem.severity === 'error'));
  expect(typeof formatProblems(result)).toBe('string');
}

const lineCountOf = (text: string) => text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/).length;

type Mutation = (lines: string[]) => string[];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (i): Mutation =>
      (lines) =>
        lines.filter((_, index) => index !== i % lines.length),
  ),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.string(),
        fc.constantFrom(
          '0644',
          '"0.0"',
          'yes',
          '~',
          '',
          '[',
          '{a: 1}',
          '- x',
          '*x',
          '&a',
          '\t',
          '0x1F',
          '9999999999999999999',
        ),
      ),
    )
    .map(
      ([i, value]): Mutation =>
        (lines) =>
          lines.map((line, index) =>
            index === i % lines.length ? line.replace(/:\s.*$/, `: ${value}`) : line,
          ),
    ),
  fc.nat().map(
    (i): Mutation =>
      (lines) =>
        lines.flatMap((line, index) => (index === i % lines.length ? [line, line] : [line])),
  ),
  fc.tuple(fc.nat(), fc.nat(8)).map(
    ([i, at]): Mutation =>
      (lines) =>
        lines.map((line, index) =>
          index === i % lines.length ? `${line.slice(0, at)}\t${line.slice(at)}` : line,
        ),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, j]): Mutation =>
      (lines) => {
        const copy = [...lines];
        const a = i % copy.length;
        const b = j % copy.length;
        [copy[a], copy[b]] = [copy[b] ?? '', copy[a] ?? ''];
        return copy;
      },
  ),
  fc.nat().map(
    (n): Mutation =>
      (lines) =>
        lines
          .join('\n')
          .slice(0, n % (lines.join('\n').length + 1))
          .split('\n'),
  ),
  fc.tuple(fc.nat(), fc.nat(6)).map(
    ([i, n]): Mutation =>
      (lines) =>
        lines.map((line, index) =>
          index === i % lines.length ? `${' '.repeat(n)}${line.trimStart()}` : line,
        ),
  ),
);

describe('validateAppspec properties', () => {
  it('never throws on random strings and locates every problem', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expectWellFormed(validateAppspec(text, { file: 'appspec.yml' }), lineCountOf(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random YAML-ish text', () => {
    const piece = fc.constantFrom(
      'version',
      'os',
      'hooks',
      'files',
      ':',
      ' ',
      '\t',
      '\n',
      '- ',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      ',',
      '#',
      '&a',
      '*a',
      '|',
      '>',
      '0644',
      '---',
      '\r\n',
      'AfterInstall',
      'location',
      '<<',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 80 }),
        fc.constantFrom<'server' | 'lambda' | 'ecs' | undefined>(undefined, 'server', 'lambda', 'ecs'),
        (pieces, platform) => {
          const text = pieces.join('');
          const result = validateAppspec(
            text,
            platform === undefined ? { file: 'appspec.yml' } : { file: 'appspec.yml', platform },
          );
          expectWellFormed(result, lineCountOf(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = validateAppspec(bytes, { file: 'appspec.yml' });
        for (const problem of result.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.column).toBeGreaterThanOrEqual(1);
          expect(problem.message).not.toBe('');
          expect(problem.hint).not.toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every problem located inside the file when valid AppSpecs are mutated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (seed, mutations, crlf) => {
          let lines = seed.split('\n');
          for (const mutate of mutations) lines = lines.length === 0 ? lines : mutate(lines);
          const text = lines.join(crlf ? '\r\n' : '\n');
          expectWellFormed(validateAppspec(text, { file: 'appspec.yml' }), lineCountOf(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
