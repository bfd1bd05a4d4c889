import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers.js';

const FINDING = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';

interface JsonOut {
  findings: Array<{ path: string; ruleId: string; startLine: number }>;
  diagnostics: Array<{ code: string; level: string; path?: string; message: string }>;
}

function scanJson(dir: string, extra: string[] = [], uid?: number): { out: JsonOut; status: number; stderr: string } {
  const r = runCli(['--format', 'json', ...extra, '.'], { cwd: dir, ...(uid !== undefined ? { uid, gid: uid } : {}) });
  return { out: JSON.parse(r.stdout) as JsonOut, status: r.status, stderr: r.stderr };
}

describe('bad input never stops the scan', () => {
  it('binary, invalid UTF-8, syntax errors: a diagnostic each, and the other findings still come', () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('package y\n\n// caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\nimport "crypto/tls"\n\nvar B = &tls.Config{MinVersion: tls.VersionTLS11}\n')]);
    const dir = tempTree({
      'a_good.go': FINDING,
      'b_binary.go': Buffer.concat([Buffer.from('MinVersion'), Buffer.alloc(64, 0)]),
      'c_invalid.go': invalidUtf8,
      'd_syntax.go': 'package z\n\nimport "crypto/tls"\n\nfunc broken( {\n\nvar C = &tls.Config{MinVersion: tls.VersionSSL30}\n',
      'e_empty.go': '',
    });
    const { out, status, stderr } = scanJson(dir);
    expect(status).toBe(1);
    expect(out.findings.map((f) => `${f.path}:${f.startLine}`).sort()).toEqual(['a_good.go:5', 'c_invalid.go:6', 'd_syntax.go:7']);
    const codes = Object.fromEntries(out.diagnostics.map((d) => [d.path, d.code]));
    expect(codes).toEqual({ 'b_binary.go': 'binary-file', 'c_invalid.go': 'invalid-utf8', 'd_syntax.go': 'syntax-error' });
    expect(stderr).toBe(''); // machine format: warnings live in the JSON, not on stderr
    expect(runCli(['.'], { cwd: dir }).stderr).toContain('tlslint: warning: b_binary.go: skipped: a Go file that contains NUL bytes (binary?) [binary-file]');
  });

  it('symlink loops are reported and not followed', () => {
    const dir = tempTree({ 'pkg/a.go': FINDING });
    fs.symlinkSync('..', path.join(dir, 'pkg', 'loop'));
    fs.symlinkSync('self.go', path.join(dir, 'self.go'));
    fs.symlinkSync('pkg/a.go', path.join(dir, 'alias.go'));
    const { out, status } = scanJson(dir);
    expect(status).toBe(1);
    expect(out.findings.map((f) => f.path).sort()).toEqual(['alias.go', 'pkg/a.go']);
    expect(out.diagnostics.map((d) => `${d.path} ${d.code}`).sort()).toEqual(['pkg/loop symlink-loop', 'self.go symlink-loop']);
  });

  it('an unreadable file is a diagnostic, and the rest is scanned', () => {
    const dir = tempTree({ 'a.go': FINDING, 'secret.go': FINDING });
    fs.chmodSync(path.join(dir, 'secret.go'), 0o000);
    // root reads everything: run the CLI as an unprivileged user then
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const { out, status } = scanJson(dir, [], uid);
    expect(status).toBe(1);
    expect(out.findings.map((f) => f.path)).toEqual(['a.go']);
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'read-error', level: 'error', path: 'secret.go' })]);
  });

  it('huge files are skipped with a diagnostic; minified one-line files do not stall the scan', () => {
    const huge = FINDING + '// ' + 'x'.repeat(2_000_000) + '\n';
    const minified = 'package m;' + 'var a = 1;'.repeat(20_000) + ' var A = &tls.Config{MinVersion: tls.VersionTLS10}';
    const dir = tempTree({ 'a.go': FINDING, 'huge.go': huge, 'min.go': minified });
    const { out } = scanJson(dir, ['--max-file-size', '1m']);
    expect(out.findings.map((f) => f.path)).toEqual(['a.go']);
    expect(out.diagnostics.map((d) => `${d.path} ${d.code}`).sort()).toEqual(['huge.go too-large', 'min.go minified']);
  });

  it('files of every size read whole, each with its own bytes only (small files share one reused buffer)', () => {
    const MB = 1024 * 1024;
    // padded with comment lines to an exact size, the weak setting on the last line
    const sized = (bytes: number) => {
      const pad = bytes - FINDING.length;
      const line = '// ' + 'p'.repeat(76) + '\n';
      const lines = line.repeat(Math.floor(pad / line.length));
      return lines + '// ' + 'q'.repeat(pad - lines.length - 4) + '\n' + FINDING;
    };
    const sizes: Record<string, number> = { 'a0.go': MB - 300_000, 'b0.go': MB - 1, 'b1.go': MB, 'b2.go': MB + 1, 'd.go': 3 * MB };
    const files: Record<string, string> = { 'a1.go': 'package x\n', 'c.go': '// TLS\npackage x\n' };
    for (const [name, size] of Object.entries(sizes)) {
      files[name] = sized(size);
      expect(Buffer.byteLength(files[name]!), name).toBe(size);
    }
    const dir = tempTree(files);
    for (const jobs of ['1', '2']) {
      const { out } = scanJson(dir, ['--jobs', jobs]);
      const lines = (t: string) => t.split('\n').length - 1;
      expect(out.findings.map((f) => `${f.path}:${f.startLine}`), `--jobs ${jobs}`).toEqual(['a0.go', 'b0.go', 'b1.go', 'b2.go', 'd.go'].map((f) => `${f}:${lines(files[f]!)}`));
      expect(out.diagnostics).toEqual([]);
    }
  });

  it('--fix leaves a file that would break untouched, and never writes invalid UTF-8 back', () => {
    const invalid = Buffer.concat([Buffer.from(FINDING), Buffer.from([0xff, 0x0a])]);
    const dir = tempTree({ 'bad.go': invalid, 'good.go': FINDING });
    const r = runCli(['--fix', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'bad.go')).equals(invalid)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'good.go'), 'utf8')).toContain('VersionTLS12');
    expect(r.stderr).toContain('bad.go: not fixed: file is not valid UTF-8');
  });
});
