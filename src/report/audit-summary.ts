/** What an audit's summary holds: the shapes the audit writes and its renderers read. */
import type { InventoryEntry } from '../inventory.js';
import type { Severity } from '../types.js';

export type SeverityCounts = Record<Severity, number>;

export interface RuntimeFinding {
  ruleId: string;
  path: string;
  line: number;
  message: string;
}

/** One finding as the summary lists it (the SARIF file has everything). */
export interface RepoFinding {
  ruleId: string;
  severity: Severity;
  /** Relative to the repository, `/`-separated. */
  path: string;
  line: number;
  column: number;
  message: string;
  /** In test code (the finding's `test` tag). */
  test: boolean;
  /** What --fix would do, when the finding has a safe fix. */
  autofix?: string;
  fingerprint: string;
}

export interface RepoComparison {
  /** Findings not in the baseline audit. */
  new: RepoFinding[];
  /** Findings of the baseline audit that are gone. */
  fixed: RepoFinding[];
  remaining: number;
  /** The repository was not in the baseline audit. */
  added?: boolean;
}

export interface RepoSummary {
  /** What reports call it: its URL (without credentials) or its folder's name. */
  name: string;
  /** Stable identity (URL and ref, or absolute folder); matches repositories across audits. */
  key?: string;
  /** The folder as given, or the URL without credentials. */
  path: string;
  ref?: string;
  /** The commit scanned, when known. */
  commit?: string;
  status: 'ok' | 'failed';
  error?: string;
  /** SARIF file, relative to the audit's output folder. */
  sarif?: string;
  files: number;
  bytes: number;
  durationMs: number;
  /** All findings, production and test code together. */
  counts: SeverityCounts;
  /** Findings in production code (everything not tagged `test`). */
  production?: SeverityCounts;
  /** Findings in test code. */
  test?: SeverityCounts;
  byRule: Record<string, number>;
  /** Findings that name a runtime too old for TLS 1.2 (Java < 8, .NET < 4.6, Python < 2.7.9, Go < 1.13, Ruby < 2.0...). */
  runtimes: RuntimeFinding[];
  /** Runtimes and platforms the repository states, too old ones marked. */
  inventory?: InventoryEntry[];
  /** Every finding, production first. */
  findings?: RepoFinding[];
  /** Against --baseline-audit. */
  comparison?: RepoComparison;
  /** True when this run reused the result of an earlier run (same commit, version and options). */
  reused?: boolean;
  fixable: number;
  diagnostics: number;
}

export interface RuleTotal {
  id: string;
  title: string;
  severity: Severity;
  kind: string;
  count: number;
  /** Of `count`, in production code. */
  production?: number;
  repos: number;
  /** Repositories with findings of the rule in production code. */
  productionRepos?: number;
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
  totals: SeverityCounts & {
    repos: number;
    failed: number;
    files: number;
    bytes: number;
    findings: number;
    durationMs: number;
    production?: SeverityCounts & { findings: number };
    test?: SeverityCounts & { findings: number };
    /** Repositories with a runtime too old for TLS 1.2. */
    oldRuntimeRepos?: number;
  };
  rules: RuleTotal[];
  /** Against --baseline-audit: the audit compared with, and totals. */
  comparison?: { baseline: string; generatedAt?: string; new: number; fixed: number; remaining: number; missing: string[] };
}
