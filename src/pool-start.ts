/**
 * Starting scan workers, kept apart from the engine so that the command line can start one
 * before it loads anything else: a worker spends most of its start-up importing the rules, and
 * started first it does so while the main thread loads the same modules (a pre-commit run of a
 * few files then costs hardly more than a scan in the main thread).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * The module workers load their rules from, unless a scan brings its own: src/registry.ts by its
 * URL next to this module (in the bundle, a name for the bundled one: see registries.ts).
 */
export const DEFAULT_REGISTRY = new URL('./registry.js', import.meta.url).href;
/**
 * A scan worker's young generation. V8 sizes it from the heap limit (48 MB for 1 GB), more than a
 * worker's short-lived objects need, and what it holds at the end of a file are dead wrappers of
 * parsed trees whose native memory V8 does not count. 12 MB goes with the command line's limit on
 * heap growth: the figures are in memory.ts (24 MB alone had saved 28 MB against 48 at the same speed).
 */
const YOUNG_GENERATION_MB = 12;
/** Default heap limit of a scan worker (V8's old generation; parsers' native trees are not counted). */
export const DEFAULT_WORKER_MEMORY_MB = 1024;

/** What a worker is started with; the rules and options of the scan follow in its first message. */
export interface WorkerStart {
  /** URL of a module that exports `RULES` (src/registry.ts unless the caller brings its own). */
  registry: string;
  /** Where project questions go: the main thread answers them once for the whole scan. */
  context: { port: MessagePort; signal: Int32Array };
  /**
   * Progress the main thread watches to hold the time budget: [0] counts the files the worker has
   * started, [1] is 1 while it waits for an answer from the main thread (time that is not its own),
   * [2] is its thread's id for the kernel (whose CPU time the main thread reads), [3] names the
   * file the main thread gives up on, [4] asks the worker to end (see cancel.ts).
   */
  watch: Int32Array;
}

export interface WorkerHandle {
  worker: Worker;
  /** The main thread's end of the context channel. */
  port: MessagePort;
  signal: Int32Array;
  watch: Int32Array;
  registry: string;
  memoryMb: number;
}

/**
 * The worker script next to this module: the bundle's (dist/bundle/worker.cjs) or the compiled
 * sources' (dist/src/worker-entry.js); undefined when running from TypeScript sources (tests),
 * which scan in-thread.
 */
export function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.cjs')) return path.join(path.dirname(here), 'worker.cjs');
  return here.endsWith('.js') ? path.join(path.dirname(here), 'worker-entry.js') : undefined;
}

/** Starts a scan worker with a heap limit; it loads `registry` and waits for its first message. */
export function startWorker(script: string, registry: string, memoryMb: number): WorkerHandle {
  const channel = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const watch = new Int32Array(new SharedArrayBuffer(20));
  const workerData: WorkerStart = { registry, context: { port: channel.port2, signal }, watch };
  const start = (execArgv: string[]) =>
    new Worker(script, {
      workerData,
      execArgv,
      transferList: [channel.port2],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, stackSizeMb: 8 },
    });
  let worker: Worker;
  try {
    // a worker inherits the process's flags; --input-type (of `node -e` scripts) would stop it
    worker = start(process.execArgv.filter((a) => !a.startsWith('--input-type')));
  } catch (e) {
    // Node refuses a worker the V8 flags of the command line (`node --max-old-space-size=4096
    // tlslint ...`, `--trace-gc`); V8's flags hold for every thread of the process anyway, and
    // Node's own options do not change how a worker scans, so it starts without them
    if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    worker = start([]);
  }
  return { worker, port: channel.port1, signal, watch, registry, memoryMb };
}

let warm: WorkerHandle | undefined;
/** Workers a finished scan left idle, for the next scan of this process (an audit scans one repository after the other). */
const parked: WorkerHandle[] = [];

/**
 * Keeps an idle worker of a finished scan for the next one: starting a worker (its rules, grammars,
 * compiled queries, TypeScript) costs far more than the scan of a small repository. A parked
 * worker does not keep the process alive, and one that ends while parked is forgotten.
 */
export function parkWorker(handle: WorkerHandle): void {
  handle.worker.removeAllListeners('message');
  handle.worker.removeAllListeners('error');
  handle.worker.removeAllListeners('exit');
  handle.port.removeAllListeners('message');
  handle.port.unref();
  handle.worker.unref();
  const forget = () => {
    const i = parked.indexOf(handle);
    if (i !== -1) parked.splice(i, 1);
  };
  handle.worker.on('error', forget);
  handle.worker.on('exit', forget);
  parked.push(handle);
}

/** Starts one worker with the default registry and limits now, for the next scan to take. */
export function prestartWorker(): void {
  const script = workerScript();
  if (!script || warm) return;
  warm = startWorker(script, DEFAULT_REGISTRY, DEFAULT_WORKER_MEMORY_MB);
  // an unused warm worker must not keep the process alive
  warm.worker.unref();
  warm.worker.on('error', () => undefined);
}

/** How many workers of an earlier scan wait, ready, for this registry and memory limit. */
export function parkedWorkers(registry: string, memoryMb: number): number {
  return parked.filter((h) => h.registry === registry && h.memoryMb === memoryMb).length;
}

/** The prestarted worker, when it was started for this registry and memory limit (else it is stopped). */
export function takeWarmWorker(registry: string, memoryMb: number): WorkerHandle | undefined {
  const i = parked.findIndex((h) => h.registry === registry && h.memoryMb === memoryMb);
  if (i !== -1) {
    const [h] = parked.splice(i, 1);
    h!.worker.removeAllListeners('error');
    h!.worker.removeAllListeners('exit');
    h!.worker.ref();
    return h;
  }
  const w = warm;
  warm = undefined;
  if (!w) return undefined;
  if (w.registry === registry && w.memoryMb === memoryMb && w.worker.threadId !== -1) {
    w.worker.ref();
    w.worker.removeAllListeners('error');
    return w;
  }
  w.port.close();
  void w.worker.terminate();
  return undefined;
}
