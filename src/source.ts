import type { Region } from './types.js';

/**
 * A copy of `s` that does not keep alive the text it was cut from. V8 represents a substring (a
 * regex group, `slice`, a template that concatenates them) as a view of the whole original, so a
 * name kept past its file's life (a cache of declared names, a finding's message) would otherwise
 * keep the whole file text in memory; concatenating and slicing flattens it into its own string.
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}

/** One decoded file as rules see it: its text and position helpers. Knows nothing of the disk. */
export class SourceFile {
  private starts: number[] | undefined;

  constructor(
    /** Absolute path (used for project context and reports). */
    readonly path: string,
    readonly text: string,
    /** The file-kind id from the language table (`go`, `gomod`, `dockerfile`...). */
    readonly kind: string,
  ) {}

  /** Offsets at which each line starts. */
  get lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Text of a 0-based line without its line terminator. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line] ?? this.text.length;
    let end = line + 1 < starts.length ? starts[line + 1]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, Math.max(start, end));
  }

  /** The region of [start, end) with 1-based lines and columns. */
  region(start: number, end: number): Region {
    const startLine = this.lineOf(start);
    const endLine = end > start ? this.lineOf(end) : startLine;
    return {
      startLine: startLine + 1,
      startColumn: start - this.lineStarts[startLine]! + 1,
      endLine: endLine + 1,
      endColumn: end - this.lineStarts[endLine]! + 1,
      startOffset: start,
      endOffset: end,
    };
  }
}
