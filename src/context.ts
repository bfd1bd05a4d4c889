import fs from 'node:fs';
import path from 'node:path';

/**
 * A fact about a project that lives in a build or runtime file near the code: the `go` directive
 * of go.mod, a csproj's target framework, a pom's Java release. Packs define their facts; the
 * engine only finds and caches them.
 */
export interface ProjectFact<T> {
  /** Unique id, used as cache key. */
  id: string;
  /** Base names of the files that can hold the fact. */
  fileNames?: string[];
  /** Or a test on base names (`*.csproj`). */
  match?: (baseName: string) => boolean;
  /**
   * Reads the fact from one file's text. Return undefined when this file does not settle it and
   * the search should go on upward.
   */
  parse(text: string, filePath: string): T | undefined;
}

export interface Located<T> {
  value: T;
  /** Absolute path of the file that holds the fact. */
  path: string;
}

const MAX_FACT_FILE = 2 * 1024 * 1024;

/** Caches directory listings and parsed facts for a whole scan (one per worker). */
export class ContextCache {
  private readonly entries = new Map<string, string[]>();
  private readonly searches = new Map<string, boolean>();
  private readonly facts = new Map<string, Located<unknown> | null>();
  private readonly parsedFiles = new Map<string, unknown>();

  /** The sorted names in a folder (empty when unreadable). */
  list(dir: string): string[] {
    let names = this.entries.get(dir);
    if (!names) {
      try {
        names = fs.readdirSync(dir).sort();
      } catch {
        names = [];
      }
      this.entries.set(dir, names);
    }
    return names;
  }

  private readFact<T>(fact: ProjectFact<T>, file: string): T | undefined {
    const key = `${fact.id}\0${file}`;
    if (this.parsedFiles.has(key)) return this.parsedFiles.get(key) as T | undefined;
    let value: T | undefined;
    try {
      const stat = fs.statSync(file);
      if (stat.isFile() && stat.size <= MAX_FACT_FILE) value = fact.parse(fs.readFileSync(file, 'utf8'), file);
    } catch {
      value = undefined;
    }
    this.parsedFiles.set(key, value);
    return value;
  }

  /** The nearest fact at or above `dir`, stopping after a repository root (a folder with `.git`). */
  nearest<T>(fact: ProjectFact<T>, dir: string): Located<T> | undefined {
    const key = `${fact.id}\0${dir}`;
    const cached = this.facts.get(key);
    if (cached !== undefined) return (cached ?? undefined) as Located<T> | undefined;
    const names = this.list(dir);
    let found: Located<T> | undefined;
    for (const name of names) {
      if (!(fact.fileNames?.includes(name) || fact.match?.(name))) continue;
      const file = path.join(dir, name);
      const value = this.readFact(fact, file);
      if (value !== undefined) {
        found = { value, path: file };
        break;
      }
    }
    if (!found && !names.includes('.git')) {
      const parent = path.dirname(dir);
      if (parent !== dir) found = this.nearest(fact, parent);
    }
    this.facts.set(key, found ?? null);
    return found;
  }

  /**
   * True when some file below `dir` whose name passes `names` contains `pattern` (build output,
   * dependencies and hidden folders skipped; at most `limit` files read). Cached per scan.
   */
  anyFileBelow(dir: string, names: (name: string) => boolean, pattern: RegExp, limit = 20_000): boolean {
    const key = `${dir}\0${names.toString()}\0${pattern.source}`;
    const cached = this.searches.get(key);
    if (cached !== undefined) return cached;
    let read = 0;
    let found = false;
    const stack = [dir];
    while (stack.length && !found && read < limit) {
      const d = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.name.startsWith('.') || SKIPPED_FOLDERS.test(e.name)) continue;
        const p = path.join(d, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile() && names(e.name) && read++ < limit) {
          try {
            const stat = fs.statSync(p);
            if (stat.size <= MAX_FACT_FILE && pattern.test(fs.readFileSync(p, 'latin1'))) {
              found = true;
              break;
            }
          } catch {
            // unreadable: the scan reports it on its own
          }
        }
      }
    }
    this.searches.set(key, found);
    return found;
  }
}

/** Folders that hold build output or dependencies, not a project's own sources. */
const SKIPPED_FOLDERS = /^(?:bin|obj|node_modules|packages|vendor|target|dist|build)$/i;

/** The project facts visible from one file; handed to rules. */
export class ProjectContext {
  constructor(
    private readonly cache: ContextCache,
    /** Absolute folder of the file being checked. */
    readonly dir: string,
  ) {}

  nearest<T>(fact: ProjectFact<T>): Located<T> | undefined {
    return this.cache.nearest(fact, this.dir);
  }

  /** The names in the file's folder. */
  siblings(): string[] {
    return this.cache.list(this.dir);
  }

  /** True when a file below the file's folder, with a name that passes `names`, contains `pattern`. */
  anyFileBelow(names: (name: string) => boolean, pattern: RegExp): boolean {
    return this.cache.anyFileBelow(this.dir, names, pattern);
  }
}
