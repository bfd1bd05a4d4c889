/** The audit summary as Markdown (summary.md): production first, test share, runtimes, comparison, repositories. */
import type { AuditSummary, RepoSummary, SeverityCounts } from './audit-summary.js';

const escapeMd = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const sum = (c: SeverityCounts) => c.error + c.warning + c.note;
/** Production findings listed per repository in the Markdown (a CI job summary has a size limit). */
const MAX_LISTED = 50;

function production(r: RepoSummary): SeverityCounts {
  return r.production ?? r.counts;
}

export function renderMarkdown(s: AuditSummary): string {
  const t = s.totals;
  const tp = t.production ?? { ...t, findings: t.findings };
  const tt = t.test ?? { error: 0, warning: 0, note: 0, findings: 0 };
  const share = t.findings ? Math.round((tt.findings / t.findings) * 100) : 0;
  const byProduction = [...s.repos].sort((a, b) => production(b).error - production(a).error || production(b).warning - production(a).warning || sum(production(b)) - sum(production(a)) || a.name.localeCompare(b.name));
  const out = [
    '# tlslint audit',
    '',
    `${t.repos} repositories (${t.failed} failed), ${t.files} files. **${tp.findings} findings in production code: ${tp.error} errors**, ${tp.warning} warnings, ${tp.note} notes. ${tt.findings} more in test code (${share}% of all findings). ${t.oldRuntimeRepos ?? 0} repositories on runtimes too old for TLS 1.2. tlslint ${s.version}, ${s.generatedAt}${s.shards.length ? `, shards ${s.shards.join(', ')}` : ''}.`,
    '',
  ];
  if (s.comparison) {
    const c = s.comparison;
    out.push('## Since the baseline audit', '', `Compared with ${escapeMd(c.baseline)}${c.generatedAt ? ` (${c.generatedAt})` : ''}: **${c.new} new**, ${c.fixed} fixed, ${c.remaining} remaining.${c.missing.length ? ` Not audited this time: ${c.missing.map(escapeMd).join(', ')}.` : ''}`, '');
    const changed = s.repos.filter((r) => r.comparison && (r.comparison.new.length || r.comparison.fixed.length));
    if (changed.length) out.push('| Repository | New | Fixed | Remaining |', '| --- | ---: | ---: | ---: |', ...changed.map((r) => `| ${escapeMd(r.name)} | ${r.comparison!.new.length} | ${r.comparison!.fixed.length} | ${r.comparison!.remaining} |`), '');
  }
  out.push(
    '## Top fixes',
    '',
    '| Rule | Severity | In production code | In test code | Repositories (production code) | How to fix |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...s.rules.slice(0, 15).map((r) => `| \`${r.id}\` | ${r.severity} | ${r.production ?? r.count}${r.fixable ? ' (--fix)' : ''} | ${r.count - (r.production ?? r.count)} | ${r.productionRepos ?? r.repos}${(r.productionRepos ?? r.repos) !== r.repos ? ` (${r.repos} with tests)` : ''} | ${escapeMd(r.fix)} |`),
    '',
    '## Runtimes too old for TLS 1.2',
    '',
  );
  const old = s.repos.flatMap((r) => (r.inventory ?? []).filter((e) => e.tooOld).map((e) => ({ r, e })));
  if (old.length === 0) out.push('None found.', '');
  else out.push('| Repository | Runtime | Stated in | Why, and what to move to |', '| --- | --- | --- | --- |', ...old.map(({ r, e }) => `| ${escapeMd(r.name)} | **${escapeMd(e.runtime)} ${escapeMd(e.version)}** | ${escapeMd(e.files.slice(0, 3).join(', '))} | ${escapeMd(e.tooOld!)} |`), '');
  const runtimes = s.repos.flatMap((r) => r.runtimes.map((x) => ({ repo: r.name, ...x })));
  if (runtimes.length) out.push('Findings about old runtimes:', '', '| Repository | File | Rule | Finding |', '| --- | --- | --- | --- |', ...runtimes.map((x) => `| ${escapeMd(x.repo)} | ${escapeMd(x.path)}:${x.line} | \`${x.ruleId}\` | ${escapeMd(x.message)} |`), '');
  out.push(
    '## Repositories',
    '',
    '| Repository | Status | Files | Errors | Warnings | Notes | In test code | Top rule |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...byProduction.map((r) => {
      const top = Object.entries(r.byRule).sort((a, b) => b[1] - a[1])[0];
      const p = production(r);
      return `| ${escapeMd(r.name)} | ${r.status === 'ok' ? 'ok' : `**failed**: ${escapeMd(r.error ?? '')}`} | ${r.files} | ${p.error} | ${p.warning} | ${p.note} | ${sum(r.counts) - sum(p)} | ${top ? `\`${top[0]}\` (${top[1]})` : ''} |`;
    }),
    '',
    '## Findings in production code',
    '',
  );
  const fixes = new Map(s.rules.map((r) => [r.id, r.fix]));
  let any = false;
  for (const r of byProduction) {
    const prod = (r.findings ?? []).filter((f) => !f.test);
    if (!prod.length) continue;
    any = true;
    out.push(`### ${escapeMd(r.name)}`, '', '| File | Line | Rule | Fix |', '| --- | ---: | --- | --- |');
    out.push(...prod.slice(0, MAX_LISTED).map((f) => `| ${escapeMd(f.path)} | ${f.line} | ${f.severity} \`${f.ruleId}\` | ${escapeMd(f.autofix ? `tlslint --fix: ${f.autofix}` : (fixes.get(f.ruleId) ?? ''))} |`));
    if (prod.length > MAX_LISTED) out.push('', `… and ${prod.length - MAX_LISTED} more (summary.html, ${r.sarif ?? 'the SARIF file'}).`);
    out.push('');
  }
  if (!any) out.push('None.', '');
  const failed = s.repos.filter((r) => r.status === 'failed');
  if (failed.length) out.push('## Failed repositories', '', ...failed.map((r) => `- ${r.name}: ${r.error}`), '');
  return out.join('\n');
}
