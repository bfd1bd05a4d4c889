import os from 'node:os';
import path from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { ContextCache, type ProjectFact } from './context.js';
import { inShard, type Shard } from './shard.js';
import { discover, discoverInSlices, FileTree, WalkSoFar, type DiscoveredFile, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { fileKindById } from './languages.js';
import type { Rule } from './rule.js';
import { isFolder } from './paths.js';
import { isTestPath } from './testcode.js';
import { DEFAULT_MAX_FILE_SIZE, scanFile, type ScannedFile } from './scanfile.js';
import type { Diagnostic, Finding, ScanStats } from './types.js';
import type { ScannedContent } from './fix.js';
import type { WorkerBatch, WorkerInit, WorkerResult } from './worker.js';
import { CANCEL_SLOT, formatBudget, RETIRE_SLOT, THREAD_SLOT, UNCHARGED_SLOT } from './cancel.js';
import { threadCpuMs } from './threadcpu.js';
import { finalizersPending } from './memory.js';
import { v8FlagsChanged } from './code-cache.js';
import { DEFAULT_REGISTRY, DEFAULT_WORKER_MEMORY_MB, parkedWorkers, parkWorker, startWorker, takeWarmWorker, workerScript, type WorkerHandle } from './pool-start.js';
import { importRegistry } from './registries.js';
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
  /** What discover() found for exactly these paths and options, when the caller has it already (an audit walks each repository once). */
  discovered?: DiscoverResult;
  /** Scan only the files of this shard (a stable split by relative path, for n machines). */
  shard?: Shard;
  /** When discovery finds more files than this, nothing is analyzed and `tooMany` says how many there were. */
  fileLimit?: number;
  /**
   * Time budget per file, in milliseconds (default DEFAULT_FILE_TIMEOUT_MS): a file that takes
   * longer is abandoned with a diagnostic and its worker replaced. 0 turns the budget off (and a
   * small scan then runs in this thread).
   */
  fileTimeout?: number;
  /** Heap limit of each scan worker in MB (default DEFAULT_WORKER_MEMORY_MB): a file that needs more is abandoned. */
  workerMemory?: number;
  /** Milliseconds of walking between two turns of the event loop, when the workers begin during the walk (default 4; 0: a folder at a time). */
  walkSliceMs?: number;
}

/** Default time budget per file. */
export const DEFAULT_FILE_TIMEOUT_MS = 5000;

export { DEFAULT_WORKER_MEMORY_MB };

export interface Budget {
  fileTimeoutMs: number;
  workerMemoryMb: number;
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
  /** What was scanned of each file with a fix on offer, by path (--fix writes only over exactly these bytes). */
  scanned: Map<string, ScannedContent>;
  /** Real paths of the folders the scan covered (--fix writes nothing outside them). */
  boundaries: string[];
  /** The bytes of paths that are not valid UTF-8 (by the path shown), for reading them again. */
  rawPaths: Map<string, Buffer>;
  /** Set when `fileLimit` stopped the scan: the number of files discovered. */
  tooMany?: number;
  /** Time per phase and rule, summed over the scanning threads (`--timing`). */
  timing?: TimingData;
  /** Scanning threads used (for the timing report). */
  threads?: number;
  /** True when the workers began on the first files the walk found while it went on (a pooled scan of large folders). */
  walkOverlapped?: boolean;
}

/** Below this many files a worker pool costs more than it saves (thread start-up, grammar loads). */
const POOL_THRESHOLD = 400;
const BATCH_SIZE = 64;
/** A small scan spreads over ready workers only when each gets at least this many files. */
const SMALL_SHARE = 16;


function displayPath(file: DiscoveredFile): string {
  return path.relative(file.root, file.path);
}

/**
 * The whole pipeline for a set of paths: discover, then analyze every file (in parallel). A scan
 * of folders large enough for the pool starts its workers on the first files while the walk goes
 * on (see LiveWalk); the report is the same as after a whole walk.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const timing = options.timing ? new Timing() : undefined;
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), 32));
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const script = workerScript();
  const budget: Budget = { fileTimeoutMs: options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS, workerMemoryMb: options.workerMemory ?? DEFAULT_WORKER_MEMORY_MB };
  const registry = options.registry ?? DEFAULT_REGISTRY;
  // a time budget needs a worker to take a file away from: with one, every scan uses the pool
  // (one worker for a small scan); without, a small scan is cheaper in this thread
  const poolable = script !== undefined && (budget.fileTimeoutMs > 0 || jobs > 1);
  const diagnostics: Diagnostic[] = [];
  let facts: readonly ProjectFact<unknown>[] = [];
  /** Rules of the scan that workers cannot load (not in the registry), once the registry is loaded. */
  let strays: string[] | undefined;
  const loadRegistry = async (): Promise<string[]> => {
    if (strays) return strays;
    const loaded = await importRegistry(registry);
    facts = loaded.FACTS ?? [];
    const known = new Set(loaded.RULES);
    return (strays = options.rules.filter((r) => !known.has(r)).map((r) => r.id));
  };
  const keep = (f: DiscoveredFile) => (!options.shard || inShard(displayPath(f), options.shard)) && (options.tests !== false || !isTestPath(displayPath(f)));

  let found = options.discovered;
  let live: LiveWalk | undefined;
  if (!found && poolable && options.fileLimit === undefined && options.paths.length > 0 && options.paths.every((p) => isFolder(path.resolve(options.cwd, p)))) {
    if ((await loadRegistry()).length === 0) {
      live = new LiveWalk(options.paths, options, keep, options.walkSliceMs ?? 4, timing);
      await live.until(POOL_THRESHOLD);
      // a walk that ended before it found enough files for the pool is scanned as any other
      if (live.found) {
        found = live.found;
        live = undefined;
      }
    }
  }
  if (live) return scanWhileWalking(live, options, { started, timing, jobs, maxFileSize, script: script!, budget, registry, facts, diagnostics });
  if (!found) {
    const walk = () => discover(options.paths, options);
    found = timing ? timing.time('discover', walk) : walk();
  }
  const files = options.shard || options.tests === false ? found.files.filter(keep) : found.files;
  if (options.fileLimit !== undefined && files.length > options.fileLimit) {
    return { findings: [], diagnostics: found.diagnostics, missing: found.missing, empty: false, scanned: new Map(), rawPaths: new Map(), boundaries: found.boundaries, tooMany: files.length, stats: { files: 0, parsed: 0, bytes: 0, durationMs: performance.now() - started } };
  }
  options.onStart?.(files.length);
  const large = files.length >= POOL_THRESHOLD;
  let pooled = poolable && files.length > 0 && (budget.fileTimeoutMs > 0 || large);
  // a small scan starts one worker, unless workers of an earlier scan (an audit's previous
  // repository) wait ready: then it spreads over them too
  const ready = large ? 0 : parkedWorkers(registry, budget.workerMemoryMb);
  const threads = pooled ? (large ? Math.min(jobs, Math.ceil(files.length / BATCH_SIZE)) : Math.max(1, Math.min(jobs, ready, Math.ceil(files.length / SMALL_SHARE)))) : 1;
  if (pooled && (await loadRegistry()).length) {
    pooled = false;
    diagnostics.push({
      code: 'internal-error',
      level: 'error',
      message: `rule ${strays!.join(', ')} is not in the registry ${registry}, so scan workers cannot load it; the files were scanned in the main thread`,
    });
  }
  // one answerer of project questions for the whole scan (workers ask it through the pool)
  const contexts = new ContextCache({ tree: found.tree, discover: options, facts });
  const results = new Results(files.length);
  if (pooled) await scanInPool(files, options, threads, maxFileSize, script!, registry, contexts, budget, results, timing);
  else await scanInThread(files, options, maxFileSize, contexts, results, timing);
  return report(found, files, [...found.diagnostics, ...diagnostics], results, { started, timing, threads, byPath: false });
}

/** A scan's result from its walk and the results of its files. */
function report(
  found: DiscoverResult,
  files: DiscoveredFile[],
  diagnostics: Diagnostic[],
  results: Results,
  how: { started: number; timing?: Timing; threads: number; byPath: boolean },
): ScanResult {
  const findings: Finding[] = [];
  const scanned = new Map<string, ScannedContent>();
  results.each((r) => {
    findings.push(...r.findings);
    diagnostics.push(...r.diagnostics);
    if (r.sha256) scanned.set(r.path, { sha256: r.sha256, size: r.bytes });
  }, how.byPath);
  const { parsed, bytes } = results;
  const rawPaths = new Map<string, Buffer>();
  for (const f of files) if (f.raw) rawPaths.set(f.path, f.raw);
  return {
    findings,
    diagnostics,
    missing: found.missing,
    empty: found.files.length === 0 && found.explicitFiles === 0 && found.missing.length === 0,
    scanned,
    rawPaths,
    boundaries: found.boundaries,
    stats: { files: files.length, parsed, bytes, durationMs: performance.now() - how.started },
    ...(how.timing ? { timing: how.timing.data, threads: how.threads } : {}),
  };
}


/**
 * A walk of the scan's folders that goes on in slices while workers scan what it has found: files
 * come in walk order, and `found` (the whole walk's result, sorted) is set when it ends.
 */
class LiveWalk {
  /** The files found so far that the scan keeps (shard, tests), in walk order. */
  readonly files: DiscoveredFile[] = [];
  found?: DiscoverResult;
  /** Called after each slice of the walk and at its end. */
  onGrow?: () => void;
  /** What the walk has found so far, folder by folder, for project questions asked during it. */
  readonly soFar = new WalkSoFar();
  /** What stopped the walk, if something did (scan() rejects with it, as with a whole walk). */
  private failure?: unknown;
  private waiters: Array<() => void> = [];

  constructor(paths: string[], options: DiscoverOptions, keep: (f: DiscoveredFile) => boolean, sliceMs: number, timing?: Timing) {
    void discoverInSlices(paths, options, sliceMs, {
      soFar: this.soFar,
      onFile: (f) => {
        if (keep(f)) this.files.push(f);
      },
      onSlice: (ms) => {
        timing?.add('discover', ms);
        this.grew();
      },
    }).then(
      (found) => {
        this.found = found;
        this.grew();
      },
      (err: unknown) => {
        this.failure = err;
        this.found = { files: [], diagnostics: [], missing: [], explicitFiles: 0, boundaries: [], tree: new FileTree() };
        this.grew();
      },
    );
  }

  private grew(): void {
    this.onGrow?.();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once `n` files are found, or the walk is over. */
  async until(n: number): Promise<void> {
    while (!this.found && this.files.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure !== undefined) throw this.failure;
  }

  /** Resolves when the walk is over. */
  async end(): Promise<DiscoverResult> {
    await this.until(Infinity);
    return this.found!;
  }
}

/**
 * A pooled scan that starts on the files a walk has found while it goes on. Project questions
 * that need the walk's files below a folder wait until the walk has left that folder
 * (ContextCache.walkedMore) or ended (ContextCache.walked); the findings are reported in the order
 * of the whole walk's sorted list, as after a whole walk.
 */
async function scanWhileWalking(
  live: LiveWalk,
  options: ScanOptions,
  s: { started: number; timing?: Timing; jobs: number; maxFileSize: number; script: string; budget: Budget; registry: string; facts: readonly ProjectFact<unknown>[]; diagnostics: Diagnostic[] },
): Promise<ScanResult> {
  const contexts = new ContextCache({ discover: options, facts: s.facts, walking: live.soFar });
  const ended = live.end().then((found) => {
    contexts.walked(found.tree);
    options.onStart?.(live.files.length);
    return found;
  });
  const results = new Results(live.files.length);
  const threads = s.jobs;
  await scanInPool(live.files, options, threads, s.maxFileSize, s.script, s.registry, contexts, s.budget, results, s.timing, live);
  const found = await ended;
  return { ...report(found, live.files, [...found.diagnostics, ...s.diagnostics], results, { started: s.started, timing: s.timing, threads, byPath: true }), walkOverlapped: true };
}

/**
 * What the scan's files gave, in file order: only the results that hold something (findings,
 * diagnostics, a fix's checksum) are kept, the rest are counted, so that the main thread's memory
 * grows with the findings and not with the number of files.
 */
class Results {
  private readonly kept: Array<ScannedFile | undefined> = [];
  private recorded: Uint8Array;
  count = 0;
  parsed = 0;
  bytes = 0;

  /** `expected`: how many files there are, or so far (a scan that starts during its walk gets more). */
  constructor(expected: number) {
    this.recorded = new Uint8Array(expected);
  }

  /** Records a file's result; false when it already had one (a lost worker's file read again). */
  record(index: number, result: ScannedFile): boolean {
    if (index >= this.recorded.length) {
      const grown = new Uint8Array(Math.max(index + 1, 2 * this.recorded.length));
      grown.set(this.recorded);
      this.recorded = grown;
    }
    if (this.recorded[index]) return false;
    this.recorded[index] = 1;
    this.count++;
    if (result.parsed) this.parsed++;
    this.bytes += result.bytes;
    if (result.findings.length || result.diagnostics.length || result.sha256) this.kept[index] = result;
    return true;
  }

  has(index: number): boolean {
    return this.recorded[index] === 1;
  }

  /** The kept results, in file order; `byPath`: sorted by path instead (files that came in walk order), equal paths in file order. */
  each(fn: (result: ScannedFile) => void, byPath = false): void {
    const kept = this.kept.filter((r): r is ScannedFile => r !== undefined);
    if (byPath) kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const r of kept) fn(r);
  }
}

/**
 * Files waiting for a worker, in order, made into messages only when posted (a scan of a hundred
 * thousand files holds no hundred thousand messages); files a lost worker held come first.
 */
class FileQueue {
  private next = 0;
  private readonly back: PoolFile[] = [];

  constructor(private readonly files: DiscoveredFile[]) {}

  get length(): number {
    return this.back.length + this.files.length - this.next;
  }

  take(n: number): PoolFile[] {
    const out = this.back.splice(0, n);
    while (out.length < n && this.next < this.files.length) {
      const index = this.next++;
      const f = this.files[index]!;
      out.push({ index, path: f.path, kind: f.kind.id, display: displayPath(f), ...(f.raw ? { raw: f.raw } : {}) });
    }
    return out;
  }

  /** Puts files back at the front. */
  putBack(list: PoolFile[]): void {
    this.back.unshift(...list);
  }
}

async function scanInThread(files: DiscoveredFile[], options: ScanOptions, maxFileSize: number, contexts: ContextCache, results: Results, timing?: Timing): Promise<void> {
  const analyzer = new Analyzer(options.rules, options, contexts);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    results.record(i, scanFile(analyzer, file.path, displayPath(file), file.kind, maxFileSize, file.raw));
    options.onProgress?.(i + 1, files.length);
    // let N-API finalizers free the native trees a collection found dead, so memory stays flat
    if (finalizersPending() || i % BATCH_SIZE === BATCH_SIZE - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  if (analyzer.timing) timing?.merge(analyzer.timing.take());
}

/** A file as a worker receives it, with its place in the scan's list. */
interface PoolFile {
  index: number;
  path: string;
  kind: string;
  display: string;
  raw?: Buffer;
}

/** One scan worker and what the main thread knows of its progress. */
interface Slot {
  handle: WorkerHandle;
  worker: Worker;
  port: MessagePort;
  /** [0] files the worker has started, [1] 1 while it waits for an answer from this thread. */
  watch: Int32Array;
  /** Files posted to it and not yet reported back, in the order it takes them. */
  posted: PoolFile[];
  /** Files it has reported back. */
  reported: number;
  /**
   * Last value of watch[0] seen; the time spent on that file so far (waits for this thread and
   * one-time loads excluded): the worker thread's CPU time where the system reports it
   * (threadcpu.ts), else wall time; and the wall time, which also bounds a worker that is stalled
   * without using CPU.
   */
  seen: number;
  spent: number;
  elapsed: number;
  /** The worker thread's CPU time at the last tick, when known. */
  lastCpu?: number;
  /** When the worker was asked to give up its current file; and whether because it stalled (under its budget of CPU). */
  cancelledAt?: number;
  stalled?: boolean;
  lastTick: number;
  dead: boolean;
}

/**
 * A file whose worker's CPU time is under the budget is still given up after this many times the
 * budget of wall time: the worker is stalled (blocked in a read, say) rather than slow.
 */
const STALL_FACTOR = 10;
/** How long a worker has to give up a file over its budget before it is replaced. */
const CANCEL_GRACE_MS = 2000;
/** How often the main thread looks at the workers' progress. */
const WATCH_TICK_MS = 100;
/** Workers that die before reading a single file, in a row, before the pool gives up and scans in this thread. */
const MAX_START_FAILURES = 3;

function scanInPool(
  files: DiscoveredFile[],
  options: ScanOptions,
  jobs: number,
  maxFileSize: number,
  script: string,
  registry: string,
  contexts: ContextCache,
  budget: Budget,
  results: Results,
  timing?: Timing,
  /** The walk that is still adding to `files`, when the scan started during it. */
  live?: LiveWalk,
): Promise<void> {
  const init: WorkerInit = {
    type: 'init',
    ruleIds: options.rules.map((r) => r.id),
    options: { settings: options.settings, severities: options.severities, keepSuppressed: options.keepSuppressed, timing: options.timing },
    maxFileSize,
    fileTimeoutMs: budget.fileTimeoutMs,
    v8FlagsChanged: v8FlagsChanged(),
  };
  const queue = new FileQueue(files);
  let startFailures = 0;
  let nextBatch = 0;
  const slots = new Set<Slot>();
  // a batch no larger than an even share, so a small scan still spreads over the workers
  const batchSize = Math.max(1, Math.min(BATCH_SIZE, Math.ceil(files.length / jobs)));

  /** More files may come: the walk goes on. */
  const walking = () => live !== undefined && live.found === undefined;

  return new Promise((resolve) => {
    let ticker: NodeJS.Timeout | undefined;
    let fallback: { analyzer: Analyzer; note?: string } | undefined;
    let finished = false;
    const done = () => !walking() && results.count === files.length;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (live) live.onGrow = undefined;
      if (ticker) clearInterval(ticker);
      // workers that finished every file they were given wait for the next scan of this process
      for (const slot of [...slots]) {
        if (slot.posted.length === 0 && slot.cancelledAt === undefined) {
          slot.dead = true;
          slots.delete(slot);
          parkWorker(slot.handle);
        } else retire(slot);
      }
      if (fallback?.analyzer.timing) timing?.merge(fallback.analyzer.timing.take());
      resolve();
    };
    const record = (index: number, result: ScannedFile) => {
      if (results.record(index, result)) options.onProgress?.(results.count, files.length);
    };
    /**
     * Lets a worker go: an idle or dead one is terminated; a busy one (that did not give up its file
     * when asked) is asked to end at its next checkpoint and left to run unreferenced, since
     * terminating it inside a call of the tree-sitter binding would abort the process.
     */
    const retire = (slot: Slot, busy = false) => {
      if (slot.dead) return;
      slot.dead = true;
      slots.delete(slot);
      slot.port.close();
      slot.worker.removeAllListeners('message');
      slot.worker.unref();
      if (busy) Atomics.store(slot.watch, RETIRE_SLOT, 1);
      else void slot.worker.terminate().catch(() => undefined);
    };
    const feed = (slot: Slot) => {
      while (!slot.dead && queue.length) {
        // while the walk goes on, whole batches (or what there is, to a worker with nothing to do);
        // after it, batches shrink as the queue runs out, so that the workers finish at about the same time
        const size = walking() ? Math.min(batchSize, queue.length) : Math.max(1, Math.min(batchSize, Math.ceil(queue.length / (2 * jobs))));
        // one batch in hand, one queued (no idle gap while results travel back), of the size batches
        // have now: a worker near the end holds a few files, not what the others will wait for
        if (slot.posted.length >= 2 * Math.max(size, walking() ? batchSize : 1)) break;
        if (walking() && queue.length < batchSize && slot.posted.length > 0) break;
        const batch = queue.take(size);
        slot.posted.push(...batch);
        slot.worker.postMessage({ id: nextBatch++, files: batch } satisfies WorkerBatch);
      }
    };
    /** The file the worker is reading now, if any. */
    const current = (slot: Slot): PoolFile | undefined => {
      const started = Atomics.load(slot.watch, 0) - slot.reported;
      return started > 0 ? slot.posted[started - 1] : undefined;
    };
    /** A worker is gone (over the time or memory budget, or crashed): its file is abandoned, the rest go back in the queue. */
    const lose = (slot: Slot, cause: 'timeout' | 'memory' | 'crash', detail: string) => {
      if (slot.dead) return;
      const culprit = current(slot);
      retire(slot, cause === 'timeout');
      if (culprit) {
        startFailures = 0;
        const message =
          cause === 'timeout'
            ? detail === 'stalled'
              ? `abandoned: its worker stalled, using less than its budget of CPU in ${formatBudget(STALL_FACTOR * budget.fileTimeoutMs)} (--file-timeout); the scan went on without this file`
              : `abandoned after ${formatBudget(budget.fileTimeoutMs)} (--file-timeout): the scan went on without this file`
            : cause === 'memory'
              ? `abandoned: reading it took more than a scan worker's ${budget.workerMemoryMb} MB of memory (--worker-memory); the scan went on without this file`
              : `abandoned: a scan worker stopped while reading it (${detail}); the scan went on without this file`;
        record(culprit.index, {
          path: culprit.path,
          bytes: 0,
          findings: [],
          parsed: false,
          diagnostics: [{ code: cause === 'timeout' ? 'file-timeout' : cause === 'memory' ? 'file-memory' : 'internal-error', level: 'error', path: culprit.path, message }],
        });
      } else {
        startFailures++;
      }
      // everything else it held is read again by another worker
      queue.putBack(slot.posted.filter((f) => f !== culprit && !results.has(f.index)));
      if (startFailures >= MAX_START_FAILURES) {
        // workers cannot start at all: finish in this thread rather than never
        for (const slot of [...slots]) queue.putBack(slot.posted.filter((f) => !results.has(f.index)));
        for (const slot of [...slots]) retire(slot);
        fallback = { analyzer: new Analyzer(options.rules, options, contexts), note: `scan workers could not start (${detail}); the remaining files were scanned in the main thread, without time or memory budgets` };
        inThread();
      } else {
        while (slots.size < Math.min(jobs, queue.length)) spawn();
        for (const other of slots) feed(other);
      }
      if (done()) finish();
    };
    /** Scans what the queue holds in this thread (the pool gave up), the first file with the note why. */
    const inThread = () => {
      const rest = queue.take(queue.length).sort((a, b) => a.index - b.index);
      for (const f of rest) {
        const scanned = scanFile(fallback!.analyzer, f.path, f.display, fileKindById(f.kind)!, maxFileSize, f.raw);
        if (fallback!.note) scanned.diagnostics.push({ code: 'internal-error', level: 'error', message: fallback!.note });
        fallback!.note = undefined;
        record(f.index, scanned);
      }
    };
    const spawn = () => {
      const handle = takeWarmWorker(registry, budget.workerMemoryMb) ?? startWorker(script, registry, budget.workerMemoryMb);
      const { worker, port, watch, signal } = handle;
      // the worker asks this thread's ContextCache its project questions, synchronously
      contexts.serve(port, signal);
      worker.postMessage(init);
      // a worker kept from an earlier scan has counted that scan's files already
      const started = Atomics.load(watch, 0);
      const slot: Slot = { handle, worker, port, watch, posted: [], reported: started, seen: started, spent: 0, elapsed: 0, lastTick: performance.now(), dead: false };
      slots.add(slot);
      worker.on('message', (msg: WorkerResult) => {
        if (slot.dead) return;
        const batch = slot.posted.splice(0, msg.results.length);
        slot.reported += batch.length;
        if (msg.timing) timing?.merge(msg.timing);
        batch.forEach((f, i) => record(f.index, msg.results[i]!));
        startFailures = 0;
        if (done()) return finish();
        feed(slot);
      });
      worker.on('error', (err: Error & { code?: string }) => lose(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', err.message));
      worker.on('exit', (code) => lose(slot, 'crash', `exit code ${code}`));
      feed(slot);
      return slot;
    };
    const tick = () => {
      const now = performance.now();
      for (const slot of [...slots]) {
        const seen = Atomics.load(slot.watch, 0);
        const busy = seen > slot.reported && Atomics.load(slot.watch, UNCHARGED_SLOT) === 0;
        const cpu = threadCpuMs(Atomics.load(slot.watch, THREAD_SLOT));
        if (seen !== slot.seen) {
          slot.seen = seen;
          slot.spent = 0;
          slot.elapsed = 0;
          slot.cancelledAt = undefined;
        } else if (busy) {
          // a late tick (this thread was busy answering, or collecting garbage) counts as a few ticks at most
          const wall = Math.min(now - slot.lastTick, 5 * WATCH_TICK_MS);
          slot.elapsed += wall;
          // on a loaded machine a worker gets a fraction of a core: its file is charged what it used
          slot.spent += cpu !== undefined && slot.lastCpu !== undefined ? Math.min(Math.max(0, cpu - slot.lastCpu), wall) : wall;
        }
        slot.lastTick = now;
        slot.lastCpu = cpu;
        if (budget.fileTimeoutMs <= 0 || !busy || (slot.spent <= budget.fileTimeoutMs && slot.elapsed <= STALL_FACTOR * budget.fileTimeoutMs)) continue;
        // over the budget: the worker is asked to give the file up (it reports it and goes on);
        // one that does not within the grace time is replaced
        if (slot.cancelledAt === undefined) {
          Atomics.store(slot.watch, CANCEL_SLOT, seen);
          slot.cancelledAt = now;
          slot.stalled = slot.spent <= budget.fileTimeoutMs;
        } else if (now - slot.cancelledAt > Math.max(CANCEL_GRACE_MS, budget.fileTimeoutMs)) {
          lose(slot, 'timeout', slot.stalled ? 'stalled' : 'time budget');
        }
      }
    };
    if (files.length === 0) return resolve();
    if (live) {
      // the walk found more: to the workers (or this thread, when they could not start); the
      // questions about folders it has left since are answered
      live.onGrow = () => {
        contexts.walkedMore();
        if (fallback) inThread();
        else {
          while (slots.size < Math.min(jobs, queue.length)) spawn();
          for (const slot of slots) feed(slot);
        }
        if (done()) finish();
      };
    }
    for (let j = 0; j < Math.min(jobs, Math.ceil(files.length / batchSize)); j++) spawn();
    if (budget.fileTimeoutMs > 0) {
      ticker = setInterval(tick, Math.min(WATCH_TICK_MS, Math.max(10, budget.fileTimeoutMs / 10)));
      ticker.unref();
    }
  });
}

