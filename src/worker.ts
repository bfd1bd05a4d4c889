/**
 * A scan worker: one Analyzer (one parser set) per thread; files arrive in batches. The worker is
 * handed the rules it runs (a registry module and rule ids) and refuses to start when an id is
 * not in that registry, so a rule can never vanish silently from a pooled scan. Project facts come
 * from the main thread, which reads each once for the whole scan.
 *
 * `runWorker` is called by the worker's entry script: src/worker-entry.ts when running from the
 * compiled sources, src/bundle-worker.ts in the bundle (which loads through the code cache).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { RemoteContext } from './context.js';
import { fileKindById } from './languages.js';
import { finalizersPending } from './memory.js';
import { noteV8FlagsChanged } from './code-cache.js';
import { limitParseTime } from './parsers.js';
import { checkpoint, formatBudget, listenForCancel, ScanCancelled, startFile, THREAD_SLOT } from './cancel.js';
import { currentThreadId } from './threadcpu.js';
import { importRegistry } from './registries.js';
import type { Rule } from './rule.js';
import { scanFile, type ScannedFile } from './scanfile.js';
import type { TimingData } from './timing.js';
import type { WorkerStart } from './pool-start.js';

/** The scan's rules and options: the first message a worker receives. */
export interface WorkerInit {
  type: 'init';
  ruleIds: string[];
  options: AnalyzeOptions;
  maxFileSize: number;
  /** The time budget per file (0: none); tree-sitter parses give up after it too. */
  fileTimeoutMs: number;
  /** Whether the main thread changed a V8 flag (code-cache.ts): the flags are the process's. */
  v8FlagsChanged: boolean;
}

export interface WorkerBatch {
  id: number;
  files: Array<{ path: string; kind: string; display: string; raw?: Uint8Array }>;
}

export interface WorkerResult {
  id: number;
  results: ScannedFile[];
  /** Time measured for this batch (`--timing`). */
  timing?: TimingData;
}

/**
 * Runs this thread as a scan worker: loads its registry, then scans the batches the main thread
 * sends. `scanned` is called once, when the first batch is done and before its results go back
 * (the bundle's worker saves its code cache then, with the functions a scan compiles).
 */
export function runWorker(scanned?: () => void): void {
  const start = workerData as WorkerStart;
  // the main thread charges a file with this thread's CPU time where it can read it
  Atomics.store(start.watch, THREAD_SLOT, currentThreadId());
  // messages sent meanwhile wait in the port until the listener below is attached
  void importRegistry(start.registry).then(({ RULES }) => serve(start, new Map(RULES.map((r) => [r.id, r])), scanned));
}

function serve(start: WorkerStart, byId: ReadonlyMap<string, Rule>, scanned: (() => void) | undefined): void {
  let analyzer: Analyzer | undefined;
  let maxFileSize = 0;
  let timeoutMs = 0;
  /**
   * Batches waiting to be scanned, the first one partly done. The tree-sitter binding frees a
   * tree's native memory in a finalizer that Node runs as an immediate once the tree is collected:
   * a worker that scanned on without letting immediates run would never free a tree, and its memory
   * would grow with every file. So the event loop turns between batches, and within one after each
   * garbage collection (src/memory.ts).
   */
  const batches: Array<{ msg: WorkerBatch; results: ScannedFile[] }> = [];

  parentPort!.on('message', (msg: WorkerInit | WorkerBatch) => {
    if ('type' in msg) {
      const unknown = msg.ruleIds.filter((id) => !byId.has(id));
      if (unknown.length) throw new Error(`rule ${unknown.join(', ')} is not in the registry ${start.registry}`);
      analyzer = new Analyzer(
        msg.ruleIds.map((id) => byId.get(id)!),
        msg.options,
        new RemoteContext(start.context.port, start.context.signal, start.watch),
      );
      maxFileSize = msg.maxFileSize;
      if (msg.v8FlagsChanged) noteV8FlagsChanged();
      limitParseTime(msg.fileTimeoutMs);
      listenForCancel(start.watch);
      timeoutMs = msg.fileTimeoutMs;
      return;
    }
    batches.push({ msg, results: [] });
    if (batches.length === 1) setImmediate(drain);
  });

  function drain(): void {
    const batch = batches[0];
    if (!batch) return;
    if (!scanSome(batch)) {
      setImmediate(drain);
      return;
    }
    if (scanned) {
      scanned();
      scanned = undefined;
    }
    parentPort!.postMessage({ id: batch.msg.id, results: batch.results, timing: analyzer!.timing?.take() } satisfies WorkerResult);
    batches.shift();
    if (batches.length) setImmediate(drain);
  }

  /** Scans the batch's next files until it is done (true) or a collection left finalizers to run (false). */
  function scanSome(batch: { msg: WorkerBatch; results: ScannedFile[] }): boolean {
    const files = batch.msg.files;
    while (batch.results.length < files.length) {
      batch.results.push(scanOne(files[batch.results.length]!));
      if (finalizersPending() && batch.results.length < files.length) return false;
    }
    return true;
  }

  function scanOne(f: WorkerBatch['files'][number]): ScannedFile {
    startFile(Atomics.add(start.watch, 0, 1) + 1);
    try {
      checkpoint();
      return scanFile(analyzer!, f.path, f.display, fileKindById(f.kind)!, maxFileSize, f.raw);
    } catch (err) {
      if (!(err instanceof ScanCancelled)) throw err;
      return {
        path: f.path,
        bytes: 0,
        findings: [],
        parsed: false,
        diagnostics: [{ code: 'file-timeout', level: 'error', path: f.path, message: `abandoned after ${formatBudget(timeoutMs)} (--file-timeout): the scan went on without this file` }],
      };
    }
  }
}
