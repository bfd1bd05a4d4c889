/**
 * `tlslint --stdin-filename NAME -`: scans standard input as if it were the file NAME (its kind,
 * its project facts and config from NAME's folder), as ESLint and Ruff do for editors and pipes.
 * With --fix the fixed text goes to standard output and the remaining findings to standard error
 * (or --output); otherwise the report goes to standard output as for any scan.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from './analyze.js';
import { filterBaseline, readBaseline } from './baseline.js';
import { readConfig, sharedSettings, UsageError, type Io, type SharedValues } from './cli-common.js';
import { defaultConfig } from './config.js';
import { ContextCache } from './context.js';
import { decode, encode } from './encoding.js';
import { applyFixes, errorCount } from './fix.js';
import { classify } from './languages.js';
import { RULES } from './registry.js';
import { formatReport, type Format } from './report/index.js';
import { formatDiagnostics } from './report/text.js';
import { isTestPath } from './testcode.js';
import { SEVERITY_RANK, type Diagnostic, type Finding } from './types.js';

export interface StdinValues extends SharedValues {
  'stdin-filename'?: string;
  output?: string;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  baseline?: string;
  'write-baseline'?: string;
  'no-config'?: boolean;
  'include-suppressed'?: boolean;
  quiet?: boolean;
}

/** The whole of a stream, as bytes. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}


export async function stdinMain(values: StdinValues, positionals: string[], format: Format, io: Io): Promise<number> {
  const name = values['stdin-filename'];
  if (!name) throw new UsageError('reading standard input (-) needs --stdin-filename NAME, the file name to scan it as');
  if (positionals.length !== 1) throw new UsageError('- (standard input) cannot be combined with other paths');
  if (values['fix-dry-run']) throw new UsageError('--fix-dry-run does not take standard input; use --fix, which writes the fixed text to standard output');
  if (values['write-baseline']) throw new UsageError('--write-baseline does not take standard input');
  const cwd = io.cwd;
  const file = path.resolve(cwd, name);
  const display = path.relative(cwd, file) || path.basename(file);
  const config = values['no-config'] ? defaultConfig() : readConfig(cwd, values.config, path.dirname(file));
  const { failOn, settings, rules, severities } = sharedSettings(values, config);
  const baseline = values.baseline ? readBaseline(path.resolve(cwd, values.baseline), cwd) : undefined;

  const started = performance.now();
  const bytes = await readAll(io.stdin ?? process.stdin);
  const kind = classify(file);
  const diagnostics: Diagnostic[] = [];
  let findings: Finding[] = [];
  let parsed = false;
  if (!kind) {
    diagnostics.push({ code: 'config', level: 'note', path: file, message: `${display}: not a kind of file tlslint reads; nothing scanned` });
  } else if (config.tests === false && isTestPath(display)) {
    // test code is left out by the config, as in a scan of the folder
  } else {
    const analyzer = new Analyzer(rules, { settings, severities, keepSuppressed: !!values['include-suppressed'] }, new ContextCache({ discover: { cwd } }));
    const result = analyzer.analyze(file, display, bytes, kind);
    findings = result.findings;
    diagnostics.push(...result.diagnostics);
    parsed = result.parsed;
  }
  if (baseline) findings = filterBaseline(findings, baseline, cwd);
  const stats = { files: 1, parsed: parsed ? 1 : 0, bytes: bytes.length, durationMs: performance.now() - started };

  let reportTo: 'stdout' | 'stderr' = 'stdout';
  if (values.fix) {
    reportTo = 'stderr';
    const decoded = decode(bytes);
    let fixed: string | undefined;
    const fixable = findings.filter((f) => f.fix && !f.suppression);
    if (kind && fixable.length && decoded.valid) {
      const text = decoded.text;
      const result = applyFixes(text, fixable);
      if (result.applied.length && result.text !== text) {
        if (errorCount(kind, result.text, file) > errorCount(kind, text, file)) {
          diagnostics.push({ code: 'fix-failed', level: 'warning', path: file, message: 'not fixed: the fixed text would not parse; printed unchanged' });
        } else {
          fixed = result.text;
          const applied = new Set(result.applied);
          findings = findings.filter((f) => !applied.has(f));
          if (!values.quiet) io.stderr.write(`tlslint: applied ${result.applied.length} fix(es) to ${display}\n`);
        }
      }
    }
    // the fixed text, or the input untouched (byte for byte) when nothing was fixed
    io.stdout.write(fixed === undefined ? bytes : encode(fixed, decoded.encoding));
  }

  const internalError = diagnostics.some((d) => d.code === 'internal-error');
  const input = { findings, diagnostics, rules: RULES, stats, cwd, executionSuccessful: !internalError };
  if (values.output) {
    fs.writeFileSync(path.resolve(cwd, values.output), formatReport(format, input));
  } else if (reportTo === 'stdout') {
    io.stdout.write(formatReport(format, input, format === 'text' && !!io.stdout.isTTY && !io.env.NO_COLOR));
  } else if (findings.length && !values.quiet) {
    // with --fix, standard output is the file: the remaining findings go to standard error, as text
    io.stderr.write(formatReport('text', input));
  }
  const shown = format === 'text' && !values.output ? diagnostics : diagnostics.filter((d) => d.level === 'error');
  io.stderr.write(formatDiagnostics({ diagnostics: shown, cwd }));
  if (internalError) return 2;
  return findings.some((f) => !f.suppression && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
