import { describe, expect, it } from 'vitest';
import { escapingSymlinks, resolveInTree } from './symlinks.js';

describe('resolveInTree', () => {
  const none = new Map<string, string>();

  it('resolves relative targets from the link directory', () => {
    expect(resolveInTree('bin/tool', '../lib/tool.js', none)).toBe('lib/tool.js');
    expect(resolveInTree('current', 'releases/v2', none)).toBe('releases/v2');
  });

  it('reports absolute targets and targets above the root as escaping', () => {
    expect(resolveInTree('a', '/etc/passwd', none)).toBeUndefined();
    expect(resolveInTree('a/b', '../../x', none)).toBeUndefined();
    expect(resolveInTree('x', '..', none)).toBeUndefined();
  });

  it('follows in-tree links like the extracting system would', () => {
    const links = new Map([
      ['a/b/s', '../../x'],
      ['a/b/t', 's/../..'],
    ]);
    // Lexically a/b/t -> a, but s is x at depth 1, so s/../.. is above the root.
    expect(resolveInTree('a/b/t', 's/../..', links)).toBeUndefined();
    expect(resolveInTree('a/b/u', 's/y', links)).toBe('x/y');
  });

  it('treats link loops as harmless (they resolve to nothing anywhere)', () => {
    const links = new Map([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(resolveInTree('a', 'b', links)).toBeDefined();
  });
});

describe('escapingSymlinks (the rule package and validate share)', () => {
  it('lists absolute links and links climbing out, in order, and keeps in-tree ones and loops', () => {
    const links = new Map([
      ['scripts/start.sh', '/etc/passwd'],
      ['scripts/stop.sh', '../../../../etc/passwd'],
      ['current', 'releases/v2'],
      ['up', 'releases'],
      ['sneaky', 'up/../..'],
      ['loop-a', 'loop-b'],
      ['loop-b', 'loop-a'],
    ]);
    expect(escapingSymlinks(links)).toEqual([
      { path: 'scripts/start.sh', target: '/etc/passwd', reason: 'absolute' },
      { path: 'scripts/stop.sh', target: '../../../../etc/passwd', reason: 'climbs-out' },
      { path: 'sneaky', target: 'up/../..', reason: 'climbs-out' },
    ]);
  });
});
