/**
 * Batch audits: scan many repositories, each as its own project root, write one SARIF per
 * repository and a summary (JSON, Markdown, self-contained HTML with SVG charts). `mergeSummaries`
 * combines the summaries of shards that ran on different machines.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from './rule.js';
import { scan, type ScanOptions } from './engine.js';
import { formatSarif } from './report/sarif.js';
import type { Finding, Severity } from './types.js';
import { VERSION } from './version.js';
import { inShard, type Shard } from './shard.js';

export type SeverityCounts = Record<Severity, number>;

export interface RuntimeFinding {
  ruleId: string;
  path: string;
  line: number;
  message: string;
}

export interface RepoSummary {
  name: string;
  /** The repository folder as given. */
  path: string;
  status: 'ok' | 'failed';
  error?: string;
  /** SARIF file, relative to the audit's output folder. */
  sarif?: string;
  files: number;
  bytes: number;
  durationMs: number;
  counts: SeverityCounts;
  byRule: Record<string, number>;
  /** Findings that name a runtime too old for TLS 1.2 (Java < 8, .NET < 4.6, Python < 2.7.9, Go < 1.13, Ruby < 2.0...). */
  runtimes: RuntimeFinding[];
  fixable: number;
  diagnostics: number;
}

export interface RuleTotal {
  id: string;
  title: string;
  severity: Severity;
  kind: string;
  count: number;
  repos: number;
  fixable: number;
  /** How to fix it, one line. */
  fix: string;
}

export interface AuditSummary {
  tool: 'tlslint';
  version: string;
  generatedAt: string;
  shards: string[];
  repos: RepoSummary[];
  totals: SeverityCounts & { repos: number; failed: number; files: number; bytes: number; findings: number; durationMs: number };
  rules: RuleTotal[];
}

export interface AuditOptions extends Omit<ScanOptions, 'paths' | 'cwd' | 'onStart' | 'onProgress'> {
  repos: string[];
  outDir: string;
  allRules: readonly Rule[];
  shard?: Shard;
  /** A repository with more files than this is reported as failed ("too large") and skipped. */
  maxRepoFiles?: number;
  /** Called before and after each repository. */
  onRepo?: (event: { phase: 'start' | 'done'; index: number; total: number; name: string; files?: number }) => void;
  onFiles?: (done: number) => void;
}

const SEVERITIES: Severity[] = ['error', 'warning', 'note'];

/** Repository folders from arguments and listing files (one path per line, `#` comments). */
export function readRepoList(args: string[], listFiles: string[], cwd: string): string[] {
  const out: string[] = [...args];
  for (const file of listFiles) {
    const text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
    const base = path.dirname(path.resolve(cwd, file));
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t && !t.startsWith('#')) out.push(path.isAbsolute(t) ? t : path.relative(cwd, path.resolve(base, t)) || '.');
    }
  }
  return [...new Set(out)];
}

/** A file-system-safe, unique name for a repository's SARIF file. */
function slug(repo: string, taken: Set<string>): string {
  const base = (path.basename(path.resolve(repo)) || 'repo').replace(/[^\w.-]+/g, '_');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, note: 0 };
}

/** One sentence on how to fix a rule's findings: its `remedy`, else the start of its help's "How to fix it". */
export function fixHint(rule: Rule): string {
  if (rule.remedy) return rule.remedy;
  const m = /\*\*How to fix it\.\*\*\s*([\s\S]*)$/.exec(rule.help);
  const text = (m?.[1] ?? rule.title)
    .replace(/```[\s\S]*?(?:```|$)/g, '\u00b6')
    .replace(/^\s*- /gm, '')
    .replace(/\s+/g, ' ')
    .replace(/`([^`]+)`/g, '$1')
    .trim();
  // the first sentence, or what comes before the first code example
  const sentence = (/^(.*?)(?:[.;](?=\s|$)|\s*\u00b6)/.exec(text)?.[1] ?? text).trim().replace(/[:,]$/, '');
  return sentence ? `${sentence}.` : rule.title;
}

export async function runAudit(options: AuditOptions): Promise<AuditSummary> {
  const repos = options.repos.filter((r) => inShard(r, options.shard));
  const sarifDir = path.join(options.outDir, 'sarif');
  fs.mkdirSync(sarifDir, { recursive: true });
  const taken = new Set<string>();
  const summaries: RepoSummary[] = [];
  let filesDone = 0;
  for (let i = 0; i < repos.length; i++) {
    const repo = repos[i]!;
    const name = slug(repo, taken);
    options.onRepo?.({ phase: 'start', index: i, total: repos.length, name: repo });
    const summary: RepoSummary = { name, path: repo, status: 'ok', files: 0, bytes: 0, durationMs: 0, counts: emptyCounts(), byRule: {}, runtimes: [], fixable: 0, diagnostics: 0 };
    const started = performance.now();
    try {
      const abs = path.resolve(repo);
      const stat = fs.statSync(abs);
      if (!stat.isDirectory()) throw new Error('not a folder');
      fs.readdirSync(abs); // unreadable folders fail here, not halfway through
      const base = filesDone;
      const { shard: _repoShard, ...scanOptions } = options;
      const result = await scan({
        ...scanOptions,
        paths: [abs],
        cwd: abs,
        onProgress(done) {
          options.onFiles?.(base + done);
        },
        ...(options.maxRepoFiles !== undefined ? { fileLimit: options.maxRepoFiles } : {}),
      });
      if (result.tooMany !== undefined) throw new Error(`too large: ${result.tooMany} files (limit ${options.maxRepoFiles}; raise it with --max-repo-files)`);
      filesDone += result.stats.files;
      const findings = result.findings.filter((f) => !f.suppression);
      summary.files = result.stats.files;
      summary.bytes = result.stats.bytes;
      summary.diagnostics = result.diagnostics.length;
      for (const f of findings) count(summary, f, abs, options.allRules);
      const sarif = formatSarif({ findings, diagnostics: result.diagnostics, rules: options.allRules, stats: result.stats, cwd: abs, executionSuccessful: !result.diagnostics.some((d) => d.code === 'internal-error') });
      summary.sarif = `sarif/${name}.sarif`;
      fs.writeFileSync(path.join(options.outDir, summary.sarif), sarif);
    } catch (err) {
      summary.status = 'failed';
      summary.error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message;
    }
    summary.durationMs = Math.round(performance.now() - started);
    summaries.push(summary);
    options.onRepo?.({ phase: 'done', index: i, total: repos.length, name: repo, files: summary.files });
  }
  return summarize(summaries, options.allRules, options.shard ? [`${options.shard.index}/${options.shard.count}`] : []);
}

function count(summary: RepoSummary, f: Finding, root: string, rules: readonly Rule[]): void {
  summary.counts[f.severity]++;
  summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
  if (f.fix) summary.fixable++;
  if (f.kind === 'runtime' || rules.find((r) => r.id === f.ruleId)?.kind === 'runtime') {
    summary.runtimes.push({ ruleId: f.ruleId, path: path.relative(root, f.path).split(path.sep).join('/'), line: f.region.startLine, message: f.message });
  }
}

/** Totals and per-rule figures over repository summaries (also used by merge). */
export function summarize(repos: RepoSummary[], rules: readonly Rule[], shards: string[]): AuditSummary {
  const totals = { ...emptyCounts(), repos: repos.length, failed: 0, files: 0, bytes: 0, findings: 0, durationMs: 0 };
  const perRule = new Map<string, { count: number; repos: number; fixable: number }>();
  for (const r of repos) {
    if (r.status === 'failed') totals.failed++;
    totals.files += r.files;
    totals.bytes += r.bytes;
    totals.durationMs += r.durationMs;
    for (const s of SEVERITIES) totals[s] += r.counts[s];
    for (const [id, n] of Object.entries(r.byRule)) {
      const e = perRule.get(id) ?? { count: 0, repos: 0, fixable: 0 };
      e.count += n;
      e.repos++;
      perRule.set(id, e);
    }
  }
  totals.findings = totals.error + totals.warning + totals.note;
  const weight: Record<Severity, number> = { error: 100, warning: 10, note: 1 };
  const ruleTotals: RuleTotal[] = [...perRule.entries()].map(([id, e]) => {
    const rule = rules.find((r) => r.id === id);
    return {
      id,
      title: rule?.title ?? id,
      severity: rule?.severity ?? 'warning',
      kind: rule?.kind ?? 'protocol',
      count: e.count,
      repos: e.repos,
      fixable: rule?.fixable ? e.count : 0,
      fix: rule ? fixHint(rule) : '',
    };
  });
  // the fixes that matter most first: severity, then how many repositories they touch, then volume
  ruleTotals.sort((a, b) => weight[b.severity] - weight[a.severity] || b.repos - a.repos || b.count - a.count || a.id.localeCompare(b.id));
  return { tool: 'tlslint', version: VERSION, generatedAt: new Date().toISOString(), shards, repos, totals, rules: ruleTotals };
}

/** Combines the summaries of several shards (or audits) into one; repositories keep their SARIF paths. */
export function mergeSummaries(parts: AuditSummary[], rules: readonly Rule[]): AuditSummary {
  const repos = parts.flatMap((p) => p.repos);
  return summarize(repos, rules, parts.flatMap((p) => p.shards));
}

// ---------------------------------------------------------------------------------------------
// Rendering

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
  const byRule = s.rules.slice(0, 30).map((r) => ({ label: r.id, counts: { ...emptyCounts(), [r.severity]: r.count } as SeverityCounts }));
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

/** Writes summary.json, summary.md and summary.html into `outDir`. */
export function writeSummary(outDir: string, summary: AuditSummary): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'summary.md'), renderMarkdown(summary));
  fs.writeFileSync(path.join(outDir, 'summary.html'), renderHtml(summary));
}
