/** The audit summary as one self-contained HTML page with inline SVG charts (summary.html). */
import type { AuditSummary, SeverityCounts } from '../audit.js';
import { SEVERITIES, type Severity } from '../types.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS: Record<Severity, string> = { error: '#c62828', warning: '#ef8f00', note: '#1e6fb8' };

/** A horizontal stacked bar chart (severity per row) as inline SVG. */
function barChart(title: string, rows: Array<{ label: string; counts: SeverityCounts }>): string {
  const labelWidth = 260;
  const barWidth = 520;
  const rowHeight = 22;
  const max = Math.max(1, ...rows.map((r) => r.counts.error + r.counts.warning + r.counts.note));
  const height = rows.length * rowHeight + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">`,
    `<title>${escapeHtml(title)}</title>`,
  ];
  rows.forEach((r, i) => {
    const y = 10 + i * rowHeight;
    let x = labelWidth;
    const label = r.label.length > 38 ? `…${r.label.slice(-37)}` : r.label;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" font-size="12">${escapeHtml(label)}</text>`);
    for (const s of SEVERITIES) {
      const w = (r.counts[s] / max) * barWidth;
      if (w > 0) parts.push(`<rect class="bar ${s}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${COLORS[s]}"><title>${escapeHtml(r.label)}: ${r.counts[s]} ${s}</title></rect>`);
      x += w;
    }
    const total = r.counts.error + r.counts.warning + r.counts.note;
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 14}" font-size="12">${total}</text>`);
  });
  const ly = height - 14;
  SEVERITIES.forEach((s, i) => {
    parts.push(`<rect x="${labelWidth + i * 90}" y="${ly - 10}" width="12" height="12" fill="${COLORS[s]}"/><text x="${labelWidth + i * 90 + 16}" y="${ly}" font-size="12">${s}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A self-contained page (no scripts, no external resources) that opens from disk. */
export function renderHtml(s: AuditSummary): string {
  const t = s.totals;
  const byRepo = s.repos
    .filter((r) => r.status === 'ok')
    .map((r) => ({ label: r.path, counts: r.counts }))
    .sort((a, b) => b.counts.error + b.counts.warning + b.counts.note - (a.counts.error + a.counts.warning + a.counts.note))
    .slice(0, 40);
  const byRule = s.rules.slice(0, 30).map((r) => ({ label: r.id, counts: { ...{ error: 0, warning: 0, note: 0 }, [r.severity]: r.count } as SeverityCounts }));
  const runtimes = s.repos.flatMap((r) => r.runtimes.map((x) => ({ repo: r.path, ...x })));
  const failed = s.repos.filter((r) => r.status === 'failed');
  const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tlslint audit: ${t.findings} findings in ${t.repos} repositories</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
h1 { margin-bottom: 0.2rem; }
.meta { color: #555; }
.cards { display: flex; gap: 1rem; margin: 1rem 0; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 7rem; }
.card b { display: block; font-size: 1.6rem; }
.error b { color: ${COLORS.error}; } .warning b { color: ${COLORS.warning}; } .note b { color: ${COLORS.note}; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
.failed { color: ${COLORS.error}; font-weight: bold; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<h1>tlslint audit</h1>
<p class="meta">tlslint ${escapeHtml(s.version)} · ${escapeHtml(s.generatedAt)}${s.shards.length ? ` · shards ${escapeHtml(s.shards.join(', '))}` : ''}</p>
<div class="cards">
<div class="card"><b id="total-repos">${t.repos}</b>repositories</div>
<div class="card"><b>${t.files}</b>files</div>
<div class="card error"><b id="total-errors">${t.error}</b>errors</div>
<div class="card warning"><b>${t.warning}</b>warnings</div>
<div class="card note"><b>${t.note}</b>notes</div>
<div class="card"><b id="total-failed">${t.failed}</b>failed</div>
</div>
<h2>Findings by repository</h2>
<figure id="chart-repos">${barChart('Findings by repository', byRepo)}</figure>
<h2>Findings by rule</h2>
<figure id="chart-rules">${barChart('Findings by rule', byRule)}</figure>
<h2>Top fixes</h2>
<table id="top-fixes"><thead><tr><th>Rule</th><th>Severity</th><th class="num">Findings</th><th class="num">Repositories</th><th>How to fix</th></tr></thead><tbody>
${s.rules.slice(0, 15).map((r) => row([`<code>${escapeHtml(r.id)}</code>`, r.severity, `${r.count}${r.fixable ? ` (${r.fixable} with --fix)` : ''}`, String(r.repos), escapeHtml(r.fix)])).join('\n')}
</tbody></table>
<h2>Repositories</h2>
<table id="repos"><thead><tr><th>Repository</th><th>Status</th><th class="num">Files</th><th class="num">Errors</th><th class="num">Warnings</th><th class="num">Notes</th><th>SARIF</th></tr></thead><tbody>
${s.repos.map((r) => row([escapeHtml(r.path), r.status === 'ok' ? 'ok' : `<span class="failed">failed</span>: ${escapeHtml(r.error ?? '')}`, String(r.files), String(r.counts.error), String(r.counts.warning), String(r.counts.note), r.sarif ? `<a href="${escapeHtml(r.sarif)}">${escapeHtml(r.sarif)}</a>` : ''])).join('\n')}
</tbody></table>
<h2>Runtimes too old for TLS 1.2</h2>
${runtimes.length === 0 ? '<p>None found.</p>' : `<table id="runtimes"><thead><tr><th>Repository</th><th>File</th><th>Finding</th></tr></thead><tbody>\n${runtimes.map((x) => row([escapeHtml(x.repo), `${escapeHtml(x.path)}:${x.line}`, `<code>${escapeHtml(x.ruleId)}</code> ${escapeHtml(x.message)}`])).join('\n')}\n</tbody></table>`}
${failed.length ? `<h2>Failed repositories</h2>\n<ul id="failed">${failed.map((r) => `<li>${escapeHtml(r.path)}: ${escapeHtml(r.error ?? '')}</li>`).join('')}</ul>` : ''}
</body>
</html>
`;
}
