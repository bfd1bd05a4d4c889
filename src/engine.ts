import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { ContextCache, type ProjectFact } from './context.js';
import { inShard, type Shard } from './shard.js';
import { discover, type DiscoveredFile, type DiscoverOptions } from './discover.js';
import { fileKindById } from './languages.js';
import type { Rule } from './rule.js';
import { isTestPath } from './testcode.js';
import { DEFAULT_MAX_FILE_SIZE, scanFile, type ScannedFile } from './scanfile.js';
import type { Diagnostic, Finding, ScanStats } from './types.js';
import type { WorkerBatch, WorkerInit, WorkerResult } from './worker.js';
import { Timing, type TimingData } from './timing.js';

export interface ScanOptions extends DiscoverOptions, AnalyzeOptions {
  paths: string[];
  rules: Rule[];
  /**
   * URL of the module that exports `RULES` and `FACTS`, from which pool workers load `rules` by id
   * (default: src/registry.ts). A rule that is not in it is scanned in this thread, with an
   * internal error.
   */
  registry?: string;
  /** False: test code (by path, see testcode.ts) is left out before it is read. Default true. */
  tests?: boolean;
  /** Worker threads; 1 scans in this thread. Default: the number of cores. */
  jobs?: number;
  maxFileSize?: number;
  /** Called after each file with the running counts. */
  onProgress?: (done: number, total: number) => void;
  /** Called once discovery knows how many files there are. */
  onStart?: (total: number) => void;
  /** Scan only the files of this shard (a stable split by relative path, for n machines). */
  shard?: Shard;
  /** When discovery finds more files than this, nothing is analyzed and `tooMany` says how many there were. */
  fileLimit?: number;
}

export interface ScanResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  stats: ScanStats;
  /** Command-line paths that do not exist. */
  missing: string[];
  /**
   * True when the paths held nothing to look at: no file of a kind tlslint reads under the folders
   * given (after .gitignore and the excludes) and no file argument. The CLI exits 2 then.
   */
  empty: boolean;
  /** SHA-256 of the bytes scanned, by path, for the files with a fix on offer (--fix checks them). */
  scanned: Map<string, string>;
  /** The bytes of paths that are not valid UTF-8 (by the path shown), for reading them again. */
  rawPaths: Map<string, Buffer>;
  /** Set when `fileLimit` stopped the scan: the number of files discovered. */
  tooMany?: number;
  /** Time per phase and rule, summed over the scanning threads (`--timing`). */
  timing?: TimingData;
  /** Scanning threads used (for the timing report). */
  threads?: number;
}

/** Below this many files a worker pool costs more than it saves (thread start-up, grammar loads). */
const POOL_THRESHOLD = 400;
const BATCH_SIZE = 64;

const DEFAULT_REGISTRY = new URL('./registry.js', import.meta.url).href;

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
  const timing = options.timing ? new Timing() : undefined;
  const found = timing ? timing.time('discover', () => discover(options.paths, options)) : discover(options.paths, options);
  let files = options.shard ? found.files.filter((f) => inShard(displayPath(f), options.shard)) : found.files;
  if (options.tests === false) files = files.filter((f) => !isTestPath(displayPath(f)));
  if (options.fileLimit !== undefined && files.length > options.fileLimit) {
    return { findings: [], diagnostics: found.diagnostics, missing: found.missing, empty: false, scanned: new Map(), rawPaths: new Map(), tooMany: files.length, stats: { files: 0, parsed: 0, bytes: 0, durationMs: performance.now() - started } };
  }
  options.onStart?.(files.length);
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), 32));
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const script = workerScript();
  let pooled = jobs > 1 && script !== undefined && files.length >= POOL_THRESHOLD;
  const registry = options.registry ?? DEFAULT_REGISTRY;
  let facts: readonly ProjectFact<unknown>[] = [];
  if (pooled) {
    const loaded = (await import(registry)) as { RULES: readonly Rule[]; FACTS?: readonly ProjectFact<unknown>[] };
    facts = loaded.FACTS ?? [];
    const known = new Set(loaded.RULES);
    const strays = options.rules.filter((r) => !known.has(r)).map((r) => r.id);
    if (strays.length) {
      pooled = false;
      diagnostics.push({
        code: 'internal-error',
        level: 'error',
        message: `rule ${strays.join(', ')} is not in the registry ${registry}, so scan workers cannot load it; the files were scanned in the main thread`,
      });
    }
  }
  // one answerer of project questions for the whole scan (workers ask it through the pool)
  const contexts = new ContextCache({ tree: found.tree, discover: options, facts });
  const results = pooled
    ? await scanInPool(files, options, jobs, maxFileSize, script!, registry, contexts, timing)
    : await scanInThread(files, options, maxFileSize, contexts, timing);

  const findings: Finding[] = [];
  const scanned = new Map<string, string>();
  let parsed = 0;
  let bytes = 0;
  for (const r of results) {
    findings.push(...r.findings);
    diagnostics.push(...r.diagnostics);
    if (r.parsed) parsed++;
    if (r.sha256) scanned.set(r.path, r.sha256);
    bytes += r.bytes;
  }
  const rawPaths = new Map<string, Buffer>();
  for (const f of files) if (f.raw) rawPaths.set(f.path, f.raw);
  return {
    findings,
    diagnostics,
    missing: found.missing,
    empty: found.files.length === 0 && found.explicitFiles === 0 && found.missing.length === 0,
    scanned,
    rawPaths,
    stats: { files: files.length, parsed, bytes, durationMs: performance.now() - started },
    ...(timing ? { timing: timing.data, threads: pooled ? Math.min(jobs, Math.ceil(files.length / BATCH_SIZE)) : 1 } : {}),
  };
}

async function scanInThread(files: DiscoveredFile[], options: ScanOptions, maxFileSize: number, contexts: ContextCache, timing?: Timing): Promise<ScannedFile[]> {
  const analyzer = new Analyzer(options.rules, options, contexts);
  const out: ScannedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    out.push(scanFile(analyzer, file.path, displayPath(file), file.kind, maxFileSize, file.raw));
    options.onProgress?.(i + 1, files.length);
    // let N-API finalizers free native trees between batches, so memory stays flat
    if (i % BATCH_SIZE === BATCH_SIZE - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  if (analyzer.timing) timing?.merge(analyzer.timing.take());
  return out;
}

function scanInPool(
  files: DiscoveredFile[],
  options: ScanOptions,
  jobs: number,
  maxFileSize: number,
  script: string,
  registry: string,
  contexts: ContextCache,
  timing?: Timing,
): Promise<ScannedFile[]> {
  const init: Omit<WorkerInit, 'context'> = {
    registry,
    ruleIds: options.rules.map((r) => r.id),
    options: { settings: options.settings, severities: options.severities, keepSuppressed: options.keepSuppressed, timing: options.timing },
    maxFileSize,
  };
  const batches: WorkerBatch[] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) {
    batches.push({
      id: batches.length,
      files: files.slice(i, i + BATCH_SIZE).map((f) => ({ path: f.path, kind: f.kind.id, display: displayPath(f), ...(f.raw ? { raw: f.raw } : {}) })),
    });
  }
  const results: ScannedFile[][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  let filesDone = 0;
  return new Promise((resolve) => {
    const workers = new Set<Worker>();
    const inFlight = new Map<Worker, Set<number>>();
    const ports = new Map<Worker, MessagePort>();
    let fallback: Analyzer | undefined;
    const complete = (id: number, scanned: ScannedFile[]) => {
      if (results[id]) return;
      results[id] = scanned;
      done++;
      filesDone += scanned.length;
      options.onProgress?.(filesDone, files.length);
      if (done === batches.length) {
        if (fallback?.timing) timing?.merge(fallback.timing.take());
        for (const w of workers) void w.terminate();
        for (const port of ports.values()) port.close();
        resolve(results.flat());
      }
    };
    const feed = (worker: Worker) => {
      if (next >= batches.length) return;
      const batch = batches[next++]!;
      inFlight.get(worker)!.add(batch.id);
      worker.postMessage(batch);
    };
    /** A worker died (a native crash, out of memory): its batches are scanned here instead. */
    const recover = (worker: Worker, reason: string) => {
      const lost = [...(inFlight.get(worker) ?? [])];
      workers.delete(worker);
      inFlight.delete(worker);
      ports.get(worker)?.close();
      ports.delete(worker);
      fallback ??= new Analyzer(options.rules, options, contexts);
      for (const id of lost) {
        const scanned = batches[id]!.files.map((f) => scanFile(fallback!, f.path, f.display, fileKindById(f.kind)!, maxFileSize, f.raw));
        scanned[0]?.diagnostics.push({ code: 'internal-error', level: 'error', message: `a scan worker stopped (${reason}); its files were scanned again in the main thread` });
        complete(id, scanned);
      }
      // nobody left to take the queue: finish it here too
      if (workers.size === 0) {
        while (next < batches.length) {
          const batch = batches[next++]!;
          complete(batch.id, batch.files.map((f) => scanFile(fallback!, f.path, f.display, fileKindById(f.kind)!, maxFileSize, f.raw)));
        }
      }
    };
    for (let j = 0; j < Math.min(jobs, batches.length); j++) {
      // the worker asks this thread's ContextCache its project questions, synchronously
      const channel = new MessageChannel();
      const signal = new Int32Array(new SharedArrayBuffer(4));
      contexts.serve(channel.port1, signal);
      const workerData: WorkerInit = { ...init, context: { port: channel.port2, signal } };
      const worker = new Worker(script, { workerData, transferList: [channel.port2] });
      ports.set(worker, channel.port1);
      workers.add(worker);
      inFlight.set(worker, new Set());
      worker.on('message', (msg: WorkerResult) => {
        inFlight.get(worker)?.delete(msg.id);
        if (msg.timing) timing?.merge(msg.timing);
        complete(msg.id, msg.results);
        feed(worker);
      });
      worker.on('error', (err) => recover(worker, err.message));
      worker.on('exit', (code) => {
        if (done < batches.length && workers.has(worker)) recover(worker, `exit code ${code}`);
      });
      feed(worker);
      feed(worker); // one batch in hand, one queued: no idle gap while results travel back
    }
  });
}
