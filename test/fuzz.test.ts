/**
 * The standing fuzz harness (scripts/fuzz.mjs, `npm run fuzz`) in its short form: 300 mutants of
 * the fixtures with a fixed seed, scanned by the real command line with the default budgets. No
 * process may die, no file may hang past the budget or hit an internal error, and the unmutated
 * control files in the batch keep every finding. A mutant is a function of the seed and its index.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const FUZZ = path.join(ROOT, 'scripts', 'fuzz.mjs');

function fuzz(args: string[]) {
  const r = spawnSync(process.execPath, [FUZZ, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('fuzz harness', () => {
  it('300 mutants of seed 1: no process death, hang, memory blow-up, internal error or lost control finding', () => {
    const r = fuzz(['--count', '300', '--seed', '1', '--batch', '300', '--json']);
    const summary = JSON.parse(r.stdout) as { mutants: number; deaths: number; hangs: number; memory: number; internal: number; lostControlFindings: number; findings: number; problems: unknown[] };
    expect(summary.problems).toEqual([]);
    expect(r.status).toBe(0);
    expect(summary).toMatchObject({ mutants: 300, deaths: 0, hangs: 0, memory: 0, internal: 0, lostControlFindings: 0 });
    // the mutants still hold findings: the scan really read them
    expect(summary.findings).toBeGreaterThan(300);
  }, 120_000);

  it('a mutant is replayed byte for byte from its seed and index', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-replay-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-replay-'));
    const first = fuzz(['--seed', '9', '--only', '42', '--out', a]);
    fuzz(['--seed', '9', '--only', '42', '--out', b]);
    expect(first.stderr).toMatch(/mutant 42 of seed 9: .+: .+; written to /);
    const files = (dir: string) => fs.readdirSync(path.join(dir, 'm42'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    const [fa] = files(a);
    const [fb] = files(b);
    expect(fs.readFileSync(fa!).equals(fs.readFileSync(fb!))).toBe(true);
    expect(path.relative(a, fa!)).toBe(path.relative(b, fb!));
  }, 60_000);
});
