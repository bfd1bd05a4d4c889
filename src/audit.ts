/**
 * Batch audits: scan many repositories, each as its own project root, write one SARIF per
 * repository and a summary (JSON, and the Markdown and HTML of src/report/audit-*.ts). `mergeSummaries`
 * combines the summaries of shards that ran on different machines.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, removeStaleTemporaries } from './atomic.js';
import { readRepoEntries, type RepoEntry } from './audit-repos.js';
import { discover, discoverInSlices, type DiscoverOptions, type DiscoverResult } from './discover.js';
import type { Rule } from './rule.js';
import { scan, type ScanOptions } from './engine.js';
import { cacheFolderName, readHeadCommit, shallowCheckout, type Checkout, type GitOptions } from './git.js';
import { takeInventory } from './inventory.js';
import { INVENTORY } from './registry.js';
import { renderHtml } from './report/audit-html.js';
import { renderMarkdown } from './report/audit-markdown.js';
import { fixHint } from './report/common.js';
import { formatSarif } from './report/sarif.js';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from './types.js';
import { VERSION } from './version.js';
import { inShard, type Shard } from './shard.js';

export { fixHint };
export type { AuditSummary, RepoComparison, RepoFinding, RepoSummary, RuleTotal, RuntimeFinding, SeverityCounts } from './report/audit-summary.js';
import type { AuditSummary, RepoFinding, RepoSummary, RuleTotal, SeverityCounts } from './report/audit-summary.js';

export interface AuditOptions extends Omit<ScanOptions, 'paths' | 'cwd' | 'onStart' | 'onProgress'> {
  repos: RepoEntry[];
  outDir: string;
  allRules: readonly Rule[];
  /** Where clones of repositories named by URL live (reused by later runs). */
  cacheDir: string;
  /** Clones and fetches running at once. */
  cloneJobs?: number;
  shard?: Shard;
  /** A repository with more files than this is reported as failed ("too large") and skipped. */
  maxRepoFiles?: number;
  /** Scan every repository again, even when an earlier run's result is still valid. */
  rescan?: boolean;
  /** A previous audit's folder to compare with. */
  baselineAudit?: string;
  /** Cancels clones (SIGINT). */
  signal?: AbortSignal;
  git?: GitOptions;
  /** Called before and after each repository. */
  onRepo?: (event: { phase: 'start' | 'done'; index: number; total: number; name: string; files?: number; reused?: boolean }) => void;
  onFiles?: (done: number) => void;
  /** Clones and fetches under way. */
  onClone?: (active: number) => void;
}

/** Repository folders from arguments and listing files (one path per line, `#` comments). */
export function readRepoList(args: string[], listFiles: string[], cwd: string): string[] {
  return readRepoEntries(args, listFiles, cwd).map((e) => e.source);
}

function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, note: 0 };
}

/** What decides whether an earlier result is still valid: the options that change findings. */
function optionsHash(options: AuditOptions): string {
  const relevant = {
    rules: options.rules.map((r) => r.id).sort(),
    severities: options.severities ?? {},
    settings: options.settings,
    excludes: options.excludes ?? [],
    gitignore: options.gitignore ?? true,
    tests: options.tests ?? true,
    maxFileSize: options.maxFileSize ?? null,
    maxRepoFiles: options.maxRepoFiles ?? null,
    keepSuppressed: !!options.keepSuppressed,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/** A folder's state for resuming: its files' names, sizes and times (a commit alone misses uncommitted edits). */
function folderStamp(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      h.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      h.update(`${f}\0-\n`);
    }
  }
  return h.digest('hex').slice(0, 32);
}

interface StateRecord {
  key: string;
  version: string;
  options: string;
  /** Commit (clones) or folder stamp (folders). */
  stamp: string;
  summary: RepoSummary;
}

/** A bounded pool for clones: at most `n` run at once, started in list order. */
function limiter(n: number, onActive?: (active: number) => void) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    onActive?.(active);
    try {
      return await task();
    } finally {
      active--;
      onActive?.(active);
      queue.shift()?.();
    }
  };
}

export async function runAudit(options: AuditOptions): Promise<AuditSummary> {
  const repos = options.repos.filter((r) => inShard(r.folder ? r.source : r.key, options.shard));
  const sarifDir = path.join(options.outDir, 'sarif');
  // one walk of each repository, with the scan's own discovery options, serves the resume stamp,
  // the inventory and the scan
  const walkOptions = (root: string): DiscoverOptions => ({
    cwd: root,
    excludes: options.excludes,
    gitignore: options.gitignore,
    followSymlinks: options.followSymlinks,
    defaultExcludes: options.defaultExcludes,
  });
  const stateDir = path.join(options.outDir, '.state');
  fs.mkdirSync(sarifDir, { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  // whatever a killed run left half-written goes first
  for (const dir of [options.outDir, sarifDir, stateDir]) removeStaleTemporaries(dir);
  const optionsKey = optionsHash(options);
  const statePath = (r: RepoEntry) => path.join(stateDir, `${createHash('sha256').update(r.key).digest('hex').slice(0, 24)}.json`);
  const readState = (r: RepoEntry): StateRecord | undefined => {
    try {
      const rec = JSON.parse(fs.readFileSync(statePath(r), 'utf8')) as StateRecord;
      if (rec.key !== r.key || rec.version !== VERSION || rec.options !== optionsKey || !rec.summary.sarif) return undefined;
      return fs.existsSync(path.join(options.outDir, rec.summary.sarif)) ? rec : undefined;
    } catch {
      return undefined;
    }
  };

  // clones and fetches run ahead of the scans, several at a time; scans go one repository at a time
  const limit = limiter(Math.max(1, options.cloneJobs ?? 4), options.onClone);
  const checkouts = new Map<RepoEntry, Promise<Checkout>>();
  const urlCount = new Map<string, number>();
  for (const r of repos) if (r.url) urlCount.set(r.source, (urlCount.get(r.source) ?? 0) + 1);
  for (const r of repos) {
    if (!r.url) continue;
    const previous = options.rescan ? undefined : readState(r);
    // a pinned full commit that was scanned already needs no fetch at all
    if (previous && r.ref && previous.stamp === r.ref) continue;
    // one clone folder per URL (a later run fetches the wanted ref into it); a URL listed with
    // several refs gets one per ref, since scans of the same folder cannot overlap
    const cacheKey = urlCount.get(r.source)! > 1 ? r.key : r.source;
    const dir = path.join(options.cacheDir, cacheFolderName(cacheKey, r.source));
    const promise = limit(async () => {
      try {
        return await shallowCheckout(r.url!, r.ref, dir, { ...options.git, signal: options.signal });
      } catch (err) {
        if (options.signal?.aborted) throw err;
        // an interrupted earlier fetch can leave locks or a broken shallow file: start that folder afresh, once
        fs.rmSync(dir, { recursive: true, force: true });
        return shallowCheckout(r.url!, r.ref, dir, { ...options.git, signal: options.signal });
      }
    });
    promise.catch(() => undefined); // awaited (and reported) when its turn comes
    checkouts.set(r, promise);
  }

  // the next repository is walked while the workers scan the current one (in slices, so this
  // thread still hands them files and answers their questions)
  const walks = new Map<RepoEntry, Promise<DiscoverResult | undefined>>();
  const walkAhead = (r: RepoEntry | undefined) => {
    if (!r || walks.has(r)) return;
    const walked = r.url
      ? checkouts.get(r)?.then((c) => discoverInSlices([c.dir], walkOptions(c.dir)))
      : discoverInSlices([r.folder!], walkOptions(r.folder!));
    // a walk that fails is done again in the repository's turn, which reports what went wrong
    if (walked) walks.set(r, walked.catch(() => undefined));
  };
  const walkOf = async (r: RepoEntry, root: string) => {
    const walked = walks.get(r);
    walks.delete(r);
    return (walked && (await walked)) || discover([root], walkOptions(root));
  };

  const summaries: RepoSummary[] = [];
  let filesDone = 0;
  for (let i = 0; i < repos.length; i++) {
    if (options.signal?.aborted) throw new AuditStopped(i);
    const repo = repos[i]!;
    options.onRepo?.({ phase: 'start', index: i, total: repos.length, name: repo.name });
    const summary: RepoSummary = {
      name: repo.name,
      key: repo.key,
      path: repo.source,
      ...(repo.ref ? { ref: repo.ref } : {}),
      status: 'ok',
      files: 0,
      bytes: 0,
      durationMs: 0,
      counts: emptyCounts(),
      production: emptyCounts(),
      test: emptyCounts(),
      byRule: {},
      runtimes: [],
      inventory: [],
      findings: [],
      fixable: 0,
      diagnostics: 0,
    };
    const started = performance.now();
    let reused = false;
    try {
      let root: string;
      let stamp: string | undefined;
      let found: ReturnType<typeof discover> | undefined;
      const previous = options.rescan ? undefined : readState(repo);
      if (repo.url) {
        const pending = checkouts.get(repo);
        if (!pending && previous) {
          reused = true;
          Object.assign(summary, previous.summary, { reused: true });
          throw new Reused();
        }
        const checkout = await pending!;
        root = checkout.dir;
        stamp = checkout.commit;
        summary.commit = checkout.commit;
      } else {
        root = repo.folder!;
        const stat = fs.statSync(root);
        if (!stat.isDirectory()) throw new Error('not a folder');
        fs.readdirSync(root); // unreadable folders fail here, not halfway through
        found = await walkOf(repo, root);
        // the stamp decides whether an earlier run's result still holds; without such a result it
        // is taken while the workers scan (below)
        if (previous) stamp = folderStamp(found.files.map((f) => f.path));
        const commit = readHeadCommit(root);
        if (commit) summary.commit = commit;
      }
      if (previous && previous.stamp === stamp) {
        reused = true;
        Object.assign(summary, previous.summary, { reused: true });
        throw new Reused();
      }
      found ??= await walkOf(repo, root);
      const base = filesDone;
      const { shard: _repoShard, repos: _repos, ...scanOptions } = options;
      walkAhead(repos[i + 1]);
      const scanning = scan({
        ...scanOptions,
        paths: [root],
        cwd: root,
        discovered: found,
        onProgress(done) {
          options.onFiles?.(base + done);
        },
        ...(options.maxRepoFiles !== undefined ? { fileLimit: options.maxRepoFiles } : {}),
      });
      // awaited below: a failure is this repository's, never an unhandled rejection meanwhile
      scanning.catch(() => undefined);
      // the inventory and the stamp are read from the walk while the workers begin on its files
      try {
        await new Promise((resolve) => setImmediate(resolve));
        summary.inventory = takeInventory(root, found.tree, INVENTORY);
        stamp ??= folderStamp(found.files.map((f) => f.path));
      } catch (err) {
        await scanning.catch(() => undefined);
        throw err;
      }
      const result = await scanning;
      if (result.tooMany !== undefined) throw new Error(`too large: ${result.tooMany} files (limit ${options.maxRepoFiles}; raise it with --max-repo-files)`);
      filesDone += result.stats.files;
      const findings = result.findings.filter((f) => !f.suppression);
      summary.files = result.stats.files;
      summary.bytes = result.stats.bytes;
      summary.diagnostics = result.diagnostics.length;
      for (const f of findings) count(summary, f, root, options.allRules);
      summary.findings!.sort((a, b) => Number(a.test) - Number(b.test) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line);
      const sarif = formatSarif({ findings, diagnostics: result.diagnostics, rules: options.allRules, stats: result.stats, cwd: root, executionSuccessful: !result.diagnostics.some((d) => d.code === 'internal-error') });
      summary.sarif = `sarif/${repo.slug}.sarif`;
      summary.durationMs = Math.round(performance.now() - started);
      // the SARIF first, then the record that says it is complete: a run stopped between the two scans it again
      writeFileAtomic(path.join(options.outDir, summary.sarif), sarif);
      writeFileAtomic(statePath(repo), JSON.stringify({ key: repo.key, version: VERSION, options: optionsKey, stamp, summary } satisfies StateRecord));
    } catch (err) {
      if (!(err instanceof Reused)) {
        if (options.signal?.aborted) throw new AuditStopped(i);
        summary.status = 'failed';
        summary.error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message;
        summary.durationMs = Math.round(performance.now() - started);
      }
    }
    // a reused result keeps its name and SARIF path up to date with this run's list
    if (reused && summary.sarif && summary.sarif !== `sarif/${repo.slug}.sarif`) {
      const target = `sarif/${repo.slug}.sarif`;
      fs.copyFileSync(path.join(options.outDir, summary.sarif), path.join(options.outDir, target));
      summary.sarif = target;
    }
    if (reused) summary.name = repo.name;
    summaries.push(summary);
    options.onRepo?.({ phase: 'done', index: i, total: repos.length, name: repo.name, files: summary.files, reused });
  }
  const result = summarize(summaries, options.allRules, options.shard ? [`${options.shard.index}/${options.shard.count}`] : []);
  if (options.baselineAudit) compareWithBaseline(result, options.baselineAudit);
  return result;
}

/** Thrown to leave a repository's block when an earlier run's result was reused. */
class Reused extends Error {}

/** The audit was asked to stop (SIGINT, SIGTERM) and did, between two repositories. */
export class AuditStopped extends Error {
  constructor(readonly done: number) {
    super(`audit stopped after ${done} repositories`);
  }
}

function count(summary: RepoSummary, f: Finding, root: string, rules: readonly Rule[]): void {
  const rel = path.relative(root, f.path).split(path.sep).join('/');
  const test = f.tags.includes('test');
  summary.counts[f.severity]++;
  (test ? summary.test! : summary.production!)[f.severity]++;
  summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
  if (f.fix) summary.fixable++;
  summary.findings!.push({
    ruleId: f.ruleId,
    severity: f.severity,
    path: rel,
    line: f.region.startLine,
    column: f.region.startColumn,
    message: f.message,
    test,
    ...(f.fix ? { autofix: f.fix.description } : {}),
    fingerprint: f.fingerprint,
  });
  if (f.kind === 'runtime' || rules.find((r) => r.id === f.ruleId)?.kind === 'runtime') {
    summary.runtimes.push({ ruleId: f.ruleId, path: rel, line: f.region.startLine, message: f.message });
  }
}

/** Totals and per-rule figures over repository summaries (also used by merge). */
export function summarize(repos: RepoSummary[], rules: readonly Rule[], shards: string[]): AuditSummary {
  const totals: AuditSummary['totals'] = {
    ...emptyCounts(),
    repos: repos.length,
    failed: 0,
    files: 0,
    bytes: 0,
    findings: 0,
    durationMs: 0,
    production: { ...emptyCounts(), findings: 0 },
    test: { ...emptyCounts(), findings: 0 },
    oldRuntimeRepos: 0,
  };
  const perRule = new Map<string, { count: number; production: number; repos: number; productionRepos: number }>();
  for (const r of repos) {
    if (r.status === 'failed') totals.failed++;
    totals.files += r.files;
    totals.bytes += r.bytes;
    totals.durationMs += r.durationMs;
    if (r.inventory?.some((e) => e.tooOld)) totals.oldRuntimeRepos!++;
    for (const s of SEVERITIES) {
      totals[s] += r.counts[s];
      // summaries from before production and test were told apart count as production
      const prod = r.production?.[s] ?? r.counts[s] - (r.test?.[s] ?? 0);
      totals.production![s] += prod;
      totals.test![s] += r.counts[s] - prod;
    }
    const prodByRule = new Map<string, number>();
    for (const f of r.findings ?? []) if (!f.test) prodByRule.set(f.ruleId, (prodByRule.get(f.ruleId) ?? 0) + 1);
    for (const [id, n] of Object.entries(r.byRule)) {
      const e = perRule.get(id) ?? { count: 0, production: 0, repos: 0, productionRepos: 0 };
      const prod = r.findings ? (prodByRule.get(id) ?? 0) : n;
      e.count += n;
      e.production += prod;
      e.repos++;
      if (prod > 0) e.productionRepos++;
      perRule.set(id, e);
    }
  }
  totals.findings = totals.error + totals.warning + totals.note;
  totals.production!.findings = totals.production!.error + totals.production!.warning + totals.production!.note;
  totals.test!.findings = totals.test!.error + totals.test!.warning + totals.test!.note;
  const weight: Record<Severity, number> = { error: 100, warning: 10, note: 1 };
  const ruleTotals: RuleTotal[] = [...perRule.entries()].map(([id, e]) => {
    const rule = rules.find((r) => r.id === id);
    return {
      id,
      title: rule?.title ?? id,
      severity: rule?.severity ?? 'warning',
      kind: rule?.kind ?? 'protocol',
      count: e.count,
      production: e.production,
      repos: e.repos,
      productionRepos: e.productionRepos,
      fixable: rule?.fixable ? e.count : 0,
      fix: rule ? fixHint(rule) : '',
    };
  });
  // the fixes that matter most first: severity, then how many repositories they touch in
  // production code, then production volume; findings only in test code come last of their severity
  ruleTotals.sort(
    (a, b) =>
      weight[b.severity] - weight[a.severity] ||
      (b.productionRepos ?? b.repos) - (a.productionRepos ?? a.repos) ||
      (b.production ?? b.count) - (a.production ?? a.count) ||
      b.repos - a.repos ||
      b.count - a.count ||
      a.id.localeCompare(b.id),
  );
  return { tool: 'tlslint', version: VERSION, generatedAt: new Date().toISOString(), shards, repos, totals, rules: ruleTotals };
}

/** Combines the summaries of several shards (or audits) into one; repositories keep their SARIF paths. */
export function mergeSummaries(parts: AuditSummary[], rules: readonly Rule[]): AuditSummary {
  const repos = parts.flatMap((p) => p.repos);
  const merged = summarize(repos, rules, parts.flatMap((p) => p.shards));
  const compared = parts.filter((p) => p.comparison);
  if (compared.length) {
    merged.comparison = {
      baseline: compared[0]!.comparison!.baseline,
      ...(compared[0]!.comparison!.generatedAt ? { generatedAt: compared[0]!.comparison!.generatedAt } : {}),
      new: compared.reduce((n, p) => n + p.comparison!.new, 0),
      fixed: compared.reduce((n, p) => n + p.comparison!.fixed, 0),
      remaining: compared.reduce((n, p) => n + p.comparison!.remaining, 0),
      missing: compared.flatMap((p) => p.comparison!.missing),
    };
  }
  return merged;
}

const findingKey = (f: { ruleId: string; path: string; fingerprint: string }) => `${f.ruleId}\0${f.path}\0${f.fingerprint}`;

/** A previous audit's findings of one repository: from its summary, or else from its SARIF file. */
function previousFindings(dir: string, repo: RepoSummary): RepoFinding[] {
  if (repo.findings) return repo.findings;
  if (!repo.sarif) return [];
  try {
    const log = JSON.parse(fs.readFileSync(path.join(dir, repo.sarif), 'utf8')) as {
      runs?: Array<{ results?: Array<{ ruleId?: string; level?: string; message?: { text?: string }; partialFingerprints?: Record<string, string>; properties?: { tags?: string[] }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } } }> }> }>;
    };
    return (log.runs ?? []).flatMap((run) =>
      (run.results ?? []).flatMap((r) => {
        const loc = r.locations?.[0]?.physicalLocation;
        const fp = r.partialFingerprints?.['tlslintFindingHash/v1'];
        if (!r.ruleId || !fp || !loc?.artifactLocation?.uri) return [];
        const uri = loc.artifactLocation.uri;
        return [
          {
            ruleId: r.ruleId,
            severity: (r.level === 'error' || r.level === 'note' ? r.level : 'warning') as Severity,
            path: uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri),
            line: loc.region?.startLine ?? 0,
            column: loc.region?.startColumn ?? 0,
            message: r.message?.text ?? '',
            test: !!r.properties?.tags?.includes('test'),
            fingerprint: fp,
          },
        ];
      }),
    );
  } catch {
    return [];
  }
}

/**
 * New, fixed and remaining findings per repository against an earlier audit (its folder, or its
 * summary.json): repositories match by their key (URL and ref, or folder), findings by rule, file
 * and fingerprint, so a finding that only moved is neither new nor fixed.
 */
export function compareWithBaseline(summary: AuditSummary, baseline: string): void {
  const file = fs.existsSync(baseline) && fs.statSync(baseline).isDirectory() ? path.join(baseline, 'summary.json') : baseline;
  const dir = path.dirname(file);
  const before = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditSummary;
  if (before.tool !== 'tlslint' || !Array.isArray(before.repos)) throw new Error(`${baseline}: not a tlslint audit`);
  const match = (r: RepoSummary) => before.repos.find((b) => (b.key && b.key === r.key) || (!b.key && (b.path === r.path || b.name === r.name)));
  const totals = { new: 0, fixed: 0, remaining: 0 };
  const seen = new Set<RepoSummary>();
  for (const r of summary.repos) {
    if (r.status !== 'ok') continue;
    const old = match(r);
    if (old) seen.add(old);
    const was = old && old.status === 'ok' ? previousFindings(dir, old) : [];
    const now = r.findings ?? [];
    const wasKeys = new Set(was.map(findingKey));
    const nowKeys = new Set(now.map(findingKey));
    const added = now.filter((f) => !wasKeys.has(findingKey(f)));
    const fixed = was.filter((f) => !nowKeys.has(findingKey(f)));
    r.comparison = { new: added, fixed, remaining: now.length - added.length, ...(old ? {} : { added: true }) };
    totals.new += added.length;
    totals.fixed += fixed.length;
    totals.remaining += now.length - added.length;
  }
  const missing = before.repos.filter((b) => !seen.has(b) && !summary.repos.some((r) => r.key && r.key === b.key)).map((b) => b.name);
  summary.comparison = { baseline: path.basename(path.resolve(dir)), generatedAt: before.generatedAt, ...totals, missing };
}

/** Writes summary.json, summary.md and summary.html into `outDir`, each whole or not at all. */
export function writeSummary(outDir: string, summary: AuditSummary): void {
  fs.mkdirSync(outDir, { recursive: true });
  writeFileAtomic(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileAtomic(path.join(outDir, 'summary.md'), renderMarkdown(summary));
  writeFileAtomic(path.join(outDir, 'summary.html'), renderHtml(summary));
}
