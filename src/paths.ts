import fs from 'node:fs';
import path from 'node:path';

/**
 * `file` relative to `dir` when it lies inside it, else undefined. A name that merely starts with
 * two dots (`..hidden.go`) is inside; only `..` itself or a `../` prefix leaves the folder.
 */
export function relativeInside(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  if (!rel || path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`)) return undefined;
  return rel;
}

/** True when `p` is a folder (following links); false when it is anything else or cannot be read. */
export function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
