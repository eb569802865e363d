import { describe, expect, it } from 'vitest';
import { colourWanted } from './colour.js';

describe('colourWanted', () => {
  // [environment, the front end's default, colour?]
  it.each<[NodeJS.ProcessEnv, boolean, boolean]>([
    [{}, true, true],
    [{}, false, false],
    // no-color.org: present and not empty, whatever the value, turns colour off.
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '0' }, true, false],
    [{ NO_COLOR: 'false' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ NO_COLOR: '' }, false, false],
    // FORCE_COLOR: 0/false off, 1-3/true/empty on, even without a terminal.
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: 'FALSE' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '2' }, false, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: 'true' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    // Not a FORCE_COLOR value: no decision, the default stands.
    [{ FORCE_COLOR: 'sometimes' }, false, false],
    [{ FORCE_COLOR: 'sometimes' }, true, true],
    // Both: forcing wins, as in Node's tty; forcing off wins too.
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0', NO_COLOR: '' }, true, false],
    [{ FORCE_COLOR: 'sometimes', NO_COLOR: '1' }, true, false],
  ])('%j with default %s gives colour %s', (env, fallback, expected) => {
    expect(colourWanted(env, fallback)).toBe(expected);
  });
});
