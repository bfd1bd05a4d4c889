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
 *   Their matches can only lie around an occurrence of one of those words in the text: each
 *   occurrence is mapped to the syntax node there, climbed up to the height of the pattern's root
 *   above that capture, and only that subtree is queried.
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
  /** Per anchor word: levels from the anchored capture up to its pattern's root, and whether the capture's text is the word itself. */
  words: Map<string, { height: number; exact: boolean }>;
}

type QueryCtor = new (language: Parser.Language, source: string) => Parser.Query;
type Predicate = Array<number | string>;

/** Predicate step kinds of `Query._getPredicates()`: [kind, value, kind, value, ...]. */
const STRING = 2;
const CAPTURE = 1;
/** More literal words than this from one regular expression: treat the pattern as open. */
const MAX_WORDS = 64;
/** A capture that only contains its word (`#match? @callee "SSLContext$"`) found inside a node longer than this: query around the word instead of above it. */
const LOOSE_NODE_LIMIT = 512;

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
  const words = new Map<string, { height: number; exact: boolean }>();
  for (const a of anchors) {
    if (!a) continue;
    for (const w of a.words) {
      const known = words.get(w);
      words.set(w, { height: Math.max(known?.height ?? 0, a.height), exact: (known?.exact ?? true) && a.exact });
    }
  }
  const alternatives = [...words.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { open, anchored, ...(patternOf ? { patternOf } : {}), scan: new RegExp(`(?=(${alternatives.join('|')}))`, 'g'), words };
}

/** The matches of the plan's patterns in one file, in document order. */
export function runQuery(plan: QueryPlan, root: SyntaxNode, text: string, limits: Parser.QueryOptions = {}): Parser.QueryMatch[] {
  const out = plan.open ? plan.open.matches(root, limits) : [];
  if (!plan.anchored || !plan.scan) return out;
  const subtrees = new Map<number, SyntaxNode>();
  const ranges: Array<[number, number]> = [];
  for (const m of text.matchAll(plan.scan)) {
    const word = m[1]!;
    const start = m.index;
    const end = start + word.length;
    const { height, exact } = plan.words.get(word)!;
    let node = root.descendantForIndex(start, end);
    if (exact) {
      // the capture's text is the word: the node there must span exactly it (not a longer
      // identifier, a string or a comment that contains it)
      if (node.startIndex !== start || node.endIndex !== end) continue;
    } else if (node.endIndex - node.startIndex > LOOSE_NODE_LIMIT) {
      // a long node contains the word (a docstring, a comment, a long chained call): climbing from
      // it would query a large subtree, so ask for the matches that touch the word itself
      ranges.push([start, end]);
      continue;
    }
    // the capture may be any of the nodes that span the same text (`(literal_element (identifier))`)
    while (node.parent && node.parent.startIndex === node.startIndex && node.parent.endIndex === node.endIndex) node = node.parent;
    // a loose capture may be the word's parent (`a.b.SSLContext` around `SSLContext`): one more level
    for (let h = exact ? height : height + 1; h > 0 && node.parent; h--) node = node.parent;
    subtrees.set(node.id, node);
  }
  if (subtrees.size === 0 && ranges.length === 0) return out;
  const seen = new Set<string>();
  const patternOf = plan.patternOf;
  const add = (matches: Parser.QueryMatch[]) => {
    for (const m of matches) {
      if (patternOf) m.pattern = patternOf[m.pattern]!;
      const key = `${m.pattern}:${m.captures.map((c) => c.node.id).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m);
    }
  };
  // outermost subtrees only: a subtree inside another one is queried with it
  let coveredTo = -1;
  for (const node of [...subtrees.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex)) {
    if (node.endIndex <= coveredTo) continue;
    coveredTo = node.endIndex;
    add(plan.anchored.matches(node, limits));
  }
  // tree-sitter's ranges count bytes of the UTF-16 text it parsed: two per code unit
  for (const [start, end] of ranges) add(plan.anchored.matches(root, { ...limits, startIndex: 2 * start, endIndex: 2 * end }));
  return out.sort(byPosition);
}

function byPosition(a: Parser.QueryMatch, b: Parser.QueryMatch): number {
  return firstStart(a) - firstStart(b) || a.pattern - b.pattern;
}

function firstStart(m: Parser.QueryMatch): number {
  let start = Infinity;
  for (const c of m.captures) if (c.node.startIndex < start) start = c.node.startIndex;
  return start;
}

/**
 * The literal words one of a pattern's predicates pins a capture to, the capture's depth below
 * the pattern's root, and whether the capture's whole text is the word.
 */
function anchorOf(predicates: Predicate[], patternText: string): { words: string[]; height: number; exact: boolean } | undefined {
  let best: { words: string[]; height: number; exact: boolean } | undefined;
  let depths: Map<string, number> | undefined;
  for (const p of predicates) {
    if (p[2] !== CAPTURE) continue;
    const operator = p[1];
    const capture = String(p[3]);
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
    depths ??= captureDepths(patternText);
    const height = depths.get(capture);
    if (height === undefined) continue;
    best = { ...found, height };
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

/**
 * Depth of each capture below its pattern's root, in tree levels: the number of node
 * parentheses around the captured node (groupings, alternations, fields and predicates add none).
 * A capture named twice gets its deepest place.
 */
export function captureDepths(pattern: string): Map<string, number> {
  const depths = new Map<string, number>();
  const open: Array<'node' | 'group'> = [];
  const nodeDepth = () => open.reduce((n, k) => n + (k === 'node' ? 1 : 0), 0);
  let last = 0;
  let i = 0;
  const skipString = () => {
    for (i++; i < pattern.length && pattern[i] !== '"'; i++) if (pattern[i] === '\\') i++;
    i++;
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === ';') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (c === '"') {
      skipString();
      last = nodeDepth();
    } else if (c === '(') {
      let j = i + 1;
      while (/\s/.test(pattern[j] ?? '')) j++;
      if (pattern[j] === '#') {
        // a predicate: skip to its closing parenthesis
        let depth = 0;
        for (; i < pattern.length; i++) {
          if (pattern[i] === '"') {
            skipString();
            i--;
          } else if (pattern[i] === '(') depth++;
          else if (pattern[i] === ')' && --depth === 0) break;
        }
        i++;
      } else {
        open.push(pattern[j] === '(' || pattern[j] === '[' || pattern[j] === '"' ? 'group' : 'node');
        i++;
      }
    } else if (c === '[') {
      open.push('group');
      i++;
    } else if (c === ')' || c === ']') {
      open.pop();
      last = nodeDepth();
      i++;
    } else if (c === '@') {
      let j = i + 1;
      while (j < pattern.length && /[\w.-]/.test(pattern[j]!)) j++;
      const name = pattern.slice(i + 1, j);
      depths.set(name, Math.max(depths.get(name) ?? 0, last));
      i = j;
    } else if (c === '_' && !/\w/.test(pattern[i - 1] ?? '') && !/\w/.test(pattern[i + 1] ?? '')) {
      last = nodeDepth();
      i++;
    } else {
      i++;
    }
  }
  return depths;
}

/** A literal string as a regular expression source. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
