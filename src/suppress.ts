import type { FileKind } from './languages.js';
import type { Rule } from './rule.js';
import type { SourceFile } from './source.js';
import type { Diagnostic, Finding } from './types.js';

/**
 * Inline suppressions, in the file's own comment syntax:
 *   // tlslint-disable-next-line go/tls-insecure-skip-verify -- test server with a self-signed cert
 *   x := y // tlslint-disable-line
 * Without rule ids a comment silences every rule on its line. The text after `--` is the
 * justification (shown in SARIF).
 */
const DIRECTIVE = /tlslint-disable-(next-line|line)\b([^\n]*)/g;

export interface Suppression {
  /** 1-based line the directive applies to. */
  targetLine: number;
  /** 1-based line of the comment itself. */
  line: number;
  ruleIds: string[] | 'all';
  justification: string;
  used: boolean;
}

function commentStarts(kind: FileKind): string[] {
  const markers = [...kind.lineComments];
  if (kind.blockComment) markers.push(kind.blockComment[0]);
  if (kind.lineComments.includes('//')) markers.push('/*');
  return markers;
}

export function parseSuppressions(file: SourceFile, kind: FileKind): Suppression[] {
  const text = file.text;
  if (!text.includes('tlslint-disable')) return [];
  const markers = commentStarts(kind);
  const out: Suppression[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const line0 = file.lineOf(m.index);
    const before = text.slice(file.lineStarts[line0], m.index);
    if (!markers.some((marker) => before.includes(marker))) continue; // not in a comment
    let rest = m[2] ?? '';
    for (const end of ['*/', '-->']) {
      const i = rest.indexOf(end);
      if (i !== -1) rest = rest.slice(0, i);
    }
    const dash = rest.indexOf('--');
    const idsPart = dash === -1 ? rest : rest.slice(0, dash);
    const justification = dash === -1 ? '' : rest.slice(dash + 2).trim();
    const ids = idsPart
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({
      line: line0 + 1,
      targetLine: m[1] === 'next-line' ? line0 + 2 : line0 + 1,
      ruleIds: ids.length ? ids : 'all',
      justification,
      used: false,
    });
  }
  return out;
}

/** Marks suppressed findings; reports directives that silenced nothing. */
export function applySuppressions(
  file: SourceFile,
  kind: FileKind,
  findings: Finding[],
  enabledRules: Rule[],
): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const suppressions = parseSuppressions(file, kind);
  if (suppressions.length === 0) return { findings, diagnostics: [] };
  for (const finding of findings) {
    const s = suppressions.find(
      (sup) => sup.targetLine === finding.region.startLine && (sup.ruleIds === 'all' || sup.ruleIds.includes(finding.ruleId)),
    );
    if (s) {
      s.used = true;
      finding.suppression = { justification: s.justification };
    }
  }
  const enabled = new Set(enabledRules.map((r) => r.id));
  const diagnostics: Diagnostic[] = [];
  for (const s of suppressions) {
    if (s.used) continue;
    // a directive for rules that are switched off in this run is not "unused"
    if (s.ruleIds !== 'all' && s.ruleIds.every((id) => !enabled.has(id))) continue;
    diagnostics.push({
      code: 'unused-suppression',
      level: 'note',
      path: file.path,
      line: s.line,
      message: `unused suppression: no ${s.ruleIds === 'all' ? '' : s.ruleIds.join(', ') + ' '}finding on line ${s.targetLine}`,
    });
  }
  return { findings, diagnostics };
}
