/**
 * A bound on bracket nesting before a file is parsed. TypeScript's parser (and any code that
 * walks a tree recursively) overflows the stack on a few thousand nested brackets, and a very deep
 * tree makes text-reading helpers quadratic. Rather than lose the whole file, the code inside
 * brackets nested deeper than the limit is blanked (replaced by spaces; line breaks stay), so the
 * rest of the file parses and is checked at the same offsets and lines.
 *
 * The scan is lexical and approximate on purpose, one pass in linear time: it skips the comments
 * of the kind (its line comment markers; `/* *\/` where `//` is one; `<!-- -->` for XML) and quoted
 * strings (`"`, `'`, and `` ` ``, which may span lines; Python's triple quotes), so brackets in
 * strings and comments do not count. A single- or double-quoted string ends at the end of its line,
 * so a stray apostrophe cannot hide the rest of the file.
 */
import type { FileKind } from './languages.js';

/** LF, CR and the Unicode line and paragraph separators end a line (a comment) for the parsers too. */
function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** The offset of the line break that ends the line at `i` (the text's length when none). */
function lineEnd(text: string, i: number): number {
  for (let j = i; j < text.length; j++) if (isLineBreak(text.charCodeAt(j))) return j;
  return text.length;
}

/** What the bracket scan needs to know of a kind's syntax, worked out once per kind. */
interface ScanSyntax {
  lineMarkers: string[];
  markerStarts: Set<number>;
  cStyle: boolean;
  xml: boolean;
  triple: boolean;
  /**
   * Per ASCII character, 1 when the scan does nothing with it but note that the line has started
   * (no bracket, quote, line break or start of a comment of the kind).
   */
  plain: Uint8Array;
  /** A comment marker starts with a non-ASCII character: then every non-ASCII character is looked at. */
  wideMarkers: boolean;
}

const syntaxByKind = new WeakMap<FileKind, ScanSyntax>();

function scanSyntax(kind: FileKind): ScanSyntax {
  let syntax = syntaxByKind.get(kind);
  if (!syntax) {
    const lineMarkers = kind.lineComments.filter((m) => m.length > 0);
    const markerStarts = new Set(lineMarkers.map((m) => m.charCodeAt(0)));
    const cStyle = lineMarkers.includes('//');
    const xml = kind.blockComment?.[0] === '<!--';
    const plain = new Uint8Array(128).fill(1);
    for (const ch of '()[]{}"\'`\n\r') plain[ch.charCodeAt(0)] = 0;
    for (const m of markerStarts) if (m < 128) plain[m] = 0;
    if (cStyle) plain[0x2f] = 0;
    if (xml) plain[0x3c] = 0;
    syntax = {
      lineMarkers,
      markerStarts,
      cStyle,
      xml,
      triple: kind.parser.type === 'tree-sitter' && kind.parser.name === 'python',
      plain,
      wideMarkers: [...markerStarts].some((m) => m >= 128),
    };
    syntaxByKind.set(kind, syntax);
  }
  return syntax;
}

/** Brackets nested deeper than this are not parsed (real code stays far below it). */
export const MAX_NESTING = 256;

export interface LimitedText {
  /** The text with every region nested deeper than the limit blanked (same length). */
  text: string;
  /** 1-based line where the first blanked region starts. */
  line: number;
  /** How many regions were blanked. */
  regions: number;
}

/**
 * The text with code nested deeper than `limit` brackets blanked, or undefined when nothing is
 * nested that deep (the common case: the text is then used as it is).
 */
export function limitNesting(text: string, kind: FileKind, limit = MAX_NESTING): LimitedText | undefined {
  const { lineMarkers, markerStarts, cStyle, xml, triple, plain, wideMarkers } = scanSyntax(kind);
  const n = text.length;
  // regions [start, end) to blank: from the bracket that went past the limit to its matching close
  const regions: Array<[number, number]> = [];
  let depth = 0;
  let deepStart = -1;
  let i = 0;
  let lineStart = true; // only blanks since the last line break (for markers such as `!` and `REM`)
  while (i < n) {
    const c = text.charCodeAt(i);
    // most characters open nothing: only the line-start state changes
    if (c < 128 ? plain[c] === 1 : !wideMarkers && c !== 0x2028 && c !== 0x2029) {
      if (c !== 0x20 && c !== 0x09) lineStart = false;
      i++;
      continue;
    }
    // comments
    if (cStyle && c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (xml && c === 0x3c /* < */ && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (markerStarts.has(c) && lineMarkers.some((m) => text.startsWith(m, i) && (m === '#' || m === '//' || lineStart))) {
      i = lineEnd(text, i);
      continue;
    }
    // strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */ || c === 0x60 /* ` */) {
      const q = text[i]!;
      if (triple && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
        const end = text.indexOf(q + q + q, i + 3);
        i = end === -1 ? n : end + 3;
        continue;
      }
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          i += 2;
          continue;
        }
        if (d === c) {
          i++;
          break;
        }
        if (isLineBreak(d) && c !== 0x60) break; // an unclosed quote ends with its line
        i++;
      }
      lineStart = false;
      continue;
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b /* ( [ { */) {
      depth++;
      if (depth === limit + 1) deepStart = i;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d /* ) ] } */) {
      if (depth === limit + 1 && deepStart !== -1) {
        regions.push([deepStart, i + 1]);
        deepStart = -1;
      }
      if (depth > 0) depth--;
    }
    if (isLineBreak(c)) lineStart = true;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) lineStart = false;
    i++;
  }
  if (deepStart !== -1) regions.push([deepStart, n]); // never closed: blank to the end
  return blankRegions(text, regions);
}

/** Nesting levels of YAML blocks past which lines are blanked (the YAML scanner's state overflows at about 253 and aborts the process). */
export const MAX_YAML_DEPTH = 200;
/** Ruby heredoc identifiers longer than this are blanked (the Ruby scanner aborts the process at 256). */
export const MAX_HEREDOC_ID = 200;

/**
 * Inputs that make a grammar's external scanner abort the whole process (an assertion in native
 * code, which no worker can contain), made harmless at the same offsets: YAML lines nested past
 * MAX_YAML_DEPTH levels (a bound on the depth: the indentation plus the block indicators `- `,
 * `? `, `: ` on the line), and Ruby heredocs with identifiers past MAX_HEREDOC_ID characters.
 * Returns undefined when the text has none (the common case).
 */
export function limitScannerState(text: string, kind: FileKind): LimitedText | undefined {
  if (kind.parser.type !== 'tree-sitter') return undefined;
  const regions: Array<[number, number]> = [];
  if (kind.parser.name === 'yaml') {
    // cheap test first: no line can be that deep without that many blanks or indicators
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      if (end - start >= MAX_YAML_DEPTH) {
        let depth = 0;
        for (let i = start; i < end && depth < MAX_YAML_DEPTH; i++) {
          const c = text.charCodeAt(i);
          if (c === 0x20 || c === 0x09) {
            if (i === start || depth === i - start) depth++; // leading blanks: columns
          } else if ((c === 0x2d || c === 0x3f || c === 0x3a) && (i + 1 === end || text.charCodeAt(i + 1) === 0x20)) {
            depth += 2; // `- `, `? `, `: ` open a block a column or two deeper
          }
        }
        if (depth >= MAX_YAML_DEPTH) regions.push([start, end]);
      }
      start = end + 1;
    }
  } else if (kind.parser.name === 'ruby' && text.includes('<<')) {
    const id = `[^\\s"'\`]{${MAX_HEREDOC_ID},}`;
    for (const m of text.matchAll(new RegExp(`<<[~-]?(?:"[^"\\n]{${MAX_HEREDOC_ID},}"|'[^'\\n]{${MAX_HEREDOC_ID},}'|\`[^\`\\n]{${MAX_HEREDOC_ID},}\`|${id})`, 'g'))) {
      regions.push([m.index, m.index + m[0].length]);
    }
  }
  return blankRegions(text, regions);
}

/**
 * The text with each region (sorted, not overlapping) blanked to spaces, line breaks kept so every
 * offset and line stays where it was; the 1-based line of the first region; how many there were.
 */
function blankRegions(text: string, regions: Array<[number, number]>): { text: string; line: number; regions: number } | undefined {
  if (regions.length === 0) return undefined;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of regions) {
    parts.push(text.slice(at, start), text.slice(start, end).replace(/[^\r\n]/g, ' '));
    at = end;
  }
  parts.push(text.slice(at));
  const first = regions[0]![0];
  let line = 1;
  for (let j = text.indexOf('\n'); j !== -1 && j < first; j = text.indexOf('\n', j + 1)) line++;
  return { text: parts.join(''), line, regions: regions.length };
}
