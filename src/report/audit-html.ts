/**
 * The audit summary as one self-contained HTML page (summary.html): no scripts, no external
 * resources, opens from disk. Production first: totals, the test share, the fixes that matter
 * most, the runtime inventory with what is too old for TLS 1.2 (the migration plan), the
 * comparison with a previous audit, and per repository every finding with its file, line, rule
 * and fix (test code folded away).
 */
import type { AuditSummary, RepoFinding, RepoSummary, SeverityCounts } from './audit-summary.js';
import { SEVERITIES, type Severity } from '../types.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS: Record<Severity, string> = { error: '#c62828', warning: '#b26a00', note: '#1e6fb8' };
const TEST_COLOR = '#9e9e9e';
/** Findings listed per repository and kind (production, test) before the rest is left to the SARIF file. */
const MAX_LISTED = 400;

const sum = (c: SeverityCounts) => c.error + c.warning + c.note;
const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '0%');
export const repoAnchor = (index: number) => `repo-${index + 1}`;

function production(r: RepoSummary): SeverityCounts {
  return r.production ?? r.counts;
}
function testCounts(r: RepoSummary): SeverityCounts {
  return r.test ?? { error: 0, warning: 0, note: 0 };
}

/** A horizontal bar chart of production findings by severity, the test findings beside it as a grey number, as inline SVG. */
function barChart(title: string, rows: Array<{ label: string; href?: string; counts: SeverityCounts; test: number }>): string {
  const labelWidth = 300;
  const barWidth = 520;
  const rowHeight = 22;
  const max = Math.max(1, ...rows.map((r) => sum(r.counts)));
  const height = rows.length * rowHeight + 40;
  const width = labelWidth + barWidth + 220;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeHtml(title)}</title>`,
  ];
  rows.forEach((r, i) => {
    const y = 10 + i * rowHeight;
    let x = labelWidth;
    const label = r.label.length > 42 ? `…${r.label.slice(-41)}` : r.label;
    const text = `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" font-size="12">${escapeHtml(label)}</text>`;
    parts.push(r.href ? `<a href="${escapeHtml(r.href)}">${text}</a>` : text);
    for (const s of SEVERITIES) {
      const w = (r.counts[s] / max) * barWidth;
      if (w > 0) parts.push(`<rect class="bar ${s}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${COLORS[s]}"><title>${escapeHtml(r.label)}: ${r.counts[s]} ${s} in production code</title></rect>`);
      x += w;
    }
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 14}" font-size="12">${sum(r.counts)}${r.test ? `<tspan class="test" fill="${TEST_COLOR}"> + ${r.test} in test code</tspan>` : ''}</text>`);
  });
  const ly = height - 14;
  [...SEVERITIES.map((s) => [s, COLORS[s]] as const), ['+ test code (not drawn)', TEST_COLOR] as const].forEach(([s, color], i) => {
    parts.push(`<rect x="${labelWidth + i * 100}" y="${ly - 10}" width="12" height="12" fill="${color}"/><text x="${labelWidth + i * 100 + 16}" y="${ly}" font-size="12">${s}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** `a, b, c and 4 more`. */
const fileList = (files: string[], n: number) => files.slice(0, n).join(', ') + (files.length > n ? ` and ${files.length - n} more` : '');

const row = (cells: string[], cls?: string) => `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

function findingsTable(findings: RepoFinding[], fixOf: (id: string) => string, id: string): string {
  const shown = findings.slice(0, MAX_LISTED);
  const more = findings.length - shown.length;
  return (
    `<table class="findings" id="${id}"><thead><tr><th>File</th><th class="num">Line</th><th>Rule</th><th>Finding</th><th>Fix</th></tr></thead><tbody>\n` +
    shown
      .map((f) =>
        row(
          [
            `<code>${escapeHtml(f.path)}</code>`,
            String(f.line),
            `<span class="sev ${f.severity}">${f.severity}</span> <code>${escapeHtml(f.ruleId)}</code>`,
            escapeHtml(f.message),
            f.autofix ? `<b>tlslint --fix</b>: ${escapeHtml(f.autofix)}` : escapeHtml(fixOf(f.ruleId)),
          ],
          f.severity,
        ),
      )
      .join('\n') +
    `\n</tbody></table>${more > 0 ? `<p class="meta">… and ${more} more in the SARIF file.</p>` : ''}`
  );
}

function repoSection(r: RepoSummary, index: number, fixOf: (id: string) => string): string {
  const prod = (r.findings ?? []).filter((f) => !f.test);
  const test = (r.findings ?? []).filter((f) => f.test);
  const p = production(r);
  const t = testCounts(r);
  const old = (r.inventory ?? []).filter((e) => e.tooOld);
  const parts = [
    `<section class="repo" id="${repoAnchor(index)}">`,
    `<h3>${escapeHtml(r.name)}${r.status === 'failed' ? ' <span class="failed">failed</span>' : ''}</h3>`,
    `<p class="meta">${r.commit ? `commit <code>${escapeHtml(r.commit.slice(0, 12))}</code> · ` : ''}${r.files} files · ${sum(p)} in production code (${p.error} errors, ${p.warning} warnings, ${p.note} notes) · ${sum(t)} in test code${r.sarif ? ` · <a href="${escapeHtml(r.sarif)}">SARIF</a>` : ''}${r.reused ? ' · unchanged since the last run' : ''}</p>`,
  ];
  if (r.status === 'failed') parts.push(`<p class="failed">${escapeHtml(r.error ?? '')}</p>`);
  if (old.length) parts.push(`<p class="old">Too old for TLS 1.2: ${old.map((e) => `<b>${escapeHtml(e.runtime)} ${escapeHtml(e.version)}</b> (${escapeHtml(fileList(e.files, 5))})`).join('; ')}</p>`);
  if (r.comparison && (r.comparison.new.length || r.comparison.fixed.length)) {
    parts.push(`<p class="meta">Since the baseline audit: <span class="new">${r.comparison.new.length} new</span>, <span class="fixed">${r.comparison.fixed.length} fixed</span>, ${r.comparison.remaining} remaining.</p>`);
    if (r.comparison.fixed.length) parts.push(`<details><summary>${r.comparison.fixed.length} fixed since the baseline audit</summary><ul>${r.comparison.fixed.slice(0, MAX_LISTED).map((f) => `<li><code>${escapeHtml(f.path)}:${f.line}</code> <code>${escapeHtml(f.ruleId)}</code></li>`).join('')}</ul></details>`);
  }
  if (prod.length) parts.push(`<h4>Production code</h4>`, findingsTable(prod, fixOf, `${repoAnchor(index)}-production`));
  else if (r.status === 'ok') parts.push('<p>No findings in production code.</p>');
  if (test.length) parts.push(`<details class="test"><summary>${test.length} finding${test.length === 1 ? '' : 's'} in test code</summary>${findingsTable(test, fixOf, `${repoAnchor(index)}-test`)}</details>`);
  parts.push('<p><a href="#repos">back to the repositories</a></p></section>');
  return parts.join('\n');
}

export function renderHtml(s: AuditSummary): string {
  const t = s.totals;
  const tp = t.production ?? { ...t, findings: t.findings };
  const tt = t.test ?? { error: 0, warning: 0, note: 0, findings: 0 };
  const fixes = new Map(s.rules.map((r) => [r.id, r.fix]));
  const fixOf = (id: string) => fixes.get(id) ?? '';
  const indexed = s.repos.map((r, i) => ({ r, i }));
  // production first: repositories ordered by production errors, warnings, then everything
  const byProduction = [...indexed].sort((a, b) => {
    const pa = production(a.r);
    const pb = production(b.r);
    return pb.error - pa.error || pb.warning - pa.warning || sum(pb) - sum(pa) || sum(testCounts(b.r)) - sum(testCounts(a.r)) || a.r.name.localeCompare(b.r.name);
  });
  const chartRepos = byProduction
    .filter(({ r }) => r.status === 'ok')
    .slice(0, 40)
    .map(({ r, i }) => ({ label: r.name, href: `#${repoAnchor(i)}`, counts: production(r), test: sum(testCounts(r)) }));
  const chartRules = s.rules.slice(0, 30).map((r) => {
    const prod = r.production ?? r.count;
    return { label: r.id, counts: { ...{ error: 0, warning: 0, note: 0 }, [r.severity]: prod } as SeverityCounts, test: r.count - prod };
  });
  const inventory = indexed.flatMap(({ r, i }) => (r.inventory ?? []).map((e) => ({ r, i, e })));
  const plan = indexed.filter(({ r }) => (r.inventory ?? []).some((e) => e.tooOld) || r.runtimes.length);
  const failed = s.repos.filter((r) => r.status === 'failed');
  const c = s.comparison;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tlslint audit: ${tp.findings} findings in production code, ${t.repos} repositories</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 1400px; }
h1 { margin-bottom: 0.2rem; }
h3 { margin-bottom: 0.2rem; }
.meta { color: #555; }
.cards { display: flex; gap: 1rem; margin: 1rem 0; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 7rem; }
.card b { display: block; font-size: 1.6rem; }
.card.main { border-color: #888; }
.error b, .sev.error { color: ${COLORS.error}; } .warning b, .sev.warning { color: ${COLORS.warning}; } .note b, .sev.note { color: ${COLORS.note}; }
.card.test b { color: #666; }
.sev { font-weight: bold; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
tr.too-old td, .old { background: #fdecea; }
tr.too-old td:first-child { border-left: 4px solid ${COLORS.error}; }
.failed { color: ${COLORS.error}; font-weight: bold; }
.new { color: ${COLORS.error}; font-weight: bold; } .fixed { color: #2e7d32; font-weight: bold; }
table.findings { font-size: 0.92em; }
details.test summary { color: #555; cursor: pointer; margin: 0.5rem 0; }
section.repo { border-top: 1px solid #ddd; padding-top: 0.5rem; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<h1>tlslint audit</h1>
<p class="meta">tlslint ${escapeHtml(s.version)} · ${escapeHtml(s.generatedAt)}${s.shards.length ? ` · shards ${escapeHtml(s.shards.join(', '))}` : ''}</p>
<div class="cards">
<div class="card"><b id="total-repos">${t.repos}</b>repositories</div>
<div class="card"><b>${t.files}</b>files</div>
<div class="card main"><b id="total-production">${tp.findings}</b>findings in production code</div>
<div class="card error"><b id="total-errors">${tp.error}</b>errors</div>
<div class="card warning"><b>${tp.warning}</b>warnings</div>
<div class="card note"><b>${tp.note}</b>notes</div>
<div class="card test"><b id="total-test">${tt.findings}</b>in test code (${pct(tt.findings, t.findings)} of all)</div>
<div class="card"><b id="total-old-runtimes">${t.oldRuntimeRepos ?? 0}</b>repositories on runtimes too old for TLS 1.2</div>
<div class="card"><b id="total-failed">${t.failed}</b>failed</div>
</div>
<p>Counts are of findings in production code; findings in test code (files tagged <code>test</code>: test folders, <code>*_test.go</code>, <code>*Test.java</code>, <code>*.spec.ts</code>…) are counted apart, in grey. Test findings across all repositories: ${tt.error} errors, ${tt.warning} warnings, ${tt.note} notes.</p>
${
  c
    ? `<h2>Since the baseline audit</h2>
<p id="comparison">Compared with <b>${escapeHtml(c.baseline)}</b>${c.generatedAt ? ` (${escapeHtml(c.generatedAt)})` : ''}: <span class="new" id="compare-new">${c.new} new</span>, <span class="fixed" id="compare-fixed">${c.fixed} fixed</span>, <span id="compare-remaining">${c.remaining} remaining</span>.${c.missing.length ? ` Not audited this time: ${c.missing.map(escapeHtml).join(', ')}.` : ''}</p>
<table id="comparison-repos"><thead><tr><th>Repository</th><th class="num">New</th><th class="num">Fixed</th><th class="num">Remaining</th></tr></thead><tbody>
${indexed
  .filter(({ r }) => r.comparison)
  .map(({ r, i }) => row([`<a href="#${repoAnchor(i)}">${escapeHtml(r.name)}</a>${r.comparison!.added ? ' (new repository)' : ''}`, String(r.comparison!.new.length), String(r.comparison!.fixed.length), String(r.comparison!.remaining)]))
  .join('\n')}
</tbody></table>`
    : ''
}
<h2>Findings by repository</h2>
<figure id="chart-repos">${barChart('Findings in production code by repository', chartRepos)}</figure>
<h2>Top fixes</h2>
<table id="top-fixes"><thead><tr><th>Rule</th><th>Severity</th><th class="num">In production code</th><th class="num">In test code</th><th class="num">Repositories (production code)</th><th>How to fix</th></tr></thead><tbody>
${s.rules
  .slice(0, 15)
  .map((r) => row([`<code>${escapeHtml(r.id)}</code>`, r.severity, `${r.production ?? r.count}${r.fixable ? ' (--fix)' : ''}`, String(r.count - (r.production ?? r.count)), `${r.productionRepos ?? r.repos}${(r.productionRepos ?? r.repos) !== r.repos ? ` (${r.repos} with tests)` : ''}`, escapeHtml(r.fix)]))
  .join('\n')}
</tbody></table>
<h2>Findings by rule</h2>
<figure id="chart-rules">${barChart('Findings in production code by rule', chartRules)}</figure>
<h2>Runtimes and platforms</h2>
<p>What each repository builds for or runs on (build files, version files, Docker base images and the OpenSSL they bring, where known). Rows in red are too old for TLS 1.2 or default to TLS 1.0: the migration plan.</p>
${
  plan.length
    ? `<h3>Migration plan</h3><table id="migration"><thead><tr><th>Repository</th><th>Too old for TLS 1.2</th><th>Move to</th></tr></thead><tbody>\n${plan
        .map(({ r, i }) => {
          const old = (r.inventory ?? []).filter((e) => e.tooOld);
          const cells = old.length
            ? old.map((e) => `<b>${escapeHtml(e.runtime)} ${escapeHtml(e.version)}</b> <span class="meta">${escapeHtml(fileList(e.files, 3))}</span>`).join('<br>')
            : r.runtimes.map((x) => `<code>${escapeHtml(x.path)}:${x.line}</code> ${escapeHtml(x.message)}`).join('<br>');
          const to = [...new Set(old.map((e) => e.tooOld!.replace(/^.*?; /, '')))].map(escapeHtml).join('<br>') || 'see the findings';
          return row([`<a href="#${repoAnchor(i)}">${escapeHtml(r.name)}</a>`, cells, to], 'too-old');
        })
        .join('\n')}\n</tbody></table>`
    : '<p>No runtime too old for TLS 1.2 found.</p>'
}
${
  inventory.length
    ? `<table id="inventory"><thead><tr><th>Repository</th><th>Runtime</th><th>Version</th><th>Stated in</th><th>TLS 1.2</th></tr></thead><tbody>\n${inventory
        .map(({ r, i, e }) =>
          row([`<a href="#${repoAnchor(i)}">${escapeHtml(r.name)}</a>`, escapeHtml(e.runtime), `<code>${escapeHtml(e.version)}</code>`, escapeHtml(fileList(e.files, 3)), e.tooOld ? `<b>too old</b>: ${escapeHtml(e.tooOld)}` : 'ok'], e.tooOld ? 'too-old' : undefined),
        )
        .join('\n')}\n</tbody></table>`
    : '<p>No runtime versions stated in the repositories.</p>'
}
<h2 id="repos">Repositories</h2>
<table id="repo-table"><thead><tr><th>Repository</th><th>Status</th><th class="num">Files</th><th class="num">Errors</th><th class="num">Warnings</th><th class="num">Notes</th><th class="num">In test code</th><th>Old runtimes</th><th>SARIF</th></tr></thead><tbody>
${byProduction
  .map(({ r, i }) => {
    const p = production(r);
    const old = (r.inventory ?? []).filter((e) => e.tooOld).map((e) => `${e.runtime} ${e.version}`);
    return row([
      `<a href="#${repoAnchor(i)}">${escapeHtml(r.name)}</a>`,
      r.status === 'ok' ? 'ok' : `<span class="failed">failed</span>: ${escapeHtml(r.error ?? '')}`,
      String(r.files),
      String(p.error),
      String(p.warning),
      String(p.note),
      String(sum(testCounts(r))),
      escapeHtml(old.join(', ')),
      r.sarif ? `<a href="${escapeHtml(r.sarif)}">${escapeHtml(r.sarif)}</a>` : '',
    ]);
  })
  .join('\n')}
</tbody></table>
${failed.length ? `<h2>Failed repositories</h2>\n<ul id="failed">${failed.map((r) => `<li>${escapeHtml(r.name)}: ${escapeHtml(r.error ?? '')}</li>`).join('')}</ul>` : ''}
<h2>Findings per repository</h2>
${byProduction.map(({ r, i }) => repoSection(r, i, fixOf)).join('\n')}
</body>
</html>
`;
}
