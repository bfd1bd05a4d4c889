/**
 * --fix cannot corrupt (issue 19): it writes only over exactly the bytes that were scanned (plus
 * bytes appended since, which it keeps), keeps encoding, line endings, mode and owner, writes
 * through links inside the scanned folder and refuses those outside, and loses nothing to a
 * process that appends while it works.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/engine.js';
import { fixFiles } from '../src/fix.js';
import { RULES } from '../src/registry.js';
import { DEFAULT_SETTINGS, runCli, tempTree } from './helpers.js';

const GO = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';
const GO_FIXED = GO.replace('VersionTLS10', 'VersionTLS12');

/** Scans `dir` in this thread and returns what --fix needs. */
async function scanned(dir: string, extra: { followSymlinks?: boolean } = {}) {
  return scan({ paths: ['.'], cwd: dir, rules: [...RULES], settings: DEFAULT_SETTINGS, jobs: 1, fileTimeout: 0, ...extra });
}

function fix(result: Awaited<ReturnType<typeof scanned>>, dir: string) {
  return fixFiles(result.findings, { dryRun: false, cwd: dir, scanned: result.scanned, boundaries: result.boundaries, rawPaths: result.rawPaths });
}

describe('--fix only over the bytes that were scanned', () => {
  it('a file edited after the scan (a line added at the top) is left untouched, with a diagnostic', async () => {
    const dir = tempTree({ 'a.go': GO });
    const result = await scanned(dir);
    const edited = `// Use of this source code is governed by a licence\n${GO}`;
    fs.writeFileSync(path.join(dir, 'a.go'), edited);
    const outcome = fix(result, dir);
    expect(fs.readFileSync(path.join(dir, 'a.go'), 'utf8')).toBe(edited);
    expect(outcome.applied).toEqual([]);
    expect(outcome.diagnostics).toEqual([expect.objectContaining({ code: 'fix-failed', message: expect.stringContaining('changed since the scan') })]);
  });

  it('lines appended after the scan are kept after the fixed text', async () => {
    const dir = tempTree({ 'a.go': GO });
    const result = await scanned(dir);
    fs.appendFileSync(path.join(dir, 'a.go'), 'var B = 1\n');
    const outcome = fix(result, dir);
    expect(outcome.applied).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'a.go'), 'utf8')).toBe(`${GO_FIXED}var B = 1\n`);
  });
});

describe('--fix keeps what the file is', () => {
  it('mode, CRLF line endings and (as root) owner stay as they were', async () => {
    const crlf = GO.replace(/\n/g, '\r\n');
    const dir = tempTree({ 'a.go': crlf });
    const file = path.join(dir, 'a.go');
    fs.chmodSync(file, 0o751);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(file, 65534, 65534);
    const outcome = fix(await scanned(dir), dir);
    expect(outcome.applied).toHaveLength(1);
    expect(fs.readFileSync(file, 'utf8')).toBe(GO_FIXED.replace(/\n/g, '\r\n'));
    const st = fs.statSync(file);
    expect(st.mode & 0o7777).toBe(0o751);
    if (asRoot) expect([st.uid, st.gid]).toEqual([65534, 65534]);
  });

  it('UTF-16 and UTF-32 files are fixed in their own encoding, byte-order mark included', () => {
    const utf32 = (text: string, le: boolean) =>
      Buffer.concat([...`\ufeff${text}`].map((c) => {
        const b = Buffer.alloc(4);
        if (le) b.writeUInt32LE(c.codePointAt(0)!);
        else b.writeUInt32BE(c.codePointAt(0)!);
        return b;
      }));
    const forms: Record<string, (t: string) => Buffer> = {
      'le16.go': (t) => Buffer.from(`\ufeff${t}`, 'utf16le'),
      'be16.go': (t) => Buffer.from(`\ufeff${t}`, 'utf16le').swap16(),
      'le32.go': (t) => utf32(t, true),
      'be32.go': (t) => utf32(t, false),
      'bom8.go': (t) => Buffer.from(`\ufeff${t}`, 'utf8'),
    };
    const dir = tempTree(Object.fromEntries(Object.entries(forms).map(([name, enc]) => [name, enc(GO)])));
    const r = runCli(['--fix', '-q', '.'], { cwd: dir });
    expect(r.stderr).toContain('applied 5 fix(es) in 5 file(s)');
    for (const [name, enc] of Object.entries(forms)) expect(fs.readFileSync(path.join(dir, name)).equals(enc(GO_FIXED)), name).toBe(true);
  });

  it('a file with another hard link is not split by a replacement', async () => {
    const dir = tempTree({ 'a.go': GO });
    fs.linkSync(path.join(dir, 'a.go'), path.join(dir, 'b.txt'));
    const outcome = fix(await scanned(dir), dir);
    expect(outcome.applied).toEqual([]);
    expect(outcome.diagnostics[0]!.message).toContain('hard links');
    expect(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe(GO);
  });
});

describe('--fix and symbolic links', () => {
  it('a link to a file inside the scanned folder stays a link; the target is fixed once', () => {
    const dir = tempTree({ 'real/a.go': GO });
    fs.symlinkSync('real/a.go', path.join(dir, 'link.go'));
    const r = runCli(['--fix', '--format', 'json', '.'], { cwd: dir });
    expect(fs.lstatSync(path.join(dir, 'link.go')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real/a.go'), 'utf8')).toBe(GO_FIXED);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('a link to a file outside the scanned folder is not followed; with --follow-symlinks it is scanned but never written', () => {
    const outside = tempTree({ 'secret.go': GO });
    const dir = tempTree({ 'a.go': GO });
    fs.symlinkSync(path.join(outside, 'secret.go'), path.join(dir, 'link.go'));
    const plain = runCli(['--format', 'json', '.'], { cwd: dir });
    const out = JSON.parse(plain.stdout) as { findings: Array<{ path: string }>; diagnostics: Array<{ code: string; path: string }> };
    expect(out.findings.map((f) => f.path)).toEqual(['a.go']);
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'symlink-outside', path: 'link.go' })]);
    // named on the command line, it is not followed either
    const named = runCli(['--format', 'json', 'link.go'], { cwd: dir });
    expect(JSON.parse(named.stdout).diagnostics).toEqual([expect.objectContaining({ code: 'symlink-outside' })]);
    expect(JSON.parse(runCli(['--format', 'json', '--follow-symlinks', '.'], { cwd: dir }).stdout).findings.map((f: { path: string }) => f.path)).toEqual(['a.go', 'link.go']);
    const followed = runCli(['--follow-symlinks', '--fix', '.'], { cwd: dir });
    expect(followed.stderr).toContain('link.go: not fixed: a symbolic link to');
    expect(fs.readFileSync(path.join(outside, 'secret.go'), 'utf8')).toBe(GO);
    expect(fs.lstatSync(path.join(dir, 'link.go')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'a.go'), 'utf8')).toBe(GO_FIXED);
  });
});

describe('--fix raced against a process that appends', () => {
  const APPENDER = `
    const fs = require('node:fs');
    const [file, mode, count] = process.argv.slice(1);
    const wait = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const fd = mode === 'persist' ? fs.openSync(file, 'a') : undefined;
    for (let i = 0; i < Number(count); i++) {
      const line = 'APPEND ' + i + '\\n';
      if (fd !== undefined) fs.writeSync(fd, line);
      else fs.appendFileSync(file, line);
      if (i % 4 === 3) wait(1);
    }
  `;

  /** Appends `count` lines in another process while --fix runs; returns what happened. */
  async function race(mode: 'persist' | 'reopen', padding: number): Promise<{ fixed: boolean; content: string; count: number }> {
    const body = `${GO}${'// padding line of a long file, to give the fix some bytes to move\n'.repeat(padding)}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-race-'));
    const file = path.join(dir, 'a.go');
    fs.writeFileSync(file, body);
    const result = await scanned(dir);
    const count = 3000;
    const child = spawn(process.execPath, ['-e', APPENDER, file, mode, String(count)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // start fixing once the appender is under way
    while (fs.statSync(file).size === body.length) await new Promise((r) => setTimeout(r, 1));
    const outcome = fix(result, dir);
    await exited;
    return { fixed: outcome.applied.length === 1, content: fs.readFileSync(file, 'utf8'), count };
  }

  function check({ fixed, content, count }: { fixed: boolean; content: string; count: number }, padding: number) {
    const lines = content.split('\n');
    // every appended line, once, in order
    expect(lines.filter((l) => l.startsWith('APPEND ')).map((l) => Number(l.slice(7)))).toEqual(Array.from({ length: count }, (_, i) => i));
    // the rest is the file as it was, fixed or not, never spliced at a stale offset
    const rest = lines.filter((l) => !l.startsWith('APPEND ')).join('\n');
    const expected = `${fixed ? GO_FIXED : GO}${'// padding line of a long file, to give the fix some bytes to move\n'.repeat(padding)}`;
    expect(rest).toBe(expected);
  }

  // RACE_ROUNDS=100 for a longer run
  it('an appender that opens the file for each line: nothing lost or misplaced, and the fix goes in', async () => {
    let fixedOnce = false;
    for (let round = 0; round < Number(process.env.RACE_ROUNDS ?? 6); round++) {
      const r = await race('reopen', 2000 * (round % 6));
      check(r, 2000 * (round % 6));
      fixedOnce ||= r.fixed;
    }
    expect(fixedOnce).toBe(true);
  }, 120_000);

  it('an appender that keeps the file open: the file is left alone rather than replaced under it', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await race('persist', 2000 * round);
      check(r, 2000 * round);
    }
  }, 120_000);
});
