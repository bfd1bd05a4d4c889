import path from 'node:path';
import type { Rule } from '../rule.js';
import type { Diagnostic, Finding, ScanStats } from '../types.js';

/** Everything a reporter may print. */
export interface ReportInput {
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** Every rule tlslint knows (SARIF lists them all). */
  rules: readonly Rule[];
  stats: ScanStats;
  /** Folder paths are shown relative to (and SARIF's %SRCROOT%). */
  cwd: string;
  /** Whether the process succeeded (false after an internal error). */
  executionSuccessful: boolean;
}

export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
