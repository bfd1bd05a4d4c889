import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import ignore, { type Ignore } from 'ignore';

// fast-glob loads only when a folder is walked: a pre-commit run over file names never needs it
const require = createRequire(import.meta.url);
let fastGlob: typeof FastGlob | undefined;
import { classify, type FileKind } from './languages.js';
import type { Diagnostic } from './types.js';

/** Folders never walked into unless named explicitly: dependencies, VCS data, build output. */
export const DEFAULT_EXCLUDES = [
  'node_modules',
  'bower_components',
  'vendor',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.gradle',
  '.terraform',
  'dist',
  'target',
  'obj',
];

export interface DiscoverOptions {
  cwd: string;
  /** Extra exclude globs (relative to each scanned folder, gitignore-style). */
  excludes?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Replace DEFAULT_EXCLUDES (config `defaultExcludes: false` passes []). */
  defaultExcludes?: string[];
}

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  kind: FileKind;
  /** The scan root it was found under (a folder argument, or the file's folder). */
  root: string;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  diagnostics: Diagnostic[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Every file of the walked folders, of any kind, that the excludes and .gitignore leave in. */
  tree: FileTree;
}

type Ignores = Array<{ base: string; ig: Ignore }>;

/**
 * The files of the walked folders, whatever their kind, for project context questions such as
 * "does any C# file of this project enable TLS 1.2?". Answers honour .gitignore and the excludes
 * exactly as the scan does; the per-file .gitignore test runs only for files that are asked about.
 */
export class FileTree {
  private readonly roots: Array<{ root: string; files: string[]; sorted: boolean; ignores: Ignores }> = [];

  add(root: string, files: string[], ignores: Ignores): void {
    this.roots.push({ root, files, sorted: false, ignores });
  }

  /** True when `dir` lies in a walked folder (so every file below it is known). */
  covers(dir: string): boolean {
    return this.roots.some((r) => dir === r.root || dir.startsWith(r.root + path.sep));
  }

  /** The files below `dir` (absolute, sorted) whose base name passes `name`. */
  filesBelow(dir: string, name: RegExp): string[] {
    const r = this.roots.find((x) => dir === x.root || dir.startsWith(x.root + path.sep));
    if (!r) return [];
    if (!r.sorted) {
      r.files.sort();
      r.sorted = true;
    }
    const prefix = dir + path.sep;
    const out: string[] = [];
    // the files below `dir` are one run of the sorted list
    let lo = 0;
    let hi = r.files.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r.files[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < r.files.length && r.files[i]!.startsWith(prefix); i++) {
      const file = r.files[i]!;
      if (name.test(path.basename(file)) && !(r.ignores.length && isIgnored(file, false, r.ignores))) out.push(file);
    }
    return out;
  }
}

/** Reads .gitignore files from `dir` up to the repository root (a folder with .git). */
function ancestorIgnores(dir: string): Array<{ base: string; ig: Ignore }> {
  const out: Array<{ base: string; ig: Ignore }> = [];
  let current = path.dirname(dir);
  if (fs.existsSync(path.join(dir, '.git'))) return out;
  for (;;) {
    const file = path.join(current, '.gitignore');
    try {
      out.push({ base: current, ig: ignore().add(fs.readFileSync(file, 'utf8')) });
    } catch {
      /* none here */
    }
    if (fs.existsSync(path.join(current, '.git'))) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return out;
}

function isIgnored(file: string, isDir: boolean, ignores: Ignores): boolean {
  for (const { base, ig } of ignores) {
    const rel = path.relative(base, file);
    if (!rel || rel.startsWith('..')) continue;
    const posix = rel.split(path.sep).join('/');
    if (ig.ignores(isDir ? posix + '/' : posix)) return true;
  }
  return false;
}

/** True when the symlinked folder `link` resolves to itself or one of its own ancestors. */
function linkLoops(link: string): boolean {
  try {
    const target = fs.realpathSync(link);
    const parent = fs.realpathSync(path.dirname(link));
    return parent === target || parent.startsWith(target + path.sep);
  } catch {
    return true;
  }
}

/** Files to scan under the given paths, sorted; explicit file arguments are always kept. */
export function discover(paths: string[], options: DiscoverOptions): DiscoverResult {
  const files = new Map<string, DiscoveredFile>();
  const diagnostics: Diagnostic[] = [];
  const missing: string[] = [];
  const tree = new FileTree();
  const useGitignore = options.gitignore !== false;
  const defaults = options.defaultExcludes ?? DEFAULT_EXCLUDES;
  const userExcludes = ignore().add(options.excludes ?? []);

  for (const given of paths.length ? paths : ['.']) {
    const abs = path.resolve(options.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        diagnostics.push({ code: 'symlink-loop', level: 'warning', path: abs, message: 'symbolic link loop; not followed' });
      } else if (code === 'ENOENT') {
        missing.push(given);
        diagnostics.push({ code: 'path-not-found', level: 'error', path: abs, message: `no such file or folder: ${given}` });
      } else {
        diagnostics.push({ code: 'read-error', level: 'error', path: abs, message: `cannot read: ${(err as Error).message}` });
      }
      continue;
    }
    if (stat.isFile()) {
      const kind = classify(abs);
      if (kind) files.set(abs, { path: abs, kind, root: path.dirname(abs) });
      continue;
    }
    if (!stat.isDirectory()) continue;

    const root = abs;
    fastGlob ??= require('fast-glob') as typeof FastGlob;
    const entries = fastGlob.sync('**', {
      cwd: root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      suppressErrors: true,
      ignore: defaults.map((d) => `**/${d}/**`),
    });
    // .gitignore files found in this walk, plus those above the root up to the repository root
    const ignores = useGitignore ? ancestorIgnores(root) : [];
    if (useGitignore) {
      for (const e of entries) {
        if (path.basename(e.path) !== '.gitignore' || !e.dirent.isFile()) continue;
        const full = path.join(root, e.path);
        try {
          ignores.push({ base: path.dirname(full), ig: ignore().add(fs.readFileSync(full, 'utf8')) });
        } catch {
          /* unreadable .gitignore: nothing to honour */
        }
      }
      ignores.sort((a, b) => a.base.length - b.base.length);
    }
    const ignoredDirs: string[] = [];
    const walked: string[] = [];
    for (const e of entries) {
      const full = path.join(root, e.path);
      const rel = e.path;
      if (ignoredDirs.some((d) => full.startsWith(d))) continue;
      if (userExcludes.ignores(e.dirent.isDirectory() ? rel + '/' : rel)) {
        if (e.dirent.isDirectory()) ignoredDirs.push(full + path.sep);
        continue;
      }
      if (e.dirent.isDirectory()) {
        if (useGitignore && isIgnored(full, true, ignores)) ignoredDirs.push(full + path.sep);
        continue;
      }
      if (e.dirent.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = fs.statSync(full);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') diagnostics.push({ code: 'symlink-loop', level: 'warning', path: full, message: 'symbolic link loop; not followed' });
          continue; // dangling links are not worth a word
        }
        if (target.isDirectory()) {
          if (linkLoops(full)) {
            diagnostics.push({ code: 'symlink-loop', level: 'warning', path: full, message: 'symbolic link to one of its own parent folders; not followed' });
          }
          continue; // linked folders are not walked: their files belong to another tree
        }
        if (!target.isFile()) continue;
      } else if (!e.dirent.isFile()) {
        continue;
      } else {
        walked.push(full);
      }
      const kind = classify(full);
      if (!kind) continue;
      if (useGitignore && isIgnored(full, false, ignores)) continue;
      if (!files.has(full)) files.set(full, { path: full, kind, root });
    }
    tree.add(root, walked, ignores);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, diagnostics, missing, tree };
}
