import type { AppspecProblem } from './types.js';

/** A problem before the file name is attached. */
export type LocatedProblem = Omit<AppspecProblem, 'file'>;

/** Anything that knows where it starts in the source (nodes, keys, marks). */
export interface Located {
  line: number;
  column: number;
}

/** Collects problems; rules call `error`/`warn` with the node the problem is about. */
export class ProblemSink {
  readonly problems: LocatedProblem[] = [];

  error(at: Located, path: string, code: string, message: string, hint: string): void {
    this.add('error', at, path, code, message, hint);
  }

  warn(at: Located, path: string, code: string, message: string, hint: string): void {
    this.add('warning', at, path, code, message, hint);
  }

  add(
    severity: LocatedProblem['severity'],
    at: Located,
    path: string,
    code: string,
    message: string,
    hint: string,
  ): void {
    this.problems.push({ severity, code, line: at.line, column: at.column, path, message, hint });
  }
}

/** Maps string offsets to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  /**
   * @param columnShift characters added at the start of a line (tabs expanded to spaces) that must be
   * taken off again so columns point into the user's file.
   */
  constructor(
    readonly text: string,
    private readonly columnShift: ReadonlyMap<number, number> = new Map(),
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  at(offset: number): Located & { offset: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    const column = clamped - (this.starts[low] ?? 0) + 1 - (this.columnShift.get(low + 1) ?? 0);
    return { offset: clamped, line: low + 1, column: Math.max(1, column) };
  }
}
