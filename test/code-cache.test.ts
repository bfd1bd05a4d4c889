import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, loadCached } from '../src/code-cache.js';
import { ROOT, runCli, tempTree } from './helpers.js';

type Ts = typeof import('typescript');

const cacheFiles = (home: string) => {
  const dir = path.join(home, 'tlslint', 'v8');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
};

describe('V8 code cache (the TypeScript compiler, tlslint\'s bundle)', () => {
  // each load in a fresh process: V8 keeps compiled scripts in memory, so a second compile in the
  // same process never looks at the cache
  const load = (home: string) => {
    const script = `
      const { loadCached } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/code-cache.js'))});
      const m = loadCached('typescript');
      const sf = m.exports.createSourceFile('/a.ts', 'const a = "TLSv1";', m.exports.ScriptTarget.Latest, true);
      m.save();
      console.log(JSON.stringify({ cache: m.cache, statements: sf.statements.length }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { cache: string; statements: number };
  };

  it('is written after first use, used next time, and rewritten when V8 rejects it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-cache-'));
    expect(load(home)).toEqual({ cache: 'missing', statements: 1 });
    const [file] = cacheFiles(home);
    expect(path.basename(file!)).toMatch(/^typescript-[0-9a-f]+-[\d.]+-node\.\d+-\w+\.bin$/);
    expect((fs.statSync(file!).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(file!)).mode & 0o777).toString(8)).toBe('700');
    expect(load(home)).toEqual({ cache: 'used', statements: 1 });

    // a damaged cache costs a normal compile and is replaced
    fs.writeFileSync(file!, Buffer.alloc(4096, 7));
    // an entry of another TypeScript or V8 version is dropped when a new one is written
    const stale = path.join(path.dirname(file!), 'typescript-0123abcd-9.9.9-node.1-x64.bin');
    fs.writeFileSync(stale, 'old');
    expect(load(home)).toEqual({ cache: 'rejected', statements: 1 });
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.readFileSync(file!).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(load(home)).toEqual({ cache: 'used', statements: 1 });
    expect(cacheFiles(home)).toEqual([file]);
  });

  it('is off when asked, and never written through a link or into a folder of another user', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-cache-'));
    expect(codeCacheDir({ XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
    const off = loadCached<Ts>('typescript', { XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.cache).toBe('off');
    off.save();
    expect(fs.readdirSync(home)).toEqual([]);

    // the cache folder is a link elsewhere: not used
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-elsewhere-'));
    fs.mkdirSync(path.join(home, 'tlslint'));
    fs.symlinkSync(elsewhere, path.join(home, 'tlslint', 'v8'));
    expect(codeCacheDir({ XDG_CACHE_HOME: home })).toBeUndefined();
    const linked = loadCached<Ts>('typescript', { XDG_CACHE_HOME: home });
    expect(linked.cache).toBe('off');
    linked.save();
    expect(fs.readdirSync(elsewhere)).toEqual([]);

    // a folder of another user (root can make one for nobody)
    if (process.getuid?.() === 0) {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-other-'));
      fs.mkdirSync(path.join(other, 'tlslint', 'v8'), { recursive: true });
      fs.chownSync(path.join(other, 'tlslint', 'v8'), 65534, 65534);
      expect(codeCacheDir({ XDG_CACHE_HOME: other })).toBeUndefined();
    }
  });

  it('a scan of a Go and a TypeScript file fills the caches of the command line, its worker and TypeScript; the next uses them and finds the same; damaged ones are replaced', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-cache-'));
    // the Go file is parsed by tree-sitter first: the scanning loop's garbage collection must not
    // change V8's flags after the code is loaded (a cache made under other flags is rejected)
    const dir = tempTree({
      'a.go': 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n',
      'client.ts': "import tls from 'tls';\ntls.connect({ host: 'h', port: 1, minVersion: 'TLSv1' });\n",
    });
    const scan = () => runCli(['--format', 'json', '-j', '1', 'a.go', 'client.ts'], { cwd: dir, env: { XDG_CACHE_HOME: home } });
    const ids = (r: { stdout: string }) => (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; startLine: number }> }).findings.map((f) => `${f.ruleId}:${f.startLine}`);
    const entries = () => new Map(cacheFiles(home).map((f) => [path.basename(f).replace(/-.*/, ''), fs.statSync(f)]));

    const cold = scan();
    expect(cold.stderr).toBe('');
    expect(ids(cold)).toEqual(['go/tls-min-version-too-low:5', 'javascript/tls-version-outdated:2']);
    const written = entries();
    expect([...written.keys()].sort()).toEqual(['tlslint.main', 'tlslint.worker', 'typescript']);

    // the next run loads all three and writes none of them again
    const warm = scan();
    expect(warm.status).toBe(1);
    expect(warm.stderr).toBe('');
    expect(ids(warm)).toEqual(ids(cold));
    for (const [name, st] of entries()) expect(st.mtimeMs, name).toBe(written.get(name)!.mtimeMs);

    // a scan of the folder changes V8's heap growth once loaded (memory.ts): it writes no cache,
    // which the next scan of files, under V8's own flags, would reject
    const folder = runCli(['--format', 'json', '-j', '1', '.'], { cwd: dir, env: { XDG_CACHE_HOME: home } });
    expect(folder.stderr).toBe('');
    expect(ids(folder)).toEqual(ids(cold));
    expect(scan().stderr).toBe('');
    for (const [name, st] of entries()) expect(st.mtimeMs, name).toBe(written.get(name)!.mtimeMs);

    // damaged entries cost a normal compile, change no finding, and are written anew
    for (const f of cacheFiles(home)) if (path.basename(f).startsWith('tlslint.')) fs.writeFileSync(f, Buffer.alloc(4096, 7));
    const damaged = scan();
    expect(damaged.stderr).toBe('');
    expect(ids(damaged)).toEqual(ids(cold));
    for (const f of cacheFiles(home)) expect(fs.readFileSync(f).equals(Buffer.alloc(4096, 7)), f).toBe(false);
    expect(cacheFiles(home)).toHaveLength(3);
  });
});
