/** One permission entry as the clash rule sees it. */
export interface PermissionTarget {
  /** The object path, normalised (`normalisePosix`). */
  object: string;
  /** Which of `file` and `directory` it applies to. */
  types: readonly string[];
  /** `**` selects everything under the object. */
  pattern: string;
  line: number;
}

/** The first entry seen for an object with a type, and the first with a type and a pattern. */
interface ObjectIndex {
  byType: Map<string, Earlier>;
  byTypeAndPattern: Map<string, Map<string, Earlier>>;
}

interface Earlier {
  target: PermissionTarget;
  order: number;
}

/**
 * Finds permissions that set the same files twice, which the agent refuses ("specified more than
 * once"): the same object, a type in common, and the same pattern or `**` on either side. Entries are
 * indexed by object, type and pattern, so each lookup costs the same however many came before.
 */
export class PermissionClashes {
  private readonly objects = new Map<string, ObjectIndex>();
  private count = 0;

  /** Records `target` and returns the first earlier entry it clashes with, if any. */
  add(target: PermissionTarget): PermissionTarget | undefined {
    let index = this.objects.get(target.object);
    if (index === undefined) {
      index = { byType: new Map(), byTypeAndPattern: new Map() };
      this.objects.set(target.object, index);
    }
    const types = new Set(target.types);
    let first: Earlier | undefined;
    const consider = (candidate: Earlier | undefined) => {
      if (candidate !== undefined && (first === undefined || candidate.order < first.order))
        first = candidate;
    };
    for (const type of types) {
      if (target.pattern === '**') {
        consider(index.byType.get(type));
      } else {
        const patterns = index.byTypeAndPattern.get(type);
        consider(patterns?.get(target.pattern));
        consider(patterns?.get('**'));
      }
    }
    const entry = { target, order: this.count++ };
    for (const type of types) {
      if (!index.byType.has(type)) index.byType.set(type, entry);
      let patterns = index.byTypeAndPattern.get(type);
      if (patterns === undefined) {
        patterns = new Map();
        index.byTypeAndPattern.set(type, patterns);
      }
      if (!patterns.has(target.pattern)) patterns.set(target.pattern, entry);
    }
    return first?.target;
  }
}
