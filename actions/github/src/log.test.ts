import { PLAIN_TEXT } from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { logStyle } from './log.js';

describe('logStyle', () => {
  // [workflow environment, coloured?]: the GitHub log renders colours, so they are on unless turned off.
  it.each<[NodeJS.ProcessEnv, boolean]>([
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ NO_COLOR: '' }, true],
    [{ FORCE_COLOR: '0' }, false],
    [{ FORCE_COLOR: 'false' }, false],
    [{ FORCE_COLOR: '1' }, true],
    [{ FORCE_COLOR: 'true', NO_COLOR: '1' }, true],
  ])('%j: colour %s', (env, coloured) => {
    const style = logStyle(env);
    expect(style === PLAIN_TEXT).toBe(!coloured);
    expect(style.red('failed').includes('\u001b[31m')).toBe(coloured);
  });
});
