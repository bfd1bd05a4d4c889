/**
 * Loading large CommonJS code with a V8 code cache, so that a short run (a pre-commit hook over a
 * few staged files) does not compile it again each time: tlslint's own bundle (1 MB, loaded by the
 * command line and again by each scan worker) and the TypeScript compiler (9 MB, for `.ts` files).
 * Node 22 has a compile cache for every module (`module.enableCompileCache`); this one works on
 * Node 20 too, for the modules that matter: they are compiled here with `vm.Script` and V8's
 * cached data.
 *
 * The cache lives in the user's cache folder (`$XDG_CACHE_HOME/tlslint/v8`, else
 * `~/.cache/tlslint/v8`), never in the scanned tree. A file is named by the source's CRC-32, the
 * V8 version and the architecture, so a changed or upgraded dependency makes a new entry, and V8
 * checks the data once more (a rejected cache costs one normal compile and is rewritten); writing an
 * entry removes the module's entries for other versions, so the folder does not grow. The folder
 * must belong to this user and not be a link; otherwise, or with `NODE_DISABLE_COMPILE_CACHE` set,
 * the module is compiled without a cache. Failing to read or write the cache never fails a scan.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** A module loaded by `loadCached`: its exports, and `save`, to call once the module has done typical work. */
export interface CachedModule<T> {
  exports: T;
  /** How the code was compiled: from the cache, without one (none yet, or V8 rejected it), or with caching off. */
  cache: 'used' | 'missing' | 'rejected' | 'off';
  /**
   * Writes the cache if it was missing or rejected. Called after the module's first real use, the
   * cache also holds the functions that use compiled lazily (for TypeScript: its parser).
   */
  save(): void;
}

let flagsChanged = false;

/**
 * Tells the caches that this process changed a V8 flag (memory.ts does, for garbage collection
 * and the heap growth of a large scan). V8 checks a cache against its flags: one written after the
 * change would be rejected by the next run that does not make it, so from then on none is written.
 * The flags are the process's: a worker is told by the main thread.
 */
export function noteV8FlagsChanged(): void {
  flagsChanged = true;
}

/** Whether `noteV8FlagsChanged` was called in this thread. */
export function v8FlagsChanged(): boolean {
  return flagsChanged;
}

/** The folder of code caches, created for this user only; undefined when it cannot be trusted or made. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'tlslint', 'v8');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** Wraps a CommonJS source as Node does (`exports, require, module, __filename, __dirname`). */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

export interface LoadOptions {
  /** `import()` in the module goes to Node's loader (without, it fails). */
  dynamicImport?: boolean;
  /**
   * A cache of its own for this use of the module: code that threads use differently (the command
   * line, a scan worker) each keep the functions they compiled, which V8 caches only once run.
   */
  role?: string;
}

/**
 * Loads the CommonJS module `specifier` (resolved from this file) through a V8 code cache. The
 * module's own `require` resolves from its file, as with Node's loader; it is not entered in
 * `require.cache` (a later plain `require` of it would load a second copy).
 */
export function loadCached<T>(specifier: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): CachedModule<T> {
  const file = createRequire(import.meta.url).resolve(specifier);
  const bytes = fs.readFileSync(file);
  const dir = codeCacheDir(env);
  const name = path.basename(file, path.extname(file)) + (options.role ? `.${options.role}` : '');
  const cacheFile = dir && path.join(dir, `${name}-${zlib.crc32(bytes).toString(16)}-${process.versions.v8}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(wrap(bytes.toString('utf8')), {
    filename: file,
    cachedData,
    ...(options.dynamicImport ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  const module = { exports: {} as T, id: file, filename: file, loaded: false };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  const cache = !cacheFile ? 'off' : cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected' : 'used';
  let pending = cache === 'missing' || cache === 'rejected';
  return {
    exports: module.exports,
    cache,
    save() {
      if (!pending || !cacheFile || flagsChanged) return;
      pending = false;
      const tmp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
        fs.renameSync(tmp, cacheFile);
        const prefix = `${name}-`;
        for (const other of fs.readdirSync(dir!)) {
          if (other.startsWith(prefix) && other.endsWith('.bin') && other !== path.basename(cacheFile)) fs.rmSync(path.join(dir!, other), { force: true });
        }
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    },
  };
}
