import type { AppspecProblem } from './types.js';

/** A problem before the file name is attached. */
export type LocatedProblem = Omit<AppspecProblem, 'file'>;

/** Anything that knows where it starts in the source (nodes, keys, marks). */
export interface Located {
  line: number;
  column: number;
}

/**
 * Problems kept per file. A 16 MiB file can hold millions of one-line mistakes, each a few hundred
 * bytes of report; past this many the rest are counted, not kept, so a broken or hostile file costs
 * a bounded report.
 */
export const MAX_PROBLEMS = 50_000;

/**
 * A hint, or what makes it: a "did you mean" costs an edit-distance search, which a file with a
 * million unknown keys should pay only for the problems that are kept.
 */
export type Hint = string | (() => string);

/** Collects problems; rules call `error`/`warn` with the node the problem is about. */
export class ProblemSink {
  /** The first MAX_PROBLEMS problems found. */
  readonly problems: LocatedProblem[] = [];
  private omitted = 0;
  private omittedErrors = 0;

  error(at: Located, path: string, code: string, message: string, hint: Hint): void {
    this.add('error', at, path, code, message, hint);
  }

  warn(at: Located, path: string, code: string, message: string, hint: Hint): void {
    this.add('warning', at, path, code, message, hint);
  }

  add(
    severity: LocatedProblem['severity'],
    at: Located,
    path: string,
    code: string,
    message: string,
    hint: Hint,
  ): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.omit(severity);
      return;
    }
    const text = typeof hint === 'string' ? hint : hint();
    this.problems.push({ severity, code, line: at.line, column: at.column, path, message, hint: text });
  }

  push(problem: LocatedProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else this.omit(problem.severity);
  }

  private omit(severity: LocatedProblem['severity']): void {
    this.omitted++;
    if (severity === 'error') this.omittedErrors++;
  }

  /** The problem that says how many were left out, when the file had more than MAX_PROBLEMS. */
  omittedSummary(): LocatedProblem | undefined {
    if (this.omitted === 0) return undefined;
    return {
      severity: this.omittedErrors > 0 ? 'error' : 'warning',
      code: 'too-many-problems',
      line: 1,
      column: 1,
      path: '',
      message: `The file has more than ${MAX_PROBLEMS.toLocaleString('en-US')} problems: ${this.omitted.toLocaleString('en-US')} more (${this.omittedErrors.toLocaleString('en-US')} of them errors) are not listed.`,
      hint: 'Fix the problems listed and validate again; a file with this many problems is usually generated wrongly, or is not an AppSpec.',
    };
  }
}

/**
 * Maps string offsets to 1-based line and column. Lookups usually move forward through the text (the
 * tree is built in document order), so each starts from the line of the previous one and falls back to
 * a binary search only when the offset is elsewhere.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** 0-based line of the previous lookup. */
  private cursor = 0;

  /**
   * @param columnShift characters added at the start of a line (tabs expanded to spaces) that must be
   * taken off again so columns point into the user's file.
   */
  constructor(
    readonly text: string,
    private readonly columnShift: ReadonlyMap<number, number> = new Map(),
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  at(offset: number): Located & { offset: number } {
    const clamped = this.clamp(offset);
    const line = this.line(clamped);
    return { offset: clamped, line, column: this.column(clamped, line) };
  }

  /** The offset moved into the text. */
  clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The 1-based line of a clamped offset. */
  line(offset: number): number {
    const starts = this.starts;
    let low = this.cursor;
    if ((starts[low] ?? 0) <= offset) {
      // Forward from the previous lookup: the same line or one of the next two, else search the rest.
      for (let step = 0; step < 3 && low + 1 < starts.length && (starts[low + 1] ?? 0) <= offset; step++)
        low++;
      if (low + 1 < starts.length && (starts[low + 1] ?? 0) <= offset) low = this.search(offset, low + 1);
    } else {
      low = this.search(offset, 0);
    }
    this.cursor = low;
    return low + 1;
  }

  /** The 1-based column of a clamped offset on its 1-based line. */
  column(offset: number, line: number): number {
    const shift = this.columnShift.size === 0 ? 0 : (this.columnShift.get(line) ?? 0);
    const column = offset - (this.starts[line - 1] ?? 0) + 1 - shift;
    return Math.max(1, column);
  }

  /** The last line at or after `from` (0-based) that starts at or before `offset`. */
  private search(offset: number, from: number): number {
    let low = from;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
