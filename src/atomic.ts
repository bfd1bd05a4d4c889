/**
 * Whole files or none: a file is written to a temporary name beside it and renamed into place, so
 * an interrupted run (Ctrl-C, a killed job) never leaves a half-written report behind. Temporary
 * files of this process are removed on interruption; those of a killed process by the next run.
 */
import fs from 'node:fs';
import path from 'node:path';

const TMP_MARK = '.tlslint-tmp-';
const pending = new Set<string>();
let counter = 0;

/** A fresh temporary name beside `file` (removed by removeStaleTemporaries when a killed run leaves it). */
export function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${TMP_MARK}${process.pid}-${counter++}`);
}

/** Marks `tmp` as this process's to remove on interruption; the returned function unmarks it. */
export function trackTemporary(tmp: string): () => void {
  pending.add(tmp);
  return () => pending.delete(tmp);
}

export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = temporaryName(file);
  pending.add(tmp);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    pending.delete(tmp);
  }
}

/** Removes the temporary files this process is writing (call on SIGINT/SIGTERM before exiting). */
export function removePendingTemporaries(): void {
  for (const tmp of pending) fs.rmSync(tmp, { force: true });
  pending.clear();
}

/** Removes temporary files that a killed run left in `dir` (not recursive). */
export function removeStaleTemporaries(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith('.') && name.includes(TMP_MARK)) {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
