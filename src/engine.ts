import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { discover, type DiscoveredFile, type DiscoverOptions } from './discover.js';
import type { Rule } from './rule.js';
import { DEFAULT_MAX_FILE_SIZE, scanFile, type ScannedFile } from './scanfile.js';
import type { Diagnostic, Finding } from './types.js';
import type { WorkerBatch, WorkerInit, WorkerResult } from './worker.js';

export interface ScanOptions extends DiscoverOptions, AnalyzeOptions {
  paths: string[];
  rules: Rule[];
  /** Worker threads; 1 scans in this thread. Default: the number of cores. */
  jobs?: number;
  maxFileSize?: number;
  /** Called after each file with the running counts. */
  onProgress?: (done: number, total: number) => void;
  /** Called once discovery knows how many files there are. */
  onStart?: (total: number) => void;
}

export interface ScanStats {
  files: number;
  parsed: number;
  bytes: number;
  durationMs: number;
}

export interface ScanResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  stats: ScanStats;
  /** Command-line paths that do not exist. */
  missing: string[];
}

/** Below this many files a worker pool costs more than it saves (thread start-up, grammar loads). */
const POOL_THRESHOLD = 400;
const BATCH_SIZE = 64;

function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  // workers need compiled JavaScript; from TypeScript sources (tests) scan in-thread
  return here.endsWith('.js') ? path.join(path.dirname(here), 'worker.js') : undefined;
}

function displayPath(file: DiscoveredFile): string {
  return path.relative(file.root, file.path);
}

/** The whole pipeline for a set of paths: discover, then analyze every file (in parallel). */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const found = discover(options.paths, options);
  const files = found.files;
  options.onStart?.(files.length);
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), 32));
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const script = workerScript();
  const results =
    jobs > 1 && script && files.length >= POOL_THRESHOLD
      ? await scanInPool(files, options, jobs, maxFileSize, script)
      : await scanInThread(files, options, maxFileSize);

  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  let parsed = 0;
  let bytes = 0;
  for (const r of results) {
    findings.push(...r.findings);
    diagnostics.push(...r.diagnostics);
    if (r.parsed) parsed++;
    bytes += r.bytes;
  }
  return {
    findings,
    diagnostics,
    missing: found.missing,
    stats: { files: files.length, parsed, bytes, durationMs: performance.now() - started },
  };
}

async function scanInThread(files: DiscoveredFile[], options: ScanOptions, maxFileSize: number): Promise<ScannedFile[]> {
  const analyzer = new Analyzer(options.rules, options);
  const out: ScannedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    out.push(scanFile(analyzer, file.path, displayPath(file), file.kind, maxFileSize));
    options.onProgress?.(i + 1, files.length);
    // let N-API finalizers free native trees between batches, so memory stays flat
    if (i % BATCH_SIZE === BATCH_SIZE - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function scanInPool(files: DiscoveredFile[], options: ScanOptions, jobs: number, maxFileSize: number, script: string): Promise<ScannedFile[]> {
  const init: WorkerInit = {
    ruleIds: options.rules.map((r) => r.id),
    options: { settings: options.settings, severities: options.severities, keepSuppressed: options.keepSuppressed },
    maxFileSize,
  };
  const batches: WorkerBatch[] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) {
    batches.push({
      id: batches.length,
      files: files.slice(i, i + BATCH_SIZE).map((f) => ({ path: f.path, kind: f.kind.id, display: displayPath(f) })),
    });
  }
  const results: ScannedFile[][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  let filesDone = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const finish = (err?: Error) => {
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results.flat());
    };
    const feed = (worker: Worker) => {
      if (next < batches.length) worker.postMessage(batches[next++]);
    };
    for (let j = 0; j < Math.min(jobs, batches.length); j++) {
      const worker = new Worker(script, { workerData: init });
      workers.push(worker);
      worker.on('message', (msg: WorkerResult) => {
        results[msg.id] = msg.results;
        done++;
        filesDone += msg.results.length;
        options.onProgress?.(filesDone, files.length);
        if (done === batches.length) finish();
        else feed(worker);
      });
      worker.on('error', (err) => finish(err));
      feed(worker);
      feed(worker); // one batch in hand, one queued: no idle gap while results travel back
    }
  });
}
