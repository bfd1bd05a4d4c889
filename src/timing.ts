/**
 * `--timing` (like ESLint's TIMING=1): where a scan's time goes, per phase and per rule. Each
 * analyzer (one per worker) adds up its own thread's time; the engine merges them, and the CLI
 * prints the totals on stderr. Off by default: then nothing is measured.
 */

/** The phases of a scan, in pipeline order. */
export const PHASES = ['discover', 'read', 'prefilter', 'decode', 'parse', 'query', 'rules', 'report'] as const;
export type Phase = (typeof PHASES)[number];

export interface TimingData {
  /** Milliseconds per phase, summed over threads. */
  phases: Partial<Record<Phase, number>>;
  /** Milliseconds per rule (its checkers and the semantic layer they asked). */
  rules: Record<string, number>;
  /** The slowest files (decode, parse, queries and rules), slowest first, at most `SLOWEST_FILES`. */
  files?: Array<[path: string, ms: number]>;
}

/** How many of the slowest files the report names. */
const SLOWEST_FILES = 10;

export class Timing {
  readonly data: TimingData = { phases: {}, rules: {} };

  add(phase: Phase, ms: number): void {
    this.data.phases[phase] = (this.data.phases[phase] ?? 0) + ms;
  }

  addRule(id: string, ms: number): void {
    this.data.rules[id] = (this.data.rules[id] ?? 0) + ms;
    this.add('rules', ms);
  }

  /** A parsed file's time, kept when it is among the slowest. */
  addFile(path: string, ms: number): void {
    const files = (this.data.files ??= []);
    if (files.length >= SLOWEST_FILES && ms <= files[files.length - 1]![1]) return;
    files.push([path, ms]);
    files.sort((a, b) => b[1] - a[1]);
    if (files.length > SLOWEST_FILES) files.length = SLOWEST_FILES;
  }

  /** Runs `fn` and adds its time to `phase`. */
  time<T>(phase: Phase, fn: () => T): T {
    const t = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, performance.now() - t);
    }
  }

  merge(other: TimingData): void {
    for (const [p, ms] of Object.entries(other.phases)) this.add(p as Phase, ms);
    for (const [id, ms] of Object.entries(other.rules)) this.data.rules[id] = (this.data.rules[id] ?? 0) + ms;
    for (const [file, ms] of other.files ?? []) this.addFile(file, ms);
  }

  /** The data measured since the last call, and a fresh start (a worker reports per batch). */
  take(): TimingData {
    const out: TimingData = { phases: { ...this.data.phases }, rules: { ...this.data.rules }, ...(this.data.files ? { files: this.data.files } : {}) };
    this.data.phases = {};
    this.data.rules = {};
    delete this.data.files;
    return out;
  }
}

/** The table printed on stderr: time per phase, then the ten slowest rules and files. */
export function formatTiming(data: TimingData, wallMs: number, threads: number, walkOverlapped = false): string {
  const total = PHASES.reduce((s, p) => s + (data.phases[p] ?? 0), 0);
  const pct = (ms: number) => (total ? `${((100 * ms) / total).toFixed(1)}%` : '-');
  const rows = [`tlslint timing: ${(wallMs / 1000).toFixed(2)} s wall, ${threads} scanning thread${threads === 1 ? '' : 's'}; thread time per phase:`];
  for (const p of PHASES) {
    const ms = data.phases[p] ?? 0;
    rows.push(`  ${p.padEnd(10)} ${ms.toFixed(0).padStart(9)} ms  ${pct(ms).padStart(6)}${p === 'discover' && walkOverlapped ? '  (the workers began while the walk went on)' : ''}`);
  }
  const slow = Object.entries(data.rules)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  if (slow.length) {
    rows.push('slowest rules (checkers and the semantic layer they asked):');
    for (const [id, ms] of slow) rows.push(`  ${id.padEnd(48)} ${ms.toFixed(0).padStart(9)} ms`);
  }
  if (data.files?.length) {
    rows.push('slowest files (decode, parse, queries and rules):');
    for (const [file, ms] of data.files) rows.push(`  ${file.padEnd(48)} ${ms.toFixed(0).padStart(9)} ms`);
  }
  return rows.join('\n') + '\n';
}
