import type { YamlNode } from './located-yaml.js';
import type { ProblemSink } from './problems.js';

/** One `files` item with its paths normalised: `source` relative to the bundle root, '' for all of it. */
export interface FileMapping {
  source: string;
  destination: string;
  /** What the revision holds at `source`; the same source always has the same kind. */
  kind: 'file' | 'directory' | 'symlink' | undefined;
  line: number;
  node: YamlNode;
  path: string;
}

/**
 * What has been installed into one destination so far, as positions in the list (items written in
 * flow style can share a line, so the position orders them): the first item that installs each file
 * name, and the first item of each source among those that install a folder. Most destinations
 * receive one item, so the indexes are made when a second arrives.
 */
interface Destination {
  first: number;
  fileByName?: Map<string, number>;
  folderBySource?: Map<string, number>;
}

/** A `files` item that clashes with an earlier one: positions in the list. */
export interface FileClash {
  item: number;
  earlier: number;
}

/**
 * Finds each `files` item that installs the same source into the same destination as an earlier one,
 * or a file of the same name as an earlier one there: the agent fails on both. Each item is paired
 * once, with the first earlier item it clashes with, so each item needs one lookup. An item that
 * installs a file clashes first with the first file of its name there (an earlier item with the same
 * source installs that same file, so it is one of those); one that installs a folder can only repeat
 * an earlier folder's source. Linear in the number of items, however many share a destination.
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
    const first = mappings[destination.first]!;
    const isFile = installsFile(mapping);
    // The key the item is indexed by: its file name, or a folder's source.
    const key = isFile ? basename(mapping.source) : mapping.source;
    const firstClashes = isFile
      ? installsFile(first) && basename(first.source) === key
      : first.source === mapping.source;
    const index = indexFor(destination, isFile);
    const earlier = firstClashes ? destination.first : index.get(key);
    if (earlier === undefined) index.set(key, order);
    else clashes.push({ item: order, earlier });
  });
  return clashes;
}

function indexFor(destination: Destination, isFile: boolean): Map<string, number> {
  if (isFile) {
    destination.fileByName ??= new Map();
    return destination.fileByName;
  }
  destination.folderBySource ??= new Map();
  return destination.folderBySource;
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
