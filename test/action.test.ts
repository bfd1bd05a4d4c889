/**
 * The composite GitHub Action (action.yml): well-formed, inputs as documented, expressions only
 * where GitHub evaluates them (never inside a shell script), and its scan step run for real with
 * bash as the runner would run it (inputs through the step's environment, outputs to GITHUB_OUTPUT).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Parser from 'tree-sitter';
import YAML from '@tree-sitter-grammars/tree-sitter-yaml';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers.js';

const source = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

interface Step {
  name: string;
  lines: string[];
  run?: string;
  env: Record<string, string>;
  uses?: string;
  if?: string;
}

/** The steps of `runs.steps` (this file's layout: steps at 4 spaces, their keys at 6, blocks at 8). */
function steps(): Step[] {
  const lines = source.split('\n');
  const start = lines.indexOf('  steps:');
  const out: Step[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^ {4}- name: (.*)$/.exec(line);
    if (m) out.push({ name: m[1]!, lines: [], env: {} });
    else if (out.length) out[out.length - 1]!.lines.push(line);
  }
  for (const step of out) {
    let block: 'run' | 'env' | undefined;
    const run: string[] = [];
    for (const line of step.lines) {
      const key = /^ {6}([\w-]+):(?: (.*))?$/.exec(line);
      if (key) {
        block = key[1] === 'run' ? 'run' : key[1] === 'env' ? 'env' : undefined;
        if (key[1] === 'uses') step.uses = key[2];
        if (key[1] === 'if') step.if = key[2];
        continue;
      }
      if (block === 'run') run.push(line.slice(8));
      if (block === 'env') {
        const e = /^ {8}(\w+): (.*)$/.exec(line);
        if (e) step.env[e[1]!] = e[2]!;
      }
    }
    if (run.length) step.run = run.join('\n').trimEnd() + '\n';
  }
  return out;
}

/** Inputs' defaults, read from the file. */
function defaults(): Record<string, string> {
  const out: Record<string, string> = {};
  let current = '';
  for (const line of source.split('\n')) {
    const name = /^ {2}([\w-]+):$/.exec(line);
    if (name) current = name[1]!;
    const d = /^ {4}default: (.*)$/.exec(line);
    if (d && current) out[current] = d[1]!.replace(/^'(.*)'$/, '$1');
  }
  return out;
}

describe('action.yml (composite GitHub Action)', () => {
  it('is well-formed YAML with the documented inputs, and uploads with upload-sarif', () => {
    const parser = new Parser();
    parser.setLanguage(YAML as unknown as Parser.Language);
    expect(parser.parse(source).rootNode.hasError).toBe(false);
    const inputs = defaults();
    for (const input of ['paths', 'min-tls', 'fail-on', 'baseline', 'config', 'args', 'sarif-file', 'upload', 'category', 'version']) expect(inputs, input).toHaveProperty(input);
    expect(source).toMatch(/^ {2}using: composite$/m);
    const all = steps();
    expect(all.map((s) => s.name)).toEqual(['Set up Node.js', 'Install tlslint', 'Scan', 'Upload to code scanning', 'Fail on findings']);
    expect(all.find((s) => s.name === 'Upload to code scanning')!.uses).toBe('github/codeql-action/upload-sarif@v3');
    expect(all.find((s) => s.name === 'Fail on findings')!.if).toBe("steps.scan.outputs.exit-code == '1' && inputs.fail-on != 'never'");
    // inputs reach scripts through the environment only: no ${{ }} inside a script (no injection)
    for (const s of all) if (s.run) expect(s.run, s.name).not.toContain('${{');
  });

  describe('the scan step, run by bash as the runner runs it', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-action-bin-'));
    fs.writeFileSync(path.join(bin, 'tlslint'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const scan = steps().find((s) => s.name === 'Scan')!;

    function runScan(inputs: Record<string, string>, cwd: string) {
      const values = { ...defaults(), ...inputs };
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CI: 'true' };
      for (const [k, v] of Object.entries(scan.env)) env[k] = v.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => values[name] ?? '');
      const output = path.join(cwd, 'github-output');
      fs.writeFileSync(output, '');
      env.GITHUB_OUTPUT = output;
      const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', scan.run!], { cwd, env, encoding: 'utf8' });
      const outputs = Object.fromEntries(fs.readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: outputs as Record<string, string> };
    }

    function workspace(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-action-'));
      fs.cpSync(path.join(ROOT, 'demo'), path.join(dir, 'demo'), { recursive: true });
      return dir;
    }

    it('writes the SARIF log, reports findings as outputs and lets the upload step run', () => {
      const dir = workspace();
      const r = runScan({ paths: 'demo' }, dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.outputs['exit-code']).toBe('1');
      expect(r.outputs['sarif-file']).toBe('tlslint.sarif');
      const log = JSON.parse(fs.readFileSync(path.join(dir, 'tlslint.sarif'), 'utf8'));
      expect(Number(r.outputs.findings)).toBe(log.runs[0].results.length);
      expect(log.runs[0].results.length).toBeGreaterThan(5);
      for (const res of log.runs[0].results) expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]+:\d+$/);
    });

    it('passes paths, options and a baseline through, split on white space and never globbed', () => {
      const dir = workspace();
      runScan({ paths: 'demo', 'sarif-file': 'before.sarif' }, dir);
      const again = runScan({ paths: 'demo/legacy-go-service\ndemo/legacy-python-worker', baseline: 'before.sarif' }, dir);
      expect(again.status, again.stderr).toBe(0);
      expect(again.outputs).toMatchObject({ 'exit-code': '0', findings: '0' });
      const go = runScan({ paths: 'demo', args: '--disable-rule go  --quiet', 'fail-on': 'never' }, dir);
      const log = JSON.parse(fs.readFileSync(path.join(dir, 'tlslint.sarif'), 'utf8'));
      expect(log.runs[0].results.every((x: { ruleId: string }) => !x.ruleId.startsWith('go/'))).toBe(true);
      expect(go.outputs['exit-code']).toBe('1');
      // a pattern is a path, not a glob; a missing path fails the step (exit 2)
      const glob = runScan({ paths: 'dem*' }, dir);
      expect(glob.status).toBe(2);
    });

    it('stops on a bad fail-on value and on a scan error', () => {
      const dir = workspace();
      expect(runScan({ 'fail-on': 'sometimes' }, dir).status).toBe(2);
      expect(runScan({ 'min-tls': '1.1' }, dir).status).toBe(2);
    });
  });
});
