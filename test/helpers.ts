import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analyzer } from '../src/analyze.js';
import { ContextCache } from '../src/context.js';
import { classify, type FileKind } from '../src/languages.js';
import { RULES } from '../src/registry.js';
import type { Rule, RuleSettings } from '../src/rule.js';
import type { Finding } from '../src/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const CLI = path.join(ROOT, 'bin', 'tlslint.js');

export const DEFAULT_SETTINGS: RuleSettings = { minTlsVersion: '1.2' };

/** Every file below `dir`, sorted. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export interface Annotation {
  kind: 'expect' | 'ok';
  ruleIds: string[];
  /** 1-based line the annotation is about. */
  line: number;
}

/** Reads `expect:` / `ok:` annotations: each applies to the next line that is not an annotation. */
export function readAnnotations(text: string, kind: FileKind): Annotation[] {
  const markers = [...kind.lineComments, ...(kind.blockComment ? [kind.blockComment[0]] : [])].map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`^\\s*(?:${markers.join('|')})\\s*(expect|ok):\\s*([^(\\n]*?)\\s*(?:\\(.*)?(?:-->)?\\s*$`);
  const lines = text.split('\n');
  const out: Annotation[] = [];
  let pending: Array<Omit<Annotation, 'line'>> = [];
  lines.forEach((line, i) => {
    const m = re.exec(line);
    if (m) {
      pending.push({ kind: m[1] as 'expect' | 'ok', ruleIds: m[2]!.replace(/-->$/, '').split(/[\s,]+/).filter(Boolean) });
      return;
    }
    for (const p of pending) out.push({ ...p, line: i + 1 });
    pending = [];
  });
  return out;
}

/** One project context for every fixture run of a test file (facts read once, as in a scan). */
const fixtureContexts = new ContextCache();

/** Runs `rules` (default: all) over one fixture file. */
export function analyzeFile(file: string, settings: RuleSettings = DEFAULT_SETTINGS, rules: readonly Rule[] = RULES): { findings: Finding[]; kind: FileKind } {
  const kind = classify(file);
  if (!kind) throw new Error(`unsupported fixture ${file}`);
  const analyzer = new Analyzer([...rules], { settings }, fixtureContexts);
  const result = analyzer.analyze(file, path.relative(FIXTURES, file), fs.readFileSync(file), kind);
  return { findings: result.findings, kind };
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a child process (as users do). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env },
    encoding: 'utf8',
    // a SARIF report of every fixture is several megabytes
    maxBuffer: 256 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder with the given files (path -> content). */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-test-'));
  fs.chmodSync(dir, 0o755);
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}
