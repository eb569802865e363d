import type { YamlNode } from './located-yaml.js';
import type { ProblemSink } from './problems.js';

/** One `files` item with its paths normalised: `source` relative to the bundle root, '' for all of it. */
export interface FileMapping {
  source: string;
  destination: string;
  kind: 'file' | 'directory' | 'symlink' | undefined;
  line: number;
  node: YamlNode;
  path: string;
}

/**
 * What has been installed into one destination so far, as positions in the list (items written in
 * flow style can share a line, so the position orders them). Most destinations receive one item, so
 * the indexes of the later ones are made when a second arrives: the first item of each source, and of
 * each file name among the items that install a single file.
 */
interface Destination {
  first: number;
  bySource?: Map<string, number>;
  fileByName?: Map<string, number>;
}

/** A `files` item that clashes with an earlier one: positions in the list. */
export interface FileClash {
  item: number;
  earlier: number;
}

/**
 * Finds each `files` item that installs the same source into the same destination as an earlier one,
 * or a file of the same name as an earlier one there: the agent fails on both. Each item is paired
 * once, with the first earlier item it clashes with. Items are indexed by destination, then by source
 * and by file name, so an AppSpec with tens of thousands of items is checked in linear time.
 *
 * @param kindsKnown whether `kind` comes from the revision's contents; without them a source names a
 * file unless it is the bundle root.
 */
export function findFileClashes(mappings: readonly FileMapping[], kindsKnown: boolean): FileClash[] {
  const installsFile = (mapping: FileMapping) =>
    kindsKnown ? mapping.kind !== 'directory' : mapping.source !== '';
  const clashes: FileClash[] = [];
  const destinations = new Map<string, Destination>();
  mappings.forEach((mapping, order) => {
    const destination = destinations.get(mapping.destination);
    if (destination === undefined) {
      destinations.set(mapping.destination, { first: order });
      return;
    }
    const name = basename(mapping.source);
    const isFile = installsFile(mapping);
    const first = mappings[destination.first]!;
    const sameSource =
      first.source === mapping.source ? destination.first : destination.bySource?.get(mapping.source);
    const sameName = !isFile
      ? undefined
      : installsFile(first) && basename(first.source) === name
        ? destination.first
        : destination.fileByName?.get(name);
    // The first earlier clash wins; an item with the same source has the same name, so comes no later.
    const earlier =
      sameName === undefined || (sameSource !== undefined && sameSource <= sameName) ? sameSource : sameName;
    if (earlier !== undefined) clashes.push({ item: order, earlier });
    if (sameSource === undefined) {
      destination.bySource ??= new Map();
      destination.bySource.set(mapping.source, order);
    }
    if (isFile && sameName === undefined) {
      destination.fileByName ??= new Map();
      destination.fileByName.set(name, order);
    }
  });
  return clashes;
}

/**
 * Reports the clashes findFileClashes finds: the same source twice is an error; two files of one name
 * are an error when the revision's contents say they are files, else a warning.
 */
export function checkConflicts(
  sink: ProblemSink,
  mappings: readonly FileMapping[],
  kindsKnown: boolean,
): void {
  for (const clash of findFileClashes(mappings, kindsKnown)) {
    const mapping = mappings[clash.item]!;
    const earlier = mappings[clash.earlier]!;
    if (earlier.source === mapping.source) {
      sink.error(
        mapping.node,
        mapping.path,
        'files-duplicate-entry',
        `files installs ${JSON.stringify(mapping.source || '/')} to the same destination twice (first on line ${earlier.line}).`,
        'Remove one of the two entries.',
      );
    } else {
      sink.add(
        kindsKnown ? 'error' : 'warning',
        mapping.node,
        mapping.path,
        'files-destination-conflict',
        `${JSON.stringify(mapping.source)} and ${quoteEarlier(earlier.source)} (line ${earlier.line}) would both install ${mapping.destination}/${basename(mapping.source)}.`,
        'The agent fails when two sources target one file; give them different destinations or rename one.',
      );
    }
  }
}

/**
 * Longer earlier sources are quoted by their last characters, which hold the clashing name: every
 * later item may clash with the same earlier one, so quoting it whole would let one long path fill
 * every message. Four times a long real path; with at most MAX_PROBLEMS messages a report stays
 * tens of megabytes at worst.
 */
const QUOTED_EARLIER_SOURCE = 1024;

function quoteEarlier(source: string): string {
  if (source.length <= QUOTED_EARLIER_SOURCE) return JSON.stringify(source);
  return `"…${JSON.stringify(source.slice(-QUOTED_EARLIER_SOURCE)).slice(1)}`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
