/**
 * Isolation and budgets (issue 19): a file that takes longer than --file-timeout, more memory than
 * a worker may use, or that stops its worker, is abandoned with a diagnostic naming it; the worker
 * is replaced, and every other file's findings come as they would without it. The misbehaving
 * rules live in a registry module of the test's own (workers load rules from a registry).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { currentThreadId, threadCpuMs } from '../src/threadcpu.js';
import { ROOT, runCli, tempTree } from './helpers.js';

const GO_FINDING = (i: number) => `package x\n\nimport "crypto/tls"\n\nvar A${i} = &tls.Config{MinVersion: tls.VersionTLS10}\n`;

/** A registry: the real rules, and three that misbehave on a marker in a Go file. */
function badRegistry(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-registry-'));
  const file = path.join(dir, 'registry.mjs');
  const dist = (p: string) => JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', p)).href);
  fs.writeFileSync(
    file,
    `import { RULES as REAL, FACTS } from ${dist('src/registry.js')};
import { threadId as workerThreadId } from 'node:worker_threads';
import { defineRule } from ${dist('src/rule.js')};
const base = { severity: 'note', kind: 'protocol', title: 't', description: 'd', help: 'h', cwe: [], precision: 'high', fileKind: 'go' };
const hang = defineRule({ ...base, id: 'go/test-hang', triggers: ['HANG_HERE'], check() { for (;;) {} } });
const eat = defineRule({ ...base, id: 'go/test-memory', triggers: ['EAT_MEMORY'], check() { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); } });
const quit = defineRule({ ...base, id: 'go/test-exit', triggers: ['EXIT_HERE'], check() { process.exit(7); } });
// endless, but through the semantic layer, whose checkpoints let the worker give the file up itself
const slow = defineRule({ ...base, id: 'go/test-slow', triggers: ['SLOW_HERE'], query: '(source_file) @root', check(ctx) { for (;;) ctx.lang.values(ctx.captures.root); } });
// reports the files at which no immediate it scheduled is still waiting: a worker that let the
// event loop turn between batches reports more than the first
let pending = false;
const turns = defineRule({ ...base, id: 'go/test-turns', triggers: ['TURN_HERE'], check(ctx) { if (pending) return; pending = true; setImmediate(() => { pending = false; }); ctx.report({ start: 0, end: 1, message: 'turn' }); } });
// names the worker thread that read the file
const thread = defineRule({ ...base, id: 'go/test-thread', triggers: ['THREAD_HERE'], check(ctx) { ctx.report({ start: 0, end: 1, message: String(workerThreadId) }); } });
// waits without using CPU (a thread that another process keeps off the cores looks the same), then reports
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const nap = defineRule({ ...base, id: 'go/test-nap', triggers: ['NAP_HERE'], check(ctx) { sleep(Number(/NAP_HERE (\\d+)/.exec(ctx.file.text)[1])); ctx.report({ start: 0, end: 1, message: 'awake' }); } });
export const RULES = [...REAL, hang, eat, quit, slow, turns, thread, nap];
export { FACTS };
`,
  );
  return pathToFileURL(file).href;
}

interface Outcome {
  findings: string[];
  diagnostics: string[];
  messages: string[];
  ms: number;
  files: number;
}

/** Runs scan() from dist in a fresh process with the bad registry. */
function scanWith(dir: string, options: Record<string, unknown>): Outcome {
  const registry = badRegistry();
  const script = `
    const { scan } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/src/engine.js')).href)});
    const { RULES } = await import(${JSON.stringify(registry)});
    const started = performance.now();
    const r = await scan({ paths: ['.'], cwd: ${JSON.stringify(dir)}, rules: RULES, settings: { minTlsVersion: '1.2' }, registry: ${JSON.stringify(registry)}, ...${JSON.stringify(options)} });
    console.log(JSON.stringify({
      findings: r.findings.map((f) => require('node:path').relative(${JSON.stringify(dir)}, f.path) + ':' + f.region.startLine + ':' + f.ruleId).sort(),
      diagnostics: r.diagnostics.map((d) => require('node:path').relative(${JSON.stringify(dir)}, d.path ?? '') + ' ' + d.code).sort(),
      messages: r.diagnostics.map((d) => d.message).sort(),
      ms: performance.now() - started,
      files: r.stats.files,
    }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${script}`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Outcome;
}

describe('per-file budgets', () => {
  it('a file that hangs (in the semantic layer, or in a loop of its own) and one that stops its worker are each abandoned with a diagnostic, with -j 1 too; a memory eater hits the heap limit', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`f${String(i).padStart(2, '0')}.go`] = GO_FINDING(i);
    files['f03_hang.go'] = 'package x\n// HANG_HERE\n';
    files['f06_exit.go'] = 'package x\n// EXIT_HERE\n';
    files['f08_slow.go'] = 'package x\n// SLOW_HERE\n';
    const all = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.go:5:go/tls-min-version-too-low`);
    const out = scanWith(tempTree(files), { jobs: 1, fileTimeout: 1500 });
    expect(out.files).toBe(15);
    expect(out.findings).toEqual(all);
    expect(out.diagnostics).toEqual(['f03_hang.go file-timeout', 'f06_exit.go internal-error', 'f08_slow.go file-timeout']);
    expect(out.ms).toBeLessThan(60_000);
    // a generous time budget, so the heap limit is what stops the memory eater
    delete files['f03_hang.go'];
    delete files['f06_exit.go'];
    delete files['f08_slow.go'];
    files['f09_memory.go'] = 'package x\n// EAT_MEMORY\n';
    const memory = scanWith(tempTree(files), { jobs: 1, fileTimeout: 60_000, workerMemory: 64 });
    expect(memory.findings).toEqual(all);
    expect(memory.diagnostics).toEqual(['f09_memory.go file-memory']);
  });

  it('a single file over the budget is abandoned too (a one-file scan runs in a worker when a budget applies)', () => {
    const dir = tempTree({ 'only.go': 'package x\n// HANG_HERE\n' });
    const out = scanWith(dir, { jobs: 1, fileTimeout: 500 });
    expect(out.diagnostics).toEqual(['only.go file-timeout']);
    expect(out.ms).toBeLessThan(30_000);
  });

  it('in a pooled scan of 600 files, abandoning three leaves exactly the findings of the other 597', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`p${i % 5}/f${i}.go`] = i % 3 === 0 ? GO_FINDING(i) : `package x\n\nfunc F${i}() {}\n`;
    const clean = tempTree(files);
    files['p1/f100.go'] = 'package x\n// HANG_HERE\n';
    files['p2/f201.go'] = 'package x\n// EXIT_HERE\n';
    files['p3/f333.go'] = 'package x\n// HANG_HERE\n';
    const dirty = tempTree(files);
    const expected = scanWith(clean, { jobs: 2 }).findings.filter((f) => !/^p1\/f100\.go|^p2\/f201\.go|^p3\/f333\.go/.test(f));
    const out = scanWith(dirty, { jobs: 2, fileTimeout: 1000 });
    expect(out.findings).toEqual(expected);
    expect(out.findings).toHaveLength(199);
    expect(out.diagnostics).toEqual(['p1/f100.go file-timeout', 'p2/f201.go internal-error', 'p3/f333.go file-timeout']);
  });

  it('a worker lets the event loop turn between batches, so the finalizers that free native trees run during a long scan', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`f${String(i).padStart(3, '0')}.go`] = 'package x\n// TURN_HERE\n';
    const out = scanWith(tempTree(files), { jobs: 1 });
    // 200 files go to one worker in batches of 64: a turn after each of the first three
    expect(out.findings.filter((f) => f.endsWith('go/test-turns')).length).toBeGreaterThan(1);
  });
});

describe('workers across scans', () => {
  it('the workers of a finished scan read the next scan of the same process (an audit does not start them per repository)', () => {
    const registry = badRegistry();
    const dirs = [tempTree({ 'a.go': 'package x\n// THREAD_HERE\n' }), tempTree({ 'b.go': 'package x\n// THREAD_HERE\n' })];
    const script = `
      const { scan } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/src/engine.js')).href)});
      const { RULES } = await import(${JSON.stringify(registry)});
      const threads = [];
      for (const dir of ${JSON.stringify(dirs)}) {
        const r = await scan({ paths: ['.'], cwd: dir, rules: RULES, settings: { minTlsVersion: '1.2' }, registry: ${JSON.stringify(registry)}, jobs: 1 });
        threads.push(...r.findings.filter((f) => f.ruleId === 'go/test-thread').map((f) => f.message));
      }
      console.log(JSON.stringify(threads));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const threads = JSON.parse(r.stdout) as string[];
    expect(threads).toHaveLength(2);
    expect(threads[0]).not.toBe('0');
    expect(threads[1]).toBe(threads[0]);
  });
});

describe('what a file is charged for', () => {
  it('the first file of a kind in a worker is not charged for loading its grammar and compiling the queries (a C# file under a 100 ms budget)', () => {
    // tree-sitter compiles the C# queries in well over 100 ms, once per worker; the file itself
    // takes a few milliseconds
    const dir = tempTree({ 'a.cs': 'using System.Net;\nclass A {\n  void M() {\n    ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls;\n  }\n}\n' });
    const r = runCli(['--file-timeout', '0.1', '-j', '1', '-f', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }>; diagnostics: unknown[] };
    expect(out.findings.map((f) => f.ruleId)).toEqual(['dotnet/security-protocol-outdated']);
    expect(out.diagnostics).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('what a file is charged for, where the system reports a thread\'s CPU time', () => {
  it('a thread\'s CPU time grows while it works, not while it waits', () => {
    const tid = currentThreadId();
    expect(tid).toBeGreaterThan(0);
    const before = threadCpuMs(tid)!;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const rested = threadCpuMs(tid)!;
    expect(rested - before).toBeLessThanOrEqual(20);
    for (const end = performance.now() + 300; performance.now() < end; );
    expect(threadCpuMs(tid)!).toBeGreaterThan(rested);
    expect(threadCpuMs(0)).toBeUndefined();
    expect(threadCpuMs(2 ** 31 - 1)).toBeUndefined();
  });

  it('its worker\'s CPU time, not the wall clock: a file that waits 3 s without CPU is not abandoned under a 0.5 s budget; one stalled for ten budgets is', () => {
    // (on the wall clock it would be flagged at 0.5 s and its worker replaced at 2.5 s)
    const files = { 'a.go': GO_FINDING(0), 'nap.go': 'package x\n// NAP_HERE 3000\n', 'b.go': GO_FINDING(1) };
    const out = scanWith(tempTree(files), { jobs: 1, fileTimeout: 500 });
    expect(out.diagnostics).toEqual([]);
    expect(out.findings).toEqual(['a.go:5:go/tls-min-version-too-low', 'b.go:5:go/tls-min-version-too-low', 'nap.go:1:go/test-nap']);
    // flagged after 1 s (ten budgets) of wall time; it is in no checkpoint, so its worker is replaced 2 s later
    const stalled = scanWith(tempTree({ ...files, 'nap.go': 'package x\n// NAP_HERE 6000\n' }), { jobs: 1, fileTimeout: 100 });
    expect(stalled.diagnostics).toEqual(['nap.go file-timeout']);
    expect(stalled.messages).toEqual(['abandoned: its worker stalled, using less than its budget of CPU in 1 s (--file-timeout); the scan went on without this file']);
    expect(stalled.findings).toEqual(['a.go:5:go/tls-min-version-too-low', 'b.go:5:go/tls-min-version-too-low']);
  });
});

describe('budget options', () => {
  it('--file-timeout takes seconds (or ms), 0 turns it off; --worker-memory takes MB; nonsense is a usage error', () => {
    const dir = tempTree({ 'a.go': GO_FINDING(1) });
    for (const args of [['--file-timeout', '2.5'], ['--file-timeout', '800ms'], ['--file-timeout', '0'], ['--worker-memory', '256']]) {
      const r = runCli([...args, '-q', '.'], { cwd: dir });
      expect(r.status, args.join(' ')).toBe(1);
    }
    const bad = runCli(['--file-timeout', 'soon', '.'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--file-timeout');
    expect(runCli(['--worker-memory', '8', '.'], { cwd: dir }).status).toBe(2);
    expect(runCli(['--help']).stdout).toContain('--file-timeout SECONDS');
  });
});

describe('node flags', () => {
  it('a scan run with V8 flags on the node command line (which Node refuses a worker) scans in its workers all the same', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++) files[`f${i}.go`] = GO_FINDING(i);
    const dir = tempTree(files);
    for (const flags of [['--max-old-space-size=2048'], ['--stack-trace-limit=20', '--max-semi-space-size=8']]) {
      for (const jobs of ['1', '2']) {
        const r = spawnSync(process.execPath, [...flags, path.join(ROOT, 'bin/tlslint.js'), '-j', jobs, '-f', 'json', '.'], { cwd: dir, encoding: 'utf8' });
        expect(r.stderr, flags.join(' ')).toBe('');
        expect(r.status, flags.join(' ')).toBe(1);
        const results = JSON.parse(r.stdout) as { findings: Array<{ path: string; ruleId: string }> };
        expect(results.findings.map((f) => `${f.path} ${f.ruleId}`).sort()).toEqual(['f0.go', 'f1.go', 'f2.go'].map((f) => `${f} go/tls-min-version-too-low`));
      }
    }
  });
});

describe('heap growth', () => {
  it('the command line limits V8 heap growth for a scan of folders and an audit, not for a scan of files; node flags of the user win', async () => {
    const { main } = await import('../src/cli.js');
    const { limitHeapGrowth, HEAP_GROWING_PERCENT } = await import('../src/memory.js');
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    try {
      const dir = tempTree({ 'a.go': GO_FINDING(1) });
      const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dir, env: {} } as unknown as Parameters<typeof main>[1];
      const growth = () => set.mock.calls.filter(([f]) => f.startsWith('--heap-growing-percent')).map(([f]) => f);
      expect(await main(['-q', '-j', '1', '--file-timeout', '0', 'a.go'], io)).toBe(1);
      expect(growth()).toEqual([]);
      expect(await main(['-q', '-j', '1', '--file-timeout', '0', '.'], io)).toBe(1);
      expect(growth()).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
      set.mockClear();
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-audit-'));
      expect(await main(['audit', '-q', '-j', '1', '--out', out, dir], io)).toBe(1);
      expect(growth()).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
      set.mockClear();
      limitHeapGrowth(['--heap-growing-percent=50']);
      limitHeapGrowth(['--heap_growing_percent=50']);
      expect(growth()).toEqual([]);
    } finally {
      set.mockRestore();
    }
  });
});
