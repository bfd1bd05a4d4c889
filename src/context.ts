import fs from 'node:fs';
import path from 'node:path';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { discover, type DiscoverOptions, type FileTree, type WalkSoFar } from './discover.js';
import { uncharged } from './cancel.js';
import { classify } from './languages.js';

/**
 * A fact about a project that lives in a build or runtime file near the code: the `go` directive
 * of go.mod, a csproj's target framework, a pom's Java release. Packs define their facts and list
 * them in the registry (scan workers ask the main thread for them by id); the engine finds and
 * caches them, once per scan.
 */
export interface ProjectFact<T> {
  /** Unique id, used as cache key and to ask for the fact across threads. */
  id: string;
  /** Base names of the files that can hold the fact. */
  fileNames?: string[];
  /** Or a test on base names (`*.csproj`). */
  match?: (baseName: string) => boolean;
  /**
   * Reads the fact from one file's text. Return undefined when this file does not settle it and
   * the search should go on upward. The value must be plain data (it crosses threads).
   */
  parse(text: string, file: FactFile): T | undefined;
}

/** What a fact's reader is told of the file it reads: the engine knows where it is and what kind it is. */
export interface FactFile {
  /** Base name (`pom.xml`, `App.csproj`), for messages and for facts read from several names. */
  name: string;
  /** File-kind id from the kind table (`pom`, `gradle`, `dotnet-project`...), when the name has one. */
  kind?: string;
}

/** How the engine describes a file to the fact that reads it. */
export function factFile(filePath: string): FactFile {
  return { name: path.basename(filePath), kind: classify(filePath)?.id };
}

export interface Located<T> {
  value: T;
  /** Absolute path of the file that holds the fact. */
  path: string;
  /** Its base name, for messages. */
  name: string;
}

/** The questions rules may ask about the project around a file; one answerer per scan. */
export interface ProjectIndex {
  /** The nearest fact at or above `dir`, stopping after a repository root (a folder with `.git`). */
  nearest<T>(fact: ProjectFact<T>, dir: string): Located<T> | undefined;
  /** The sorted names in a folder (empty when unreadable). */
  list(dir: string): string[];
  /**
   * True when some file below `dir` whose base name matches `names` contains `pattern`, among the
   * files the scan would read (.gitignore and excludes honoured; build output, dependencies and
   * hidden folders skipped; at most 20 000 files read).
   */
  anyFileBelow(dir: string, names: RegExp, pattern: RegExp): boolean;
}

const MAX_FACT_FILE = 2 * 1024 * 1024;
const MAX_FILES_BELOW = 20_000;

/** Folders that hold build output or dependencies, not a project's own sources. */
const SKIPPED_FOLDERS = /^(?:bin|obj|node_modules|packages|vendor|target|dist|build)$/i;

/**
 * Answers project questions for a whole scan, in the thread that owns it (the main thread of a
 * pooled scan, which answers the workers): facts are read from disk once per folder, and
 * `anyFileBelow` looks through the discovered files (folders the scan did not walk, as for
 * explicit file arguments, are discovered on first question with the scan's own rules).
 */
export class ContextCache implements ProjectIndex {
  private readonly entries = new Map<string, string[]>();
  private readonly searches = new Map<string, boolean>();
  private readonly facts = new Map<string, Located<unknown> | null>();
  private readonly parsedFiles = new Map<string, unknown>();
  private readonly known: Map<string, ProjectFact<unknown>>;
  private readonly trees: FileTree[];
  private readonly discoverOptions: DiscoverOptions;
  /** While the scan's own walk goes on: what it has found so far (see `walking`). */
  private soFar?: WalkSoFar;
  /** While the scan's own walk goes on: `anyFileBelow` questions from workers about folders it has not left yet. */
  private waiting: Array<{ dir: string; reply: () => void }> = [];

  constructor(
    options: {
      /** The files of the scan's walked folders. */
      tree?: FileTree;
      /** How to discover a folder the scan did not walk (.gitignore, excludes). */
      discover?: DiscoverOptions;
      /** The facts that may be asked for by id (from other threads). */
      facts?: readonly ProjectFact<unknown>[];
      /** The scan's walk is still going on (no `tree` yet), and what it has found so far: see `walked`. */
      walking?: WalkSoFar;
    } = {},
  ) {
    this.trees = options.tree ? [options.tree] : [];
    this.soFar = options.walking;
    this.discoverOptions = options.discover ?? { cwd: process.cwd() };
    this.known = new Map((options.facts ?? []).map((f) => [f.id, f]));
  }

  list(dir: string): string[] {
    return listFolder(this.entries, dir);
  }

  private readFact<T>(fact: ProjectFact<T>, file: string): T | undefined {
    const key = `${fact.id}\0${file}`;
    if (this.parsedFiles.has(key)) return this.parsedFiles.get(key) as T | undefined;
    let value: T | undefined;
    try {
      const stat = fs.statSync(file);
      if (stat.isFile() && stat.size <= MAX_FACT_FILE) value = fact.parse(fs.readFileSync(file, 'utf8'), factFile(file));
    } catch {
      value = undefined;
    }
    this.parsedFiles.set(key, value);
    return value;
  }

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
        found = { value, path: file, name };
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

  anyFileBelow(dir: string, names: RegExp, pattern: RegExp): boolean {
    const key = `${dir}\0${names.source}\0${names.flags}\0${pattern.source}\0${pattern.flags}`;
    const cached = this.searches.get(key);
    if (cached !== undefined) return cached;
    let files: string[];
    if (this.soFar?.done(dir)) files = this.soFar.filesBelow(dir, names);
    else {
      let tree = this.trees.find((t) => t.covers(dir));
      if (!tree) {
        tree = discover([dir], { ...this.discoverOptions, cwd: dir }).tree;
        this.trees.push(tree);
      }
      files = tree.filesBelow(dir, names);
    }
    let read = 0;
    let found = false;
    for (const file of files) {
      const below = path.relative(dir, file).split(path.sep);
      if (below.some((part, i) => part.startsWith('.') || (i < below.length - 1 && SKIPPED_FOLDERS.test(part)))) continue;
      if (read++ >= MAX_FILES_BELOW) break;
      try {
        const stat = fs.statSync(file);
        if (stat.size <= MAX_FACT_FILE && pattern.test(fs.readFileSync(file, 'latin1'))) {
          found = true;
          break;
        }
      } catch {
        // unreadable: the scan reports it on its own
      }
    }
    this.searches.set(key, found);
    return found;
  }

  /**
   * The scan's walk is over: its files answer `anyFileBelow` from now on, and the workers that asked
   * one while it went on (an answer from a partial tree could be wrong) get theirs.
   */
  walked(tree: FileTree): void {
    this.trees.unshift(tree);
    const waiting = this.waiting;
    this.waiting = [];
    this.soFar = undefined;
    for (const { reply } of waiting) reply();
  }

  /** The scan's walk went on: the workers that asked about folders it has left since get their answers. */
  walkedMore(): void {
    const soFar = this.soFar;
    if (!soFar || !this.waiting.length) return;
    const ready = this.waiting.filter((w) => soFar.done(w.dir));
    if (!ready.length) return;
    this.waiting = this.waiting.filter((w) => !ready.includes(w));
    for (const { reply } of ready) reply();
  }

  /** Answers a question from another thread (see RemoteContext). */
  answer(question: ContextQuestion): unknown {
    switch (question.method) {
      case 'nearest': {
        const fact = this.known.get(question.fact);
        if (!fact) throw new Error(`project fact ${question.fact} is not in the registry's FACTS`);
        return this.nearest(fact, question.dir);
      }
      case 'list':
        return this.list(question.dir);
      case 'anyFileBelow':
        return this.anyFileBelow(question.dir, new RegExp(question.names[0], question.names[1]), new RegExp(question.pattern[0], question.pattern[1]));
    }
  }

  /**
   * Serves the questions a worker asks through `port`: each answer is posted back and `signal`
   * wakes the worker, which waits for it synchronously (rules are synchronous).
   */
  serve(port: MessagePort, signal: Int32Array): void {
    const reply = (question: ContextQuestion) => {
      let reply: ContextReply;
      try {
        reply = { value: this.answer(question) };
      } catch (err) {
        reply = { error: (err as Error).message };
      }
      port.postMessage(reply);
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    };
    port.on('message', (question: ContextQuestion) => {
      // facts and listings come from the disk; a search of the scan's files waits until the walk
      // has left the folder (or ended)
      if (question.method === 'anyFileBelow' && this.soFar && !this.soFar.done(question.dir)) this.waiting.push({ dir: question.dir, reply: () => reply(question) });
      else reply(question);
    });
  }
}

export type ContextQuestion =
  | { method: 'nearest'; fact: string; dir: string }
  | { method: 'list'; dir: string }
  | { method: 'anyFileBelow'; dir: string; names: [string, string]; pattern: [string, string] };

type ContextReply = { value: unknown } | { error: string };

/** How long a worker waits for the main thread before it gives up on a question. */
const ANSWER_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The project context of a scan worker: asks the main thread's ContextCache, synchronously, and
 * remembers the answers, so every fact is read once per scan and once asked per worker.
 */
export class RemoteContext implements ProjectIndex {
  private readonly answers = new Map<string, unknown>();

  constructor(
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    /** The worker's watch array: the wait is `uncharged` (cancel.ts), not counted against the file's time budget. */
    private readonly watch?: Int32Array,
  ) {}

  private ask(key: string, question: ContextQuestion): unknown {
    if (this.answers.has(key)) return this.answers.get(key);
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(question);
    uncharged(() => Atomics.wait(this.signal, 0, 0, ANSWER_TIMEOUT_MS), this.watch);
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new Error(`no answer from the main thread to ${question.method}`);
    const reply = received.message as ContextReply;
    if ('error' in reply) throw new Error(reply.error);
    this.answers.set(key, reply.value);
    return reply.value;
  }

  nearest<T>(fact: ProjectFact<T>, dir: string): Located<T> | undefined {
    return (this.ask(`nearest\0${fact.id}\0${dir}`, { method: 'nearest', fact: fact.id, dir }) ?? undefined) as Located<T> | undefined;
  }

  list(dir: string): string[] {
    return this.ask(`list\0${dir}`, { method: 'list', dir }) as string[];
  }

  anyFileBelow(dir: string, names: RegExp, pattern: RegExp): boolean {
    const question: ContextQuestion = { method: 'anyFileBelow', dir, names: [names.source, names.flags], pattern: [pattern.source, pattern.flags] };
    return this.ask(`anyFileBelow\0${dir}\0${question.names.join('/')}\0${question.pattern.join('/')}`, question) as boolean;
  }
}

/** The project facts visible from one file; handed to rules. */
export class ProjectContext {
  constructor(
    private readonly index: ProjectIndex,
    /** Absolute folder of the file being checked. */
    readonly dir: string,
  ) {}

  nearest<T>(fact: ProjectFact<T>): Located<T> | undefined {
    return this.index.nearest(fact, this.dir);
  }

  /** The names in the file's folder. */
  siblings(): string[] {
    return this.index.list(this.dir);
  }

  /**
   * True when a file below the file's folder, with a base name that matches `names`, contains
   * `pattern` (among the files the scan would read; build output and dependencies skipped).
   */
  anyFileBelow(names: RegExp, pattern: RegExp): boolean {
    return this.index.anyFileBelow(this.dir, names, pattern);
  }
}

/** Folder listings a cache keeps at once (a scan moves through the tree, so recent ones are asked again). */
const LISTINGS_KEPT = 4096;

/**
 * The sorted names in a folder (empty when unreadable), read once into `cache`; the cache keeps the
 * most recently asked listings only, so its memory does not grow with the size of the scan.
 */
export function listFolder(cache: Map<string, string[]>, dir: string): string[] {
  let names = cache.get(dir);
  if (names) {
    cache.delete(dir);
  } else {
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      names = [];
    }
    if (cache.size >= LISTINGS_KEPT) cache.delete(cache.keys().next().value!);
  }
  cache.set(dir, names);
  return names;
}
