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
}

/**
 * Parses YAML (or JSON, which is YAML) into a tree whose every node and key knows its 1-based line
 * and column. Never throws: syntax errors, tabs, duplicate keys and extra documents become problems.
 */
export function parseLocatedYaml(text: string, sink: ProblemSink): LocatedDocument {
  const lines = new LineIndex(text);
  const tabs = scanTabs(text);
  sink.problems.push(...tabs.problems);

  const events = tryParse(text);
  if (!(events instanceof Error)) return build(text, events, lines, sink);
  if (tabs.repaired !== undefined) {
    // Tabs are reported above. Read the text with those tabs as spaces — one space each (offsets
    // unchanged), then common tab widths (columns mapped back) — so every other problem is still found.
    const repaired = tryParse(tabs.repaired);
    if (!(repaired instanceof Error)) return build(tabs.repaired, repaired, lines, sink);
    for (const width of [2, 4, 8]) {
      const expanded = expandLeadingTabs(text, width);
      const expandedEvents = tryParse(expanded.text);
      if (expandedEvents instanceof Error) continue;
      return build(expanded.text, expandedEvents, new LineIndex(expanded.text, expanded.shift), sink);
    }
  }
  reportSyntaxError(events, lines, sink);
  return { root: undefined, parsed: false, lines };
}

function build(text: string, events: Event[], lines: LineIndex, sink: ProblemSink): LocatedDocument {
  return { root: new TreeBuilder(text, events, lines, sink).build(), parsed: true, lines };
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

class TreeBuilder {
  private index = 0;
  private lastOffset = 0;
  private readonly anchors = new Map<string, YamlNode>();
  private readonly open = new Set<YamlNode>();

  constructor(
    private readonly text: string,
    private readonly events: Event[],
    private readonly lines: LineIndex,
    private readonly sink: ProblemSink,
  ) {}

  build(): YamlNode | undefined {
    let root: YamlNode | undefined;
    let documents = 0;
    while (this.index < this.events.length) {
      const event = this.events[this.index++];
      if (event?.type !== EVENT_ID.DOCUMENT) continue;
      documents++;
      const startOffset = this.lastOffset;
      let node: YamlNode | undefined;
      if (this.peek()?.type !== EVENT_ID.POP) node = this.readNode('');
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

  private position(offset: number): NodeBase {
    this.lastOffset = Math.max(this.lastOffset, offset);
    return this.lines.at(offset);
  }

  private readNode(path: string): YamlNode {
    const event = this.events[this.index++];
    if (event === undefined) return this.nullAt(this.lastOffset);
    switch (event.type) {
      case EVENT_ID.SCALAR:
        return this.register(event.anchorStart, event.anchorEnd, this.scalar(event));
      case EVENT_ID.SEQUENCE: {
        const node: YamlSeq = { kind: 'seq', ...this.position(event.start), items: [] };
        this.register(event.anchorStart, event.anchorEnd, node);
        this.open.add(node);
        while (this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP) {
          node.items.push(this.readNode(`${path}[${node.items.length}]`));
        }
        this.index++;
        this.open.delete(node);
        return node;
      }
      case EVENT_ID.MAPPING: {
        const node: YamlMap = { kind: 'map', ...this.position(event.start), entries: [] };
        this.register(event.anchorStart, event.anchorEnd, node);
        this.open.add(node);
        const raw: YamlEntry[] = [];
        while (this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP) {
          const key = this.readNode(path);
          const name = key.kind === 'scalar' ? key.text : '[complex key]';
          const valuePath = path === '' ? name : `${path}.${name}`;
          const value =
            this.index < this.events.length && this.peek()?.type !== EVENT_ID.POP
              ? this.readNode(valuePath)
              : this.nullAt(this.lastOffset);
          raw.push({ key, name, value });
        }
        this.index++;
        this.open.delete(node);
        node.entries = this.effectiveEntries(raw, path);
        return node;
      }
      case EVENT_ID.ALIAS: {
        const name = this.text.slice(event.anchorStart, event.anchorEnd);
        const target = this.anchors.get(name);
        if (target !== undefined && !this.open.has(target)) return target;
        const at = this.lines.at(Math.max(0, event.anchorStart - 1));
        this.sink.error(
          at,
          path,
          'yaml-alias-invalid',
          target === undefined
            ? `Alias *${name} refers to no anchor defined before it.`
            : `Alias *${name} refers to the collection that contains it.`,
          `Define the anchor (&${name}) before using it, and do not nest an alias inside its own anchor.`,
        );
        return this.nullAt(at.offset);
      }
      default:
        return this.nullAt(this.lastOffset);
    }
  }

  private scalar(event: Extract<Event, { type: typeof EVENT_ID.SCALAR }>): YamlScalar {
    const text = event.valueStart < 0 ? '' : getScalarValue(this.text, event);
    const style =
      event.style === SCALAR_STYLE.SINGLE_QUOTED
        ? 'single'
        : event.style === SCALAR_STYLE.DOUBLE_QUOTED
          ? 'double'
          : event.style === SCALAR_STYLE.PLAIN
            ? 'plain'
            : 'block';
    let offset = event.valueStart;
    if (offset < 0) offset = this.lastOffset;
    else if (style === 'single' || style === 'double') offset = Math.max(0, offset - 1);
    else if (style === 'block') {
      const indicator = this.text.lastIndexOf(event.style === SCALAR_STYLE.LITERAL_BLOCK ? '|' : '>', offset);
      if (indicator >= 0) offset = indicator;
    }
    const tag = event.tagStart >= 0 ? this.text.slice(event.tagStart, event.tagEnd) : undefined;
    const quoted = style !== 'plain';
    const value: ScalarValue =
      tag !== undefined
        ? resolveTaggedScalar(tag, text, quoted)
        : quoted
          ? { type: 'str', value: text }
          : resolvePlainScalar(text);
    return { kind: 'scalar', ...this.position(offset), text, style, value };
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
  private effectiveEntries(raw: YamlEntry[], path: string): YamlEntry[] {
    const lastIndex = new Map<string, number>();
    const firstLine = new Map<string, number>();
    const explicit: YamlEntry[] = [];
    const merged: YamlEntry[] = [];
    raw.forEach((entry, index) => {
      if (entry.key.kind === 'scalar' && entry.key.style === 'plain' && entry.key.text === '<<') {
        const sources = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
        for (const source of sources) if (source.kind === 'map') merged.push(...source.entries);
        return;
      }
      const id = keyId(entry.key);
      if (id === undefined) return;
      const first = firstLine.get(id);
      if (first === undefined) {
        firstLine.set(id, entry.key.line);
      } else {
        this.sink.error(
          entry.key,
          path === '' ? entry.name : `${path}.${entry.name}`,
          'duplicate-key',
          `Duplicate key "${entry.name}" (first defined on line ${first}).`,
          `The agent keeps only the last "${entry.name}" and silently drops the one on line ${first}; merge the two into one key.`,
        );
      }
      lastIndex.set(id, index);
    });
    raw.forEach((entry, index) => {
      const id = keyId(entry.key);
      if (id !== undefined && lastIndex.get(id) === index) explicit.push(entry);
    });
    const present = new Set(explicit.map((entry) => keyId(entry.key)));
    for (const entry of merged) {
      const id = keyId(entry.key);
      if (id === undefined || present.has(id)) continue;
      present.add(id);
      explicit.push(entry);
    }
    return explicit;
  }
}

function keyId(key: YamlNode): string | undefined {
  if (key.kind !== 'scalar') return undefined;
  return `${key.value.type}:${String(key.value.value)}`;
}

/** Converts the tree to plain JS values (shared nodes stay shared, so alias bombs stay small). */
export function toPlain(node: YamlNode, memo = new Map<YamlNode, unknown>()): unknown {
  const known = memo.get(node);
  if (known !== undefined || memo.has(node)) return known;
  if (node.kind === 'scalar') {
    const value = node.value.value;
    memo.set(node, value);
    return value;
  }
  if (node.kind === 'seq') {
    const list: unknown[] = [];
    memo.set(node, list);
    for (const item of node.items) list.push(toPlain(item, memo));
    return list;
  }
  const object: Record<string, unknown> = {};
  memo.set(node, object);
  for (const entry of node.entries) {
    Object.defineProperty(object, entry.name, {
      value: toPlain(entry.value, memo),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}
