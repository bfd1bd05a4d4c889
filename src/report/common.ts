import { relativeInside } from '../paths.js';
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
  return relativeInside(cwd, file) ?? file;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One sentence on how to fix a rule's findings: its `remedy`, else the start of its help's "How to fix it". */
export function fixHint(rule: Rule): string {
  if (rule.remedy) return rule.remedy;
  const m = /\*\*How to fix it\.\*\*\s*([\s\S]*)$/.exec(rule.help);
  const text = (m?.[1] ?? rule.title)
    .replace(/```[\s\S]*?(?:```|$)/g, '\u00b6')
    .replace(/^\s*- /gm, '')
    .replace(/\s+/g, ' ')
    .replace(/`([^`]+)`/g, '$1')
    .trim();
  // the first sentence, or what comes before the first code example
  const sentence = (/^(.*?)(?:[.;](?=\s|$)|\s*\u00b6)/.exec(text)?.[1] ?? text).trim().replace(/[:,]$/, '');
  return sentence ? `${sentence}.` : rule.title;
}
