import { describe, expect, it } from 'vitest';
import { capture } from './capture.test-support.js';

describe('Output colours', () => {
  // [environment, on a terminal?, coloured?]
  it.each<[NodeJS.ProcessEnv, boolean, boolean]>([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    // An empty NO_COLOR is no NO_COLOR (no-color.org).
    [{ NO_COLOR: '' }, true, true],
    // FORCE_COLOR=0 and false mean off, not "set, so on".
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: 'true' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '1', TERM: 'dumb' }, false, true],
  ])('%j, terminal %s: colour %s', (env, isTTY, coloured) => {
    const { output: out, text } = capture(env, isTTY);
    expect(out.color).toBe(coloured);
    out.line(out.red('failed'));
    expect(text().includes('\u001b[')).toBe(coloured);
    expect(text()).toContain('failed');
  });
});
