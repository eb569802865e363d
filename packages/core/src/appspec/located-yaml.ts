import { EVENT_ID, type Event, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException } from 'js-yaml';
import { LineIndex, type Located, type ProblemSink } from './problems.js';
import { resolvePlainScalar, resolveTaggedScalar, type ScalarValue } from './scalars.js';
import { expandLeadingTabs, scanTabs } from './tabs.js';

interface NodeBase extends Located {
  offset: number;
}

export interface YamlScalar extends NodeBase {
  kind: 'scalar';
  /** The decoded text (quotes and escapes resolved). */
  text: string;
  style: 'plain' | 'single' | 'double' | 'block';
  /** The value with YAML 1.1 (Psych) typing. */
  value: ScalarValue;
}

export interface YamlEntry {
  key: YamlNode;
  /** The key's text; `[complex key]` when the key is not a scalar. */
  name: string;
  value: YamlNode;
}

export interface YamlMap extends NodeBase {
  kind: 'map';
  /** Effective entries: for a duplicated key only the last one (Psych keeps the last value). */
  entries: YamlEntry[];
}

export interface YamlSeq extends NodeBase {
  kind: 'seq';
  items: YamlNode[];
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** The document as a positioned tree. */
export interface LocatedDocument {
  /** The first document's root node; undefined when empty or unparseable. */
  root: YamlNode | undefined;
  /** Whether YAML parsing succeeded (possibly after tolerating tabs, which are reported). */
  parsed: boolean;
  lines: LineIndex;
  /** Whether the document defines anchors, so that aliases may share nodes between places in the tree. */
  anchored: boolean;
}

/**
 * Parses YAML (or JSON, which is YAML) into a tree whose every node and key knows its 1-based line
 * and column. Never throws: syntax errors, tabs, duplicate keys and extra documents become problems.
 */
export function parseLocatedYaml(text: string, sink: ProblemSink): LocatedDocument {
  const lines = new LineIndex(text);
  const repaired = scanTabs(text, sink);

  const events = tryParse(text);
  if (!(events instanceof Error)) return build(text, events, lines, sink);
  if (repaired !== undefined) {
    // Tabs are reported above. Read the text with those tabs as spaces — one space each (offsets
    // unchanged), then common tab widths (columns mapped back) — so every other problem is still found.
    const repairedEvents = tryParse(repaired);
    if (!(repairedEvents instanceof Error)) return build(repaired, repairedEvents, lines, sink);
    for (const width of [2, 4, 8]) {
      const expanded = expandLeadingTabs(text, width);
      const expandedEvents = tryParse(expanded.text);
      if (expandedEvents instanceof Error) continue;
      return build(expanded.text, expandedEvents, new LineIndex(expanded.text, expanded.shift), sink);
    }
  }
  reportSyntaxError(events, lines, sink);
  return { root: undefined, parsed: false, lines, anchored: false };
}

function build(text: string, events: Event[], lines: LineIndex, sink: ProblemSink): LocatedDocument {
  const builder = new TreeBuilder(text, events, lines, sink);
  const root = builder.build();
  return { root, parsed: true, lines, anchored: builder.anchored };
}

function tryParse(text: string): Event[] | Error {
  try {
    return parseEvents(text, { maxDepth: 100 });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function reportSyntaxError(error: Error, lines: LineIndex, sink: ProblemSink): void {
  const mark = error instanceof YAMLException ? error.mark : undefined;
  const reason = error instanceof YAMLException ? error.reason : error.message;
  // js-yaml marks are 0-based; the position is the most reliable, line/column are derived from it.
  const at =
    mark !== undefined && Number.isFinite(mark.position)
      ? lines.at(mark.position)
      : mark !== undefined
        ? { line: Math.max(1, mark.line + 1), column: Math.max(1, mark.column + 1) }
        : { line: 1, column: 1 };
  sink.error(
    at,
    '',
    'yaml-syntax',
    `YAML syntax error: ${reason || 'unparseable input'}.`,
    syntaxHint(reason),
  );
}

function syntaxHint(reason: string): string {
  if (/tab/i.test(reason)) return 'YAML indentation must use spaces; replace the tab(s) on this line.';
  if (/indentation|document separator is expected/.test(reason)) {
    return 'Check the indentation of this line against the lines above: keys of one mapping must start in the same column, and nested values must be indented further (with spaces).';
  }
  if (/flow collection|comma/.test(reason))
    return 'Close every "[" and "{" and separate their items with commas.';
  if (/quoted scalar/.test(reason))
    return 'Close the quoted string with the same quote character it opened with.';
  if (/multiline key|implicit key/.test(reason)) {
    return 'A key must fit on one line and be followed by ": " (colon and space); check for a missing colon or space.';
  }
  if (/non-printable/.test(reason)) return 'Remove the control characters from the file.';
  if (/escape/.test(reason)) {
    return 'Fix the backslash escape in the double-quoted string, or use single quotes (no escapes).';
  }
  return 'Fix the YAML syntax at this position (an AppSpec file is YAML; a JSON AppSpec must be valid JSON).';
}

type CollectionEvent = Extract<Event, { type: typeof EVENT_ID.SEQUENCE | typeof EVENT_ID.MAPPING }>;

/** Maps with at most this many keys look for duplicate keys pairwise, without building key ids. */
const SMALL_MAP = 8;

/**
 * What an alias repeats is weighed like text: each node as this many characters (about what a node
 * takes in a real AppSpec), plus the characters of its scalars.
 */
const NODE_WEIGHT = 16;
/** Aliases may repeat this much in any document, however small. */
const MIN_ALIAS_BUDGET = 1 << 20;

/**
 * Plain scalars this short (modes, owners, small numbers, short keys) repeat all through a large file
 * and are the slowest to type (longer words are strings at a glance); their typed values are resolved
 * once and shared (values are never changed after parsing), up to this many different texts.
 */
const SHARED_VALUE_LENGTH = 5;
const SHARED_VALUES = 10_000;
/**
 * Keys come from a small vocabulary ("source", "destination", "owner", ...) repeated for every item
 * of a large list: keys up to this long share their text and typed value, so each repetition leaves
 * nothing behind but its node (the tree of a 16 MiB AppSpec is smaller and quicker to collect).
 */
const SHARED_KEY_LENGTH = 64;

class TreeBuilder {
  private index = 0;
  private lastOffset = 0;
  private readonly anchors = new Map<string, YamlNode>();
  /** Anchored collections still being read: an alias to one of them would make a cycle. */
  private readonly open = new Set<YamlNode>();
  /**
   * The field path of the node being read, as keys and indexes. Only problems need it as a string, so
   * it is joined when one is reported rather than built for every node.
   */
  private readonly path: (string | number)[] = [];
  /**
   * Every check walks what aliases repeat as often as they repeat it, so a few lines of aliases
   * (a "billion laughs" file, or one large map aliased as every item of a list) would cost far more
   * than the file's size. Aliases may repeat a weight of half the file's length in characters (at
   * least MIN_ALIAS_BUDGET); past that they read as empty and the file is reported.
   */
  private readonly aliasBudget: number;
  private aliasWeight = 0;
  private aliasBudgetReported = false;
  /** Weight of the tree read so far, aliases counted in full. */
  private weight = 0;
  private readonly anchoredWeights = new Map<YamlNode, number>();
  private readonly sharedValues = new Map<string, ScalarValue>();
  /** Quoted keys' values, by their text (plain keys share `sharedValues`). */
  private readonly sharedQuotedKeys = new Map<string, ScalarValue>();
  /** Set while a mapping key is read: the next scalar is a key (see SHARED_KEY_LENGTH). */
  private readingKey = false;

  /** Whether any node has an anchor (only then can aliases make two places share one node). */
  get anchored(): boolean {
    return this.anchors.size > 0;
  }

  constructor(
    private readonly text: string,
    /** Emptied as it is read, so the events are freed while the tree grows. */
    private readonly events: (Event | undefined)[],
    private readonly lines: LineIndex,
    private readonly sink: ProblemSink,
  ) {
    this.aliasBudget = Math.max(MIN_ALIAS_BUDGET, text.length / 2);
  }

  build(): YamlNode | undefined {
    let root: YamlNode | undefined;
    let documents = 0;
    while (this.index < this.events.length) {
      const event = this.next();
      if (event?.type !== EVENT_ID.DOCUMENT) continue;
      documents++;
      const startOffset = this.lastOffset;
      let node: YamlNode | undefined;
      if (this.peek()?.type !== EVENT_ID.POP) node = this.readNode();
      this.index++;
      if (documents === 1) root = node;
      else if (documents === 2) this.reportExtraDocument(startOffset, node);
    }
    return root;
  }

  private reportExtraDocument(previousEnd: number, node: YamlNode | undefined): void {
    const separator = /^---/gm;
    separator.lastIndex = previousEnd;
    const found = separator.exec(this.text);
    const offset = found?.index ?? node?.offset ?? previousEnd;
    this.sink.error(
      this.lines.at(offset),
      '',
      'yaml-multiple-documents',
      'The file holds more than one YAML document (a second document starts after "---").',
      'The agent reads only the first document; remove this "---" and everything after it, or merge it into the first document.',
    );
  }

  private peek(): Event | undefined {
    return this.events[this.index];
  }

  private next(): Event | undefined {
    const event = this.events[this.index];
    this.events[this.index++] = undefined;
    return event;
  }

  private pathString(): string {
    let path = '';
    for (const part of this.path) {
      if (typeof part === 'number') path = `${path}[${part}]`;
      else path = path === '' ? part : `${path}.${part}`;
    }
    return path;
  }

  private readNode(): YamlNode {
    const event = this.events[this.index];
    if (event === undefined || event.type === EVENT_ID.ALIAS) return this.readAlias();
    const before = this.weight;
    const node = this.readValue();
    if (event.type !== EVENT_ID.POP && event.type !== EVENT_ID.DOCUMENT && event.anchorStart >= 0)
      this.anchoredWeights.set(node, this.weight - before);
    return node;
  }

  private readValue(): YamlNode {
    const event = this.next();
    if (event === undefined) return this.nullAt(this.lastOffset);
    switch (event.type) {
      case EVENT_ID.SCALAR:
        return this.register(event.anchorStart, event.anchorEnd, this.scalar(event));
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        return this.readCollection(event);
      default:
        return this.nullAt(this.lastOffset);
    }
  }

  private readCollection(event: CollectionEvent): YamlNode {
    this.weight += NODE_WEIGHT;
    const offset = this.advance(event.start);
    const line = this.lines.line(offset);
    const column = this.lines.column(offset, line);
    // Fields written out, not spread from a position object: the spread made every collection node
    // bigger (the dense 16 MiB file's tree was 8 MB, 3 %, larger).
    const node: YamlSeq | YamlMap =
      event.type === EVENT_ID.SEQUENCE
        ? { kind: 'seq', offset, line, column, items: [] }
        : { kind: 'map', offset, line, column, entries: [] };
    const anchored = event.anchorStart >= 0;
    this.register(event.anchorStart, event.anchorEnd, node);
    if (anchored) this.open.add(node);
    if (node.kind === 'seq') this.readItems(node);
    else node.entries = this.effectiveEntries(this.readEntries());
    this.index++;
    if (anchored) this.open.delete(node);
    return node;
  }

  /** Reads a sequence's items, up to its end event. */
  private readItems(node: YamlSeq): void {
    while (this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP) {
      this.path.push(node.items.length);
      node.items.push(this.readNode());
      this.path.pop();
    }
  }

  /** Reads a mapping's entries as written, up to its end event. */
  private readEntries(): YamlEntry[] {
    const raw: YamlEntry[] = [];
    while (this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP) {
      this.readingKey = true;
      const key = this.readNode();
      this.readingKey = false;
      const name = key.kind === 'scalar' ? key.text : '[complex key]';
      this.path.push(name);
      const value =
        this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP
          ? this.readNode()
          : this.nullAt(this.lastOffset);
      this.path.pop();
      raw.push({ key, name, value });
    }
    return raw;
  }

  private readAlias(): YamlNode {
    const event = this.next();
    if (event?.type !== EVENT_ID.ALIAS) return this.nullAt(this.lastOffset);
    const name = this.text.slice(event.anchorStart, event.anchorEnd);
    const target = this.anchors.get(name);
    const at = () => this.lines.at(Math.max(0, event.anchorStart - 1));
    if (target === undefined || this.open.has(target)) {
      const where = at();
      this.sink.error(
        where,
        this.pathString(),
        'yaml-alias-invalid',
        target === undefined
          ? `Alias *${name} refers to no anchor defined before it.`
          : `Alias *${name} refers to the collection that contains it.`,
        `Define the anchor (&${name}) before using it, and do not nest an alias inside its own anchor.`,
      );
      return this.nullAt(where.offset);
    }
    const weight = this.anchoredWeights.get(target) ?? NODE_WEIGHT;
    if (this.aliasWeight + weight <= this.aliasBudget) {
      this.aliasWeight += weight;
      this.weight += weight;
      return target;
    }
    const where = at();
    if (!this.aliasBudgetReported) {
      this.aliasBudgetReported = true;
      this.sink.error(
        where,
        this.pathString(),
        'yaml-alias-expansion',
        `Aliases repeat more than half of the file's content (here *${name}); this alias and the ones after it are read as empty.`,
        'Write the repeated part out, or alias smaller parts: aliases that repeat a large part of a file many times are how "billion laughs" files exhaust YAML readers.',
      );
    }
    return this.nullAt(where.offset);
  }

  /** Notes how far the document has been read; returns the offset moved into the text. */
  private advance(offset: number): number {
    this.lastOffset = Math.max(this.lastOffset, offset);
    return this.lines.clamp(offset);
  }

  private scalar(event: Extract<Event, { type: typeof EVENT_ID.SCALAR }>): YamlScalar {
    const isKey = this.readingKey;
    this.readingKey = false;
    let text = event.valueStart < 0 ? '' : getScalarValue(this.text, event);
    const style =
      event.style === SCALAR_STYLE.SINGLE_QUOTED
        ? 'single'
        : event.style === SCALAR_STYLE.DOUBLE_QUOTED
          ? 'double'
          : event.style === SCALAR_STYLE.PLAIN
            ? 'plain'
            : 'block';
    let start = event.valueStart;
    if (start < 0) start = this.lastOffset;
    else if (style === 'single' || style === 'double') start = Math.max(0, start - 1);
    else if (style === 'block') {
      const indicator = this.text.lastIndexOf(event.style === SCALAR_STYLE.LITERAL_BLOCK ? '|' : '>', start);
      if (indicator >= 0) start = indicator;
    }
    const tag = event.tagStart >= 0 ? this.text.slice(event.tagStart, event.tagEnd) : undefined;
    const quoted = style !== 'plain';
    let value: ScalarValue;
    if (tag !== undefined) value = resolveTaggedScalar(tag, text, quoted);
    else if (isKey && text.length <= SHARED_KEY_LENGTH) {
      value = this.sharedKeyValue(text, quoted);
      // A shared string value holds this same text: keep that one and let this copy go at once.
      if (value.type === 'str') text = value.value;
    } else value = quoted ? { type: 'str', value: text } : this.plainValue(text);
    this.weight += NODE_WEIGHT + text.length;
    const offset = this.advance(start);
    const line = this.lines.line(offset);
    return { kind: 'scalar', offset, line, column: this.lines.column(offset, line), text, style, value };
  }

  private plainValue(text: string, shared = false): ScalarValue {
    if (text.length > SHARED_VALUE_LENGTH && !shared) return resolvePlainScalar(text);
    let value = this.sharedValues.get(text);
    if (value === undefined) {
      value = resolvePlainScalar(text);
      if (this.sharedValues.size < SHARED_VALUES) this.sharedValues.set(text, value);
    }
    return value;
  }

  private sharedKeyValue(text: string, quoted: boolean): ScalarValue {
    if (!quoted) return this.plainValue(text, true);
    let value = this.sharedQuotedKeys.get(text);
    if (value === undefined) {
      value = { type: 'str', value: text };
      if (this.sharedQuotedKeys.size < SHARED_VALUES) this.sharedQuotedKeys.set(text, value);
    }
    return value;
  }

  private nullAt(offset: number): YamlScalar {
    return {
      kind: 'scalar',
      ...this.lines.at(offset),
      text: '',
      style: 'plain',
      value: { type: 'null', value: null },
    };
  }

  private register(anchorStart: number, anchorEnd: number, node: YamlNode): YamlNode {
    if (anchorStart >= 0) this.anchors.set(this.text.slice(anchorStart, anchorEnd), node);
    return node;
  }

  /** Reports duplicate keys, applies `<<` merges, and keeps the last entry of each key (as Psych does). */
  private effectiveEntries(raw: YamlEntry[]): YamlEntry[] {
    // A copy is exactly as long as the map; the list it was read into keeps room to grow (17 slots).
    if (isPlainSmallMap(raw)) return raw.slice();
    // Index of each key's first entry; its keys are also the keys present, which merges must not override.
    const firstIndex = new KeyTable<number>();
    const lastOfFirst: number[] = [];
    const keep: boolean[] = [];
    const merged: YamlEntry[] = [];
    raw.forEach((entry, index) => {
      keep.push(false);
      if (isMergeKey(entry.key)) {
        const sources = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
        for (const source of sources) {
          if (source.kind === 'map') for (const inherited of source.entries) merged.push(inherited);
        }
        return;
      }
      if (entry.key.kind !== 'scalar') return;
      const first = firstIndex.get(entry.key);
      keep[index] = true;
      if (first === undefined) {
        firstIndex.set(entry.key, index);
        lastOfFirst[index] = index;
        return;
      }
      const firstLine = raw[first]!.key.line;
      const path = this.pathString();
      this.sink.error(
        entry.key,
        path === '' ? entry.name : `${path}.${entry.name}`,
        'duplicate-key',
        `Duplicate key "${entry.name}" (first defined on line ${firstLine}).`,
        `The agent keeps only the last "${entry.name}" and silently drops the one on line ${firstLine}; merge the two into one key.`,
      );
      keep[lastOfFirst[first]!] = false;
      lastOfFirst[first] = index;
    });
    const explicit = raw.filter((_, index) => keep[index]);
    for (const entry of merged) {
      if (entry.key.kind !== 'scalar' || firstIndex.get(entry.key) !== undefined) continue;
      firstIndex.set(entry.key, -1);
      explicit.push(entry);
    }
    return explicit;
  }
}

/**
 * Scalar keys by their typed value, as Psych compares them: the string "1" and the number 1 are
 * different keys. String keys, nearly all of them, are looked up by their text, with no id to build.
 */
class KeyTable<T> {
  private readonly strings = new Map<string, T>();
  private readonly others = new Map<string, T>();

  get(key: YamlScalar): T | undefined {
    return key.value.type === 'str' ? this.strings.get(key.value.value) : this.others.get(otherKeyId(key));
  }

  set(key: YamlScalar, value: T): void {
    if (key.value.type === 'str') this.strings.set(key.value.value, value);
    else this.others.set(otherKeyId(key), value);
  }
}

function otherKeyId(key: YamlScalar): string {
  return `${key.value.type}:${String(key.value.value)}`;
}

function isMergeKey(key: YamlNode): boolean {
  return key.kind === 'scalar' && key.style === 'plain' && key.text === '<<';
}

/**
 * Whether a map's entries are already its effective entries: a few scalar keys, none repeated, no
 * merge. Most maps of an AppSpec are like this; they skip the general path and its key ids.
 */
function isPlainSmallMap(raw: YamlEntry[]): boolean {
  if (raw.length > SMALL_MAP) return false;
  for (let i = 0; i < raw.length; i++) {
    const key = raw[i]!.key;
    if (key.kind !== 'scalar' || isMergeKey(key)) return false;
    for (let j = 0; j < i; j++) {
      const other = raw[j]!.key as YamlScalar;
      if (other.value.type === key.value.type && String(other.value.value) === String(key.value.value))
        return false;
    }
  }
  return true;
}

/**
 * Converts the tree to plain JS values. Collections reached twice (through aliases) stay one shared
 * value, so alias bombs stay small; scalars become primitives and need no memo. A document without
 * anchors shares nothing, so its conversion can go without a memo (`memo` undefined).
 */
export function toPlain(node: YamlNode, memo: Map<YamlNode, unknown> | undefined = new Map()): unknown {
  if (node.kind === 'scalar') return node.value.value;
  const known = memo?.get(node);
  if (known !== undefined) return known;
  if (node.kind === 'seq') {
    const list: unknown[] = [];
    memo?.set(node, list);
    for (const item of node.items) list.push(toPlain(item, memo));
    return list;
  }
  const object: Record<string, unknown> = {};
  memo?.set(node, object);
  for (const entry of node.entries) {
    const value = toPlain(entry.value, memo);
    // Assignment would call the __proto__ setter instead of making an own key.
    if (entry.name === '__proto__') {
      Object.defineProperty(object, entry.name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      object[entry.name] = value;
    }
  }
  return object;
}
