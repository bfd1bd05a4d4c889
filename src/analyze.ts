import { createHash } from 'node:crypto';
import path from 'node:path';
import { ContextCache, ProjectContext, type ProjectIndex } from './context.js';
import { semanticsOf, type Semantics } from './lang/index.js';
import type { LangNode } from './lang/model.js';
import { tsRoot, type TsNode } from './lang/typescript.js';
import { SourceIndex } from './lang/project.js';
import { type FileKind } from './languages.js';
import { grammarFor, parseText, parseTypeScript, queryLimits, treeSitter } from './parsers.js';
import { Prefilter } from './prefilter.js';
import { planQuery, runQuery, type QueryPlan } from './query-plan.js';
import type { FileContext, Report, Rule, RuleSettings, SyntaxNode, TreeChecker } from './rule.js';
import { detach, SourceFile } from './source.js';
import { decode, encodingLabel, isWide, sniffEncoding, type Decoded } from './encoding.js';
import { limitNesting, limitScannerState, MAX_HEREDOC_ID, MAX_NESTING, MAX_YAML_DEPTH } from './nesting.js';
import { checkpoint, ScanCancelled, uncharged } from './cancel.js';
import { beforeParse } from './memory.js';
import { Timing } from './timing.js';
import { applySuppressions } from './suppress.js';
import { assignLineHashes } from './linehash.js';
import { isTestPath } from './testcode.js';
import { SEVERITY_RANK, type Diagnostic, type Finding, type Severity } from './types.js';

export interface AnalyzeOptions {
  /** Measure time per phase and per rule (`--timing`). */
  timing?: boolean;
  settings: RuleSettings;
  /** Severity overrides by rule id (from config). */
  severities?: Record<string, Severity>;
  /** Keep suppressed findings (marked) instead of dropping them. */
  keepSuppressed?: boolean;
}

export interface FileResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** True when the file passed the prefilter and was parsed. */
  parsed: boolean;
}


/**
 * Each tree checker's query plan, per file kind (a checker of `xml` also reads poms), for every
 * analyzer of this thread: compiling a rule's query costs milliseconds, and an audit makes an
 * analyzer per repository.
 */
const plans = new WeakMap<TreeChecker, Map<string, QueryPlan>>();

/** The prefilters built for the rule lists of earlier analyzers (an audit makes one per repository and worker). */
const prefilters: Array<{ rules: readonly Rule[]; prefilter: Prefilter }> = [];

/** The prefilter of a rule list: built once for the same rules in the same order. */
function prefilterFor(rules: readonly Rule[]): Prefilter {
  const same = prefilters.find((p) => p.rules.length === rules.length && p.rules.every((r, i) => r === rules[i]));
  if (same) return same.prefilter;
  const prefilter = new Prefilter(rules);
  prefilters.push({ rules: [...rules], prefilter });
  if (prefilters.length > 4) prefilters.shift();
  return prefilter;
}

/**
 * Runs the rules on one file's bytes: prefilter, decode, parse, rules, fingerprints,
 * suppressions. Knows nothing of discovery, the CLI or report formats. One per worker.
 */
export class Analyzer {
  private readonly prefilter: Prefilter;
  /** Time per phase and rule, when `timing` is on. */
  readonly timing?: Timing;
  private readonly contexts: ProjectIndex;
  /** Other source files, opened when the semantic layer follows a name into them. */
  private readonly index = new SourceIndex();

  constructor(
    private readonly rules: Rule[],
    private readonly options: AnalyzeOptions,
    /** Who answers project questions: the scan's ContextCache, or the main thread's for a worker. */
    contexts?: ProjectIndex,
  ) {
    this.prefilter = prefilterFor(rules);
    if (options.timing) this.timing = new Timing();
    this.contexts = contexts ?? new ContextCache();
  }

  /**
   * @param filePath absolute path
   * @param displayPath path relative to the scan root (for test-code tagging)
   */
  analyze(filePath: string, displayPath: string, bytes: Buffer, kind: FileKind): FileResult {
    const diagnostics: Diagnostic[] = [];
    const timing = this.timing;
    // UTF-16 and UTF-32 (with a BOM) are decoded first, and the prefilter reads their UTF-8 form
    const encoding = sniffEncoding(bytes);
    let wide: Decoded | undefined;
    let scanned = bytes;
    if (isWide(encoding)) {
      wide = decode(bytes);
      scanned = Buffer.from(wide.text, 'utf8');
    }
    if (scanned.indexOf(0) !== -1) {
      diagnostics.push({ code: 'binary-file', level: 'warning', path: filePath, message: `skipped: a ${kind.formatName} file that contains NUL bytes (binary?)` });
      return { findings: [], diagnostics, parsed: false };
    }
    // the project is asked only about files the triggers let through
    let asked: ProjectContext | undefined;
    const select = () => {
      const candidates = this.prefilter.activeCheckers(kind, scanned);
      if (candidates.length === 0) return candidates;
      const p = (asked = new ProjectContext(this.contexts, path.dirname(filePath)));
      return candidates.filter((a) => this.applies(a.rule, p));
    };
    const active = timing ? timing.time('prefilter', select) : select();
    if (active.length === 0) return { findings: [], diagnostics, parsed: false };
    const fileStart = timing ? performance.now() : 0;
    let original: string;
    const decodeStart = timing ? performance.now() : 0;
    const decoded = wide ?? decode(bytes);
    original = decoded.text;
    if (!decoded.valid) {
      diagnostics.push(
        wide
          ? { code: 'invalid-encoding', level: 'note', path: filePath, message: `file is not valid ${encodingLabel(encoding)}; invalid bytes were replaced by U+FFFD and the rest was scanned` }
          : { code: 'invalid-utf8', level: 'note', path: filePath, message: 'file is not valid UTF-8; invalid bytes were replaced by U+FFFD and the rest was scanned' },
      );
    }
    timing?.add('decode', performance.now() - decodeStart);
    // brackets nested past the limit are blanked before parsing, so the rest of the file is checked
    let text = original;
    if (kind.parser.type !== 'text') {
      const limited = limitNesting(original, kind);
      if (limited) {
        text = limited.text;
        diagnostics.push({
          code: 'nesting-limit',
          level: 'note',
          path: filePath,
          line: limited.line,
          message: `brackets nested deeper than ${MAX_NESTING} levels (from line ${limited.line}): the code inside them was not checked; the rest of the file was`,
        });
      }
      const scanner = limitScannerState(text, kind);
      if (scanner) {
        text = scanner.text;
        diagnostics.push({
          code: 'nesting-limit',
          level: 'note',
          path: filePath,
          line: scanner.line,
          message:
            kind.parser.type === 'tree-sitter' && kind.parser.name === 'ruby'
              ? `a heredoc identifier longer than ${MAX_HEREDOC_ID} characters (line ${scanner.line}) was not parsed; the rest of the file was`
              : `${scanner.regions} line(s) nested deeper than ${MAX_YAML_DEPTH} levels (from line ${scanner.line}) were not checked; the rest of the file was`,
        });
      }
    }
    const file = new SourceFile(filePath, text, kind.id);
    const project = asked ?? new ProjectContext(this.contexts, path.dirname(filePath));
    const raw: Array<{ rule: Rule; report: Report<LangNode> }> = [];
    const settings = this.options.settings;

    if (kind.parser.type === 'tree-sitter' && active.some((a) => a.checker.query !== undefined)) {
      // the trees of the files before this one are garbage now: let their native memory go
      beforeParse(text.length);
      const tree = timing ? timing.time('parse', () => parseText(kind, text)) : parseText(kind, text);
      if (!tree) {
        diagnostics.push({ code: 'syntax-error', level: 'warning', path: filePath, message: `${kind.formatName} parser gave up (time limit); file not checked` });
        return { findings: [], diagnostics, parsed: true };
      }
      const root = tree.rootNode;
      if (root.hasError) {
        const line = firstErrorLine(root);
        diagnostics.push({
          code: 'syntax-error',
          level: 'note',
          path: filePath,
          line,
          message: `${kind.formatName} syntax error near line ${line}; findings come from the parts that parsed`,
        });
      }
      const index = this.index;
      let sem: Semantics | undefined;
      const lang = () => (sem ??= semanticsOf(file, root, grammarFor(kind).language, index));
      // one checker after the other: its plan finds its matches (most of them only around the
      // words its patterns name), then its check runs on each
      for (const { rule, checker } of active) {
        if (checker.query === undefined) continue;
        const plan = this.plan(kind, checker);
        const run = () => runQuery(plan, root, text, queryLimits());
        const matches = timing ? timing.time('query', run) : run();
        for (const match of matches) {
          checkpoint();
          const captures: Record<string, SyntaxNode | undefined> = {};
          const all: Record<string, SyntaxNode[]> = {};
          for (const c of match.captures) {
            captures[c.name] ??= c.node;
            (all[c.name] ??= []).push(c.node);
          }
          this.guard(rule, filePath, diagnostics, () =>
            checker.check({
              file,
              project,
              settings,
              captures,
              all,
              root,
              get lang() {
                return lang();
              },
              report: (r) => raw.push({ rule, report: r }),
            }),
          );
        }
      }
    }
    // whole-file checkers, on every kind; a JS/TS file's syntax tree is parsed on first use and
    // dropped with the file
    let tsTree: TsNode | undefined;
    let tsSem: Semantics<TsNode> | undefined;
    const tsRootOf = () => (tsTree ??= tsRoot(timing ? timing.time('parse', () => parseTypeScript(text, filePath)) : parseTypeScript(text, filePath)));
    for (const { rule, checker } of active) {
      if (checker.query !== undefined) continue;
      const ctx: FileContext = { file, project, settings, report: (r) => raw.push({ rule, report: r }) };
      if (kind.parser.type === 'typescript') {
        const index = this.index;
        Object.defineProperties(ctx, {
          root: { get: tsRootOf },
          lang: { get: () => (tsSem ??= semanticsOf(file, tsRootOf(), undefined, index)) },
        });
      }
      this.guard(rule, filePath, diagnostics, () => checker.check(ctx));
    }

    const findings = this.toFindings(file, displayPath, raw);
    // GitHub hashes the file as read from disk, where a byte-order mark is a character
    assignLineHashes(findings, encoding !== 'utf-8' ? `\ufeff${original}` : original);
    const suppressed = applySuppressions(file, kind, findings, this.rules);
    diagnostics.push(...suppressed.diagnostics);
    const kept = this.options.keepSuppressed ? suppressed.findings : suppressed.findings.filter((f) => !f.suppression);
    timing?.addFile(displayPath, performance.now() - fileStart);
    return { findings: kept, diagnostics, parsed: true };
  }

  /** A rule's `applies` test for a file's project (a test that fails counts as true: the rule then runs, and reports its own failure). */
  private applies(rule: Rule, project: ProjectContext): boolean {
    if (!rule.applies) return true;
    try {
      return rule.applies(project, this.options.settings);
    } catch (err) {
      if (err instanceof ScanCancelled) throw err;
      return true;
    }
  }

  private guard(rule: Rule, filePath: string, diagnostics: Diagnostic[], fn: () => void): void {
    const t = this.timing ? performance.now() : 0;
    const parsedBefore = this.timing?.data.phases.parse ?? 0;
    checkpoint();
    try {
      fn();
    } catch (err) {
      if (err instanceof ScanCancelled) throw err;
      diagnostics.push({
        code: 'internal-error',
        level: 'error',
        path: filePath,
        message: `rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      // a JS/TS parse started by a checker counts as parse, not as the rule's time
      if (this.timing) this.timing.addRule(rule.id, performance.now() - t - ((this.timing.data.phases.parse ?? 0) - parsedBefore));
    }
  }

  private toFindings(file: SourceFile, displayPath: string, raw: Array<{ rule: Rule; report: Report<LangNode> }>): Finding[] {
    const tags = isTestPath(displayPath) ? ['test'] : [];
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const { rule, report } of raw) {
      const start = report.node ? report.node.startIndex : (report.start ?? 0);
      const end = report.node ? report.node.endIndex : (report.end ?? start);
      const dedupe = `${rule.id}\0${start}\0${end}`;
      if (seen.has(dedupe)) continue; // two patterns of one rule matching the same span
      seen.add(dedupe);
      const region = file.region(start, end);
      const configured = this.options.severities?.[rule.id] ?? rule.severity;
      const severity = report.severity && SEVERITY_RANK[report.severity] < SEVERITY_RANK[configured] ? report.severity : configured;
      // strings cut from the file's text are detached: a finding outlives the file
      findings.push({
        ruleId: rule.id,
        severity,
        kind: rule.kind,
        message: detach(report.message),
        path: file.path,
        region,
        lineText: detach(file.lineText(region.startLine - 1)),
        ...(report.fix
          ? { fix: { description: detach(report.fix.description), edits: report.fix.edits.map((e) => ({ ...e, text: detach(e.text), region: file.region(e.start, e.end) })) } }
          : {}),
        fingerprint: '',
        tags: [...tags],
        ...(report.related?.length
          ? { related: report.related.map((r) => ({ path: r.src.path, region: r.src.region(r.start, r.end), message: detach(r.message) })) }
          : {}),
      });
    }
    findings.sort((a, b) => a.region.startOffset - b.region.startOffset || a.ruleId.localeCompare(b.ruleId));
    assignFingerprints(findings);
    return findings;
  }

  /** A tree checker's query plan for one file kind, compiled on first use. */
  private plan(kind: FileKind, checker: TreeChecker): QueryPlan {
    let byKind = plans.get(checker);
    if (!byKind) plans.set(checker, (byKind = new Map()));
    let plan = byKind.get(kind.id);
    // compiled once per worker: not the file's time (cancel.ts)
    if (!plan) byKind.set(kind.id, (plan = uncharged(() => planQuery(treeSitter().Query, grammarFor(kind).language, checker.query))));
    return plan;
  }
}

function firstErrorLine(root: SyntaxNode): number {
  const cursor = root.walk();
  // depth-first search for the first ERROR or MISSING node
  for (;;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) return node.startPosition.row + 1;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return root.startPosition.row + 1;
    }
  }
}

/**
 * Fingerprints survive edits elsewhere in the file: rule id, the finding's line with white space
 * folded, and the how-many-th such line it is.
 */
export function assignFingerprints(findings: Finding[]): void {
  const occurrences = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.lineText.replace(/\s+/g, ' ').trim()}`;
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    f.fingerprint = createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  }
}
