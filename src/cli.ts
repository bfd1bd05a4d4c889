import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type CliProgress from 'cli-progress';
import { filterBaseline, readBaseline, writeBaseline } from './baseline.js';
import { auditMain, mergeMain } from './cli-audit.js';
import { defaultConfig } from './config.js';
import { isUsageError, list, progressBar, readConfig, SHARED_OPTIONS, sharedSettings, UsageError, wantsProgress, type Io } from './cli-common.js';
import { scan } from './engine.js';
import { fixFiles } from './fix.js';
import { RULES } from './registry.js';
import type { ReportInput } from './report/common.js';
import { FORMATS, formatReport, type Format } from './report/index.js';
import { formatDiagnostics } from './report/text.js';
import { isFolder } from './paths.js';
import { limitHeapGrowth } from './memory.js';
import { formatTiming, Timing } from './timing.js';
import { stdinMain } from './stdin.js';
import { SEVERITY_RANK } from './types.js';
import { VERSION } from './version.js';

const HELP = `tlslint ${VERSION}: find outdated and insecure TLS configuration in source code and config files

Usage: tlslint [options] [paths...]        (default path: .)
       tlslint audit [options] [repository folders...]   (tlslint audit --help)
       tlslint merge [options] <audit folders...>         (tlslint merge --help)

Output
  -f, --format FORMAT      text (default), json, sarif, github (workflow annotations),
                           gitlab (GitLab SAST report), junit (JUnit XML test report)
  -o, --output FILE        write the report to FILE instead of standard output
      --fail-on LEVEL      exit 1 when a finding is at or above LEVEL: error, warning (default), note
  -q, --quiet              no progress bar
      --timing             time per phase (discover, read, prefilter, parse, rules, report) and the
                           ten slowest rules, on stderr
      --no-color           plain text output
      --include-suppressed keep findings silenced by tlslint-disable comments (marked as suppressed)

Rules
      --rule ID            run only this rule or pack (repeatable, comma-separated; e.g. go, dotnet,
                           java/...; a language names its pack: csharp is dotnet)
      --disable-rule ID    do not run this rule or pack (repeatable)
      --min-tls VERSION    lowest acceptable TLS version: 1.2 (default) or 1.3
      --list-rules         list the rules and exit

Files
  -c, --config FILE        use this JSON config instead of the nearest tlslint.json / .tlslintrc.json
      --no-config          ignore config files
      --exclude GLOB       gitignore-style pattern to skip (repeatable)
      --no-gitignore       scan files that .gitignore excludes
      --follow-symlinks    follow links to files outside the scanned folder (default: reported, not followed)
      --max-file-size N    skip files larger than N bytes (suffixes k, m; default 4m)
  -j, --jobs N             worker threads (default: number of cores)
      --file-timeout SECONDS  abandon a file that takes longer than this, with a diagnostic (default 5;
                           0 for no limit); on Linux its worker's CPU time counts, not the wall clock
      --worker-memory MB   heap limit of each scan worker; a file that needs more is abandoned
                           (default 1024)
      --shard I/N          scan only the I-th of N stable shares of the files (split work across machines)

Standard input
      --stdin-filename NAME  with - as the path: scan standard input as the file NAME;
                           with --fix, write the fixed text to standard output

Adoption
      --fix                apply safe fixes in place
      --fix-dry-run        print the fixes as a unified diff, change nothing
      --baseline FILE      report only findings not in FILE (a --write-baseline file or a SARIF log)
      --write-baseline FILE  record the current findings as the baseline and exit 0

  -h, --help               this help
  -v, --version            the version

Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or internal error, a path
that does not exist, or no file to scan under the folders given.
Configuration, rules and CI set-up: see README.md and docs/rules.md.
`;

export { UsageError };

function listRules(format: Format): string {
  if (format === 'json') {
    return JSON.stringify(
      RULES.map((r) => ({ id: r.id, pack: r.pack, fileKind: r.fileKind, language: r.pack, severity: r.severity, kind: r.kind, title: r.title, cwe: r.cwe, fixable: !!r.fixable })),
      null,
      2,
    ) + '\n';
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  return RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.kind.padEnd(11)}  ${r.fixable ? 'fix ' : '    '} ${r.title}`).join('\n') + '\n';
}

/** Runs the command line; returns the exit status. Never throws for bad input. */
export async function main(argv: string[], io: Io): Promise<number> {
  if (argv[0] === 'audit' || argv[0] === 'merge') {
    try {
      return await (argv[0] === 'audit' ? auditMain : mergeMain)(argv.slice(1), io);
    } catch (err) {
      io.stderr.write(isUsageError(err) ? `tlslint ${argv[0]}: ${(err as Error).message}\nTry 'tlslint ${argv[0]} --help'.\n` : `tlslint: internal error: ${(err as Error).stack ?? String(err)}\n`);
      return 2;
    }
  }
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...SHARED_OPTIONS,
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'no-color': { type: 'boolean' },
        'include-suppressed': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        'no-config': { type: 'boolean' },
        exclude: { type: 'string', multiple: true },
        'no-gitignore': { type: 'boolean' },
        'follow-symlinks': { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        'stdin-filename': { type: 'string' },
        timing: { type: 'boolean' },
      },
    }));
  } catch (err) {
    io.stderr.write(`tlslint: ${(err as Error).message}\nTry 'tlslint --help'.\n`);
    return 2;
  }
  try {
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    if (values['list-rules']) {
      io.stdout.write(listRules(format));
      return 0;
    }
    if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run exclude each other');
    if (positionals.includes('-')) return await stdinMain(values, positionals, format, io);
    if (values['stdin-filename']) throw new UsageError('--stdin-filename names standard input: give - as the path');

    const cwd = io.cwd;
    const paths = positionals.length ? positionals : ['.'];
    const config = values['no-config'] ? defaultConfig() : readConfig(cwd, values.config, path.resolve(cwd, paths[0]!));
    const { failOn, settings, rules, severities, jobs, maxFileSize, shard, fileTimeout, workerMemory } = sharedSettings(values, config);
    const baseline = values.baseline ? readBaseline(path.resolve(cwd, values.baseline), cwd) : undefined;

    const started = performance.now();
    const showProgress = wantsProgress(io, values.quiet);
    let bar: CliProgress.SingleBar | undefined;
    // a scan of folders may read an estate: its heaps are kept tighter (a commit's files need not)
    if (paths.some((p) => isFolder(path.resolve(cwd, p)))) limitHeapGrowth();
    const result = await scan({
      paths,
      cwd,
      rules,
      settings,
      severities,
      keepSuppressed: !!values['include-suppressed'],
      excludes: [...config.exclude, ...list(values.exclude)],
      gitignore: config.gitignore && !values['no-gitignore'],
      followSymlinks: !!values['follow-symlinks'],
      tests: config.tests,
      jobs,
      maxFileSize,
      shard,
      fileTimeout,
      workerMemory,
      timing: !!values.timing,
      onStart(total) {
        if (!showProgress || total < 200) return;
        bar = progressBar(io, 'scanning [{bar}] {percentage}% | {value}/{total} files | {rate} files/s | ETA {eta_formatted}', 200);
        bar.start(total, 0, { rate: '0' });
      },
      onProgress(done) {
        if (!bar) return;
        const seconds = (performance.now() - started) / 1000;
        bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toString() : '0' });
      },
    });
    bar?.stop();

    let findings = result.findings;
    if (baseline) findings = filterBaseline(findings, baseline, cwd);
    const diagnostics = result.diagnostics;
    if (result.empty) {
      diagnostics.push({ code: 'no-files', level: 'error', message: `no files to scan in ${paths.join(' ')}: none of a kind tlslint reads (after .gitignore, --exclude and the default excludes)` });
    }

    if (values['write-baseline']) {
      writeBaseline(path.resolve(cwd, values['write-baseline']), findings.filter((f) => !f.suppression), cwd);
      io.stderr.write(`tlslint: wrote a baseline of ${findings.length} finding(s) to ${values['write-baseline']}\n`);
      return 0;
    }
    if (values.fix || values['fix-dry-run']) {
      const outcome = fixFiles(findings, { dryRun: !!values['fix-dry-run'], cwd, scanned: result.scanned, boundaries: result.boundaries, rawPaths: result.rawPaths });
      diagnostics.push(...outcome.diagnostics);
      if (values['fix-dry-run']) {
        io.stdout.write(outcome.diffs.join(''));
        io.stderr.write(formatDiagnostics({ diagnostics, cwd }));
        io.stderr.write(`tlslint: ${outcome.applied.length} fix(es) in ${outcome.files.length} file(s) would be applied\n`);
        return 0;
      }
      const applied = new Set(outcome.applied);
      findings = findings.filter((f) => !applied.has(f));
      if (outcome.applied.length) io.stderr.write(`tlslint: applied ${outcome.applied.length} fix(es) in ${outcome.files.length} file(s)\n`);
    }

    const internalError = diagnostics.some((d) => d.code === 'internal-error');
    const input: ReportInput = { findings, diagnostics, rules: RULES, stats: result.stats, cwd, executionSuccessful: !internalError };
    const color = format === 'text' && !values['no-color'] && !values.output && !!io.stdout.isTTY && !io.env.NO_COLOR;
    const reportStart = performance.now();
    const report = formatReport(format, input, color);
    if (values.output) fs.writeFileSync(path.resolve(cwd, values.output), report);
    else io.stdout.write(report);
    if (result.timing) {
      const timing = new Timing();
      timing.merge(result.timing);
      timing.add('report', performance.now() - reportStart);
      io.stderr.write(formatTiming(timing.data, performance.now() - started, result.threads ?? 1, result.walkOverlapped));
    }
    // diagnostics go to stderr; in machine formats (which carry them too) only errors
    const shown = format === 'text' ? diagnostics : diagnostics.filter((d) => d.level === 'error');
    io.stderr.write(formatDiagnostics({ diagnostics: shown, cwd }));

    if (result.missing.length || internalError || result.empty) return 2;
    return findings.some((f) => !f.suppression && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
  } catch (err) {
    if (isUsageError(err)) {
      io.stderr.write(`tlslint: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`tlslint: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
