import type { FileKind } from './languages.js';
import type { Checker, Rule } from './rule.js';

export interface ActiveChecker {
  rule: Rule;
  checker: Checker;
}

interface KindFilter {
  /** Distinct trigger strings of the kind, as bytes. */
  triggers: Buffer[];
  /** One alternation of all triggers, matched against the bytes read as latin1 (a byte per char). */
  gate?: RegExp;
  /** Per checker: indexes into `triggers`. */
  checkers: Array<ActiveChecker & { triggerIndexes: number[] }>;
}

/**
 * Decides from a file's raw bytes which checkers could possibly match, so that most files are
 * never decoded or parsed. Triggers are plain substrings: one alternation of a kind's triggers
 * over the bytes (read as latin1, so no UTF-8 decoding) rejects most files; for the rest each
 * distinct trigger is looked up with Buffer.indexOf to know which checkers to run. A file runs the
 * checkers of its kind and of the formats the kind is a special case of (a pom those of `xml`).
 */
export class Prefilter {
  /** Per file-kind id; null when no rule reads the kind. */
  private readonly kinds = new Map<string, KindFilter | null>();

  constructor(private readonly rules: readonly Rule[]) {}

  private filterFor(kind: FileKind): KindFilter | null {
    const cached = this.kinds.get(kind.id);
    if (cached !== undefined) return cached;
    const filter: KindFilter = { triggers: [], checkers: [] };
    for (const rule of this.rules) {
      for (const [kindId, checker] of rule.checkers) {
        if (!kind.lineage.includes(kindId)) continue;
        const triggerIndexes = (checker.triggers ?? rule.triggers).map((t) => {
          const bytes = Buffer.from(t, 'utf8');
          let index = filter.triggers.findIndex((b) => b.equals(bytes));
          if (index === -1) index = filter.triggers.push(bytes) - 1;
          return index;
        });
        filter.checkers.push({ rule, checker, triggerIndexes });
      }
    }
    const escape = (t: Buffer) => t.toString('latin1').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    filter.gate = new RegExp(filter.triggers.map(escape).join('|'));
    const result = filter.checkers.length ? filter : null;
    this.kinds.set(kind.id, result);
    return result;
  }

  activeCheckers(kind: FileKind, bytes: Buffer): ActiveChecker[] {
    const filter = this.filterFor(kind);
    if (!filter) return [];
    // most files match no trigger at all: one regular-expression pass over the bytes decides that
    // (several times faster than one indexOf per trigger); only candidates pay for the per-trigger pass
    if (filter.gate && !filter.gate.test(bytes.toString('latin1'))) return [];
    const present: boolean[] = filter.triggers.map((t) => bytes.indexOf(t) !== -1);
    const out: ActiveChecker[] = [];
    for (const c of filter.checkers) {
      if (c.triggerIndexes.some((i) => present[i])) out.push({ rule: c.rule, checker: c.checker });
    }
    return out;
  }
}
