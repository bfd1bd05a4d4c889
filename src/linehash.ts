/**
 * GitHub code scanning's `primaryLocationLineHash`: the fingerprint GitHub's upload action adds to
 * SARIF results that lack one, so that an alert stays the same alert while code moves. We compute
 * it ourselves so that SARIF uploaded by other paths (the REST API from an audit, another CI's
 * uploader) carries the same value the action would have computed for the same file.
 *
 * The published algorithm: a rolling polynomial hash (base 37, signed 64-bit wrap-around) over a
 * window of the 100 characters that start at each line, where spaces and tabs are skipped, every
 * line ending (CR, LF, CRLF) counts as one LF, the end of the file adds the value 65535 and then
 * zeros fill the window. A line's value is the hash in hexadecimal (as an unsigned 64-bit number)
 * plus `:n`, where n counts how many earlier lines of the file had the same hash. Characters are
 * UTF-16 code units of the file read as UTF-8 (a byte-order mark counts as a character).
 */

const BLOCK = 100;
const BASE = 37;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const EOF = 65535;
const TWO32 = 2 ** 32;

/**
 * BASE^BLOCK, wrapped to 64 bits (what the character leaving the window weighs), as two unsigned
 * 32-bit halves: the hash is kept in two numbers, since 64-bit arithmetic with BigInt allocates on
 * every character and was most of the time of a large file's hashes.
 */
const [FIRST_HI, FIRST_LO] = (() => {
  let m = 1n;
  for (let i = 0; i < BLOCK; i++) m = BigInt.asUintN(64, m * BigInt(BASE));
  return [Number(m >> 32n), Number(m & 0xffffffffn)];
})();

/**
 * The `primaryLocationLineHash` of the given 1-based lines of `text` (all lines when `wanted` is
 * omitted). Stops reading as soon as every wanted line has its value.
 */
export function lineHashes(text: string, wanted?: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  const window = new Array<number>(BLOCK).fill(0);
  const lineAt = new Array<number>(BLOCK).fill(-1);
  // how many lines so far had each hash: keyed by the low half, then the high half (a string per
  // line would cost more than the hash itself; only wanted lines are spelled out)
  const counts = new Map<number, Map<number, number> | number>();
  // the hash modulo 2^64, as unsigned 32-bit halves
  let hi = 0;
  let lo = 0;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  let remaining = wanted ? wanted.size : Number.POSITIVE_INFINITY;

  const emit = () => {
    const n = countLine(counts, hi, lo);
    const at = lineAt[index]!;
    if (!wanted || wanted.has(at)) {
      out.set(at, `${hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0')}:${n}`);
      remaining--;
    }
    lineAt[index] = -1;
  };
  const update = (c: number) => {
    const leaving = window[index]!;
    window[index] = c;
    // hash = BASE * hash + c - FIRST * leaving (mod 2^64), by halves: every intermediate stays
    // under 2^53 in magnitude, and `>>> 0` takes a number modulo 2^32 exactly
    const l = lo * BASE + c - FIRST_LO * leaving;
    const low = l >>> 0;
    hi = (hi * BASE + (l - low) / TWO32 - FIRST_HI * leaving) >>> 0;
    lo = low;
    index = index === BLOCK - 1 ? 0 : index + 1;
  };
  const feed = (c: number) => {
    if (c === SPACE || c === TAB || (prevCR && c === LF)) {
      prevCR = false;
      return;
    }
    if (c === CR) {
      c = LF;
      prevCR = true;
    } else {
      prevCR = false;
    }
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      line++;
      lineAt[index] = line;
    }
    if (c === LF) lineStart = true;
    update(c);
  };

  for (let i = 0; i < text.length && remaining > 0; i++) feed(text.charCodeAt(i));
  if (remaining > 0) {
    feed(EOF);
    for (let i = 0; i < BLOCK; i++) {
      if (lineAt[index] !== -1) emit();
      update(0);
    }
  }
  return out;
}

/**
 * Counts one more line with the hash (hi, lo) and returns how many there have been. Most hashes
 * occur once: the high half of the first is kept as a number (stored as -1 - hi, so it cannot be
 * mistaken for a count map), a map of high halves only once a second high half shares the low one.
 */
export function countLine(counts: Map<number, Map<number, number> | number>, hi: number, lo: number): number {
  const known = counts.get(lo);
  if (known === undefined) {
    counts.set(lo, -1 - hi);
    return 1;
  }
  if (typeof known === 'number') {
    const firstHi = -1 - known;
    const byHi = new Map<number, number>([[firstHi, 1]]);
    counts.set(lo, byHi);
    const n = (byHi.get(hi) ?? 0) + 1;
    byHi.set(hi, n);
    return n;
  }
  const n = (known.get(hi) ?? 0) + 1;
  known.set(hi, n);
  return n;
}

/** Sets `lineHash` on findings of one file, from the file's text as GitHub reads it (a BOM included). */
export function assignLineHashes(findings: Array<{ region: { startLine: number }; lineHash?: string }>, text: string): void {
  if (findings.length === 0) return;
  const hashes = lineHashes(text, new Set(findings.map((f) => f.region.startLine)));
  for (const f of findings) {
    const h = hashes.get(f.region.startLine);
    if (h) f.lineHash = h;
  }
}
