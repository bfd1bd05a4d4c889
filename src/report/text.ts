import { styleText } from 'node:util';
import type { Severity } from '../types.js';
import { plural, relativePath, type ReportInput } from './common.js';

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', note: 'cyan' };

/** For people: `path:line:col severity rule message`, the source line with carets, a summary. */
export function formatText(input: ReportInput, color: boolean): string {
  const paint = (style: Style, text: string) => (color ? styleText(style, text) : text);
  const lines: string[] = [];
  const findings = [...input.findings].sort(
    (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.region.startOffset - b.region.startOffset,
  );
  for (const f of findings) {
    const where = `${relativePath(input.cwd, f.path)}:${f.region.startLine}:${f.region.startColumn}`;
    const suppressed = f.suppression ? paint('dim', ' (suppressed)') : '';
    lines.push(`${paint('bold', where)}: ${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint('dim', f.ruleId)}${suppressed}`);
    lines.push(`  ${f.message}`);
    const gutter = String(f.region.startLine);
    const source = f.lineText.replace(/\t/g, ' ');
    if (source.length <= 300) {
      const width = f.region.endLine === f.region.startLine ? Math.max(1, f.region.endColumn - f.region.startColumn) : Math.max(1, source.length - f.region.startColumn + 1);
      lines.push(`  ${paint('dim', gutter + ' |')} ${source}`);
      lines.push(`  ${' '.repeat(gutter.length)} ${paint('dim', '|')} ${' '.repeat(f.region.startColumn - 1)}${paint(SEVERITY_STYLE[f.severity], '^'.repeat(width))}`);
    }
    for (const r of f.related ?? []) lines.push(`  ${paint('dim', `${relativePath(input.cwd, r.path)}:${r.region.startLine}:${r.region.startColumn}`)}: ${r.message}`);
    if (f.fix) lines.push(`  ${paint('green', 'fix available')}: ${f.fix.description} (run with --fix)`);
    lines.push('');
  }
  const counts = { error: 0, warning: 0, note: 0 };
  for (const f of input.findings) counts[f.severity]++;
  const fileCount = new Set(input.findings.map((f) => f.path)).size;
  const parts = (['error', 'warning', 'note'] as const).filter((s) => counts[s]).map((s) => plural(counts[s], s));
  const summary = input.findings.length
    ? `${plural(input.findings.length, 'finding')} (${parts.join(', ')}) in ${plural(fileCount, 'file')}`
    : 'No TLS problems found';
  const fixable = input.findings.filter((f) => f.fix).length;
  lines.push(
    `${paint('bold', summary)}; ${plural(input.stats.files, 'file')} scanned, ${input.stats.parsed} parsed, in ${(input.stats.durationMs / 1000).toFixed(2)} s.` +
      (fixable ? ` ${fixable} fixable with --fix.` : ''),
  );
  return lines.join('\n') + '\n';
}

/** Diagnostics go to stderr in every format: `tlslint: warning: path:line: message (code)`. */
export function formatDiagnostics(input: Pick<ReportInput, 'diagnostics' | 'cwd'>): string {
  return input.diagnostics
    .map((d) => {
      const where = d.path ? `${relativePath(input.cwd, d.path)}${d.line ? `:${d.line}` : ''}: ` : '';
      return `tlslint: ${d.level}: ${where}${d.message} [${d.code}]\n`;
    })
    .join('');
}
