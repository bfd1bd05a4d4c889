import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
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

/**
 * The files of the walked folders, whatever their kind, for project context questions such as
 * "does any C# file of this project enable TLS 1.2?". It holds exactly the files the walk kept
 * (.gitignore and the excludes applied), so answers honour them as the scan does.
 */
export class FileTree {
  private readonly roots: Array<{ root: string; files: string[]; sorted: boolean }> = [];

  add(root: string, files: string[]): void {
    this.roots.push({ root, files, sorted: false });
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
      if (name.test(path.basename(file))) out.push(file);
    }
    return out;
  }
}

/**
 * A .gitignore in force for part of a walk: its patterns, and how to spell a walked path (relative
 * to the scan root, `/`-separated) relative to the .gitignore's folder.
 */
interface IgnoreFile {
  ig: Ignore;
  /** The .gitignore's folder relative to the root with a trailing `/` (`''` at the root), when inside the root. */
  inside?: string;
  /** The root relative to the .gitignore's folder with a trailing `/`, when the .gitignore is above the root. */
  above?: string;
}

function ignoredBy(ignores: IgnoreFile[], rel: string, isDir: boolean): boolean {
  const suffix = isDir ? '/' : '';
  for (const f of ignores) {
    const p = f.above !== undefined ? f.above + rel : rel.slice(f.inside!.length);
    if (p && f.ig.ignores(p + suffix)) return true;
  }
  return false;
}

/** The .gitignore files above a scan root, up to the repository root (a folder with .git). */
function ancestorIgnores(root: string): IgnoreFile[] {
  const out: IgnoreFile[] = [];
  if (fs.existsSync(path.join(root, '.git'))) return out;
  for (let current = path.dirname(root); ; ) {
    try {
      const above = path.relative(current, root).split(path.sep).join('/') + '/';
      out.push({ ig: ignore().add(fs.readFileSync(path.join(current, '.gitignore'), 'utf8')), above });
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

interface WalkOptions {
  /** Folder names never walked into. */
  defaults: Set<string>;
  userExcludes: Ignore;
  useGitignore: boolean;
}

/**
 * Walks a folder depth-first, pruning excluded and ignored folders without reading them. Each
 * entry is tested against the .gitignore files of its own ancestors only (paths are built as it
 * goes, relative to the root), so the walk stays linear in the number of entries however many
 * .gitignore files an estate holds. Regular files and links to files are handed to `keep`.
 */
function walk(root: string, inherited: IgnoreFile[], o: WalkOptions, diagnostics: Diagnostic[], keep: (full: string, kind: FileKind | undefined) => void): void {
  const stack: Array<{ dir: string; rel: string; ignores: IgnoreFile[] }> = [{ dir: root, rel: '', ignores: inherited }];
  while (stack.length) {
    const { dir, rel, ignores: parentIgnores } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing below it to scan
    }
    let ignores = parentIgnores;
    if (o.useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        ignores = [...parentIgnores, { ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')), inside: rel }];
      } catch {
        /* unreadable .gitignore: nothing to honour */
      }
    }
    const subfolders: Array<{ dir: string; rel: string; ignores: IgnoreFile[] }> = [];
    for (const e of entries) {
      const name = e.name;
      const relPath = rel + name;
      const full = path.join(dir, name);
      const isDir = e.isDirectory();
      if (isDir && o.defaults.has(name)) continue;
      if (o.userExcludes.ignores(isDir ? relPath + '/' : relPath)) continue;
      if (ignores.length && ignoredBy(ignores, relPath, isDir)) continue;
      if (isDir) {
        subfolders.push({ dir: full, rel: relPath + '/', ignores });
        continue;
      }
      if (e.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = fs.statSync(full);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') diagnostics.push({ code: 'symlink-loop', level: 'warning', path: full, message: 'symbolic link loop; not followed' });
          continue; // dangling links are not worth a word
        }
        if (target.isDirectory()) {
          if (linkLoops(full)) diagnostics.push({ code: 'symlink-loop', level: 'warning', path: full, message: 'symbolic link to one of its own parent folders; not followed' });
          continue; // linked folders are not walked: their files belong to another tree
        }
        if (!target.isFile()) continue;
        const kind = classify(full);
        if (kind) keep(full, kind);
        continue;
      }
      if (!e.isFile()) continue;
      keep(full, classify(full));
    }
    // depth-first in name order
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]!);
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
    // a folder named on the command line is scanned even when a .gitignore above it hides it
    const above = useGitignore ? ancestorIgnores(root) : [];
    const inherited = above.length && ignoredBy(above, '', true) ? [] : above;
    const walked: string[] = [];
    walk(root, inherited, { defaults: new Set(defaults), userExcludes, useGitignore }, diagnostics, (full, kind) => {
      walked.push(full);
      if (kind && !files.has(full)) files.set(full, { path: full, kind, root });
    });
    tree.add(root, walked);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, diagnostics, missing, tree };
}
