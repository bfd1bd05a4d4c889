import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditSummary } from '../src/audit.js';
import { inShard, parseShard, stableHash } from '../src/shard.js';
import { FIXTURES, ROOT, runCli } from './helpers.js';

/** Builds an estate of small repositories from fixture folders, plus a missing and an unreadable one. */
function estate(): { dir: string; repos: string[]; list: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-audit-'));
  const sources = ['java/enabled-protocols-outdated', 'dotnet/framework-outdated', 'python/ssl-protocol-outdated', 'ruby/runtime-outdated', 'go/tls-min-version-too-low', 'nginx/ssl-protocols-outdated'];
  const repos: string[] = [];
  for (const src of sources) {
    const repo = path.join(dir, src.replace('/', '--'));
    // the rule's main fixtures, not its multi-file flow fixtures: the size limits below count files
    fs.cpSync(path.join(FIXTURES, src), repo, { recursive: true, filter: (from) => path.basename(from) !== 'flows' });
    fs.mkdirSync(path.join(repo, '.git'));
    repos.push(repo);
  }
  // test code of one repository: counted apart from production code
  fs.mkdirSync(path.join(repos[4]!, 'integration'), { recursive: true });
  fs.writeFileSync(path.join(repos[4]!, 'integration', 'tls_test.go'), 'package integration\n\nimport "crypto/tls"\n\nvar Legacy = &tls.Config{MinVersion: tls.VersionTLS10}\nvar Old = &tls.Config{MaxVersion: tls.VersionTLS11}\n');
  const list = path.join(dir, 'repos.txt');
  fs.writeFileSync(list, ['# the estate', ...repos.map((r) => path.basename(r)), 'does-not-exist', ''].join('\n'));
  return { dir, repos, list };
}

function readSummary(out: string): AuditSummary {
  return JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as AuditSummary;
}

describe('sharding', () => {
  it('splits keys into n disjoint, stable shares', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) expect(() => parseShard(bad)).toThrow(/--shard/);
    const keys = Array.from({ length: 500 }, (_, i) => `repos/project-${i}`);
    const shares = [1, 2, 3].map((index) => keys.filter((k) => inShard(k, { index, count: 3 })));
    expect(shares.flat().sort()).toEqual([...keys].sort());
    for (const s of shares) expect(s.length).toBeGreaterThan(100); // roughly even
    expect(stableHash('repos/project-1')).toBe(stableHash('repos/project-1'));
    expect(inShard('a\\b', { index: 1, count: 2 })).toBe(inShard('a/b', { index: 1, count: 2 }));
  });
});

describe('tlslint audit (as a process)', () => {
  it('writes one SARIF per repository and a summary, reports failed repositories and goes on', () => {
    const { dir, repos, list } = estate();
    const out = path.join(dir, 'out');
    const r = runCli(['audit', '--repos', list, '--out', out], { cwd: dir });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('does-not-exist: failed: no such folder');
    const summary = readSummary(out);
    expect(summary.totals.repos).toBe(repos.length + 1);
    expect(summary.totals.failed).toBe(1);
    for (const repo of summary.repos.filter((x) => x.status === 'ok')) {
      // each repository's SARIF carries exactly the findings the summary counts, relative to the repo
      const sarif = JSON.parse(fs.readFileSync(path.join(out, repo.sarif!), 'utf8'));
      const results = sarif.runs[0].results as Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
      expect(results.length).toBe(repo.counts.error + repo.counts.warning + repo.counts.note);
      expect(results.filter((x) => x.level === 'error').length).toBe(repo.counts.error);
      for (const x of results) expect(x.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^(?:\/|file:)/);
      // and the same as a plain scan of that repository
      const scan = runCli(['--format', 'json', '--no-config', '.'], { cwd: path.resolve(dir, repo.path) });
      expect(JSON.parse(scan.stdout).findings.length, repo.path).toBe(results.length);
    }
    // old runtimes are collected (.NET 4.0/4.5.2 projects without TLS 1.2, Ruby 1.9)
    const runtimes = summary.repos.flatMap((x) => x.runtimes.map((y) => y.ruleId));
    expect(runtimes).toContain('dotnet/framework-outdated');
    expect(runtimes).toContain('ruby/runtime-outdated');
    // the top fixes are ordered by severity first
    const ranks = summary.rules.map((x) => ({ error: 3, warning: 2, note: 1 })[x.severity]);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    const md = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(md).toContain('## Top fixes');
    expect(md).toContain('**failed**: no such folder');
  });

  it('reports an unreadable repository and one above --max-repo-files as failed', () => {
    const { dir, repos } = estate();
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, { mode: 0o700 });
    fs.writeFileSync(path.join(locked, 'a.go'), 'package a\n');
    const out = path.join(dir, 'out');
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    if (uid !== undefined) fs.chmodSync(dir, 0o777);
    if (uid !== undefined) for (const r of repos) spawnSync('chmod', ['-R', 'a+rwX', r]);
    const r = runCli(['audit', repos[0]!, repos[1]!, locked, '--max-repo-files', '3', '--out', out, '--quiet'], { cwd: dir, ...(uid !== undefined ? { uid, gid: uid } : {}) });
    expect(r.status, r.stderr).toBe(1);
    const summary = readSummary(out);
    const byPath = Object.fromEntries(summary.repos.map((x) => [path.basename(x.path), x]));
    expect(byPath['locked']!.status).toBe('failed');
    expect(byPath['locked']!.error).toMatch(/permission denied/);
    const big = summary.repos.find((x) => x.error?.startsWith('too large'));
    expect(big, JSON.stringify(summary.repos, null, 1)).toBeDefined();
    expect(summary.repos.some((x) => x.status === 'ok')).toBe(true);
  });

  it('splits an estate with --shard and merges the shards into the same totals', () => {
    const { dir, list } = estate();
    const whole = path.join(dir, 'whole');
    runCli(['audit', '--repos', list, '--out', whole, '--quiet'], { cwd: dir });
    const parts = [1, 2, 3].map((i) => {
      const out = path.join(dir, `shard-${i}`);
      const r = runCli(['audit', '--repos', list, '--shard', `${i}/3`, '--out', out, '--quiet'], { cwd: dir });
      expect([0, 1, 2]).toContain(r.status);
      return out;
    });
    const names = parts.flatMap((p) => readSummary(p).repos.map((x) => x.path)).sort();
    expect(names).toEqual(readSummary(whole).repos.map((x) => x.path).sort());
    const merged = path.join(dir, 'merged');
    const m = runCli(['merge', ...parts, '--out', merged], { cwd: dir });
    expect(m.status, m.stderr).toBe(0);
    const a = readSummary(whole);
    const b = readSummary(merged);
    expect({ ...b.totals, durationMs: 0 }).toEqual({ ...a.totals, durationMs: 0 });
    expect(b.rules.map((x) => [x.id, x.count, x.repos])).toEqual(a.rules.map((x) => [x.id, x.count, x.repos]));
    for (const repo of b.repos.filter((x) => x.sarif)) expect(fs.existsSync(path.join(merged, repo.sarif!))).toBe(true);
  });

  it('rejects bad usage with exit 2', () => {
    expect(runCli(['audit']).status).toBe(2);
    expect(runCli(['audit', '.', '--shard', '3/2']).stderr).toMatch(/--shard must be i\/n/);
    expect(runCli(['audit', '--repos', 'no-such-list.txt']).status).toBe(2);
    expect(runCli(['merge', 'no-such-folder']).status).toBe(2);
    expect(runCli(['audit', '--help']).stdout).toContain('summary.html');
  });
});

describe('scan --shard', () => {
  it('shares of a scan add up to the whole scan', () => {
    const dir = path.join(FIXTURES, 'java');
    const all = JSON.parse(runCli(['--format', 'json', '--no-config', '.'], { cwd: dir }).stdout).findings.map((f: { path: string; startLine: number; ruleId: string }) => `${f.path}:${f.startLine}:${f.ruleId}`);
    const parts = [1, 2].flatMap((i) =>
      JSON.parse(runCli(['--format', 'json', '--no-config', '--shard', `${i}/2`, '.'], { cwd: dir }).stdout).findings.map((f: { path: string; startLine: number; ruleId: string }) => `${f.path}:${f.startLine}:${f.ruleId}`),
    );
    expect(all.length).toBeGreaterThan(20);
    expect(parts.sort()).toEqual(all.sort());
    expect(runCli(['--shard', '0/2', '.'], { cwd: dir }).status).toBe(2);
  });
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);
const mustRun = !!process.env.CI;

describe.skipIf(!chromium && !mustRun)('summary.html in a real headless browser', () => {
  it('opens from disk, renders the charts and the tables', () => {
    expect(chromium, 'chromium must be installed (apt-get install chromium)').toBeDefined();
    const { dir, list } = estate();
    const out = path.join(dir, 'out');
    runCli(['audit', '--repos', list, '--out', out, '--quiet'], { cwd: dir });
    const summary = readSummary(out);
    const page = path.join(out, 'summary.html');
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${path.join(dir, 'profile')}`];
    const dom = spawnSync(chromium!, [...args, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 120_000 });
    expect(dom.status, dom.stderr).toBe(0);
    // the browser parsed the page: its DOM has the charts' bars and the figures of the summary
    const tp = summary.totals.production!;
    expect(dom.stdout).toContain(`<b id="total-errors">${tp.error}</b>`);
    expect(dom.stdout).toContain(`<b id="total-production">${tp.findings}</b>`);
    expect(dom.stdout).toContain(`<b id="total-test">${summary.totals.test!.findings}</b>`);
    expect(dom.stdout).toContain(`<b id="total-failed">1</b>`);
    expect((dom.stdout.match(/<rect class="bar error"/g) ?? []).length).toBeGreaterThan(2);
    expect(dom.stdout).toContain('id="top-fixes"');
    // the inventory and the migration plan name the old runtimes of the estate
    expect(dom.stdout).toMatch(/<table id="migration">[\s\S]*Ruby[\s\S]*<\/table>/);
    expect(dom.stdout).toMatch(/<tr class="too-old">/);
    // every repository of the overview links to its own section, which lists its findings
    for (const [i, r] of summary.repos.entries()) {
      expect(dom.stdout).toContain(`<a href="#repo-${i + 1}">${r.name}</a>`);
      expect(dom.stdout).toContain(`<section class="repo" id="repo-${i + 1}">`);
    }
    expect(dom.stdout).toContain('<table class="findings"');
    // test code counted apart and folded away under its repository
    expect(summary.totals.test!.findings).toBeGreaterThanOrEqual(2);
    expect(dom.stdout).toMatch(/<details class="test"><summary>\d+ findings in test code<\/summary>/);
    // repository names, never the absolute folders on disk
    expect(dom.stdout).not.toContain(dir);
    // and it renders to pixels; the screenshot is kept in test-results/ for review
    const png = path.join(ROOT, 'test-results', 'audit-summary.png');
    fs.mkdirSync(path.dirname(png), { recursive: true });
    const shot = spawnSync(chromium!, [...args, `--screenshot=${png}`, '--window-size=1400,2400', `file://${page}`], { encoding: 'utf8', timeout: 120_000 });
    expect(shot.status, shot.stderr).toBe(0);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000);
  }, 300_000);
});
