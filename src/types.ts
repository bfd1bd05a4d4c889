/** Shared data types of the pipeline: what rules report and what reporters print. */

export type Severity = 'error' | 'warning' | 'note';

export const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

export function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'note';
}

/**
 * What kind of weakness a rule finds; shown in messages, SARIF tags and audit summaries.
 * - protocol: an old protocol version is pinned or enabled explicitly
 * - default: the protocol floor is left to a runtime default that is too low
 * - runtime: the runtime or platform is too old to do TLS 1.2 (well) at all
 * - certificate: certificate or hostname verification is turned off
 * - cipher: weak cipher suites are enabled
 * - deprecated: an end-of-life library or API with weak TLS behaviour
 */
export type RuleKind = 'protocol' | 'default' | 'runtime' | 'certificate' | 'cipher' | 'deprecated';

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

/** 1-based line and column (columns count UTF-16 code units, SARIF's default). */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the decoded text. */
  startOffset: number;
  endOffset: number;
}

/** Replace text[start, end) by `text`; offsets into the decoded file text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Line/column form of [start, end), filled in by the analyzer for reporters. */
  region?: Region;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  kind: RuleKind;
  message: string;
  /** Absolute path of the file. */
  path: string;
  region: Region;
  /** The text of the finding's first line, for text output and fingerprints. */
  lineText: string;
  fix?: Fix;
  /** Stable across unrelated edits of the file: rule, normalised line text and occurrence. */
  fingerprint: string;
  /** GitHub code scanning's `primaryLocationLineHash` of the finding's line (see linehash.ts). */
  lineHash?: string;
  /** Tags such as `test` (the file looks like test code). */
  tags: string[];
  /** Set when an inline comment suppresses the finding. */
  suppression?: { justification: string };
  /** Where the value came from and went through (SARIF relatedLocations). */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  /** Absolute path of the file. */
  path: string;
  region: Region;
  message: string;
}

export type DiagnosticCode =
  | 'read-error'
  | 'binary-file'
  | 'invalid-utf8'
  /** A UTF-16 or UTF-32 file with bytes that are not valid in its encoding. */
  | 'invalid-encoding'
  | 'too-large'
  | 'minified'
  | 'syntax-error'
  /** Brackets nested past the limit: the code inside them was blanked before parsing. */
  | 'nesting-limit'
  /** A file took longer than --file-timeout, or more memory than a scan worker may use: abandoned. */
  | 'file-timeout'
  | 'file-memory'
  | 'symlink-loop'
  /** A symbolic link to a file outside the scanned folder: not followed (--follow-symlinks). */
  | 'symlink-outside'
  /** A .gitignore (or --exclude) pattern that cannot be used (too long): ignored. */
  | 'ignore-pattern'
  | 'path-not-found'
  /** Nothing to scan under the paths given. */
  | 'no-files'
  | 'internal-error'
  | 'config'
  | 'fix-failed'
  /** Bytes appended by another process while --fix replaced the file, carried over into it. */
  | 'fix-appended'
  | 'unused-suppression';

/** Something about the scan itself (not a finding): a file that could not be read or parsed. */
export interface Diagnostic {
  code: DiagnosticCode;
  level: Severity;
  message: string;
  path?: string;
  line?: number;
}

/** What a scan read: files discovered, files parsed (passed the prefilter), bytes, wall time. */
export interface ScanStats {
  files: number;
  parsed: number;
  bytes: number;
  durationMs: number;
}
