/**
 * Native memory of parsed trees is freed by finalizers, which run only after V8 collects the
 * trees' JS wrappers; V8 does not count that native memory, so on its own it collects too rarely
 * and a long scan's resident memory grows with the files parsed. `afterParse` asks for a
 * collection after every few megabytes of parsed source, which keeps memory flat for about one
 * collection per few hundred candidate files.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Parsed source (UTF-16 code units) between two collections. */
const COLLECT_EVERY = 4 * 1024 * 1024;

let collect: (() => void) | undefined | null;
let parsedSince = 0;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Counts parsed source and collects garbage when enough has been parsed since the last time. */
export function afterParse(chars: number): void {
  parsedSince += chars;
  if (parsedSince < COLLECT_EVERY) return;
  parsedSince = 0;
  collector()?.();
}
