/**
 * Native memory of parsed trees is freed by finalizers, which run only after V8 collects the
 * trees' JS wrappers; V8 does not count that native memory, so on its own it collects too rarely
 * and a long scan's resident memory grows with the files parsed. `beforeParse` asks for a
 * collection of the young generation every 256 KB of parsed source and a full one every 8 MB. It
 * runs before a file is parsed, when no tree of an earlier file is referenced any more (collected
 * during its own file, a tree would survive and be promoted to the old generation, which only a
 * full collection frees); `finalizersPending` then tells the scanning loop to let the event loop
 * turn, so that the finalizers free the trees before the next file.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { noteV8FlagsChanged } from './code-cache.js';

/** Parsed source (UTF-16 code units) between two collections of the young generation. */
const MINOR_EVERY = 256 * 1024;
/** Parsed source between two full collections (trees whose wrappers lived long enough to be promoted). */
const MAJOR_EVERY = 8 * 1024 * 1024;

type Collect = (options?: { type: 'minor' | 'major' }) => void;
let collect: Collect | undefined | null;
let minorSince = 0;
let majorSince = 0;
let collected = false;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      noteV8FlagsChanged();
      collect = vm.runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Counts parsed source and collects garbage when enough has been parsed since the last time: a
 * tree's wrapper usually dies young, so a cheap collection of the young generation (a millisecond
 * or two) frees most trees; a full one now and then frees the rest.
 */
export function beforeParse(chars: number): void {
  minorSince += chars;
  majorSince += chars;
  if (minorSince < MINOR_EVERY) return;
  minorSince = 0;
  const gc = collector();
  if (!gc) return;
  if (majorSince >= MAJOR_EVERY) {
    majorSince = 0;
    gc();
  } else gc({ type: 'minor' });
  collected = true;
}

/**
 * True once after a collection: the trees it found dead are freed by N-API finalizers, which Node
 * runs as immediates, so the caller should let the event loop turn before the next file.
 */
export function finalizersPending(): boolean {
  const was = collected;
  collected = false;
  return was;
}

/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again, in percent. V8 picks a factor of up to 4x from how fast its collections are; a scan's old
 * generation is mostly dead wrappers of parsed trees, whose native memory V8 does not see, so a
 * heap allowed to grow fourfold holds many dead trees. 20% (with a 12 MB young generation for
 * workers, pool-start.ts) made the corpus scan's peak RSS 431-435 MB instead of 530-541 MB at a
 * wall time this machine could not tell apart (0.93-1.14x in four rounds); 10% with a 6 MB young
 * generation, 412 MB for 1.11x.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growing factor for the whole process (every isolate, workers too; V8 reads it at
 * each collection), unless node was started with its own. For the command line, before a scan of
 * folders: a process-wide setting is not for the engine to make in an application that embeds
 * it, and a short run of a few files is better without. Changing a V8 flag changes what V8 checks
 * code caches against (Node's own for its internal modules, code-cache.ts's): code compiled after
 * it in this process does not use them, so it is done once the command line has loaded, and no
 * cache is written after it (the next run, under V8's own flags, would reject it).
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  noteV8FlagsChanged();
}
