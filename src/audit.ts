/**
 * Batch audits: scan many repositories, each as its own project root, write one SARIF per
 * repository and a summary (JSON, and the Markdown and HTML of src/report/audit-*.ts). `mergeSummaries`
 * combines the summaries of shards that ran on different machines.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from './rule.js';
import { scan, type ScanOptions } from './engine.js';
import { renderHtml } from './report/audit-html.js';
import { renderMarkdown } from './report/audit-markdown.js';
import { fixHint } from './report/common.js';
import { formatSarif } from './report/sarif.js';
import { SEVERITIES, type Finding, type Severity } from './types.js';
import { VERSION } from './version.js';
import { inShard, type Shard } from './shard.js';

export { fixHint };

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

/** Writes summary.json, summary.md and summary.html into `outDir`. */
export function writeSummary(outDir: string, summary: AuditSummary): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'summary.md'), renderMarkdown(summary));
  fs.writeFileSync(path.join(outDir, 'summary.html'), renderHtml(summary));
}
