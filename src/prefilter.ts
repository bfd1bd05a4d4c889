import type { FileKind } from './languages.js';
import { escapeRegExp } from './query-plan.js';
import type { Checker, Rule, Trigger } from './rule.js';

export interface ActiveChecker {
  rule: Rule;
  checker: Checker;
}

interface KindFilter {
  /** Distinct triggers of the kind: substrings as bytes, patterns as they are. */
  triggers: Array<Buffer | RegExp>;
  /** One alternation of all triggers, matched against the bytes read as latin1 (a byte per char). */
  gate?: RegExp;
  /**
   * For files the gate lets through: every position where a substring trigger starts, in one pass
   * (a lookahead over the substrings, longest first, so each position yields the longest one).
   */
  finder?: RegExp;
  /** Per substring found by `finder`: the triggers it shows present (itself and the triggers it begins with). */
  found: Map<string, number[]>;
  /** Triggers that are patterns, tested one by one. */
  patterns: number[];
  /** Per checker: indexes into `triggers`, and of the triggers one of which must also be present. */
  checkers: Array<ActiveChecker & { triggerIndexes: number[]; requireIndexes: number[] }>;
}

/**
 * Decides from a file's raw bytes which checkers could possibly match, so that most files are
 * never decoded or parsed. Triggers are plain substrings, or ASCII-only patterns where a substring
 * would keep too many files (`<TargetFramework>v4.0`, not every project file): one alternation of
 * a kind's triggers over the bytes (read as latin1, so no UTF-8 decoding) rejects most files; for
 * the rest one more pass finds every substring trigger present (and each pattern is tested) to
 * know which checkers to run. A file runs the
 * checkers of its kind and of the formats the kind is a special case of (a pom those of `xml`).
 */
export class Prefilter {
  /** Per file-kind id; null when no rule reads the kind. */
  private readonly kinds = new Map<string, KindFilter | null>();

  constructor(private readonly rules: readonly Rule[]) {}

  private filterFor(kind: FileKind): KindFilter | null {
    const cached = this.kinds.get(kind.id);
    if (cached !== undefined) return cached;
    const filter: KindFilter = { triggers: [], checkers: [], found: new Map(), patterns: [] };
    for (const rule of this.rules) {
      for (const [kindId, checker] of rule.checkers) {
        if (!kind.lineage.includes(kindId)) continue;
        const indexOf = (t: Trigger) => {
          const key = typeof t === 'string' ? Buffer.from(t, 'utf8') : t;
          let index = filter.triggers.findIndex((b) => (Buffer.isBuffer(b) && Buffer.isBuffer(key) ? b.equals(key) : !Buffer.isBuffer(b) && !Buffer.isBuffer(key) && b.source === key.source));
          if (index === -1) index = filter.triggers.push(key) - 1;
          return index;
        };
        const triggerIndexes = (checker.triggers ?? rule.triggers).map(indexOf);
        const requireIndexes = (checker.requires ?? rule.requires ?? []).map(indexOf);
        filter.checkers.push({ rule, checker, triggerIndexes, requireIndexes });
      }
    }
    const escape = (t: Buffer | RegExp) => (Buffer.isBuffer(t) ? escapeRegExp(t.toString('latin1')) : `(?:${t.source})`);
    // the gate is the triggers only: a `requires` entry alone never activates a checker, and the
    // common words it may hold (`HTTPS`, `TLS`) would let most files through to the per-trigger pass
    const gating = [...new Set(filter.checkers.flatMap((c) => c.triggerIndexes))].map((i) => filter.triggers[i]!);
    filter.gate = new RegExp(gating.map(escape).join('|'));
    const words: Array<[string, number]> = [];
    filter.triggers.forEach((t, i) => (Buffer.isBuffer(t) ? words.push([t.toString('latin1'), i]) : filter.patterns.push(i)));
    words.sort((a, b) => b[0].length - a[0].length);
    for (const [word] of words) filter.found.set(word, words.filter(([w]) => word.startsWith(w)).map(([, i]) => i));
    if (words.length) filter.finder = new RegExp(`(?=(${words.map(([w]) => escapeRegExp(w)).join('|')}))`, 'g');
    const result = filter.checkers.length ? filter : null;
    this.kinds.set(kind.id, result);
    return result;
  }

  activeCheckers(kind: FileKind, bytes: Buffer): ActiveChecker[] {
    const filter = this.filterFor(kind);
    if (!filter) return [];
    // most files match no trigger at all: one regular-expression pass over the bytes decides that;
    // only candidates pay for a second pass that finds every trigger present
    const text = bytes.toString('latin1');
    if (filter.gate && !filter.gate.test(text)) return [];
    const present = new Uint8Array(filter.triggers.length);
    if (filter.finder) for (const m of text.matchAll(filter.finder)) for (const i of filter.found.get(m[1]!)!) present[i] = 1;
    for (const i of filter.patterns) present[i] = (filter.triggers[i] as RegExp).test(text) ? 1 : 0;
    const out: ActiveChecker[] = [];
    for (const c of filter.checkers) {
      if (c.triggerIndexes.some((i) => present[i]) && (c.requireIndexes.length === 0 || c.requireIndexes.some((i) => present[i]))) out.push({ rule: c.rule, checker: c.checker });
    }
    return out;
  }
}
