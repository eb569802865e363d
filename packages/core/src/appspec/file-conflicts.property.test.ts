import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FileClash, type FileMapping, findFileClashes } from './file-conflicts.js';
import { type RevisionContents, validateAppspec } from './index.js';

/**
 * The rule as it was first written: every item compared with every earlier one, stopping at the first
 * that installs the same source, or a file of the same name, into the same destination. Kept here,
 * and only here, as the reference the indexed findFileClashes must agree with.
 */
function quadraticClashes(mappings: FileMapping[], kindsKnown: boolean): FileClash[] {
  const basename = (path: string) => path.split('/').pop() ?? path;
  const clashes: FileClash[] = [];
  mappings.forEach((mapping, index) => {
    for (const [earlierIndex, earlier] of mappings.slice(0, index).entries()) {
      if (earlier.destination !== mapping.destination) continue;
      const bothFiles = kindsKnown
        ? earlier.kind !== 'directory' && mapping.kind !== 'directory'
        : earlier.source !== '' && mapping.source !== '';
      if (
        earlier.source === mapping.source ||
        (bothFiles && basename(earlier.source) === basename(mapping.source))
      ) {
        clashes.push({ item: index, earlier: earlierIndex });
        return;
      }
    }
  });
  return clashes;
}

// Few names, so that items often share a destination, a source or a file name.
const SOURCES = ['', 'x.js', 'a/x.js', 'b/x.js', 'a/b/x.js', 'a', 'a/y.js', 'y.js', 'b'];
const DESTINATIONS = ['/srv', '/srv/app', '/opt', 'c:/app'];
const KINDS = [undefined, 'file', 'directory', 'symlink'] as const;

const item = fc.record({
  source: fc.constantFrom(...SOURCES),
  destination: fc.constantFrom(...DESTINATIONS),
  // Items written in flow style share a line, so lines repeat and may go back.
  line: fc.integer({ min: 1, max: 40 }),
});
/** What the revision holds at each source: one kind per source, the bundle root a folder. */
const contents = fc
  .tuple(...SOURCES.map(() => fc.constantFrom(...KINDS)))
  .map((kinds) => new Map(SOURCES.map((source, i) => [source, source === '' ? 'directory' : kinds[i]])));

function scalarAt(line: number): FileMapping['node'] {
  return {
    kind: 'scalar',
    offset: 0,
    line,
    column: 5,
    text: '',
    style: 'plain',
    value: { type: 'null', value: null },
  };
}

describe('checkConflicts agrees with the quadratic rule it replaces', () => {
  it('pairs the same items, in the same order, for any list of items', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), contents, fc.boolean(), (items, kinds, kindsKnown) => {
        const mappings = items.map(
          (fields, index): FileMapping => ({
            ...fields,
            kind: kindsKnown ? kinds.get(fields.source) : undefined,
            node: scalarAt(fields.line),
            path: `files[${index}]`,
          }),
        );
        expect(findFileClashes(mappings, kindsKnown)).toEqual(quadraticClashes(mappings, kindsKnown));
      }),
      { numRuns: 2000 },
    );
  });

  // Each written form and what the rules read it as (sources relative to the bundle, destinations normalised).
  const WRITTEN_SOURCES: [string, string][] = [
    ['/', ''],
    ['app', 'app'],
    ['./app/', 'app'],
    ['app/x.js', 'app/x.js'],
    ['lib/x.js', 'lib/x.js'],
    ['lib//../app/x.js', 'app/x.js'],
    ['x.js', 'x.js'],
    ['lib', 'lib'],
  ];
  const WRITTEN_DESTINATIONS: [string, string][] = [
    ['/srv', '/srv'],
    ['/srv/', '/srv'],
    ['//srv/./', '/srv'],
    ['/srv/app', '/srv/app'],
    ['/opt', '/opt'],
  ];
  const CONTENTS: Record<string, 'file' | 'directory' | 'symlink'> = {
    app: 'directory',
    'app/x.js': 'file',
    'lib/x.js': 'symlink',
    'x.js': 'file',
    lib: 'directory',
  };

  it('reports the same files problems for generated AppSpecs, with and without the revision contents', () => {
    const item = fc.record({
      source: fc.constantFrom(...WRITTEN_SOURCES),
      destination: fc.constantFrom(...WRITTEN_DESTINATIONS),
      flow: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.boolean(), (items, withContents) => {
        const lines = ['version: 0.0', 'os: linux', 'files:'];
        const mappings: FileMapping[] = [];
        items.forEach(({ source, destination, flow }, index) => {
          const line = lines.length + 1;
          if (flow) lines.push(`  - {source: "${source[0]}", destination: "${destination[0]}"}`);
          else lines.push(`  - source: "${source[0]}"`, `    destination: "${destination[0]}"`);
          const kind = source[1] === '' ? 'directory' : withContents ? CONTENTS[source[1]] : undefined;
          // Both forms start the item's mapping at column 5 (after "  - " or at "{").
          const node = scalarAt(line);
          mappings.push({
            source: source[1],
            destination: destination[1],
            kind,
            line,
            node,
            path: `files[${index}]`,
          });
        });
        const contents: RevisionContents = { has: (path) => CONTENTS[path] };
        const validation = validateAppspec(
          `${lines.join('\n')}\n`,
          withContents ? { file: 'appspec.yml', contents } : { file: 'appspec.yml' },
        );
        // A repeated source is a duplicate; another file of the same name a conflict, an error only
        // when the contents say both are files. Each names the line of the earlier item.
        const expected = quadraticClashes(mappings, withContents).map(({ item, earlier }) => {
          const duplicate = mappings[item]!.source === mappings[earlier]!.source;
          return {
            severity: duplicate || withContents ? 'error' : 'warning',
            code: duplicate ? 'files-duplicate-entry' : 'files-destination-conflict',
            line: mappings[item]!.line,
            path: mappings[item]!.path,
            earlierLine: mappings[earlier]!.line,
          };
        });
        const conflictCodes = ['files-duplicate-entry', 'files-destination-conflict'];
        const actual = validation.problems
          .filter((problem) => conflictCodes.includes(problem.code))
          .map(({ severity, code, line, path, message }) => ({
            severity,
            code,
            line,
            path,
            earlierLine: Number(/line (\d+)\)/.exec(message)?.[1]),
          }));
        // validateAppspec sorts by position; the reference pairs in list order, which is the same order.
        expect(actual).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
