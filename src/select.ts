import type { Config } from './config.js';
import { fileKindById } from './languages.js';
import type { Rule } from './rule.js';
import type { Severity } from './types.js';

export class SelectionError extends Error {}

/**
 * True when `pattern` names the rule: its id, its pack (`dotnet`, `go/`), or a language kind whose
 * pack it is (`csharp` names the .NET pack, `typescript` the JavaScript one).
 */
function names(pattern: string, rule: Rule): boolean {
  const p = pattern.replace(/\/$/, '');
  return rule.id === p || rule.pack === p || rule.pack === fileKindById(p)?.pack;
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function check(patterns: string[], rules: readonly Rule[], where: string): void {
  for (const p of patterns) {
    if (!rules.some((r) => names(p, r))) {
      const close = rules
        .map((r) => ({ id: r.id, d: distance(p, r.id) }))
        .filter((c) => c.d <= Math.max(3, Math.floor(p.length / 4)))
        .sort((a, b) => a.d - b.d)
        .map((c) => c.id);
      throw new SelectionError(`${where}: unknown rule "${p}"${close.length ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : ''}; see --list-rules`);
    }
  }
}

/**
 * The rules of this run and their severities: config switches first, then --rule (only these)
 * and --disable-rule. Patterns are rule ids or pack names.
 */
export function selectRules(
  all: readonly Rule[],
  config: Config,
  only: string[],
  disabled: string[],
): { rules: Rule[]; severities: Record<string, Severity> } {
  check(Object.keys(config.rules), all, 'config "rules"');
  check(only, all, '--rule');
  check(disabled, all, '--disable-rule');
  const severities: Record<string, Severity> = {};
  const enabled = new Set(all.map((r) => r.id));
  // less specific patterns first, so `"go": "off", "go/x": "on"` enables just go/x
  const entries = Object.entries(config.rules).sort(([a], [b]) => a.length - b.length);
  for (const [pattern, value] of entries) {
    for (const rule of all.filter((r) => names(pattern, r))) {
      if (value === 'off') enabled.delete(rule.id);
      else {
        enabled.add(rule.id);
        if (value !== 'on') severities[rule.id] = value;
      }
    }
  }
  let rules = all.filter((r) => enabled.has(r.id));
  if (only.length) rules = all.filter((r) => only.some((p) => names(p, r)));
  rules = rules.filter((r) => !disabled.some((p) => names(p, r)));
  return { rules, severities };
}
