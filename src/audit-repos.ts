/**
 * The repositories of an audit: folders and git URLs from arguments and listing files, each with
 * an optional branch, tag or commit, and the names reports show (a URL without credentials, or a
 * folder's name; never an absolute path on disk).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { relativeInside } from './paths.js';
import { isGitUrl, parseGitUrl } from './git.js';

export interface RepoEntry {
  /** Stable identity across runs: the URL without credentials plus the ref, or the absolute folder. */
  key: string;
  /** What reports name it: the URL without credentials (and `@ref`), or the folder's name. */
  name: string;
  /** The folder as given (relative to the working folder when under it), or the URL without credentials. */
  source: string;
  /** A URL to fetch (credentials and all: never print it), or undefined for a folder scanned in place. */
  url?: string;
  ref?: string;
  /** The absolute folder of a folder entry. */
  folder?: string;
  /** File-system-safe and unique within the audit: names the SARIF file. */
  slug: string;
}

interface RawEntry {
  target: string;
  ref?: string;
  /** Folder that relative folder names are taken from. */
  base: string;
}

/**
 * One line of a listing: `URL-or-folder [ref]` (# comments). A folder whose name has white space
 * is taken whole when it exists.
 */
function parseLine(line: string, base: string): RawEntry | undefined {
  const t = line.replace(/\s+#.*$/, '').trim();
  if (!t || t.startsWith('#')) return undefined;
  if (!isGitUrl(t) && fs.existsSync(path.resolve(base, t))) return { target: t, base };
  const m = /^(\S+)\s+(\S+)$/.exec(t);
  return m ? { target: m[1]!, ref: m[2]!, base } : { target: t, base };
}

/** Entries from arguments (`folder`, `URL`, `URL@@ref` is not needed: give refs in a listing) and listing files. */
export function readRepoEntries(args: string[], listFiles: string[], cwd: string): RepoEntry[] {
  const raw: RawEntry[] = args.map((a) => ({ target: a, base: cwd }));
  for (const file of listFiles) {
    const abs = path.resolve(cwd, file);
    const base = path.dirname(abs);
    for (const line of fs.readFileSync(abs, 'utf8').split(/\r?\n/)) {
      const e = parseLine(line, base);
      if (e) raw.push(e);
    }
  }
  const entries: RepoEntry[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    let entry: Omit<RepoEntry, 'slug'>;
    if (isGitUrl(r.target)) {
      const safe = parseGitUrl(r.target).safe;
      entry = { key: `${safe}${r.ref ? `@${r.ref}` : ''}`, name: `${safe}${r.ref ? `@${r.ref}` : ''}`, source: safe, url: r.target, ...(r.ref ? { ref: r.ref } : {}) };
    } else {
      const folder = path.resolve(r.base, r.target);
      const rel = path.relative(cwd, folder);
      const source = relativeInside(cwd, folder) ?? (rel === '' ? '.' : folder);
      // a local repository at a given ref is fetched from the folder like any other URL
      entry = r.ref
        ? { key: `${folder}@${r.ref}`, name: `${path.basename(folder)}@${r.ref}`, source, url: `file://${folder}`, ref: r.ref }
        : { key: folder, name: path.basename(folder) || folder, source, folder };
    }
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    entries.push({ ...entry, slug: '' });
  }
  disambiguateNames(entries);
  assignSlugs(entries);
  return entries;
}

/** Folders that share a name are told apart by their parent folders. */
function disambiguateNames(entries: RepoEntry[]): void {
  const folders = entries.filter((e) => e.folder);
  for (let depth = 2; depth < 8; depth++) {
    const counts = new Map<string, number>();
    for (const e of folders) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
    const clashing = folders.filter((e) => counts.get(e.name)! > 1);
    if (clashing.length === 0) return;
    for (const e of clashing) e.name = e.folder!.split(path.sep).filter(Boolean).slice(-depth).join('/');
  }
}

/** `org_repo` for a URL, the folder name for a folder; a short hash of the key when two would clash. */
function assignSlugs(entries: RepoEntry[]): void {
  const base = (e: RepoEntry) => {
    const text = e.url && !e.folder ? e.source.replace(/^[a-z][\w+.-]*:\/\/[^/]*\//i, '').replace(/^[\w.-]+@[^:]+:/, '').replace(/\.git$/, '') + (e.ref ? `@${e.ref}` : '') : e.name;
    return text.replace(/[^\w.@-]+/g, '_').replace(/^[._]+/, '').slice(-80) || 'repo';
  };
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(base(e), (counts.get(base(e)) ?? 0) + 1);
  for (const e of entries) {
    const b = base(e);
    e.slug = counts.get(b)! > 1 ? `${b}-${createHash('sha256').update(e.key).digest('hex').slice(0, 8)}` : b;
  }
}
