/**
 * Cooperative cancellation in a scan worker. A file over its time budget is not stopped by
 * terminating its worker: a worker terminated inside a call of the tree-sitter binding aborts the
 * whole process (the binding's C++ exception cannot cross the engine). Instead the main thread
 * flags the file, and the worker's hot loops (the analyzer, the semantic layer's facts and
 * evaluation) call `checkpoint()`, which throws ScanCancelled there; the worker reports the file
 * as abandoned and goes on with the next one.
 */

/** Slots of the worker's shared `watch` array (see pool-start.ts). */
export const CANCEL_SLOT = 3;
export const RETIRE_SLOT = 4;
/** Slot of the worker's `watch` array that holds its thread's id for the kernel (threadcpu.ts; 0 when unknown). */
export const THREAD_SLOT = 2;

export class ScanCancelled extends Error {
  constructor() {
    super('abandoned: over its time budget');
  }
}

let watch: Int32Array | undefined;
let current = 0;

/** In a worker: cancellation requests arrive in `shared`. */
export function listenForCancel(shared: Int32Array): void {
  watch = shared;
}

/** The worker starts file number `seq` (the value of its started-files counter). */
export function startFile(seq: number): void {
  current = seq;
}

/** Slot of the worker's `watch` array that is non-zero while the worker's time is not its file's own. */
export const UNCHARGED_SLOT = 1;

/**
 * Runs `work` off the current file's time budget: the main thread does not count the time while
 * slot 1 is set. For what a file is not to blame for: waiting for the main thread's answers, and
 * the one-time costs of the first file of a kind in a worker (loading a grammar or the TypeScript
 * compiler, compiling queries), which on a loaded machine can take seconds. Nests.
 */
export function uncharged<T>(work: () => T, shared: Int32Array | undefined = watch): T {
  if (shared === undefined) return work();
  const before = Atomics.load(shared, UNCHARGED_SLOT);
  Atomics.store(shared, UNCHARGED_SLOT, 1);
  try {
    return work();
  } finally {
    Atomics.store(shared, UNCHARGED_SLOT, before);
  }
}

/**
 * Throws ScanCancelled when the main thread has given up on the current file; ends the worker
 * when the main thread has given up on the worker. Cheap: one shared-memory read.
 */
export function checkpoint(): void {
  if (watch === undefined) return;
  if (Atomics.load(watch, CANCEL_SLOT) === current && current !== 0) throw new ScanCancelled();
  if (Atomics.load(watch, RETIRE_SLOT) !== 0) process.exit(0);
}

/** A time budget for messages: `5 s`, `2.5 s`, `250 ms`. */
export function formatBudget(ms: number): string {
  return ms % 100 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
