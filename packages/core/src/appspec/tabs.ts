import type { ProblemSink } from './problems.js';

const INDENT_HINT = 'YAML indentation must use spaces; replace the tab(s) on this line';

/**
 * Finds tabs the agent's YAML parser (libyaml, through Ruby's Psych) rejects: tabs in the indentation
 * of block-context lines (including block scalars and blank or comment lines) and tabs right after a
 * `-`, `?` or `:` indicator. Tabs inside flow collections (`{...}`, `[...]`, so JSON files) and inside
 * quoted scalars are fine and are not reported. Every offending line is reported, not just the first.
 *
 * This is a small line scanner, not a YAML parser: it tracks flow depth, quoted scalars and block
 * scalars, which is all it needs to tell indentation from content.
 *
 * @returns the text with those tabs read as spaces (same offsets), or undefined when there was none.
 */
export function scanTabs(text: string, sink: ProblemSink): string | undefined {
  if (!text.includes('\t')) return undefined;
  // Offsets of the tabs to read as spaces (one array entry per tab, not one per character of the text).
  const repairs: number[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let flowDepth = 0;
  let quote: '"' | "'" | undefined;
  let block: { parentIndent: number; indent: number | undefined } | undefined;

  const report = (line: number, column: number, code: string, message: string, hint: string) => {
    sink.push({ severity: 'error', code, line, column, path: '', message, hint });
  };

  lines.forEach((content, index) => {
    const lineNo = index + 1;
    const leading = /^[ \t]*/.exec(content)?.[0] ?? '';
    const repairLeading = (limit: number) => {
      for (let i = 0; i < Math.min(limit, leading.length); i++)
        if (leading[i] === '\t') repairs.push(offset + i);
    };
    let start = 0;

    if (quote !== undefined) {
      repairLeading(leading.length);
      start = skipQuoted(content, 0, quote);
      if (start < 0) {
        offset += content.length + 1;
        return;
      }
      quote = undefined;
    } else if (block !== undefined) {
      const spaces = /^ */.exec(content)?.[0].length ?? 0;
      const blank = leading.length === content.length;
      if (blank || spaces > block.parentIndent) {
        if (!blank && block.indent === undefined) block.indent = spaces;
        const limit = block.indent ?? block.parentIndent + 1;
        const tab = leading.indexOf('\t');
        repairLeading(limit);
        if (tab >= 0 && tab < limit) {
          report(
            lineNo,
            tab + 1,
            'yaml-tab-indentation',
            'Tab character in the indentation of a block scalar.',
            INDENT_HINT,
          );
        }
        offset += content.length + 1;
        return;
      }
      block = undefined;
    }

    if (start === 0) repairLeading(leading.length);
    if (start === 0 && flowDepth === 0) {
      const tab = leading.indexOf('\t');
      if (tab >= 0) {
        report(lineNo, tab + 1, 'yaml-tab-indentation', 'Tab character used for indentation.', INDENT_HINT);
      }
      start = leading.length;
    }

    const state = scanLine(content, start, flowDepth, leading.length);
    flowDepth = state.flowDepth;
    quote = state.openQuote;
    if (state.blockScalarIndent !== undefined)
      block = { parentIndent: state.blockScalarIndent, indent: undefined };
    for (const column of state.tabsAfterIndicator) {
      repairs.push(offset + column);
      report(
        lineNo,
        column + 1,
        'yaml-tab-after-indicator',
        `Tab character right after "${content[column - 1] ?? ''}".`,
        'The agent\'s YAML parser (libyaml) rejects a tab here; put a space after "-", "?" or ":" instead.',
      );
    }
    offset += content.length + 1;
  });
  return repairs.length === 0 ? undefined : withSpaces(text, repairs);
}

/** The text with the characters at `offsets` (tabs) replaced by spaces. */
function withSpaces(text: string, offsets: number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const offset of [...new Set(offsets)].sort((a, b) => a - b)) {
    parts.push(text.slice(from, offset), ' ');
    from = offset + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

interface LineState {
  flowDepth: number;
  openQuote: '"' | "'" | undefined;
  /** Set when the line opens a block scalar (`|` or `>`): the indentation its content must exceed. */
  blockScalarIndent: number | undefined;
  /** 0-based columns of tabs that directly follow a block indicator. */
  tabsAfterIndicator: number[];
}

function scanLine(content: string, start: number, flowDepth: number, lineIndent: number): LineState {
  const state: LineState = {
    flowDepth,
    openQuote: undefined,
    blockScalarIndent: undefined,
    tabsAfterIndicator: [],
  };
  let pos = start;
  let tokenStart = true;
  let keyColumn = lineIndent;
  let tokenColumn = start;
  while (pos < content.length) {
    const ch = content[pos] ?? '';
    if (ch === ' ' || ch === '\t') {
      pos++;
      continue;
    }
    const prevBlank = pos === 0 || content[pos - 1] === ' ' || content[pos - 1] === '\t';
    if (ch === '#' && prevBlank) break;
    const inFlow = state.flowDepth > 0;
    const next = content[pos + 1];
    const nextBlank = next === undefined || next === ' ' || next === '\t';
    if ((ch === '-' || ch === '?') && !inFlow && tokenStart && nextBlank) {
      if (next === '\t') state.tabsAfterIndicator.push(pos + 1);
      keyColumn = pos + 2;
      pos++;
      continue;
    }
    if (ch === ':' && (nextBlank || (inFlow && next !== undefined && ',[]{}'.includes(next)))) {
      if (next === '\t' && !inFlow) state.tabsAfterIndicator.push(pos + 1);
      keyColumn = tokenColumn;
      tokenStart = true;
      pos++;
      continue;
    }
    if (ch === '[' || ch === '{') {
      state.flowDepth++;
      tokenStart = true;
      pos++;
      continue;
    }
    if (ch === ']' || ch === '}') {
      state.flowDepth = Math.max(0, state.flowDepth - 1);
      pos++;
      continue;
    }
    if (ch === ',' && inFlow) {
      tokenStart = true;
      pos++;
      continue;
    }
    tokenColumn = pos;
    if ((ch === '"' || ch === "'") && tokenStart) {
      const end = skipQuoted(content, pos + 1, ch);
      if (end < 0) {
        state.openQuote = ch;
        return state;
      }
      pos = end;
      tokenStart = false;
      continue;
    }
    if ((ch === '|' || ch === '>') && tokenStart && !inFlow) {
      state.blockScalarIndent = keyColumn;
      return state;
    }
    if ((ch === '&' || ch === '!' || ch === '*') && tokenStart) {
      while (pos < content.length && content[pos] !== ' ' && content[pos] !== '\t') pos++;
      continue;
    }
    pos = skipPlain(content, pos, inFlow);
    tokenStart = false;
  }
  return state;
}

/** Returns the index after the closing quote, or -1 when the scalar continues on the next line. */
function skipQuoted(content: string, from: number, quote: '"' | "'"): number {
  let pos = from;
  while (pos < content.length) {
    const ch = content[pos];
    if (quote === '"' && ch === '\\') {
      pos += 2;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && content[pos + 1] === "'") {
        pos += 2;
        continue;
      }
      return pos + 1;
    }
    pos++;
  }
  return -1;
}

function skipPlain(content: string, from: number, inFlow: boolean): number {
  let pos = from + 1;
  while (pos < content.length) {
    const ch = content[pos] ?? '';
    const next = content[pos + 1];
    if (ch === ':' && (next === undefined || next === ' ' || next === '\t')) return pos;
    if (ch === '#' && (content[pos - 1] === ' ' || content[pos - 1] === '\t')) return pos;
    if (inFlow && (',[]{}'.includes(ch) || (ch === ':' && next !== undefined && ',[]{}'.includes(next))))
      return pos;
    pos++;
  }
  return pos;
}

/** Text whose leading tabs are expanded to tab stops of `width`, and how far each line moved. */
export interface ExpandedTabs {
  text: string;
  /** 1-based line number -> characters added at its start. */
  shift: Map<number, number>;
}

/**
 * Expands the tabs in each line's indentation to tab stops of `width`. A file indented with tabs
 * usually means "one tab = one level"; reading it at a few widths lets the rest of the file be
 * validated after its tabs are reported, with columns mapped back through `shift`.
 */
export function expandLeadingTabs(text: string, width: number): ExpandedTabs {
  const shift = new Map<number, number>();
  const lines = text.split('\n').map((line, index) => {
    const leading = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (!leading.includes('\t')) return line;
    let expanded = '';
    for (const char of leading)
      expanded += char === '\t' ? ' '.repeat(width - (expanded.length % width)) : ' ';
    shift.set(index + 1, expanded.length - leading.length);
    return expanded + line.slice(leading.length);
  });
  return { text: lines.join('\n'), shift };
}
