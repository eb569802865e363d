import { describe, expect, it } from 'vitest';
import { parseLocatedYaml, toPlain, type YamlMap } from './located-yaml.js';
import { ProblemSink } from './problems.js';

const parse = (text: string) => {
  const sink = new ProblemSink();
  const document = parseLocatedYaml(text, sink);
  return { ...document, problems: sink.problems.map((p) => `${p.code}@${p.line}:${p.column}`), sink };
};

describe('parseLocatedYaml', () => {
  it('gives keys and values their own 1-based positions', () => {
    const { root } = parse('version: 0.0\nhooks:\n  AfterInstall:\n    - location: "a.sh"\n');
    const hooks = (root as YamlMap).entries[1]!;
    expect([hooks.key.line, hooks.key.column]).toEqual([2, 1]);
    const event = (hooks.value as YamlMap).entries[0]!;
    expect([event.value.line, event.value.column]).toEqual([4, 5]);
    const script = (event.value as { items: YamlMap[] }).items[0]!.entries[0]!;
    expect([script.value.line, script.value.column]).toEqual([4, 17]);
  });

  it('reports every duplicate key at its second occurrence, naming the first line', () => {
    const { problems, sink } = parse('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n');
    expect(problems).toEqual(['duplicate-key@4:3', 'duplicate-key@5:1']);
    expect(sink.problems[0]?.message).toContain('line 3');
    expect(sink.problems[0]?.path).toBe('b.c');
  });

  it('keeps the last value of a duplicated key, like Psych', () => {
    expect(toPlain(parse('a: 1\na: 2\n').root!)).toEqual({ a: 2 });
  });

  it('resolves anchors, aliases and merge keys', () => {
    const { root, problems } = parse(
      'base: &b {timeout: 60}\nscript:\n  <<: *b\n  location: a.sh\nother: *b\n',
    );
    expect(problems).toEqual([]);
    expect(toPlain(root!)).toEqual({
      base: { timeout: 60 },
      script: { timeout: 60, location: 'a.sh' },
      other: { timeout: 60 },
    });
  });

  it('reports an alias to an undefined anchor', () => {
    expect(parse('a: *nope\n').problems).toEqual(['yaml-alias-invalid@1:4']);
  });

  it('converts js-yaml 0-based marks to 1-based syntax-error locations', () => {
    const { problems, parsed, sink } = parse('a: 1\n  b: 2\n');
    expect(parsed).toBe(false);
    expect(problems).toEqual(['yaml-syntax@2:4']);
    expect(sink.problems[0]?.hint).toContain('indentation');
  });

  it('reports a second document', () => {
    expect(parse('---\na: 1\n---\nb: 2\n').problems).toEqual(['yaml-multiple-documents@3:1']);
  });

  it('reports each tab-indented line and still parses the rest', () => {
    const { problems, root } = parse('a:\n\tb: 1\n\tc: 2\n');
    expect(problems).toEqual(['yaml-tab-indentation@2:1', 'yaml-tab-indentation@3:1']);
    expect(toPlain(root!)).toEqual({ a: { b: 1, c: 2 } });
  });

  it('parses tabs inside flow collections without complaint', () => {
    const { problems, root } = parse('a: [1,\n\t2]\n');
    expect(problems).toEqual([]);
    expect(toPlain(root!)).toEqual({ a: [1, 2] });
  });

  it('types plain scalars the YAML 1.1 way and quoted ones as strings', () => {
    expect(toPlain(parse('a: 0644\nb: "0644"\nc: yes\nd: ~\ne: !!str 1\n').root!)).toEqual({
      a: 420,
      b: '0644',
      c: true,
      d: null,
      e: '1',
    });
  });

  it('does not blow up on alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { root } = parse(`${bomb.join('\n')}\n`);
    expect(Object.keys(toPlain(root!) as object)).toHaveLength(10);
  });
});
