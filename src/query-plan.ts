import type Parser from 'tree-sitter';
import type { SyntaxNode } from './rule.js';

/**
 * How a combined query runs over one file. The node binding of tree-sitter evaluates text
 * predicates (`#eq?`, `#any-of?`, `#match?`) in JavaScript, after it has turned every candidate
 * match into JS objects: a pattern such as `((identifier) @ref (#eq? @ref "X"))` marshals every
 * identifier of the file to keep one. Most patterns of the rules name the word they look for, so
 * the plan splits them:
 *
 * - **anchored** patterns have a predicate that pins one capture to a set of literal words (an
 *   `#eq?`/`#any-of?` list, or a `#match?` regular expression that spells out its alternatives).
 *   Their matches can only meet an occurrence of one of those words in the text: the query runs
 *   once per occurrence, limited to the word's range, and tree-sitter's cursor skips every
 *   subtree that does not reach it.
 * - **open** patterns (no such predicate) run over the whole tree as before.
 *
 * The result is the same set of matches as one whole-tree query, in document order.
 */
export interface QueryPlan {
  /** Patterns without a literal anchor (others disabled); undefined when there are none. */
  open?: Parser.Query;
  /** Patterns with a literal anchor; undefined when there are none. */
  anchored?: Parser.Query;
  /** When `anchored` holds only some of the patterns: the number in the whole query of each of its patterns. */
  patternOf?: number[];
  /** Finds every occurrence of every anchor word (a lookahead, so overlapping ones too), longest first. */
  scan?: RegExp;
  /** Per anchor word: whether the capture's text is the word itself (so a node must span exactly the occurrence). */
  words: Map<string, { exact: boolean }>;
}

type QueryCtor = new (language: Parser.Language, source: string) => Parser.Query;
type Predicate = Array<number | string>;

/** Predicate step kinds of `Query._getPredicates()`: [kind, value, kind, value, ...]. */
const STRING = 2;
const CAPTURE = 1;
/** More literal words than this from one regular expression: treat the pattern as open. */
const MAX_WORDS = 64;

export function planQuery(Query: QueryCtor, language: Parser.Language, source: string): QueryPlan {
  const probe = new Query(language, source);
  const describe = (probe as unknown as { _getPredicates?: () => Predicate[][] })._getPredicates;
  const predicates = typeof describe === 'function' ? describe.call(probe) : undefined;
  if (!predicates) return { open: probe, words: new Map() };
  const bytes = Buffer.from(source, 'utf8');
  const count = predicates.length;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) texts.push(bytes.subarray(probe.startIndexForPattern(i), i + 1 < count ? probe.startIndexForPattern(i + 1) : bytes.length).toString('utf8'));
  const anchors = texts.map((text, i) => (probe.isPatternNonLocal(i) ? undefined : anchorOf(predicates[i]!, text)));
  const anchoredCount = anchors.filter(Boolean).length;
  if (anchoredCount === 0) return { open: probe, words: new Map() };
  // compiling a query is costly (tens of milliseconds for a rule's patterns): when every pattern is
  // anchored the probe serves; otherwise the anchored patterns are compiled on their own, and their
  // matches carry the pattern numbers of the whole query
  let anchored = probe;
  let open: Parser.Query | undefined;
  let patternOf: number[] | undefined;
  if (anchoredCount < count) {
    patternOf = anchors.flatMap((a, i) => (a ? [i] : []));
    anchored = new Query(language, patternOf.map((i) => texts[i]).join('\n'));
    open = probe;
    anchors.forEach((a, i) => a && probe.disablePattern(i));
  }
  const words = new Map<string, { exact: boolean }>();
  for (const a of anchors) {
    if (!a) continue;
    for (const w of a.words) words.set(w, { exact: (words.get(w)?.exact ?? true) && a.exact });
  }
  const alternatives = [...words.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { open, anchored, ...(patternOf ? { patternOf } : {}), scan: new RegExp(`(?=(${alternatives.join('|')}))`, 'g'), words };
}

/** The matches of the plan's patterns in one file, in document order. */
export function runQuery(plan: QueryPlan, root: SyntaxNode, text: string, limits: Parser.QueryOptions = {}): Parser.QueryMatch[] {
  const out = plan.open ? plan.open.matches(root, limits) : [];
  if (!plan.anchored || !plan.scan) return out;
  const seen = new Set<string>();
  const patternOf = plan.patternOf;
  const before = out.length;
  for (const m of text.matchAll(plan.scan)) {
    const word = m[1]!;
    const start = m.index;
    const end = start + word.length;
    if (plan.words.get(word)!.exact && !spansExactly(root, start, end)) continue;
    // the matches that meet the word: tree-sitter's cursor skips every subtree outside the range.
    // The binding counts in bytes of the UTF-16 text it parsed, and doubles `endIndex` itself
    // (not `startIndex`): node-tree-sitter 0.25's query.cc
    for (const match of plan.anchored.matches(root, { ...limits, startIndex: 2 * start, endIndex: end })) {
      if (patternOf) match.pattern = patternOf[match.pattern]!;
      const key = `${match.pattern}:${match.captures.map((c) => c.node.id).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(match);
    }
  }
  return out.length === before ? out : out.sort(byPosition);
}

/** True when a node of the tree spans exactly [start, end) (the capture of an exact anchor is the word itself, not a longer name, a string or a comment). */
function spansExactly(root: SyntaxNode, start: number, end: number): boolean {
  const node = root.descendantForIndex(start, end);
  return node.startIndex === start && node.endIndex === end;
}

function byPosition(a: Parser.QueryMatch, b: Parser.QueryMatch): number {
  return firstStart(a) - firstStart(b) || a.pattern - b.pattern;
}

function firstStart(m: Parser.QueryMatch): number {
  let start = Infinity;
  for (const c of m.captures) if (c.node.startIndex < start) start = c.node.startIndex;
  return start;
}

/** The literal words one of a pattern's predicates pins a capture to, and whether the capture's whole text is the word. */
function anchorOf(predicates: Predicate[], patternText: string): { words: string[]; exact: boolean } | undefined {
  let best: { words: string[]; exact: boolean } | undefined;
  for (const p of predicates) {
    if (p[2] !== CAPTURE) continue;
    const operator = p[1];
    let found: { words: string[]; exact: boolean } | undefined;
    if (operator === 'any-of?' && p.length >= 6 && p.slice(4).every((v, k) => k % 2 === 1 || v === STRING)) {
      found = { words: p.slice(4).filter((_, k) => k % 2 === 1).map(String), exact: true };
    } else if (operator === 'eq?' && p[4] === STRING && !quantified(patternText)) {
      // `#eq?` holds for a capture that is absent, so only where every capture is present
      found = { words: [String(p[5])], exact: true };
    } else if (operator === 'match?' && p[4] === STRING) {
      found = regexWords(String(p[5]));
    }
    if (!found || found.words.some((w) => w.length === 0)) continue;
    // prefer exact anchors, then the rarer (longer) words
    const shortest = Math.min(...found.words.map((w) => w.length));
    if (best && (best.exact && !found.exact || (best.exact === found.exact && Math.min(...best.words.map((w) => w.length)) >= shortest))) continue;
    best = found;
  }
  return best;
}

/** True when the pattern has a quantified node or group (`(x)?`, `[...]*`), outside strings and predicates. */
function quantified(patternText: string): boolean {
  const bare = patternText.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\(#[^()]*\)/g, '');
  return /[)\]_]\s*[?*]/.test(bare);
}

/**
 * Words a `#match?` expression can match, when it spells them out: literals, groups of
 * alternatives, optional groups (`^(?:Begin)?Authenticate(?:Async)?$`). `exact` when the
 * expression is anchored at both ends (the capture's text is one of the words); otherwise the
 * capture contains one of them.
 */
function regexWords(source: string): { words: string[]; exact: boolean } | undefined {
  const exact = source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$');
  let body = source;
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  // an inner anchor (`(^|\.)Context$`) is a context, not a word: drop the alternative that holds it
  body = body.replace(/^\((?:\?:)?\^\|\\\.\)/, '').replace(/^\((?:\?:)?\\\.\|\^\)/, '');
  const words = expand(body, { at: 0 });
  if (!words || words.length > MAX_WORDS) return undefined;
  return { words: [...new Set(words)], exact: exact && body.length === source.length - 2 };
}

/** The strings a small regular expression (literals, escapes, groups with `|`, `?`) can match; undefined for anything else. */
function expand(source: string, pos: { at: number }, inGroup = false): string[] | undefined {
  let alternatives: string[] = [];
  let current: string[] = [''];
  const append = (options: string[]) => {
    const next: string[] = [];
    for (const a of current) for (const o of options) next.push(a + o);
    if (next.length > MAX_WORDS) return false;
    current = next;
    return true;
  };
  while (pos.at < source.length) {
    const c = source[pos.at]!;
    if (c === ')') {
      if (!inGroup) return undefined;
      break;
    }
    if (c === '|') {
      alternatives.push(...current);
      current = [''];
      pos.at++;
      continue;
    }
    let options: string[];
    if (c === '(') {
      pos.at += source.startsWith('(?:', pos.at) ? 3 : 1;
      const inner = expand(source, pos, true);
      if (!inner || source[pos.at] !== ')') return undefined;
      pos.at++;
      options = inner;
    } else if (c === '\\') {
      const next = source[pos.at + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \w, \b...
      options = [next];
      pos.at += 2;
    } else if ('.*+[]{}^$'.includes(c) || c === '?') {
      return undefined;
    } else {
      options = [c];
      pos.at++;
    }
    if (source[pos.at] === '?') {
      options = [...options, ''];
      pos.at++;
    }
    if (source[pos.at] === '*' || source[pos.at] === '+' || source[pos.at] === '{') return undefined;
    if (!append(options)) return undefined;
  }
  alternatives.push(...current);
  if (alternatives.length > MAX_WORDS) return undefined;
  return alternatives;
}

/** A literal string as a regular expression source. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
