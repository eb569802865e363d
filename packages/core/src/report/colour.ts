/**
 * Whether a front end's output gets ANSI colours, by the conventions terminals and CI tools share:
 *
 * - `FORCE_COLOR` set to `1`, `2`, `3`, `true` or empty: colour, even without a terminal; `0` or
 *   `false`: none. It wins over NO_COLOR, as in Node's own `tty` (a CI that sets both means force).
 *   Any other value is no decision.
 * - `NO_COLOR` present and not empty (no-color.org, whatever its value): none. An empty one is unset.
 * - otherwise `fallback`: the front end's own default (a terminal that is not `TERM=dumb`; the GitHub
 *   log, which renders colours).
 */
export function colourWanted(env: NodeJS.ProcessEnv, fallback: boolean): boolean {
  const force = env.FORCE_COLOR?.trim().toLowerCase();
  if (force !== undefined) {
    if (['', '1', '2', '3', 'true'].includes(force)) return true;
    if (force === '0' || force === 'false') return false;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return fallback;
}
