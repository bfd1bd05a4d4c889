/**
 * Installs like its peers: `npm pack` makes a package with the compiled JavaScript (no build step
 * on the user's machine) and only the runtime dependencies it needs; installed from the tarball
 * into a fresh project, `npx tlslint` runs. The install uses npm's cache, offline when the cache
 * holds everything; otherwise npm may fetch the missing package metadata (--prefer-offline). The
 * Dockerfile is checked as far as can be without docker.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { ROOT, runCli } from './helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; files: string[]; bin: Record<string, string> };

function npm(args: string[], cwd: string, timeout = 600_000) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every bare module name the compiled code imports (node: built-ins left out). */
function importedPackages(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.js')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*|loadCached\(\s*|\)\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
          const spec = m[1]!;
          if (spec.startsWith('node:') || ['fs', 'path', 'os', 'tls', 'x', 'crypto', 'url', 'child_process', 'worker_threads', 'module', 'util'].includes(spec)) continue;
          out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
    }
  };
  walk(path.join(ROOT, 'dist', 'src'));
  walk(path.join(ROOT, 'dist', 'rules'));
  return out;
}

describe('the npm package', () => {
  it('declares exactly the runtime dependencies the compiled code imports', () => {
    expect([...importedPackages()].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('packs the compiled JavaScript, installs from the tarball and runs with npx tlslint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-pack-'));
    // dist/ was compiled by `npm test`; --ignore-scripts keeps pack from compiling it again
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const info = JSON.parse(packed.stdout)[0] as { filename: string; files: Array<{ path: string }> };
    const files = info.files.map((f) => f.path);
    for (const needed of ['bin/tlslint.js', 'dist/bundle/tlslint.cjs', 'dist/bundle/worker.cjs', 'dist/bundle/pool-start.cjs', 'dist/bundle/code-cache.cjs', 'dist/src/engine.js', 'dist/rules/index.js', 'package.json', 'README.md', 'docs/rules.md', 'action.yml']) expect(files).toContain(needed);
    // compiled code only: no TypeScript, source maps, tests or fixtures
    expect(files.filter((f) => /\.ts$|\.map$|^test\/|^fixtures\/|^src\/|^rules\//.test(f))).toEqual([]);
    expect(fs.statSync(path.join(dir, info.filename)).size).toBeLessThan(1_000_000);

    // a fresh project installs the tarball: with npm's cache only, or (when the cache lacks some
    // package metadata) fetching just that
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    let install = npm(['install', '--offline', '--no-audit', '--no-fund', path.join(dir, info.filename)], project);
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) {
      console.log('npm cache lacks some package metadata: installing with --prefer-offline');
      install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, info.filename)], project);
    }
    expect(install.status, install.stderr).toBe(0);
    // no build step ran on this machine: the package holds no TypeScript to compile, and no development tool came along
    const installed = path.join(project, 'node_modules', 'tlslint');
    expect(fs.existsSync(path.join(installed, 'tsconfig.json'))).toBe(false);
    for (const dev of Object.keys(pkg.devDependencies)) expect(fs.existsSync(path.join(project, 'node_modules', dev)), dev).toBe(false);

    const npx = (args: string[]) => spawnSync('npx', ['--no-install', 'tlslint', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    expect(npx(['--version']).stdout.trim()).toBe(VERSION);
    const demo = path.join(ROOT, 'demo');
    const fromPackage = npx(['--format', 'json', demo]);
    expect(fromPackage.status, fromPackage.stderr).toBe(1);
    const fromRepo = runCli(['--format', 'json', demo]);
    const ids = (out: string) => (JSON.parse(out).findings as Array<{ ruleId: string; startLine: number }>).map((f) => `${f.ruleId}:${f.startLine}`).sort();
    expect(ids(fromPackage.stdout)).toEqual(ids(fromRepo.stdout));
    // JavaScript/TypeScript: the compiler is a runtime dependency, loaded from the package's own install
    const jsFixtures = path.join(ROOT, 'fixtures', 'javascript', 'tls-version-outdated');
    const jsFromPackage = npx(['--format', 'json', jsFixtures]);
    expect(jsFromPackage.status, jsFromPackage.stderr).toBe(1);
    expect(ids(jsFromPackage.stdout)).toEqual(ids(runCli(['--format', 'json', jsFixtures]).stdout));
    expect(ids(jsFromPackage.stdout).length).toBeGreaterThan(3);
    // the worker pool loads from the package too (more files than the pool threshold)
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-many-'));
    for (let i = 0; i < 450; i++) fs.writeFileSync(path.join(many, `f${i}.go`), i === 7 ? 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n' : `package x\n\nvar V${i} = ${i}\n`);
    const pooled = npx(['--format', 'json', '--jobs', '2', many]);
    expect(JSON.parse(pooled.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['go/tls-min-version-too-low']);
  }, 900_000);
});

describe('Dockerfile (checked without docker, which this machine cannot run)', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.trim().split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });

  it('builds from the repository\'s own files, on pinned Debian releases, and runs unprivileged', () => {
    const froms = instructions.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]!);
    expect(froms.length).toBe(2);
    // both stages on the same Debian release (the grammars compiled in the first link against its C++ library)
    for (const f of froms) expect(f).toMatch(/^node:\d+-bookworm(?:-slim)?$/);
    const engines = Number(/\d+/.exec((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node)![0]);
    expect(Number(/^node:(\d+)/.exec(froms[1]!)![1])).toBeGreaterThanOrEqual(engines);
    // every COPY from the build context names a file or folder that exists and that .dockerignore lets through
    const ignore = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const copy of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const s of sources) {
        expect(fs.existsSync(path.join(ROOT, s)), s).toBe(true);
        expect(ignore, s).toContain(s.replace(/\/$/, ''));
      }
    }
    // the build stage installs the packed tarball globally: the same npm pack + install the package test runs
    const run = instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    expect(run).toMatch(/npm ci .*--ignore-scripts/);
    expect(run).toMatch(/npm pack .*--pack-destination \/tmp/);
    expect(run).toMatch(/npm install --global .*\/tmp\//);
    // runtime: git for audits of URLs, a non-root user, tlslint as the entry point, /src as the folder
    expect(run).toMatch(/apt-get install .*git/);
    const last = (op: string) => instructions.filter((i) => i.op === op).pop()?.args;
    expect(last('USER')).toBe('node');
    expect(last('WORKDIR')).toBe('/src');
    expect(JSON.parse(last('ENTRYPOINT')!)).toEqual(['tlslint']);
    expect(JSON.parse(last('CMD')!)).toEqual(['.']);
    expect(pkg.bin.tlslint).toBe('bin/tlslint.js');
    expect(run).toContain('ln -s ../lib/node_modules/tlslint/bin/tlslint.js /usr/local/bin/tlslint');
  });

  it('passes tlslint itself (no insecure download or TLS switch in its steps)', () => {
    const r = runCli(['--format', 'json', 'Dockerfile']);
    expect(r.status, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });
});
