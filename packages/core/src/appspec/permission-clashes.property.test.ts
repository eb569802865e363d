import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAppspec } from './index.js';
import { PermissionClashes, type PermissionTarget } from './permission-clashes.js';

/**
 * The rule as it was first written: each permission compared with every earlier one. Kept here, and
 * only here, as the reference PermissionClashes must agree with.
 */
function quadraticClashes(targets: PermissionTarget[]): (PermissionTarget | undefined)[] {
  const seen: PermissionTarget[] = [];
  return targets.map((target) => {
    const clash = seen.find(
      (other) =>
        other.object === target.object &&
        other.types.some((type) => target.types.includes(type)) &&
        (other.pattern === target.pattern || other.pattern === '**' || target.pattern === '**'),
    );
    seen.push(target);
    return clash;
  });
}

const TYPE_LISTS = [[], ['file'], ['directory'], ['file', 'directory'], ['directory', 'file', 'file']];

describe('PermissionClashes agrees with the quadratic rule it replaces', () => {
  it('finds the same first clash for any sequence of permissions', () => {
    const target = fc.record({
      object: fc.constantFrom('/srv', '/srv/app', '/opt'),
      types: fc.constantFrom(...TYPE_LISTS),
      pattern: fc.constantFrom('**', '*.js', '*.sh', 'a*'),
      line: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(fc.array(target, { maxLength: 60 }), (targets) => {
        const clashes = new PermissionClashes();
        expect(targets.map((t) => clashes.add(t))).toEqual(quadraticClashes(targets));
      }),
      { numRuns: 2000 },
    );
  });

  it('reports the same duplicate permissions for generated AppSpecs', () => {
    // Each written form and what the rule reads it as.
    const OBJECTS: [string, string][] = [
      ['/srv', '/srv'],
      ['/srv/', '/srv'],
      ['//srv/./', '/srv'],
      ['/srv/app', '/srv/app'],
      ['/opt', '/opt'],
    ];
    const TYPES: [string | undefined, string[]][] = [
      [undefined, ['file', 'directory']],
      ['[file]', ['file']],
      ['[directory]', ['directory']],
      ['[directory, file]', ['directory', 'file']],
      ['[]', []],
    ];
    const PATTERNS: [string | undefined, string][] = [
      [undefined, '**'],
      ['"**"', '**'],
      ['"*.js"', '*.js'],
      ['"*.sh"', '*.sh'],
    ];
    const permission = fc.record({
      object: fc.constantFrom(...OBJECTS),
      types: fc.constantFrom(...TYPES),
      pattern: fc.constantFrom(...PATTERNS),
    });
    fc.assert(
      fc.property(fc.array(permission, { maxLength: 40 }), (permissions) => {
        const lines = ['version: 0.0', 'os: linux', 'permissions:'];
        const targets: PermissionTarget[] = [];
        const written: string[] = [];
        for (const { object, types, pattern } of permissions) {
          const line = lines.length + 1;
          lines.push(`  - object: "${object[0]}"`);
          if (types[0] !== undefined) lines.push(`    type: ${types[0]}`);
          if (pattern[0] !== undefined) lines.push(`    pattern: ${pattern[0]}`);
          targets.push({ object: object[1], types: types[1], pattern: pattern[1], line });
          written.push(object[0]);
        }
        const expected = quadraticClashes(targets).flatMap((clash, index) =>
          clash === undefined
            ? []
            : [
                {
                  line: targets[index]!.line,
                  path: `permissions[${index}]`,
                  message: `Permissions for ${written[index]} are set again (first on line ${clash.line}) for overlapping files.`,
                },
              ],
        );
        const actual = validateAppspec(`${lines.join('\n')}\n`, { file: 'appspec.yml' })
          .problems.filter((problem) => problem.code === 'permissions-duplicate-object')
          .map(({ line, path, message }) => ({ line, path, message }));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
