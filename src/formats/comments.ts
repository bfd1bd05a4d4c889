/**
 * Comment detection for rules that read files as text (XML build files and configs, connection
 * strings and JVM flags in any format), shared so that every rule skips the same comments.
 */

/** Offsets of the `<!-- ... -->` comments of an XML text (an unclosed one runs to the end). */
export function xmlCommentRanges(text: string): Array<[number, number]> {
  return [...text.matchAll(/<!--[\s\S]*?(?:-->|$)/g)].map((m) => [m.index, m.index + m[0].length]);
}

/** True when `offset` lies inside one of `ranges` (sorted and disjoint, as xmlCommentRanges gives them): a binary search. */
export function inRanges(ranges: ReadonlyArray<[number, number]>, offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = ranges[mid]!;
    if (offset < s) hi = mid - 1;
    else if (offset >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

/** True when `offset` lies inside an XML comment (without computing every range). */
export function inXmlComment(text: string, offset: number): boolean {
  const open = text.lastIndexOf('<!--', offset);
  return open !== -1 && text.lastIndexOf('-->', offset) < open;
}

/**
 * True for a line that is a comment in the usual line-comment syntaxes of config files, scripts
 * and code: `#`, `//`, `/*`, `*`, `<!--`, `;`, `!`, `REM`, `::`. Not `--`: command lines continue
 * with `--flag` lines.
 */
export function isCommentLine(line: string): boolean {
  return /^\s*(?:#|\/\/|\*|\/\*|<!--|;|!|REM\b|::)/i.test(line);
}
