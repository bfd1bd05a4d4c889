import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ContextCache } from '../src/context.js';
import { discover, FileTree, WalkSoFar } from '../src/discover.js';
import { ROOT, runCli, tempTree } from './helpers.js';

const CSPROJ = '<Project ToolsVersion="12.0">\n  <PropertyGroup>\n    <TargetFrameworkVersion>v4.5</TargetFrameworkVersion>\n  </PropertyGroup>\n</Project>\n';
const STARTUP = 'using System.Net;\n\nstatic class Startup {\n  static void Main() { ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12; }\n}\n';

function frameworkFindings(dir: string, args: string[] = []): number {
  const r = runCli(['--format', 'json', '--rule', 'dotnet/framework-outdated', ...args, '.'], { cwd: dir });
  return JSON.parse(r.stdout).findings.length;
}

describe('project context', () => {
  it('"does any code of this project enable TLS 1.2?" looks at the files the scan reads: .gitignore and --exclude count', () => {
    const dir = tempTree({ 'App/App.csproj': CSPROJ, 'App/Legacy/Startup.cs': STARTUP });
    fs.mkdirSync(path.join(dir, '.git'));
    expect(frameworkFindings(dir)).toBe(0);
    expect(frameworkFindings(dir, ['--exclude', 'Legacy/'])).toBe(1);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'Legacy/\n');
    expect(frameworkFindings(dir)).toBe(1);
    expect(frameworkFindings(dir, ['--no-gitignore'])).toBe(0);
    // a file named on the command line (pre-commit): its project is discovered with the same rules
    const r = runCli(['--format', 'json', '--rule', 'dotnet/framework-outdated', 'App/App.csproj'], { cwd: dir });
    expect(JSON.parse(r.stdout).findings).toHaveLength(1);
    fs.rmSync(path.join(dir, '.gitignore'));
    const s = runCli(['--format', 'json', '--rule', 'dotnet/framework-outdated', 'App/App.csproj'], { cwd: dir });
    expect(JSON.parse(s.stdout).findings).toHaveLength(0);
  });

  it('a pooled scan reads each project fact once, in the main thread, and its workers ask for it', () => {
    const files: Record<string, string> = { 'go.mod': 'module m\n\ngo 1.17\n', 'sub/go.mod': 'module s\n\ngo 1.21\n' };
    for (let i = 0; i < 500; i++) files[`${i % 2 ? 'sub/' : ''}pkg${i % 5}/f${i}.go`] = `package p\n\n// needle ${i}\n`;
    const dir = tempTree(files);
    fs.mkdirSync(path.join(dir, '.git'));
    const log = path.join(dir, 'reads.log');
    // a registry of one rule that asks for a fact whose reads are logged with the reading thread
    const registry = path.join(dir, 'registry.mjs');
    fs.writeFileSync(
      registry,
      `
      import fs from 'node:fs';
      import { threadId } from 'node:worker_threads';
      import { defineRule } from ${JSON.stringify(path.join(ROOT, 'dist/src/rule.js'))};
      const goLine = {
        id: 'test#go-line',
        fileNames: ['go.mod'],
        parse(text, file) {
          const version = /^go (\\S+)/m.exec(text)?.[1];
          fs.appendFileSync(${JSON.stringify(log)}, threadId + ' ' + file.name + ' ' + version + '\\n');
          return version;
        },
      };
      export const FACTS = [goLine];
      export const RULES = [defineRule({
        id: 'go/needle', fileKind: 'go', severity: 'note', kind: 'protocol', title: 't', description: 'd', help: 'h', cwe: [], precision: 'high',
        triggers: ['needle'],
        check(ctx) { ctx.report({ start: 0, end: 7, message: 'go ' + ctx.project.nearest(goLine)?.value }); },
      })];
    `,
    );
    const script = `
      const { scan } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/engine.js'))});
      const { RULES } = await import(${JSON.stringify(registry)});
      const result = await scan({ paths: ['.'], cwd: ${JSON.stringify(dir)}, rules: [...RULES], registry: ${JSON.stringify(registry)}, settings: { minTlsVersion: '1.2' }, jobs: 2 });
      const messages = {};
      for (const f of result.findings) messages[f.message] = (messages[f.message] ?? 0) + 1;
      console.log(JSON.stringify({ messages, diagnostics: result.diagnostics }));
    `;
    // a script file, not -e: workers inherit the process's flags
    fs.writeFileSync(path.join(dir, 'run.mjs'), script);
    const r = spawnSync(process.execPath, [path.join(dir, 'run.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toEqual([]);
    expect(out.messages).toEqual({ 'go 1.17': 250, 'go 1.21': 250 });
    const reads = fs.readFileSync(log, 'utf8').trim().split('\n').sort();
    // each of the two go.mod files (go 1.17 at the root, go 1.21 in sub/) read once, by the main thread
    expect(reads).toEqual(['0 go.mod 1.17', '0 go.mod 1.21']);
  });

  it('with "tests": false, test code is left out before it is read', () => {
    const finding = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';
    const dir = tempTree({ 'a.go': finding, 'a_test.go': finding, 'testdata/b.go': finding, 'tlslint.json': '{ "tests": false }' });
    const out = JSON.parse(runCli(['--format', 'json', '.'], { cwd: dir }).stdout);
    expect(out.findings.map((f: { path: string }) => f.path)).toEqual(['a.go']);
    expect(out.stats).toMatchObject({ files: 2, parsed: 1 }); // a.go and tlslint.json
    const all = JSON.parse(runCli(['--format', 'json', '--no-config', '.'], { cwd: dir }).stdout);
    expect(all.stats).toMatchObject({ files: 4, parsed: 3 });
  });
});

describe('project questions during the walk', () => {
  it('a search below a folder is answered once the walk has left that folder, not at its end', async () => {
    const dir = tempTree({ 'App/App.csproj': CSPROJ, 'App/Legacy/Startup.cs': STARTUP, 'Other/Other.csproj': CSPROJ, 'Other/x.cs': 'class X { }\n' });
    const soFar = new WalkSoFar();
    const contexts = new ContextCache({ walking: soFar });
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    contexts.serve(port1, signal);
    const ask = (folder: string) => port2.postMessage({ method: 'anyFileBelow', dir: path.join(dir, folder), names: ['\\.cs$', ''], pattern: ['Tls12', ''] });
    const answered = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const got = receiveMessageOnPort(port2);
      return got ? (got.message as { value: boolean }).value : 'none';
    };
    const walkInto = (folder: string, ...names: string[]) => {
      soFar.enter(path.join(dir, folder));
      for (const n of names) soFar.file(path.join(dir, folder, n));
      contexts.walkedMore();
    };
    walkInto('');
    walkInto('App', 'App.csproj');
    ask('App');
    expect(await answered()).toBe('none'); // App/Legacy not walked yet
    walkInto('App/Legacy', 'Startup.cs');
    expect(await answered()).toBe('none'); // still in App
    walkInto('Other', 'Other.csproj', 'x.cs');
    expect(await answered()).toBe(true); // left App: answered, the walk goes on
    expect(signal[0]).toBe(1);
    ask('Other');
    expect(await answered()).toBe('none');
    contexts.walked(discover([dir], { cwd: dir }).tree);
    expect(await answered()).toBe(false);
    port1.close();
  });

  it.skipIf(path.sep !== '/')('the file system root as a walked folder: its subfolders are done only once left, and its files are below it', () => {
    const soFar = new WalkSoFar();
    soFar.enter('/');
    soFar.file('/top.cs');
    soFar.enter('/x');
    soFar.file('/x/b.cs');
    expect([soFar.done('/'), soFar.done('/x')]).toEqual([false, false]);
    soFar.enter('/y');
    expect([soFar.done('/'), soFar.done('/x'), soFar.done('/y')]).toEqual([false, true, false]);
    expect(soFar.filesBelow('/x', /\.cs$/)).toEqual(['/x/b.cs']);
    // and so does the tree of a whole walk
    const tree = new FileTree();
    tree.add('/', ['/x/b.cs', '/top.cs', '/y/c.txt']);
    expect([tree.covers('/x'), tree.filesBelow('/', /\.cs$/), tree.filesBelow('/x', /./)]).toEqual([true, ['/top.cs', '/x/b.cs'], ['/x/b.cs']]);
  });
});
