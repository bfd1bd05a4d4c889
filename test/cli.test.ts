import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { renderRulesDoc } from '../src/docs.js';
import { ROOT, runCli, tempTree } from './helpers.js';

const OLD_GO = {
  'go.mod': 'module example.com/x\n\ngo 1.16\n',
  'client.go': 'package x\n\nimport "crypto/tls"\n\nvar Cfg = &tls.Config{MinVersion: tls.VersionTLS10}\n',
};
const CLEAN_GO = {
  'go.mod': 'module example.com/y\n\ngo 1.22\n',
  'client.go': 'package y\n\nimport "crypto/tls"\n\nvar Cfg = &tls.Config{MinVersion: tls.VersionTLS12}\n',
};

describe('CLI exit codes', () => {
  it('exits 0 and says so when nothing is found', () => {
    const dir = tempTree(CLEAN_GO);
    const r = runCli([dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No TLS problems found');
  });

  it('exits 1 with the finding in path:line:col form, the source line and a caret', () => {
    const dir = tempTree(OLD_GO);
    const r = runCli(['client.go'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('client.go:5:35: error go/tls-min-version-too-low');
    expect(r.stdout).toContain('5 | var Cfg = &tls.Config{MinVersion: tls.VersionTLS10}');
    expect(r.stdout).toMatch(/\| {35}\^{16}\n/);
    expect(r.stdout).toMatch(/1 finding \(1 error\) in 1 file; 1 file scanned/);
  });

  it('--fail-on error ignores warnings; --fail-on note counts them', () => {
    const dir = tempTree({ 'go.mod': 'module m\n\ngo 1.16\n', 'a.go': 'package a\n\nimport "crypto/tls"\n\nvar C = &tls.Config{}\n' });
    expect(runCli(['--fail-on', 'error', dir]).status).toBe(0);
    expect(runCli(['--fail-on', 'warning', dir]).status).toBe(1);
    expect(runCli(['--fail-on', 'note', dir]).status).toBe(1);
  });

  it('exits 2 on usage errors, with a clear message', () => {
    const bad = runCli(['--format', 'xml', '.']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, json, sarif, github');
    expect(runCli(['--no-such-flag']).status).toBe(2);
    const unknownRule = runCli(['--rule', 'go/tls-min-version-to-low', 'demo']);
    expect(unknownRule.status).toBe(2);
    expect(unknownRule.stderr).toContain('did you mean');
    const missing = runCli(['does/not/exist']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: does/not/exist');
  });

  it('prints version, help and the rule list', () => {
    expect(runCli(['--version']).stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(runCli(['--help']).stdout).toContain('Usage: tlslint [options] [paths...]');
    const list = runCli(['--list-rules']).stdout;
    for (const rule of RULES) expect(list).toContain(rule.id);
    const json = JSON.parse(runCli(['--list-rules', '--format', 'json']).stdout) as Array<{ id: string }>;
    expect(json.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});

describe('CLI formats and output', () => {
  it('json has findings with repo-relative paths, fingerprints and fixes', () => {
    const dir = tempTree(OLD_GO);
    const r = runCli(['--format', 'json', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ ruleId: 'go/tls-min-version-too-low', path: 'client.go', startLine: 5, startColumn: 35, endColumn: 51 });
    expect(out.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(out.findings[0].fix.edits[0].text).toBe('tls.VersionTLS12');
  });

  it('github format writes workflow annotations', () => {
    const dir = tempTree(OLD_GO);
    const r = runCli(['--format', 'github', '.'], { cwd: dir });
    expect(r.stdout).toMatch(/^::error file=client\.go,line=5,col=35,endLine=5,endColumn=51,title=tlslint go\/tls-min-version-too-low::MinVersion/);
  });

  it('--output writes the report to a file and keeps stdout clean', () => {
    const dir = tempTree(OLD_GO);
    const r = runCli(['--format', 'sarif', '--output', 'out.sarif', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('--rule and --disable-rule select rules by id or pack', () => {
    const dir = tempTree(OLD_GO);
    expect(runCli(['--disable-rule', 'go/tls-min-version-too-low', dir]).status).toBe(0);
    expect(runCli(['--disable-rule', 'go', dir]).status).toBe(0);
    expect(runCli(['--rule', 'go/tls-insecure-skip-verify', dir]).status).toBe(0);
    expect(runCli(['--rule', 'go', dir]).status).toBe(1);
  });
});

describe('CLI discovery', () => {
  it('honours .gitignore and default excludes, but always scans explicit files', () => {
    const bad = OLD_GO['client.go'];
    const dir = tempTree({
      '.gitignore': 'generated/\n*.gen.go\n',
      'generated/a.go': bad,
      'b.gen.go': bad,
      'vendor/lib/c.go': bad,
      'node_modules/d/e.go': bad,
      'src/f.go': bad,
      'README.md': 'tls.VersionTLS10',
    });
    const r = runCli(['--format', 'json', '.'], { cwd: dir });
    expect((JSON.parse(r.stdout).findings as Array<{ path: string }>).map((f) => f.path)).toEqual(['src/f.go']);
    const explicit = runCli(['--format', 'json', 'generated/a.go', 'vendor/lib/c.go', 'README.md'], { cwd: dir });
    expect((JSON.parse(explicit.stdout).findings as Array<{ path: string }>).map((f) => f.path).sort()).toEqual(['generated/a.go', 'vendor/lib/c.go']);
    const noIgnore = runCli(['--format', 'json', '--no-gitignore', '.'], { cwd: dir });
    expect(JSON.parse(noIgnore.stdout).findings).toHaveLength(3);
  });

  it('accepts an empty list of files (exit 0) and skips unsupported files silently', () => {
    const dir = tempTree({ 'notes.txt': 'TLSv1', 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]) });
    const r = runCli(['notes.txt', 'image.png'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('config file, baseline, fix', () => {
  it('reads tlslint.json from the scanned folder: rule switches, severity, excludes, policy', () => {
    const dir = tempTree({
      ...CLEAN_GO,
      'legacy/old.go': OLD_GO['client.go'],
      'tlslint.json': JSON.stringify({ exclude: ['legacy/'], minTlsVersion: '1.3' }),
    });
    const r = runCli(['--format', 'json', '.'], { cwd: dir });
    // TLS 1.2 is below a 1.3 policy; legacy/ is excluded
    expect((JSON.parse(r.stdout).findings as Array<{ ruleId: string; path: string }>).map((f) => `${f.path} ${f.ruleId}`)).toEqual(['client.go go/tls-min-version-too-low']);
    fs.writeFileSync(path.join(dir, 'tlslint.json'), JSON.stringify({ rules: { 'go/tls-min-version-too-low': 'note' }, minTlsVersion: '1.3' }));
    expect(runCli(['.'], { cwd: dir }).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'tlslint.json'), JSON.stringify({ rules: { go: 'off' } }));
    expect(runCli(['--min-tls', '1.3', '.'], { cwd: dir }).status).toBe(0);
  });

  it('rejects a broken config with exit 2 and the reason', () => {
    const dir = tempTree({ ...CLEAN_GO, 'tlslint.json': '{"minTlsVersion": "1.0"}' });
    const r = runCli(['.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"minTlsVersion" must be "1.2" or "1.3"');
    fs.writeFileSync(path.join(dir, 'tlslint.json'), '{"rulez": {}}');
    expect(runCli(['.'], { cwd: dir }).stderr).toContain('unknown key "rulez"');
  });

  it('a baseline hides known findings, even after lines move, and shows new ones', () => {
    const dir = tempTree(OLD_GO);
    expect(runCli(['--write-baseline', 'tlslint-baseline.json', '.'], { cwd: dir }).status).toBe(0);
    expect(runCli(['--baseline', 'tlslint-baseline.json', '.'], { cwd: dir }).status).toBe(0);
    const file = path.join(dir, 'client.go');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('import "crypto/tls"\n', '// a comment\n\nimport "crypto/tls"\n'));
    expect(runCli(['--baseline', 'tlslint-baseline.json', '.'], { cwd: dir }).status).toBe(0);
    fs.appendFileSync(file, '\nvar D = &tls.Config{MinVersion: tls.VersionTLS11}\n');
    const r = runCli(['--format', 'json', '--baseline', 'tlslint-baseline.json', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { startLine: number }) => f.startLine)).toEqual([9]);
    // a SARIF log works as a baseline too
    runCli(['--format', 'sarif', '--output', 'base.sarif', '.'], { cwd: dir });
    expect(runCli(['--baseline', 'base.sarif', '.'], { cwd: dir }).status).toBe(0);
  });

  it('--fix rewrites files atomically and idempotently; --fix-dry-run prints a diff', () => {
    const dir = tempTree(OLD_GO);
    const file = path.join(dir, 'client.go');
    const dry = runCli(['--fix-dry-run', '.'], { cwd: dir });
    expect(dry.stdout).toContain('-var Cfg = &tls.Config{MinVersion: tls.VersionTLS10}\n+var Cfg = &tls.Config{MinVersion: tls.VersionTLS12}');
    expect(fs.readFileSync(file, 'utf8')).toContain('VersionTLS10');
    const fixed = runCli(['.'], { cwd: dir, env: {} });
    expect(fixed.status).toBe(1);
    const run1 = runCli(['--fix', '.'], { cwd: dir });
    expect(run1.status).toBe(0);
    expect(run1.stderr).toContain('applied 1 fix(es) in 1 file(s)');
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('MinVersion: tls.VersionTLS12');
    const run2 = runCli(['--fix', '.'], { cwd: dir });
    expect(run2.status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(after);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('docs/rules.md', () => {
  it('is generated from the rules (run `npm run docs` after changing a rule)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc(RULES));
  });
});

describe('--timing', () => {
  it('prints thread time per phase and the slowest rules on stderr, and leaves the report alone', () => {
    const dir = tempTree({ 'a.go': 'package a\n\nimport "crypto/tls"\n\nvar c = &tls.Config{MinVersion: tls.VersionTLS10}\n', 'sub/b.py': 'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n', 'c.go': 'package c\n' });
    const plain = runCli(['--format', 'json', dir]);
    const timed = runCli(['--format', 'json', '--timing', dir]);
    expect(timed.status).toBe(1);
    expect(JSON.parse(timed.stdout).findings).toEqual(JSON.parse(plain.stdout).findings);
    for (const phase of ['discover', 'read', 'prefilter', 'decode', 'parse', 'query', 'rules', 'report']) expect(timed.stderr).toMatch(new RegExp(`^  ${phase} +\\d+ ms`, 'm'));
    expect(timed.stderr).toMatch(/slowest rules[^\n]*\n(?: {2}\S+ +\d+ ms\n)* {2}go\/tls-min-version-too-low +\d+ ms/);
    // the parsed files by their time, named as in the report (a file no trigger let through is not among them)
    const files = /slowest files[^\n]*\n((?: {2}\S+ +\d+ ms\n)+)/.exec(timed.stderr)?.[1];
    expect(files?.trim().split('\n').map((l) => l.trim().split(/ +/)[0]).sort()).toEqual(['a.go', path.join('sub', 'b.py')]);
    expect(plain.stderr).not.toMatch(/timing/);
  });
});
