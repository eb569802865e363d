import { describe, expect, it } from 'vitest';
import { ProblemSink } from './problems.js';
import { expandLeadingTabs, scanTabs } from './tabs.js';

const scan = (text: string) => {
  const sink = new ProblemSink();
  return { repaired: scanTabs(text, sink), problems: sink.problems };
};
const at = (text: string) => scan(text).problems.map((p) => `${p.code}@${p.line}:${p.column}`);

describe('scanTabs', () => {
  it('reports every line indented with tabs, with the hint the user needs', () => {
    const result = scan('hooks:\n\tAfterInstall:\n\t\t- location: a.sh\n');
    expect(result.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(result.problems[0]?.hint).toBe(
      'YAML indentation must use spaces; replace the tab(s) on this line',
    );
    expect(result.repaired).toBe('hooks:\n AfterInstall:\n  - location: a.sh\n');
  });

  it('finds a tab after spaces in the indentation', () => {
    expect(at('a:\n  \tb: 1\n')).toEqual(['yaml-tab-indentation@2:3']);
  });

  it('reports a tab right after a block indicator', () => {
    expect(at('a:\t1\n-\tb\n')).toEqual(['yaml-tab-after-indicator@1:3', 'yaml-tab-after-indicator@2:2']);
  });

  it.each([
    ['JSON indented with tabs', '{\n\t"a": [\n\t\t1\n\t]\n}\n'],
    ['tab inside a value', 'a: x\ty\n'],
    ['tab before a comment', 'a: 1\t# note\n'],
    ['tab inside a quoted string spanning lines', 'a: "x\n\ty"\n'],
    ['tab in a block scalar after its indentation', 'a: |\n  x\n  \ty\nb: 1\n'],
  ])('accepts %s', (_name, text) => {
    expect(at(text)).toEqual([]);
  });

  it('reports a tab in the indentation of a block scalar', () => {
    expect(at('a: |\n  x\n\ty\n')).toEqual(['yaml-tab-indentation@3:1']);
  });
});

describe('expandLeadingTabs', () => {
  it('expands indentation tabs to tab stops and records how far each line moved', () => {
    const { text, shift } = expandLeadingTabs('a:\n\tb: 1\n \tc: 2\nd: "\t"\n', 4);
    expect(text).toBe('a:\n    b: 1\n    c: 2\nd: "\t"\n');
    expect([...shift]).toEqual([
      [2, 3],
      [3, 2],
    ]);
  });
});
