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
  /**
   * Follow links to files outside the scanned folder (for a file argument, outside the current
   * folder, or its own folder when it lies elsewhere). Default false: such a link is reported and
   * left alone, so a scan never reads, and a report never quotes, files from outside the tree.
   */
  followSymlinks?: boolean;
  /** Extra exclude globs (relative to each scanned folder, gitignore-style). */
  excludes?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Replace DEFAULT_EXCLUDES (config `defaultExcludes: false` passes []). */
  defaultExcludes?: string[];
}

export interface DiscoveredFile {
  /** Absolute path (a name that is not valid UTF-8 shows U+FFFD for its bad bytes; `raw` has the bytes). */
  path: string;
  kind: FileKind;
  /** The scan root it was found under (a folder argument, or the file's folder). */
  root: string;
  /** The path's bytes, when some name on it is not valid UTF-8 (read the file through this). */
  raw?: Buffer;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  diagnostics: Diagnostic[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Command-line arguments that are files (of any kind): a scan with nothing else still had something to look at. */
  explicitFiles: number;
  /** Real paths of the folders the scan may read and --fix may write: each folder argument, and the boundary of each file argument (see linkBoundary). */
  boundaries: string[];
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
    return this.roots.some((r) => dir === r.root || dir.startsWith(withSep(r.root)));
  }

  /** The files below `dir` (absolute, sorted) whose base name passes `name`. */
  filesBelow(dir: string, name: RegExp): string[] {
    const r = this.roots.find((x) => dir === x.root || dir.startsWith(withSep(x.root)));
    if (!r) return [];
    if (!r.sorted) {
      r.files.sort();
      r.sorted = true;
    }
    const prefix = withSep(dir);
    // the files below `dir` are one run of the sorted list
    let lo = 0;
    let hi = r.files.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r.files[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return runBelow(r.files, lo, prefix, name);
  }
}

/** The files of the run of `files` that starts at `from` and lies below `prefix`, whose base name passes `name`. */
function runBelow(files: readonly string[], from: number, prefix: string, name: RegExp): string[] {
  const out: string[] = [];
  for (let i = from; i < files.length && files[i]!.startsWith(prefix); i++) {
    const file = files[i]!;
    if (name.test(path.basename(file))) out.push(file);
  }
  return out;
}

/** A folder's path with one separator at its end (the root already has it). */
function withSep(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

/**
 * What a walk still going on has found: a folder's files are all known once the walk has left it
 * (it is depth-first, so it never comes back), which answers project questions about that folder
 * before the whole walk ends. A folder's files are one run of the walk's list, from where it began.
 */
export class WalkSoFar {
  private readonly files: string[] = [];
  private readonly starts = new Map<string, number>();
  private current = '';

  /** The walk reads `dir` now: its own files come next, then its subfolders'. */
  enter(dir: string): void {
    if (!this.starts.has(dir)) this.starts.set(dir, this.files.length);
    this.current = dir;
  }

  file(full: string): void {
    this.files.push(full);
  }

  /** True when the walk has read `dir` and everything below it (so `filesBelow` is its final answer). */
  done(dir: string): boolean {
    return this.starts.has(dir) && this.current !== dir && !this.current.startsWith(withSep(dir));
  }

  /** The files below a folder that is `done`, whose base name passes `name`, sorted. */
  filesBelow(dir: string, name: RegExp): string[] {
    const start = this.starts.get(dir);
    return start === undefined ? [] : runBelow(this.files, start, withSep(dir), name).sort();
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

/**
 * Whether the .gitignore files in force (shallowest first) ignore a path. As in git, the deepest
 * file with a pattern for the path decides: a `!name` in a subfolder's .gitignore brings back what
 * the root's ignores.
 */
function ignoredBy(ignores: IgnoreFile[], rel: string, isDir: boolean): boolean {
  const suffix = isDir ? '/' : '';
  for (let i = ignores.length - 1; i >= 0; i--) {
    const f = ignores[i]!;
    const p = f.above !== undefined ? f.above + rel : rel.slice(f.inside!.length);
    if (!p) continue;
    const verdict = testOne(f.ig, p + suffix);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

type Verdict = { ignored: boolean; unignored: boolean };
type RuleList = { test(path: string, checkUnignored: boolean, mode: string): Verdict };

/**
 * What a .gitignore's patterns say of one path (ignored, brought back by a `!` pattern, or
 * neither), its parent folders left out. The walk never enters an ignored folder, so every parent
 * of a path it tests is known not to be ignored; the matcher's own `test` would test each parent
 * again and cache every path of the estate (a third of a large walk's time). `ignore` 7 keeps its
 * patterns in a rule list that tests one path; without it (another version), `test` gives the
 * same answer.
 */
function testOne(ig: Ignore, p: string): Verdict {
  const rules = (ig as unknown as { _rules?: RuleList })._rules;
  return typeof rules?.test === 'function' ? rules.test(p, true, 'regex') : ig.test(p);
}

/** Pattern lines longer than this are reported and left out (the matcher's regular expression would be too large). */
export const MAX_PATTERN_LENGTH = 4096;

/**
 * The patterns of a .gitignore text (or --exclude list) as a matcher. A line that cannot be used
 * (too long, or a pattern the matcher cannot compile) is left out with a diagnostic naming the
 * file and line: one bad line never stops a scan.
 */
export function ignorePatterns(lines: string[], source: string | undefined, diagnostics: Diagnostic[]): Ignore {
  const where = (line: number) => (source ? { path: source, line } : {});
  const what = (line: number) => (source ? '' : `--exclude ${lines[line - 1]!.slice(0, 40)}...: `);
  const usable: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > MAX_PATTERN_LENGTH) {
      diagnostics.push({ code: 'ignore-pattern', level: 'warning', ...where(i + 1), message: `${what(i + 1)}a pattern of ${line.length} characters (more than ${MAX_PATTERN_LENGTH}) cannot be used; left out` });
    } else usable.push(line);
  });
  const ig = ignore().add(usable);
  try {
    ig.ignores('x'); // every pattern's expression is compiled on the first test
    return ig;
  } catch {
    // find the lines at fault, keep the others
    const kept = usable.filter((line) => {
      try {
        ignore().add(line).ignores('x');
        return true;
      } catch (err) {
        const at = lines.indexOf(line) + 1;
        diagnostics.push({ code: 'ignore-pattern', level: 'warning', ...where(at), message: `${what(at)}a pattern that cannot be used (${(err as Error).message.slice(0, 80)}); left out` });
        return false;
      }
    });
    return ignore().add(kept);
  }
}

/** A .gitignore file's matcher, or undefined when it cannot be read. */
function readIgnoreFile(file: string, diagnostics: Diagnostic[], raw?: Buffer): Ignore | undefined {
  let text: string;
  try {
    text = fs.readFileSync(raw ?? file, 'utf8');
  } catch {
    return undefined;
  }
  return ignorePatterns(text.split('\n'), file, diagnostics);
}

/** The .gitignore files above a scan root, up to the repository root (a folder with .git), nearest first. */
function ancestorIgnores(root: string, diagnostics: Diagnostic[]): IgnoreFile[] {
  const out: IgnoreFile[] = [];
  if (fs.existsSync(path.join(root, '.git'))) return out;
  for (let current = path.dirname(root); ; ) {
    const ig = readIgnoreFile(path.join(current, '.gitignore'), diagnostics);
    if (ig) out.push({ ig, above: path.relative(current, root).split(path.sep).join('/') + '/' });
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
  /** The --exclude patterns; undefined when there are none (testing every entry against none costs). */
  userExcludes?: Ignore;
  useGitignore: boolean;
  followSymlinks: boolean;
}

/** True when `target` is `root` or lies below it (both real paths). */
export function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The real path of a folder, or the path itself when it cannot be resolved. */
function realFolder(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Where a link to a file may point for it to be followed: a folder argument's own tree; for a file
 * argument, the current folder's tree when the file lies in it, else the file's own folder.
 */
export function linkBoundary(root: string, cwd: string, explicitFile: boolean): string {
  if (!explicitFile) return root;
  const rel = path.relative(cwd, root);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel)) ? cwd : root;
}

/**
 * Checks a link to a file against the boundary of its scan: followed when its target lies inside
 * (or when --follow-symlinks says so); else a diagnostic, and false.
 */
function linkAllowed(link: string, fsPath: string | Buffer, realBoundary: string, o: { followSymlinks: boolean }, diagnostics: Diagnostic[]): boolean {
  if (o.followSymlinks) return true;
  let target: string;
  try {
    target = fs.realpathSync(fsPath);
  } catch {
    return false;
  }
  if (isInside(realBoundary, target)) return true;
  diagnostics.push({ code: 'symlink-outside', level: 'warning', path: link, message: `symbolic link to ${target}, outside the scanned folder; not followed (--follow-symlinks follows it)` });
  return false;
}

/** A folder entry: its name as shown and, when that name is not valid UTF-8, its bytes. */
interface Entry {
  name: string;
  raw?: Buffer;
  dirent: fs.Dirent<string> | fs.Dirent<Buffer>;
}

/**
 * The entries of a folder. Names that are not valid UTF-8 come back from Node with U+FFFD in
 * place of their bad bytes, which names no file: such a folder is read again as bytes, and each
 * entry keeps its real name's bytes for reading.
 */
function readFolder(dir: string, rawDir: Buffer | undefined): Entry[] {
  if (!rawDir) {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (!entries.some((e) => e.name.includes('\ufffd'))) return entries.map((dirent) => ({ name: dirent.name, dirent }));
  }
  const entries = fs.readdirSync(rawDir ?? dir, { withFileTypes: true, encoding: 'buffer' });
  return entries.map((dirent) => {
    const name = dirent.name.toString('utf8');
    const base = rawDir ?? Buffer.from(dir, 'utf8');
    const valid = !name.includes('\ufffd') || Buffer.from(name, 'utf8').equals(dirent.name);
    return valid && !rawDir ? { name, dirent } : { name, dirent, raw: Buffer.concat([base, Buffer.from(path.sep), dirent.name]) };
  });
}

/**
 * Walks a folder depth-first, pruning excluded and ignored folders without reading them. Each
 * entry is tested against the .gitignore files of its own ancestors only (paths are built as it
 * goes, relative to the root), so the walk stays linear in the number of entries however many
 * .gitignore files an estate holds. Regular files and links to files are handed to `keep`;
 * links to files outside the root only with --follow-symlinks.
 */
function* walk(
  root: string,
  inherited: IgnoreFile[],
  o: WalkOptions,
  diagnostics: Diagnostic[],
  keep: (full: string, kind: FileKind | undefined, raw: Buffer | undefined) => void,
  soFar?: WalkSoFar,
): Generator<void, void> {
  const stack: Array<{ dir: string; raw?: Buffer; rel: string; ignores: IgnoreFile[] }> = [{ dir: root, rel: '', ignores: inherited }];
  let realRoot: string | undefined;
  while (stack.length) {
    const { dir, raw: rawDir, rel, ignores: parentIgnores } = stack.pop()!;
    let entries: Entry[];
    try {
      entries = readFolder(dir, rawDir);
    } catch {
      continue; // unreadable folder: nothing below it to scan
    }
    soFar?.enter(dir);
    let ignores = parentIgnores;
    if (o.useGitignore && entries.some((e) => e.name === '.gitignore' && e.dirent.isFile())) {
      const ig = readIgnoreFile(path.join(dir, '.gitignore'), diagnostics, rawDir && Buffer.concat([rawDir, Buffer.from(`${path.sep}.gitignore`)]));
      if (ig) ignores = [...parentIgnores, { ig, inside: rel }];
    }
    const subfolders: Array<{ dir: string; raw?: Buffer; rel: string; ignores: IgnoreFile[] }> = [];
    for (const e of entries) {
      const name = e.name;
      const relPath = rel + name;
      const full = path.join(dir, name);
      const fsPath = e.raw ?? full;
      const isDir = e.dirent.isDirectory();
      if (isDir && o.defaults.has(name)) continue;
      if (o.userExcludes && testOne(o.userExcludes, isDir ? relPath + '/' : relPath).ignored) continue;
      if (ignores.length && ignoredBy(ignores, relPath, isDir)) continue;
      if (isDir) {
        subfolders.push({ dir: full, ...(e.raw ? { raw: e.raw } : {}), rel: relPath + '/', ignores });
        continue;
      }
      if (e.dirent.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = fs.statSync(fsPath);
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
        if (!kind) continue;
        realRoot ??= realFolder(root);
        if (linkAllowed(full, fsPath, realRoot, o, diagnostics)) keep(full, kind, e.raw);
        continue;
      }
      if (!e.dirent.isFile()) continue;
      keep(full, classify(full), e.raw);
    }
    // depth-first in name order
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]!);
    yield;
  }
}

/** Files to scan under the given paths, sorted; explicit file arguments are always kept. */
export function discover(paths: string[], options: DiscoverOptions): DiscoverResult {
  const steps = discoverSteps(paths, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `discover` in slices of about `sliceMs` of this thread's time, letting the event loop turn
 * between them: an audit walks the next repository while the workers scan the current one, and
 * this thread still answers their project questions and hands out files.
 */
export async function discoverInSlices(paths: string[], options: DiscoverOptions, sliceMs = 4, hooks: SliceHooks = {}): Promise<DiscoverResult> {
  const steps = discoverSteps(paths, options, hooks.onFile, hooks.soFar);
  for (;;) {
    const start = performance.now();
    const end = start + sliceMs;
    let step = steps.next();
    while (!step.done && performance.now() < end) step = steps.next();
    hooks.onSlice?.(performance.now() - start);
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface SliceHooks {
  /** Each file of a kind tlslint reads that the walk of a folder finds, when it finds it (walk order, not the sorted order of the result; each path once; not file arguments). */
  onFile?: (file: DiscoveredFile) => void;
  /** Told each folder and file as the walk reads them, for questions asked before it ends. */
  soFar?: WalkSoFar;
  /** After each slice, with the milliseconds it took. */
  onSlice?: (ms: number) => void;
}

/** The walk of `discover`, one folder per step. */
function* discoverSteps(paths: string[], options: DiscoverOptions, onFile?: (file: DiscoveredFile) => void, soFar?: WalkSoFar): Generator<void, DiscoverResult> {
  // keyed by the path's bytes when it has some that are not UTF-8 (two such names may print alike)
  const files = new Map<string, DiscoveredFile>();
  const diagnostics: Diagnostic[] = [];
  const missing: string[] = [];
  const tree = new FileTree();
  const useGitignore = options.gitignore !== false;
  const defaults = options.defaultExcludes ?? DEFAULT_EXCLUDES;
  const userExcludes = options.excludes?.length ? ignorePatterns(options.excludes, undefined, diagnostics) : undefined;
  const followSymlinks = options.followSymlinks === true;
  let explicitFiles = 0;
  const boundaries = new Set<string>();

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
      explicitFiles++;
      const kind = classify(abs);
      if (!kind) continue;
      const root = path.dirname(abs);
      const boundary = realFolder(linkBoundary(root, options.cwd, true));
      boundaries.add(boundary);
      if (fs.lstatSync(abs).isSymbolicLink() && !linkAllowed(abs, abs, boundary, { followSymlinks }, diagnostics)) continue;
      files.set(abs, { path: abs, kind, root });
      continue;
    }
    if (!stat.isDirectory()) continue;

    const root = abs;
    boundaries.add(realFolder(root));
    // a folder named on the command line is scanned even when a .gitignore above it hides it (or
    // one of the folders between them): such a .gitignore does not apply to this walk
    const above = useGitignore ? ancestorIgnores(root, diagnostics) : [];
    const inherited = above.filter((f) => !f.ig.ignores(f.above!)).reverse();
    const walked: string[] = [];
    yield* walk(
      root,
      inherited,
      { defaults: new Set(defaults), userExcludes, useGitignore, followSymlinks },
      diagnostics,
      (full, kind, raw) => {
        walked.push(full);
        soFar?.file(full);
        const key = raw ? `\0${raw.toString('hex')}` : full;
        if (kind && !files.has(key)) {
          const file: DiscoveredFile = { path: full, kind, root, ...(raw ? { raw } : {}) };
          files.set(key, file);
          onFile?.(file);
        }
      },
      soFar,
    );
    tree.add(root, walked);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, diagnostics, missing, tree, explicitFiles, boundaries: [...boundaries] };
}
