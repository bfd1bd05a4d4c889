import type Parser from 'tree-sitter';
import type { ProjectContext } from './context.js';
import type { SourceFile } from './source.js';
import type { Semantics } from './lang/evaluate.js';
import type { LangNode } from './lang/model.js';
import type { TsNode } from './lang/typescript.js';
import type { Fix, Precision, RuleKind, Severity, TextEdit } from './types.js';

export type SyntaxNode = Parser.SyntaxNode;

/**
 * A prefilter trigger: a plain substring that must occur in a file for a checker to possibly
 * match, or an ASCII-only pattern without flags where a substring would keep too many files.
 */
export type Trigger = string | RegExp;

/** What a rule hands to `report`: where (a node or offsets), what, and an optional safe fix. */
export interface Report<N extends LangNode = SyntaxNode> {
  node?: N;
  /** Offsets into the file text; used when there is no node (text formats, part of a node). */
  start?: number;
  end?: number;
  message: string;
  fix?: Fix;
  /**
   * Lower than the rule's severity for this finding (a deliberate, configurable insecurity is a
   * `note`); never raises it.
   */
  severity?: Severity;
  /** Other places the finding runs through: where a value is written, the call site, the sink. */
  related?: RelatedReport[];
}

/** A related location of a finding, in this file or another (the semantic layer knows its text). */
export interface RelatedReport {
  src: SourceFile;
  start: number;
  end: number;
  message: string;
}

interface BaseContext {
  file: SourceFile;
  project: ProjectContext;
  /** Settings that shape rules (the minimum TLS version policy...). */
  settings: RuleSettings;
  report(report: Report<LangNode>): void;
}

export interface RuleSettings {
  /** The lowest protocol version the organisation accepts: '1.2' (default) or '1.3'. */
  minTlsVersion: '1.2' | '1.3';
}

export interface MatchContext extends BaseContext {
  /** The first node of each capture name in this match. */
  captures: Record<string, SyntaxNode | undefined>;
  /** All nodes per capture name (quantified captures). */
  all: Record<string, SyntaxNode[]>;
  /** The root of the file's tree. */
  root: SyntaxNode;
  /** The semantic layer for this file (values of names, call sites, guards), built on first use. */
  readonly lang: Semantics;
}

export type FileContext = BaseContext;

/** What a checker of a JavaScript/TypeScript kind sees: the file's syntax tree (TypeScript's parser), parsed by the engine on first use. */
export interface TsContext extends FileContext {
  /** The semantic layer over the file's compiler nodes (src/lang/typescript.ts), built on first use. */
  readonly lang: Semantics<TsNode>;
  /** The root of the file's tree as the layer sees it. */
  readonly root: TsNode;
}

/** Checks files of a tree-sitter kind: runs once per match of `query`. */
export interface TreeChecker {
  query: string;
  /** Narrower prefilter triggers for this kind (default: the rule's). */
  triggers?: Trigger[];
  /** A second test (default: the rule's): one of these must occur too (`TLSv1` in a file that names a protocol property). */
  requires?: Trigger[];
  check(ctx: MatchContext): void;
}

/**
 * Checks a whole file, once per file: the text of any kind, or (typed `TsContext`) the syntax
 * tree and semantic layer of a JavaScript/TypeScript kind.
 */
export interface TextChecker {
  query?: undefined;
  triggers?: Trigger[];
  requires?: Trigger[];
  check(ctx: FileContext): void;
}

export type Checker = TreeChecker | TextChecker;

export interface RuleMeta {
  /** `<pack>/<what-is-wrong>`, kebab-case; the file lives at `rules/<pack>/<what-is-wrong>.ts`. */
  id: string;
  /** The file kind the shorthand `query`/`check` reads (`go`, `csharp`...); `files` adds more. */
  fileKind: string;
  severity: Severity;
  kind: RuleKind;
  /** One line: what is wrong. */
  title: string;
  /** One paragraph: what the rule finds and why it matters. */
  description: string;
  /** Markdown: why it matters, how to fix it in this language, which runtimes are affected. */
  help: string;
  cwe: string[];
  precision: Precision;
  /** CVSS-like 0.0-10.0 score for GitHub's security severity; derived from severity if absent. */
  securitySeverity?: number;
  /** Substrings (or ASCII patterns) of which at least one must occur in a file for the rule to possibly match. */
  triggers: Trigger[];
  /** A second test for every checker that has none of its own: one of these must occur too. */
  requires?: Trigger[];
  /**
   * A second cheap test before a file is parsed, from the facts of its project: false when the
   * rule cannot report anything in files of that project (a go.mod whose Go version already has
   * safe defaults), so a file only this rule would read is never parsed. Default: true.
   */
  applies?(project: ProjectContext, settings: RuleSettings): boolean;
  /** True when the rule offers machine-applicable fixes. */
  fixable?: boolean;
  /** One sentence on how to fix the findings, for audit summaries (default: the start of the help's "How to fix it"). */
  remedy?: string;
}

export interface Rule extends RuleMeta {
  /** The pack: the id's prefix (`dotnet` for `dotnet/framework-outdated`). */
  pack: string;
  /** Checkers by file-kind id. */
  checkers: ReadonlyMap<string, Checker>;
  securitySeverity: number;
}

const DEFAULT_SECURITY_SEVERITY: Record<Severity, number> = { error: 8.1, warning: 5.9, note: 3.1 };

type ShorthandTree = RuleMeta & { query: string; check(ctx: MatchContext): void; files?: Record<string, Checker> };
type ShorthandText = RuleMeta & { query?: undefined; check(ctx: FileContext): void; files?: Record<string, Checker> };
type FilesOnly = RuleMeta & { query?: undefined; check?: undefined; files: Record<string, Checker> };

/** Declares a rule: metadata plus one checker per file kind it reads. */
export function defineRule(spec: ShorthandTree): Rule;
export function defineRule(spec: ShorthandText): Rule;
export function defineRule(spec: FilesOnly): Rule;
export function defineRule(spec: ShorthandTree | ShorthandText | FilesOnly): Rule {
  const checkers = new Map<string, Checker>();
  if (spec.check) {
    checkers.set(
      spec.fileKind,
      spec.query !== undefined
        ? { query: spec.query, check: spec.check as TreeChecker['check'] }
        : { check: spec.check as TextChecker['check'] },
    );
  }
  for (const [kind, checker] of Object.entries(spec.files ?? {})) {
    if (checkers.has(kind)) throw new Error(`${spec.id}: two checkers for ${kind}`);
    checkers.set(kind, checker);
  }
  if (checkers.size === 0) throw new Error(`${spec.id}: a rule needs at least one checker`);
  if (!/^[a-z0-9]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/.test(spec.id)) throw new Error(`${spec.id}: ids are <pack>/<kebab-case>`);
  if (spec.triggers.length === 0) throw new Error(`${spec.id}: a rule needs prefilter triggers`);
  for (const c of [spec, ...Object.values(spec.files ?? {})]) {
    for (const t of [...(c.triggers ?? []), ...(c.requires ?? [])]) {
      // patterns run over the raw bytes read as latin1, in one alternation: ASCII only, no flags
      if (t instanceof RegExp && (t.flags !== '' || /[^\x00-\x7f]/.test(t.source))) throw new Error(`${spec.id}: a trigger pattern must be ASCII without flags: ${t}`);
    }
  }
  const { query: _q, check: _c, files: _f, ...meta } = spec;
  return {
    ...meta,
    pack: spec.id.slice(0, spec.id.indexOf('/')),
    securitySeverity: spec.securitySeverity ?? DEFAULT_SECURITY_SEVERITY[spec.severity],
    checkers,
  };
}

/** Builds a fix that replaces one span. */
export function replaceFix(description: string, start: number, end: number, text: string): Fix {
  return { description, edits: [{ start, end, text }] };
}

export function fixOf(description: string, edits: TextEdit[]): Fix {
  return { description, edits };
}

/**
 * Memoizes a per-file computation (imports, constants, fields) on the file's tree, so every
 * match of every rule in that file shares one result and nothing outlives the tree.
 */
export function perTree<T>(compute: (root: SyntaxNode) => T): (root: SyntaxNode) => T {
  const cache = new WeakMap<object, T>();
  return (root) => {
    if (cache.has(root.tree)) return cache.get(root.tree)!;
    const value = compute(root);
    cache.set(root.tree, value);
    return value;
  };
}
