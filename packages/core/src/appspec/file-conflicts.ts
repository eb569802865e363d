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

/** An item and its position in the list (items written in flow style can share a line). */
interface Earlier {
  mapping: FileMapping;
  order: number;
  name: string;
  installsFile: boolean;
}

/**
 * What has been installed into one destination so far. Most destinations receive one item, so the
 * indexes of the later items are made when a second one arrives: the first item of each source, and
 * of each file name among the items that install a single file.
 */
interface Destination {
  first: Earlier;
  bySource?: Map<string, Earlier>;
  fileByName?: Map<string, Earlier>;
}

/**
 * Reports each `files` item that installs the same source into the same destination as an earlier one,
 * or a file of the same name as an earlier one there: the agent fails on both. Each item is reported
 * once, against the first earlier item it clashes with. Items are indexed by destination, then by
 * source and by file name, so an AppSpec with tens of thousands of items is checked in linear time.
 *
 * @param kindsKnown whether `kind` comes from the revision's contents; without them a source names a
 * file unless it is the bundle root, and a clash is only a warning.
 */
export function checkConflicts(
  sink: ProblemSink,
  mappings: readonly FileMapping[],
  kindsKnown: boolean,
): void {
  const destinations = new Map<string, Destination>();
  mappings.forEach((mapping, order) => {
    const item: Earlier = {
      mapping,
      order,
      name: basename(mapping.source),
      installsFile: kindsKnown ? mapping.kind !== 'directory' : mapping.source !== '',
    };
    const destination = destinations.get(mapping.destination);
    if (destination === undefined) {
      destinations.set(mapping.destination, { first: item });
      return;
    }
    const sameSource = earlierSource(destination, item);
    const sameName = earlierName(destination, item);
    // The first earlier clash wins; an item with the same source has the same name, so comes no later.
    const clash =
      sameName === undefined || (sameSource !== undefined && sameSource.order <= sameName.order)
        ? sameSource
        : sameName;
    if (clash?.mapping.source === mapping.source) {
      sink.error(
        mapping.node,
        mapping.path,
        'files-duplicate-entry',
        `files installs ${JSON.stringify(mapping.source || '/')} to the same destination twice (first on line ${clash.mapping.line}).`,
        'Remove one of the two entries.',
      );
    } else if (clash !== undefined) {
      sink.add(
        kindsKnown ? 'error' : 'warning',
        mapping.node,
        mapping.path,
        'files-destination-conflict',
        `${JSON.stringify(mapping.source)} and ${quoteEarlier(clash.mapping.source)} (line ${clash.mapping.line}) would both install ${mapping.destination}/${item.name}.`,
        'The agent fails when two sources target one file; give them different destinations or rename one.',
      );
    }
    if (sameSource === undefined) {
      destination.bySource ??= new Map();
      destination.bySource.set(mapping.source, item);
    }
    if (item.installsFile && sameName === undefined) {
      destination.fileByName ??= new Map();
      destination.fileByName.set(item.name, item);
    }
  });
}

function earlierSource(destination: Destination, item: Earlier): Earlier | undefined {
  const { first } = destination;
  if (first.mapping.source === item.mapping.source) return first;
  return destination.bySource?.get(item.mapping.source);
}

/** Only for an item that installs a file: the first earlier one installing a file of that name. */
function earlierName(destination: Destination, item: Earlier): Earlier | undefined {
  if (!item.installsFile) return undefined;
  const { first } = destination;
  if (first.installsFile && first.name === item.name) return first;
  return destination.fileByName?.get(item.name);
}

/**
 * Longer earlier sources are quoted by their end (which holds the clashing name). Four times a long
 * real path; with at most MAX_PROBLEMS messages, a report stays tens of megabytes at worst.
 */
const QUOTED_EARLIER_SOURCE = 1024;

/**
 * Quotes the source of the earlier item a message refers to. Every later item may clash with that one
 * item, so quoting it whole would let one long path be repeated in every message.
 */
function quoteEarlier(source: string): string {
  if (source.length <= QUOTED_EARLIER_SOURCE) return JSON.stringify(source);
  return `"…${JSON.stringify(source.slice(-QUOTED_EARLIER_SOURCE)).slice(1)}`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
