import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, discoverInSlices, WalkSoFar } from '../src/discover.js';
import { ROOT, runCli, tempTree } from './helpers.js';

describe('engine', () => {
  it('a worker pool finds exactly what a single thread finds', () => {
    const files: Record<string, string> = { 'go.mod': 'module m\n\ngo 1.17\n' };
    for (let i = 0; i < 600; i++) {
      files[`pkg${i % 7}/f${i}.go`] =
        i % 5 === 0
          ? `package p\n\nimport "crypto/tls"\n\nvar C${i} = &tls.Config{MinVersion: tls.VersionTLS1${i % 2}}\n`
          : `package p\n\n// nothing to see in file ${i}\nfunc F${i}() int { return ${i} }\n`;
    }
    const dir = tempTree(files);
    const pooled = runCli(['--format', 'json', '--jobs', '2', '.'], { cwd: dir });
    const single = runCli(['--format', 'json', '--jobs', '1', '.'], { cwd: dir });
    const a = JSON.parse(pooled.stdout);
    const b = JSON.parse(single.stdout);
    expect(a.findings).toHaveLength(120);
    expect(a.findings).toEqual(b.findings);
    expect(a.stats.files).toBe(601);
    expect(a.stats.parsed).toBe(121);
  });

  it('a rule the registry does not know never vanishes from a pooled scan: it runs in the main thread, with an internal error', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 450; i++) files[`f${i}.go`] = `package p\n\n// needle ${i}\n`;
    const dir = tempTree(files);
    const script = `
      const { scan } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/engine.js'))});
      const { defineRule } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/rule.js'))});
      const stray = defineRule({
        id: 'go/needle', fileKind: 'go', severity: 'note', kind: 'protocol', title: 't', description: 'd', help: 'h', cwe: [], precision: 'high',
        triggers: ['needle'], check(ctx) { ctx.report({ start: ctx.file.text.indexOf('needle'), end: ctx.file.text.indexOf('needle') + 6, message: 'needle' }); },
      });
      const result = await scan({ paths: ['.'], cwd: ${JSON.stringify(dir)}, rules: [stray], settings: { minTlsVersion: '1.2' }, jobs: 2 });
      console.log(JSON.stringify({ findings: result.findings.length, diagnostics: result.diagnostics.map((d) => d.code + ': ' + d.message) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.findings).toBe(450);
    expect(out.diagnostics).toEqual([expect.stringMatching(/^internal-error: rule go\/needle is not in the registry .*registry\.js/)]);
  });

  it('loads only the grammars of the files that passed the prefilter', () => {
    const script = `
      const { scan } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/engine.js'))});
      const { RULES } = await import(${JSON.stringify(path.join(ROOT, 'dist/rules/index.js'))});
      const { loadedGrammars } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/parsers.js'))});
      // no time budget: this small scan runs in this thread, where the loaded modules can be seen
      await scan({ paths: ['demo/legacy-go-service'], cwd: ${JSON.stringify(ROOT)}, rules: [...RULES], settings: { minTlsVersion: '1.2' }, jobs: 1, fileTimeout: 0 });
      const req = (await import('node:module')).createRequire(import.meta.url);
      const loaded = Object.keys(req.cache).filter((k) => /tree-sitter-|typescript/.test(k)).map((k) => k.replace(/.*node_modules\\//, '').split('/').slice(0, k.includes('@') ? 2 : 1).join('/'));
      console.log(JSON.stringify({ grammars: loadedGrammars(), modules: [...new Set(loaded)] }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.grammars).toEqual(['go']);
    expect(out.modules).toEqual(['tree-sitter-go']);
  });

  it("a file is not parsed for a rule whose project facts rule it out (a go.mod whose Go version has safe defaults)", () => {
    const client = 'package p\n\nimport "crypto/tls"\n\nvar C = &tls.Config{}\n';
    const dir = tempTree({ 'old/go.mod': 'module o\n\ngo 1.17\n', 'old/client.go': client, 'new/go.mod': 'module n\n\ngo 1.22\n', 'new/client.go': client });
    const scan = (file: string) => JSON.parse(runCli(['--format', 'json', file], { cwd: dir }).stdout) as { findings: Array<{ ruleId: string }>; stats: { parsed: number } };
    const old = scan('old/client.go');
    expect(old.findings.map((f) => f.ruleId)).toEqual(['go/tls-min-version-missing']);
    expect(old.stats.parsed).toBe(1);
    const fresh = scan('new/client.go');
    expect(fresh.findings).toEqual([]);
    expect(fresh.stats.parsed).toBe(0);
  });

  it('inline suppressions silence a finding, keep it in SARIF on request, and report unused ones', () => {
    const dir = tempTree({
      'a.go': [
        'package a',
        '',
        'import "crypto/tls"',
        '',
        '// tlslint-disable-next-line go/tls-min-version-too-low -- the 2009 kiosk fleet, retired in Q3',
        'var A = &tls.Config{MinVersion: tls.VersionTLS10}',
        'var B = &tls.Config{MinVersion: tls.VersionTLS10} // tlslint-disable-line',
        '// tlslint-disable-next-line go/tls-insecure-skip-verify',
        'var C = &tls.Config{MinVersion: tls.VersionTLS12}',
        'var D = "tlslint-disable-line" + "not a comment"; var E = &tls.Config{MinVersion: tls.VersionTLS11}',
        '',
      ].join('\n'),
    });
    const plain = JSON.parse(runCli(['--format', 'json', '.'], { cwd: dir }).stdout);
    expect(plain.findings.map((f: { startLine: number }) => f.startLine)).toEqual([10]);
    expect(plain.diagnostics).toEqual([expect.objectContaining({ code: 'unused-suppression', line: 8 })]);
    const sarif = JSON.parse(runCli(['--format', 'sarif', '--include-suppressed', '.'], { cwd: dir }).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown }) => r.suppressions);
    expect(suppressed.map((r: { suppressions: unknown }) => r.suppressions)).toEqual([
      [{ kind: 'inSource', justification: 'the 2009 kiosk fleet, retired in Q3' }],
      [{ kind: 'inSource', justification: 'suppressed in source' }],
    ]);
  });

  it('a walk in slices lets the event loop turn between folders and finds exactly what one walk finds', async () => {
    const files: Record<string, string> = { '.gitignore': 'gen/\n*.tmp.go\n', 'gen/x.go': 'package g\n', 'node_modules/m/i.js': '' };
    for (let i = 0; i < 40; i++) files[`d${i}/sub/f${i}.go`] = 'package p\n';
    files['d3/a.tmp.go'] = 'package p\n';
    files['d4/.gitignore'] = 'sub/\n';
    const dir = tempTree(files);
    let turns = 0;
    let walking = true;
    const count = () => {
      turns++;
      if (walking) setImmediate(count);
    };
    setImmediate(count);
    const sliced = await discoverInSlices([dir], { cwd: dir }, 0);
    walking = false;
    const whole = discover([dir], { cwd: dir });
    expect(sliced.files.map((f) => f.path)).toEqual(whole.files.map((f) => f.path));
    expect(sliced.files.map((f) => path.relative(dir, f.path))).not.toContain('d4/sub/f4.go');
    expect(sliced.files).toHaveLength(39);
    expect(sliced.tree.filesBelow(dir, /./)).toEqual(whole.tree.filesBelow(dir, /./));
    expect(sliced.diagnostics).toEqual(whole.diagnostics);
    // one folder per slice: other work ran between them, once per folder or so
    expect(turns).toBeGreaterThan(40);
  });

  it('during a walk, a folder the walk has left has its final files, and only such folders count as walked', async () => {
    const files: Record<string, string> = { '.gitignore': 'gen/\n', 'gen/x.cs': '', 'top.cs': '' };
    for (const d of ['a', 'a/b', 'a/b/c', 'a/bb', 'a-x', 'a.y', 'z', 'z/deep/er/est']) for (const f of ['One.cs', 'two.txt', 'Three.csproj']) files[`${d}/${f}`] = '';
    files['a/b/.gitignore'] = 'two.txt\n';
    const dir = tempTree(files);
    const folders = ['', 'a', 'a/b', 'a/b/c', 'a/bb', 'a-x', 'a.y', 'z', 'z/deep', 'z/deep/er', 'z/deep/er/est', 'gen'].map((d) => path.join(dir, d).replace(/[\\/]$/, ''));
    const soFar = new WalkSoFar();
    const seen: Array<Map<string, string[]>> = [];
    const found = await discoverInSlices([dir], { cwd: dir }, 0, {
      soFar,
      onSlice: () => seen.push(new Map(folders.filter((f) => soFar.done(f)).map((f) => [f, soFar.filesBelow(f, /\.cs$/)]))),
    });
    // each folder is done once the walk has left it, and stays done, with the files of the whole walk
    const tail = (x: string) => x === dir || x.endsWith('gen') || path.relative(dir, x).startsWith('z');
    for (const f of folders.filter((x) => !tail(x))) {
      const first = seen.findIndex((m) => m.has(f));
      expect(first, f).toBeGreaterThanOrEqual(0);
      expect(first, f).toBeLessThan(seen.length - 1);
      for (const m of seen.slice(first)) expect(m.get(f), f).toEqual(found.tree.filesBelow(f, /\.cs$/));
    }
    // an ignored folder is never walked; the root and the last folder (z/deep/er/est) and its
    // parents are left only when the walk ends
    expect(seen.flatMap((m) => [...m.keys()].filter(tail))).toEqual([]);
    expect(soFar.filesBelow(path.join(dir, 'a'), /^T/)).toEqual(['a/Three.csproj', 'a/b/Three.csproj', 'a/b/c/Three.csproj', 'a/bb/Three.csproj'].map((f) => path.join(dir, f)));
  });

  it.skipIf(spawnSync('git', ['--version']).status !== 0)('the walk ignores exactly what git ignores (negations, anchors, nested .gitignore files, folders)', () => {
    const files: Record<string, string> = {
      '.gitignore': '*.log.go\nbuild/\n/top-only.go\n**/gen/**\n!gen/keep.go\ndocs/**/*.go\n!docs/keep/\n',
      'sub/.gitignore': '!a.log.go\nlocal.go\nnested/\n',
      'sub/deeper/.gitignore': '!local.go\n',
    };
    for (const f of ['a.go', 'x.log.go', 'top-only.go', 'build/c.go', 'gen/one.go', 'gen/keep.go', 'lib/gen/two.go', 'docs/z.go', 'docs/x/y.go', 'docs/keep/k.go', 'docs/x/readme.md',
      'sub/a.log.go', 'sub/b.log.go', 'sub/local.go', 'sub/top-only.go', 'sub/build/d.go', 'sub/nested/e.go', 'sub/deeper/local.go', 'sub/deeper/nested/f.go', 'lib/build.go']) {
      files[f] = 'package p\n';
    }
    const dir = tempTree(files);
    expect(spawnSync('git', ['init', '-q'], { cwd: dir }).status).toBe(0);
    const git = spawnSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: dir, encoding: 'utf8' }).stdout.split('\0').filter(Boolean).sort();
    const walked = discover([dir], { cwd: dir }).tree.filesBelow(dir, /./).map((f) => path.relative(dir, f).split(path.sep).join('/')).sort();
    expect(walked).toEqual(git);
    expect(walked).toContain('sub/a.log.go');
    expect(walked).not.toContain('sub/local.go');
  });

  it('a scan whose workers begin during the walk reports exactly what a scan after a whole walk reports', () => {
    const files: Record<string, string> = { '.gitignore': 'generated/\n', 'go.mod': 'module m\n\ngo 1.17\n' };
    // folders whose names sort otherwise than a walk may meet them, files in several depths
    const names = ['zeta', 'Alpha', 'm/n/o', '_under', 'b-dash', 'b.dot', 'b', 'deep/a/b/c/d'];
    const folders = Array.from({ length: 120 }, (_, k) => `${names[k % names.length]}/${k % 3 ? 'x' : 'X'}${k}`);
    for (let i = 0; i < 1200; i++) {
      const dir = folders[i % folders.length];
      files[`${dir}/f${i}.go`] =
        i % 37 === 0 ? `package p\n\nimport "crypto/tls"\n\nvar C${i} = &tls.Config{MinVersion: tls.VersionTLS10}\n` : `package p\n\nfunc F${i}() int { return ${i} }\n`;
    }
    files['generated/bad.go'] = 'package g\n\nimport "crypto/tls"\n\nvar C = &tls.Config{MinVersion: tls.VersionTLS10}\n';
    // a project question about files below a folder: answered from the whole walk (the code that
    // enables TLS 1.2 lies in a subfolder the walk may reach after the project file is scanned)
    files['app/App.csproj'] = '<Project><PropertyGroup><TargetFrameworkVersion>v4.5</TargetFrameworkVersion></PropertyGroup></Project>\n';
    files['app/zz/deep/Startup.cs'] = 'class S { void M() { System.Net.ServicePointManager.SecurityProtocol = System.Net.SecurityProtocolType.Tls12; } }\n';
    files['old/Old.csproj'] = '<Project><PropertyGroup><TargetFrameworkVersion>v4.0</TargetFrameworkVersion></PropertyGroup></Project>\n';
    files['old/src/Program.cs'] = 'class P { }\n';
    const dir = tempTree(files);
    const script = `
      const { scan } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/engine.js'))});
      const { RULES } = await import(${JSON.stringify(path.join(ROOT, 'dist/rules/index.js'))});
      const run = (more) => scan({ paths: ['.'], cwd: ${JSON.stringify(dir)}, rules: [...RULES], settings: { minTlsVersion: '1.2' }, ...more });
      // a folder per slice of the walk: the workers surely begin before it ends
      const live = await run({ jobs: 2, walkSliceMs: 0 });
      const whole = await run({ jobs: 1, fileTimeout: 0 });
      const shown = (r) => ({ overlapped: !!r.walkOverlapped, files: r.stats.files, parsed: r.stats.parsed, findings: r.findings.map((f) => [f.path, f.ruleId, f.region.startLine, f.fingerprint, f.lineHash]), diagnostics: r.diagnostics });
      console.log(JSON.stringify({ live: shown(live), whole: shown(whole) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { live, whole } = JSON.parse(r.stdout);
    expect(live.overlapped).toBe(true);
    expect(whole.overlapped).toBe(false);
    expect({ ...live, overlapped: undefined }).toEqual({ ...whole, overlapped: undefined });
    const rel = (p: string) => path.relative(dir, p).split(path.sep).join('/');
    const found = live.findings.map((f: [string, string]) => `${rel(f[0])} ${f[1]}`);
    expect(found).toContain('old/Old.csproj dotnet/framework-outdated');
    expect(found).not.toContain('app/App.csproj dotnet/framework-outdated');
    expect(found.filter((f: string) => f.endsWith('go/tls-min-version-too-low'))).toHaveLength(33);
    expect(found.join('\n')).not.toContain('generated/');
    // reported in path order, as after a whole walk
    expect(live.findings.map((f: [string]) => f[0])).toEqual(live.findings.map((f: [string]) => f[0]).sort());
  });

  it('a small scan after a large one spreads over the workers it left ready (as an audit does), and finds the same', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 450; i++) files[`big/f${i}.go`] = 'package p\n';
    for (let i = 0; i < 40; i++) files[`small/f${i}.go`] = i === 3 ? 'package p\n\nimport "crypto/tls"\n\nvar C = &tls.Config{MinVersion: tls.VersionTLS10}\n' : 'package p\n';
    const dir = tempTree(files);
    const script = `
      const { scan } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/engine.js'))});
      const { RULES } = await import(${JSON.stringify(path.join(ROOT, 'dist/rules/index.js'))});
      const run = (p) => scan({ paths: [p], cwd: ${JSON.stringify(dir)}, rules: [...RULES], settings: { minTlsVersion: '1.2' }, jobs: 2, timing: true });
      const alone = await run('small');
      const big = await run('big');
      const after = await run('small');
      console.log(JSON.stringify({ alone: alone.threads, big: big.threads, after: after.threads, findings: [alone, after].map((r) => r.findings.map((f) => f.ruleId + ':' + f.region.startLine)) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({ alone: 1, big: 2, after: 2, findings: [['go/tls-min-version-too-low:5'], ['go/tls-min-version-too-low:5']] });
  });
});
