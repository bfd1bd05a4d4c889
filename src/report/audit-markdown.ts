/** The audit summary as Markdown (summary.md): totals, top fixes, repositories, old runtimes. */
import type { AuditSummary } from '../audit.js';

const escapeMd = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(s: AuditSummary): string {
  const t = s.totals;
  const out = [
    '# tlslint audit',
    '',
    `${t.repos} repositories (${t.failed} failed), ${t.files} files, ${t.findings} findings: **${t.error} errors**, ${t.warning} warnings, ${t.note} notes. tlslint ${s.version}, ${s.generatedAt}${s.shards.length ? `, shards ${s.shards.join(', ')}` : ''}.`,
    '',
    '## Top fixes',
    '',
    '| Rule | Severity | Findings | Repositories | How to fix |',
    '| --- | --- | ---: | ---: | --- |',
    ...s.rules.slice(0, 15).map((r) => `| \`${r.id}\` | ${r.severity} | ${r.count}${r.fixable ? ` (${r.fixable} with --fix)` : ''} | ${r.repos} | ${escapeMd(r.fix)} |`),
    '',
    '## Repositories',
    '',
    '| Repository | Status | Files | Errors | Warnings | Notes | Top rule |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...s.repos.map((r) => {
      const top = Object.entries(r.byRule).sort((a, b) => b[1] - a[1])[0];
      return `| ${escapeMd(r.path)} | ${r.status === 'ok' ? 'ok' : `**failed**: ${escapeMd(r.error ?? '')}`} | ${r.files} | ${r.counts.error} | ${r.counts.warning} | ${r.counts.note} | ${top ? `\`${top[0]}\` (${top[1]})` : ''} |`;
    }),
    '',
    '## Runtimes too old for TLS 1.2',
    '',
  ];
  const runtimes = s.repos.flatMap((r) => r.runtimes.map((x) => ({ repo: r.path, ...x })));
  if (runtimes.length === 0) out.push('None found.', '');
  else out.push('| Repository | File | Rule | Finding |', '| --- | --- | --- | --- |', ...runtimes.map((x) => `| ${escapeMd(x.repo)} | ${escapeMd(x.path)}:${x.line} | \`${x.ruleId}\` | ${escapeMd(x.message)} |`), '');
  const failed = s.repos.filter((r) => r.status === 'failed');
  if (failed.length) out.push('## Failed repositories', '', ...failed.map((r) => `- ${r.path}: ${r.error}`), '');
  return out.join('\n');
}
