/** `tlslint audit` and `tlslint merge`: batch audits of many repositories, and combining shards. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type CliProgress from 'cli-progress';
import os from 'node:os';
import { removePendingTemporaries } from './atomic.js';
import { AuditStopped, mergeSummaries, runAudit, writeSummary, type AuditSummary } from './audit.js';
import { readRepoEntries } from './audit-repos.js';
import { limitHeapGrowth } from './memory.js';
import { positiveInt, progressBar, readConfig, SHARED_OPTIONS, sharedSettings, UsageError, wantsProgress, type Io } from './cli-common.js';
import { RULES } from './registry.js';
import { SEVERITY_RANK } from './types.js';

export const AUDIT_HELP = `Usage: tlslint audit [options] [repository folders or git URLs...]

Scans each repository as its own project root and writes, into the output folder:
  sarif/<repo>.sarif   one SARIF log per repository (upload to code scanning, or keep)
  summary.json         per-repository findings (production and test code apart), runtime
                       inventory, per-rule counts, failed repositories, comparison
  summary.md           the same for people (a CI job summary, a ticket)
  summary.html         a self-contained page with charts and every finding; open it from disk

Repositories named by URL (https://, ssh://, git@host:org/repo, file://) are cloned shallowly
with your git and your git credentials into the cache folder, several at a time, and fetched
again (not cloned) on the next run. A listing line is a folder or URL, then optionally a branch,
tag or full commit id: https://github.com/org/api.git release-2.4

An audit that was stopped (Ctrl-C, a killed job) resumes where it stopped: run the same command
again. Repositories whose commit (folders: files) did not change since their SARIF was written,
with the same tlslint version and options, are not scanned again.

Options
  -r, --repos FILE         read repositories from FILE, one per line (# comments; repeatable)
  -o, --out DIR            output folder (default: tlslint-audit)
      --cache DIR          where clones of URLs live (default: ~/.cache/tlslint/repos)
      --clone-jobs N       clones and fetches at once (default 4)
      --baseline-audit DIR compare with an earlier audit: new, fixed and remaining findings
      --rescan             scan every repository again, even when unchanged
      --shard I/N          audit only the I-th of N stable shares of the repositories
      --max-repo-files N   report a repository with more files than N as failed (default 200000)
      --fail-on LEVEL      exit 1 when a finding is at or above LEVEL: error, warning (default), note
  -j, --jobs N             worker threads per repository scan (default: number of cores)
      --max-file-size N    skip files larger than N bytes (suffixes k, m; default 4m)
      --file-timeout S / --worker-memory MB   per-file budgets, as for a scan (default 5 s, 1024 MB)
      --rule ID / --disable-rule ID / --min-tls VERSION / -c, --config FILE   as for a scan
  -q, --quiet              no progress bar and no closing line

Repositories' own tlslint.json files are not read in an audit: every repository is judged by the
same rules (pass --config to choose them).

Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage error or every repository failed.
`;

export const MERGE_HELP = `Usage: tlslint merge [options] <audit folders or summary.json files...>

Combines the outputs of several audits (the shards of a CI matrix, one per machine) into one:
summary.json, summary.md, summary.html and the per-repository SARIF files under sarif/.

Options
  -o, --out DIR    output folder (default: tlslint-audit)
`;

export async function auditMain(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SHARED_OPTIONS,
      repos: { type: 'string', short: 'r', multiple: true },
      out: { type: 'string', short: 'o' },
      'max-repo-files': { type: 'string' },
      cache: { type: 'string' },
      'clone-jobs': { type: 'string' },
      'baseline-audit': { type: 'string' },
      rescan: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout.write(AUDIT_HELP);
    return 0;
  }
  const cwd = io.cwd;
  for (const f of values.repos ?? []) if (!fs.existsSync(path.resolve(cwd, f))) throw new UsageError(`--repos: no such file ${f}`);
  const repos = readRepoEntries(positionals, values.repos ?? [], cwd);
  if (repos.length === 0) throw new UsageError('no repositories: name folders, or a listing with --repos FILE');
  // repositories' own config files are not read: every repository is judged by the same rules
  const config = readConfig(cwd, values.config);
  const { failOn, settings, rules, severities, jobs, maxFileSize, shard, fileTimeout, workerMemory } = sharedSettings(values, config);
  const outDir = path.resolve(cwd, values.out ?? 'tlslint-audit');
  const baselineAudit = values['baseline-audit'] !== undefined ? path.resolve(cwd, values['baseline-audit']) : undefined;
  if (baselineAudit && !fs.existsSync(fs.existsSync(baselineAudit) && fs.statSync(baselineAudit).isDirectory() ? path.join(baselineAudit, 'summary.json') : baselineAudit)) {
    throw new UsageError(`--baseline-audit: no audit summary in ${values['baseline-audit']}`);
  }
  const cacheDir = path.resolve(cwd, values.cache ?? path.join(io.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tlslint', 'repos'));

  // Ctrl-C or a cancelled job: clones stop at once, the repository being scanned is finished and
  // recorded, and the audit stops there; a second signal stops at once (files stay whole: they are
  // written to temporary names and renamed, and the half-written ones are removed)
  const abort = new AbortController();
  let done = 0;
  const interrupted = (signal: NodeJS.Signals) => {
    if (!abort.signal.aborted) {
      abort.abort();
      bar?.stop();
      io.stderr.write(`\ntlslint: ${signal}: stopping after the repository being scanned (send it again to stop at once)\n`);
      return;
    }
    removePendingTemporaries();
    io.stderr.write(`tlslint: audit stopped (${signal}) after ${done} of ${repos.length} repositories; run the same command again to resume\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  let cloning = 0;

  const showProgress = wantsProgress(io, values.quiet);
  let bar: CliProgress.SingleBar | undefined;
  const started = performance.now();
  let files = 0;
  let current = '';
  const payload = () => {
    const seconds = (performance.now() - started) / 1000;
    return { files, rate: seconds > 0 ? Math.round(files / seconds).toString() : '0', repo: current.length > 40 ? `…${current.slice(-39)}` : current, cloning: cloning ? ` | ${cloning} cloning` : '' };
  };
  let summary: AuditSummary;
  try {
    limitHeapGrowth(); // an audit reads an estate (memory.ts)
    summary = await runAudit({
    repos,
    outDir,
    cacheDir,
    cloneJobs: values['clone-jobs'] !== undefined ? positiveInt('--clone-jobs', values['clone-jobs']) : 4,
    rescan: !!values.rescan,
    baselineAudit,
    signal: abort.signal,
    allRules: RULES,
    rules,
    severities,
    settings,
    excludes: config.exclude,
    gitignore: config.gitignore,
    shard,
    maxRepoFiles: values['max-repo-files'] !== undefined ? positiveInt('--max-repo-files', values['max-repo-files']) : 200_000,
    jobs,
    maxFileSize,
    fileTimeout,
    workerMemory,
    onRepo(e) {
      if (e.phase === 'done') done = e.index + 1;
      if (!showProgress || abort.signal.aborted) return;
      if (!bar) {
        bar = progressBar(io, 'auditing [{bar}] {value}/{total} repos | {files} files | {rate} files/s | ETA {eta_formatted}{cloning} | {repo}', 20);
        bar.start(e.total, 0, payload());
      }
      current = e.name;
      bar.update(e.phase === 'done' ? e.index + 1 : e.index, payload());
    },
    onClone(active) {
      cloning = active;
      bar?.update(payload());
    },
    onFiles(done) {
      files = done;
      bar?.update(payload());
    },
  });
  } catch (err) {
    if (!(err instanceof AuditStopped)) throw err;
    io.stderr.write(`tlslint: audit stopped after ${err.done} of ${repos.length} repositories; run the same command again to resume\n`);
    return 130;
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
  writeSummary(outDir, summary);
  const t = summary.totals;
  if (!values.quiet) {
    io.stderr.write(
      `tlslint: audited ${t.repos} repositor${t.repos === 1 ? 'y' : 'ies'}${shard ? ` (shard ${shard.index}/${shard.count} of ${repos.length})` : ''}, ${t.files} files, ${t.findings} findings (${t.error} errors, ${t.warning} warnings, ${t.note} notes; ${t.production?.findings ?? t.findings} in production code, ${t.test?.findings ?? 0} in tests) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const reused = summary.repos.filter((r) => r.reused).length;
    if (reused) io.stderr.write(`tlslint: ${reused} unchanged repositor${reused === 1 ? 'y' : 'ies'} not scanned again (--rescan scans them)\n`);
    if (summary.comparison) io.stderr.write(`tlslint: against ${summary.comparison.baseline}: ${summary.comparison.new} new, ${summary.comparison.fixed} fixed, ${summary.comparison.remaining} remaining\n`);
    for (const r of summary.repos.filter((x) => x.status === 'failed')) io.stderr.write(`tlslint: ${r.path}: failed: ${r.error}\n`);
    io.stderr.write(`tlslint: summary in ${path.relative(cwd, path.join(outDir, 'summary.html')) || 'summary.html'}\n`);
  }
  if (t.repos > 0 && t.failed === t.repos) return 2;
  const threshold = SEVERITY_RANK[failOn];
  const worst = summary.rules.some((r) => SEVERITY_RANK[severities[r.id] ?? r.severity] >= threshold);
  return worst ? 1 : 0;
}

export async function mergeMain(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('merge needs audit folders or summary.json files');
  const outDir = path.resolve(io.cwd, values.out ?? 'tlslint-audit');
  fs.mkdirSync(path.join(outDir, 'sarif'), { recursive: true });
  const parts: AuditSummary[] = [];
  const taken = new Set<string>();
  for (const input of positionals) {
    const abs = path.resolve(io.cwd, input);
    const file = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? path.join(abs, 'summary.json') : abs;
    if (!fs.existsSync(file)) throw new UsageError(`${input}: no summary.json`);
    let part: AuditSummary;
    try {
      part = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditSummary;
    } catch (err) {
      throw new UsageError(`${input}: not a tlslint audit summary (${(err as Error).message})`);
    }
    if (part.tool !== 'tlslint' || !Array.isArray(part.repos)) throw new UsageError(`${input}: not a tlslint audit summary`);
    const dir = path.dirname(file);
    for (const repo of part.repos) {
      if (!repo.sarif) continue;
      const source = path.join(dir, repo.sarif);
      let name = path.basename(repo.sarif, '.sarif');
      for (let i = 2; taken.has(name); i++) name = `${path.basename(repo.sarif, '.sarif')}-${i}`;
      taken.add(name);
      const target = `sarif/${name}.sarif`;
      if (path.resolve(source) !== path.resolve(outDir, target)) {
        if (fs.existsSync(source)) fs.copyFileSync(source, path.join(outDir, target));
        else repo.error = `SARIF file missing from ${input}`;
      }
      repo.sarif = target;
    }
    parts.push(part);
  }
  const merged = mergeSummaries(parts, RULES);
  writeSummary(outDir, merged);
  const t = merged.totals;
  io.stderr.write(`tlslint: merged ${parts.length} audit(s): ${t.repos} repositories, ${t.findings} findings; summary in ${path.relative(io.cwd, path.join(outDir, 'summary.html'))}\n`);
  return 0;
}
