import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import { classify, type FileKind } from './languages.js';
import { parseText, typeScriptSyntaxErrors } from './parsers.js';
import type { SyntaxNode } from './rule.js';
import type { Diagnostic, Finding, TextEdit } from './types.js';

export interface AppliedFixes {
  text: string;
  applied: Finding[];
  /** Findings whose edits overlapped an earlier fix; a second --fix run can take them. */
  skipped: Finding[];
}

/**
 * Applies the fixes of `findings` to `text`. Edits of one fix go in together or not at all; a fix
 * whose edits overlap an already accepted one is skipped. Edits are offsets into `text`.
 */
export function applyFixes(text: string, findings: Finding[]): AppliedFixes {
  const accepted: TextEdit[] = [];
  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  const overlaps = (e: TextEdit) =>
    accepted.some((a) => (e.start < a.end && a.start < e.end) || (e.start === e.end && e.start === a.start) || (a.start === a.end && a.start === e.start));
  for (const finding of findings) {
    const edits = finding.fix?.edits;
    if (!edits || edits.length === 0) continue;
    if (edits.some((e) => e.start < 0 || e.end > text.length || e.start > e.end || overlaps(e))) {
      skipped.push(finding);
      continue;
    }
    accepted.push(...edits);
    applied.push(finding);
  }
  accepted.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
}

export interface FixOutcome {
  /** Files changed (or that would change, in a dry run). */
  files: string[];
  /** Findings whose fix was applied. */
  applied: Finding[];
  diagnostics: Diagnostic[];
  /** Unified diffs, for --fix-dry-run. */
  diffs: string[];
}

/** Decodes like the analyzer (a BOM is dropped, so offsets agree); the BOM is restored on write. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** How many syntax errors the parser finds in `text` (Infinity when it gives up). */
export function errorCount(kind: FileKind, text: string, file: string): number {
  if (kind.parser.type === 'ts-morph') return typeScriptSyntaxErrors(text, file);
  if (kind.parser.type !== 'tree-sitter') return 0;
  const tree = parseText(kind, text);
  if (!tree) return Number.POSITIVE_INFINITY;
  if (!tree.rootNode.hasError) return 0;
  return tree.rootNode.descendantsOfType('ERROR').length + countMissing(tree.rootNode);
}

function countMissing(node: SyntaxNode): number {
  let n = node.isMissing ? 1 : 0;
  if (node.hasError) for (const child of node.children) n += countMissing(child);
  return n;
}

/**
 * Applies fixes to files on disk: atomically (temporary file + rename), only when the file is
 * still exactly what was scanned (valid UTF-8), and only when re-parsing the result shows no new
 * syntax error. A file that would break is left untouched and reported.
 */
export function fixFiles(findings: Finding[], options: { dryRun: boolean; cwd: string }): FixOutcome {
  const outcome: FixOutcome = { files: [], applied: [], diagnostics: [], diffs: [] };
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) if (f.fix && !f.suppression) (byFile.get(f.path) ?? byFile.set(f.path, []).get(f.path)!).push(f);
  for (const [file, fileFindings] of byFile) {
    const kind = classify(file);
    const fail = (message: string) => outcome.diagnostics.push({ code: 'fix-failed', level: 'warning', path: file, message });
    let bytes: Buffer;
    let text: string;
    try {
      bytes = fs.readFileSync(file);
      text = strictDecoder.decode(bytes);
    } catch (err) {
      fail(`not fixed: ${err instanceof TypeError ? 'file is not valid UTF-8' : (err as Error).message}`);
      continue;
    }
    const result = applyFixes(text, fileFindings);
    if (result.applied.length === 0 || result.text === text) continue;
    if (kind && errorCount(kind, result.text, file) > errorCount(kind, text, file)) {
      fail('not fixed: the fixed text would not parse; left untouched');
      continue;
    }
    outcome.files.push(file);
    outcome.applied.push(...result.applied);
    const rel = path.relative(options.cwd, file).split(path.sep).join('/');
    if (options.dryRun) {
      const { createTwoFilesPatch } = createRequire(import.meta.url)('diff') as typeof Diff;
      outcome.diffs.push(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, text, result.text, '', '', { context: 3 }));
      continue;
    }
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tlslint-${process.pid}.tmp`);
    try {
      const mode = fs.statSync(file).mode;
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
      fs.writeFileSync(tmp, bom + result.text, { mode });
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      outcome.files.pop();
      outcome.applied.splice(outcome.applied.length - result.applied.length);
      fail(`not fixed: ${(err as Error).message}`);
    }
  }
  return outcome;
}
