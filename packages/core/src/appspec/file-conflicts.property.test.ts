import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConflicts, type FileMapping } from './file-conflicts.js';
import { type RevisionContents, validateAppspec } from './index.js';
import { ProblemSink } from './problems.js';

/**
 * The rule as it was first written: every item compared with every earlier one. Kept here, and only
 * here, as the reference the indexed checkConflicts must agree with.
 */
function quadraticCheckConflicts(sink: ProblemSink, mappings: FileMapping[], kindsKnown: boolean): void {
  const basename = (path: string) => path.split('/').pop() ?? path;
  mappings.forEach((mapping, index) => {
    for (const earlier of mappings.slice(0, index)) {
      if (earlier.destination !== mapping.destination) continue;
      if (earlier.source === mapping.source) {
        sink.error(
          mapping.node,
          mapping.path,
          'files-duplicate-entry',
          `files installs ${JSON.stringify(mapping.source || '/')} to the same destination twice (first on line ${earlier.line}).`,
          'Remove one of the two entries.',
        );
        return;
      }
      const bothFiles = kindsKnown
        ? earlier.kind !== 'directory' && mapping.kind !== 'directory'
        : earlier.source !== '' && mapping.source !== '';
      if (bothFiles && basename(earlier.source) === basename(mapping.source)) {
        sink.add(
          kindsKnown ? 'error' : 'warning',
          mapping.node,
          mapping.path,
          'files-destination-conflict',
          `${JSON.stringify(mapping.source)} and ${JSON.stringify(earlier.source)} (line ${earlier.line}) would both install ${mapping.destination}/${basename(mapping.source)}.`,
          'The agent fails when two sources target one file; give them different destinations or rename one.',
        );
        return;
      }
    }
  });
}

// Few names, so that items often share a destination, a source or a file name.
const SOURCES = ['', 'x.js', 'a/x.js', 'b/x.js', 'a/b/x.js', 'a', 'a/y.js', 'y.js', 'b'];
const DESTINATIONS = ['/srv', '/srv/app', '/opt', 'c:/app'];
const KINDS = [undefined, 'file', 'directory', 'symlink'] as const;

const mapping = fc
  .record({
    source: fc.constantFrom(...SOURCES),
    destination: fc.constantFrom(...DESTINATIONS),
    kind: fc.constantFrom(...KINDS),
    // Items written in flow style share a line, so lines repeat and may go back.
    line: fc.integer({ min: 1, max: 40 }),
  })
  .map((fields): Omit<FileMapping, 'path'> => ({ ...fields, node: scalarAt(fields.line) }));

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
  it('reports the same problems, in the same order, for any list of items', () => {
    fc.assert(
      fc.property(fc.array(mapping, { maxLength: 60 }), fc.boolean(), (items, kindsKnown) => {
        const mappings = items.map((item, index): FileMapping => ({ ...item, path: `files[${index}]` }));
        const expected = new ProblemSink();
        quadraticCheckConflicts(expected, mappings, kindsKnown);
        const actual = new ProblemSink();
        checkConflicts(actual, mappings, kindsKnown);
        expect(actual.problems).toEqual(expected.problems);
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
        const expected = new ProblemSink();
        quadraticCheckConflicts(expected, mappings, withContents);
        const conflictCodes = ['files-duplicate-entry', 'files-destination-conflict'];
        const actual = validation.problems
          .filter((problem) => conflictCodes.includes(problem.code))
          .map(({ file: _file, ...problem }) => problem);
        // validateAppspec sorts by position; the reference reports in list order, which is the same order.
        expect(actual).toEqual(expected.problems);
      }),
      { numRuns: 500 },
    );
  });
});
