/**
 * Audits from repository URLs (local bare repositories over file://; never the network), resumed
 * after an interruption, incremental, compared with an earlier audit; git hardened and credentials
 * kept off command lines and out of reports.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditSummary } from '../src/audit.js';
import { readRepoEntries } from '../src/audit-repos.js';
import { gitInvocation, parseGitUrl, readHeadCommit, redact } from '../src/git.js';
import { CLI, FIXTURES, runCli } from './helpers.js';

const hasGit = spawnSync('git', ['--version']).status === 0;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A bare repository holding a copy of `files` (fixture folders or contents), and its work tree to commit from. */
function bareRepo(root: string, name: string, sources: Record<string, string>): { bare: string; work: string; url: string } {
  const work = path.join(root, 'work', name);
  fs.mkdirSync(work, { recursive: true });
  for (const [rel, src] of Object.entries(sources)) {
    const to = path.join(work, rel);
    if (src.startsWith('fixture:')) fs.cpSync(path.join(FIXTURES, src.slice(8)), to, { recursive: true, filter: (p) => path.basename(p) !== 'flows' });
    else {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, src);
    }
  }
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'first');
  const bare = path.join(root, 'bare', `${name}.git`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, 'clone', '-q', '--bare', work, bare);
  return { bare, work, url: `file://${bare}` };
}

function push(repo: { bare: string; work: string }, message: string): string {
  git(repo.work, 'add', '-A');
  git(repo.work, 'commit', '-qm', message);
  git(repo.work, 'push', '-q', repo.bare, 'HEAD:main');
  return git(repo.work, 'rev-parse', 'HEAD');
}

const summaryOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as AuditSummary;

const WEAK_GO = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';

describe('repository lists and URLs', () => {
  it('reads folders and URLs with refs, names them without credentials or absolute paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-list-'));
    fs.mkdirSync(path.join(dir, 'team a', 'api'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'team b', 'api'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'repos.txt'),
      ['# estate', 'team a/api', `${path.join(dir, 'team b', 'api')}`, 'https://x-access-token:ghp_SECRET@github.com/org/svc.git release-2.4  # pinned', 'git@github.com:org/other.git', 'https://github.com/org/svc.git', ''].join('\n'),
    );
    const entries = readRepoEntries([], [path.join(dir, 'repos.txt')], dir);
    expect(entries.map((e) => e.name)).toEqual(['team a/api', 'team b/api', 'https://github.com/org/svc.git@release-2.4', 'git@github.com:org/other.git', 'https://github.com/org/svc.git']);
    expect(entries[2]).toMatchObject({ ref: 'release-2.4', source: 'https://github.com/org/svc.git' });
    expect(JSON.stringify(entries.map(({ url: _url, ...rest }) => rest))).not.toContain('SECRET');
    expect(new Set(entries.map((e) => e.slug)).size).toBe(entries.length);
    for (const e of entries) expect(e.slug).toMatch(/^[\w.@-]+$/);
  });

  it('keeps credentials off the command line: they travel as an HTTP header in git\'s environment', () => {
    const parsed = parseGitUrl('https://user:p%40ss@git.example.com/org/repo.git');
    expect(parsed).toEqual({ safe: 'https://git.example.com/org/repo.git', credentials: { username: 'user', password: 'p@ss' } });
    expect(parseGitUrl('https://ghp_TOKEN@github.com/o/r').safe).toBe('https://github.com/o/r');
    expect(parseGitUrl('ssh://git:pw@host/r.git').safe).toBe('ssh://git@host/r.git');
    expect(parseGitUrl('git@github.com:o/r.git').safe).toBe('git@github.com:o/r.git');
    const inv = gitInvocation(['fetch', '--', parsed.safe, 'HEAD'], { env: {}, credentials: parsed });
    expect(inv.args.join(' ')).not.toContain('p@ss');
    const values = Object.entries(inv.env).filter(([k]) => k.startsWith('GIT_CONFIG_VALUE_')).map(([, v]) => v);
    expect(values).toContain(`Authorization: Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(inv.env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1' });
    const keys = Object.entries(inv.env).filter(([k]) => k.startsWith('GIT_CONFIG_KEY_')).map(([, v]) => v);
    expect(keys).toEqual(expect.arrayContaining(['core.hooksPath', 'core.fsmonitor', 'core.symlinks', 'protocol.ext.allow', 'filter.lfs.smudge', 'filter.lfs.process']));
    expect(redact('fatal: could not read from https://user:pw@host/x', ['pw'])).toBe('fatal: could not read from https://***@host/x');
  });
});

describe.skipIf(!hasGit)('tlslint audit of repository URLs', () => {
  it('clones shallowly into the cache, reuses clones and results, fetches what changed, never runs hooks or filters', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-urls-'));
    const go = bareRepo(root, 'go-service', { 'main.go': WEAK_GO, 'go.mod': 'module x\n\ngo 1.11\n', 'x_test.go': WEAK_GO.replace('var A', 'var T') });
    const ruby = bareRepo(root, 'ruby-app', { app: 'fixture:ruby/runtime-outdated', '.gitattributes': '* filter=evil\n' });
    const dotnet = bareRepo(root, 'dotnet-app', { src: 'fixture:dotnet/framework-outdated' });
    git(go.work, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(go.work, 'feature.go'), WEAK_GO.replace('var A', 'var F'));
    git(go.work, 'add', '-A');
    git(go.work, 'commit', '-qm', 'feature');
    const featureCommit = git(go.work, 'rev-parse', 'HEAD');
    git(go.work, 'push', '-q', go.bare, 'feature');
    git(go.work, 'checkout', '-q', 'main');
    const list = path.join(root, 'repos.txt');
    fs.writeFileSync(list, [go.url, `${go.url} ${featureCommit}`, ruby.url, `${dotnet.url} main`, ''].join('\n'));
    // a user whose own git config has a hook folder and a smudge filter: neither may run
    const marker = path.join(root, 'ran');
    const hooks = path.join(root, 'hooks');
    fs.mkdirSync(hooks);
    for (const hook of ['post-checkout', 'post-merge', 'reference-transaction', 'fsmonitor-watchman']) fs.writeFileSync(path.join(hooks, hook), `#!/bin/sh\ntouch ${marker}-hook\n`, { mode: 0o755 });
    const gitconfig = path.join(root, 'gitconfig');
    fs.writeFileSync(gitconfig, `[core]\n\thooksPath = ${hooks}\n[filter "evil"]\n\tsmudge = touch ${marker}-filter; cat\n\tprocess = touch ${marker}-process\n\trequired = true\n`);
    const env = { GIT_CONFIG_GLOBAL: gitconfig, XDG_CACHE_HOME: path.join(root, 'xdg') };
    const out = path.join(root, 'out');
    const cache = path.join(root, 'cache');

    const first = runCli(['audit', '--repos', list, '--out', out, '--cache', cache], { cwd: root, env });
    expect(first.status, first.stderr).toBe(1);
    expect(fs.existsSync(`${marker}-hook`) || fs.existsSync(`${marker}-filter`) || fs.existsSync(`${marker}-process`)).toBe(false);
    const s1 = summaryOf(out);
    expect(s1.repos.map((r) => [r.name, r.status])).toEqual([
      [go.url, 'ok'],
      [`${go.url}@${featureCommit}`, 'ok'],
      [ruby.url, 'ok'],
      [`${dotnet.url}@main`, 'ok'],
    ]);
    expect(s1.repos[1]!.commit).toBe(featureCommit);
    expect(s1.repos[1]!.findings!.map((f) => f.path).sort()).toEqual(['feature.go', 'go.mod', 'main.go', 'x_test.go']);
    expect(s1.repos[0]!.findings!.map((f) => f.path).sort()).toEqual(['go.mod', 'main.go', 'x_test.go']);
    // production and test findings apart, production first
    expect(s1.repos[0]!.test).toEqual({ error: 1, warning: 0, note: 0 });
    expect(s1.repos[0]!.production!.error + s1.repos[0]!.production!.warning + s1.repos[0]!.production!.note).toBe(2);
    expect(s1.repos[0]!.findings!.map((f) => f.test)).toEqual([false, false, true]);
    expect(s1.totals.test!.findings).toBeGreaterThan(0);
    // the inventory: go 1.11 is too old; the Ruby and .NET fixtures pin old runtimes
    expect(s1.repos[0]!.inventory).toEqual([expect.objectContaining({ runtime: 'Go', version: '1.11', files: ['go.mod'], tooOld: expect.any(String) })]);
    expect(s1.repos[2]!.inventory!.some((e) => e.runtime === 'Ruby' && e.tooOld)).toBe(true);
    expect(s1.repos[3]!.inventory!.some((e) => e.runtime === '.NET Framework' && e.tooOld)).toBe(true);
    // shallow clones in the cache: one per URL, one more for the URL listed again at another ref
    const clones = fs.readdirSync(cache);
    expect(clones).toHaveLength(4);
    for (const c of clones) expect(git(path.join(cache, c), 'rev-parse', '--is-shallow-repository')).toBe('true');
    // nothing on disk names the absolute path of a clone
    const md = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    const html = fs.readFileSync(path.join(out, 'summary.html'), 'utf8');
    expect(md + html).not.toContain(cache);

    // second run: nothing changed, nothing scanned again
    const inode = fs.statSync(path.join(cache, clones[0]!, '.git')).ino;
    const second = runCli(['audit', '--repos', list, '--out', out, '--cache', cache], { cwd: root, env });
    expect(second.status, second.stderr).toBe(1);
    expect(second.stderr).toContain('4 unchanged repositories not scanned again');
    const s2 = summaryOf(out);
    expect(s2.repos.every((r) => r.reused)).toBe(true);
    expect({ ...s2.totals, durationMs: 0 }).toEqual({ ...s1.totals, durationMs: 0 });

    // a new commit on main: fetched into the same clone (not cloned again) and scanned again
    fs.writeFileSync(path.join(go.work, 'main.go'), WEAK_GO.replace('VersionTLS10', 'VersionTLS12'));
    const fixedCommit = push(go, 'fix');
    const third = runCli(['audit', '--repos', list, '--out', out, '--cache', cache, '--baseline-audit', out], { cwd: root, env });
    expect(third.stderr).toContain('3 unchanged repositories not scanned again');
    const s3 = summaryOf(out);
    expect(s3.repos[0]).toMatchObject({ commit: fixedCommit });
    expect(s3.repos[0]!.reused).toBeUndefined();
    expect(s3.repos[0]!.findings!.map((f) => f.path)).toEqual(['go.mod', 'x_test.go']);
    expect(fs.statSync(path.join(cache, clones[0]!, '.git')).ino).toBe(inode);
    // and compared with the audit before: one fixed, nothing new
    expect(s3.comparison).toMatchObject({ new: 0, fixed: 1 });
    expect(s3.repos[0]!.comparison!.fixed.map((f) => f.path)).toEqual(['main.go']);
    expect(third.stderr).toContain('0 new, 1 fixed');
  });

  it('reports a repository that cannot be fetched and goes on, with no credential anywhere', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-creds-'));
    const good = bareRepo(root, 'good', { 'main.go': WEAK_GO });
    // a loopback server standing in for a private host: it records what git sends and refuses
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    // a git on PATH that logs its command lines before running the real one
    const shim = path.join(root, 'bin');
    const log = path.join(root, 'git-argv.log');
    fs.mkdirSync(shim);
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$@" >> ${log}\nexec ${realGit} "$@"\n`, { mode: 0o755 });
    const list = path.join(root, 'repos.txt');
    fs.writeFileSync(list, [`http://deploy:s3cr3t-t0ken@127.0.0.1:${port}/org/private.git`, 'no-such-folder', good.url, ''].join('\n'));
    const out = path.join(root, 'out');
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'audit', '--repos', list, '--out', out, '--cache', path.join(root, 'cache')], {
        cwd: root,
        env: { ...process.env, CI: 'true', PATH: `${shim}${path.delimiter}${process.env.PATH}`, GIT_CONFIG_GLOBAL: '/dev/null' },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    server.close();
    expect(r.status, r.stderr).toBe(1);
    const s = summaryOf(out);
    expect(s.repos.map((x) => x.status)).toEqual(['failed', 'failed', 'ok']);
    expect(s.repos[0]!.name).toBe(`http://127.0.0.1:${port}/org/private.git`);
    expect(s.repos[0]!.error).toMatch(/git fetch failed/);
    // git sent the credentials as a header...
    expect(seen.some((h) => h === `Basic ${Buffer.from('deploy:s3cr3t-t0ken').toString('base64')}`)).toBe(true);
    // ...but they are on no command line, in no report, no state file, no clone's config
    const everything = [fs.readFileSync(log, 'utf8'), r.stderr, ...walkText(out), ...walkText(path.join(root, 'cache'))].join('\n');
    expect(everything).not.toContain('s3cr3t');
    expect(everything).not.toContain(Buffer.from('deploy:s3cr3t-t0ken').toString('base64'));
  });

  it('an interrupted audit leaves no half-written file and resumes where it stopped', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-resume-'));
    const folders: string[] = [];
    for (let i = 0; i < 14; i++) {
      const dir = path.join(root, 'estate', `svc-${String(i).padStart(2, '0')}`);
      fs.cpSync(path.join(FIXTURES, 'java', 'enabled-protocols-outdated'), dir, { recursive: true });
      folders.push(dir);
    }
    const out = path.join(root, 'out');
    // a temporary file a killed run left behind is cleaned up
    fs.mkdirSync(path.join(out, 'sarif'), { recursive: true });
    fs.writeFileSync(path.join(out, 'sarif', '.svc-00.sarif.tlslint-tmp-999-0'), '{"half');
    const child = spawn(process.execPath, [CLI, 'audit', ...folders, '--out', out, '--jobs', '1'], { cwd: root, env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // stop it once some repositories are done
    const stateDir = path.join(out, '.state');
    for (let i = 0; i < 600; i++) {
      if (fs.existsSync(stateDir) && fs.readdirSync(stateDir).filter((f) => f.endsWith('.json')).length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    const status = await closed;
    const done = fs.readdirSync(stateDir).filter((f) => f.endsWith('.json')).length;
    if (done < folders.length) {
      expect(status, stderr).toBe(130);
      expect(stderr).toMatch(/stopped after \d+ of 14 repositories; run the same command again to resume/);
    }
    // every file there is whole: no temporary file, every SARIF and state file parses
    for (const file of walk(out)) {
      expect(path.basename(file)).not.toContain('tlslint-tmp');
      if (/\.(?:sarif|json)$/.test(file)) expect(() => JSON.parse(fs.readFileSync(file, 'utf8')), file).not.toThrow();
    }
    // the same command again: the repositories done before are not scanned again
    const again = runCli(['audit', ...folders, '--out', out, '--jobs', '1'], { cwd: root });
    expect(again.status, again.stderr).toBe(1);
    expect(again.stderr).toContain(`${done} unchanged repositor`);
    const s = summaryOf(out);
    expect(s.repos).toHaveLength(folders.length);
    expect(s.repos.filter((r) => r.reused)).toHaveLength(done);
    expect(s.repos.map((r) => r.name)).toEqual(folders.map((f) => path.basename(f)));
    // an edit in a folder makes it scanned again
    fs.appendFileSync(path.join(folders[0]!, 'Extra.java'), 'class Extra {}\n');
    const third = runCli(['audit', ...folders, '--out', out, '--jobs', '1'], { cwd: root });
    expect(third.stderr).toContain(`${folders.length - 1} unchanged repositories`);
    // --rescan scans everything
    expect(runCli(['audit', ...folders, '--out', out, '--rescan'], { cwd: root }).stderr).not.toContain('unchanged');
  }, 120_000);

  it('reads the commit of a checkout without running git', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-head-'));
    const repo = bareRepo(root, 'r', { 'a.go': 'package a\n' });
    expect(readHeadCommit(repo.work)).toBe(git(repo.work, 'rev-parse', 'HEAD'));
    git(repo.work, 'pack-refs', '--all');
    expect(readHeadCommit(repo.work)).toBe(git(repo.work, 'rev-parse', 'HEAD'));
    const wt = path.join(root, 'wt');
    git(repo.work, 'worktree', 'add', '-q', '-b', 'other', wt);
    expect(readHeadCommit(wt)).toBe(git(repo.work, 'rev-parse', 'HEAD'));
    expect(readHeadCommit(root)).toBeUndefined();
  });
});

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function walkText(dir: string): string[] {
  return walk(dir).map((f) => fs.readFileSync(f, 'latin1'));
}
