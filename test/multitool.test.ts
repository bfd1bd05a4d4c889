import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const require = createRequire(import.meta.url);

/** Microsoft's SARIF validator (the .NET Sarif.Multitool shipped in an npm package). */
function multitool(): string {
  const dir = path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));
  const bin = path.join(dir, 'Sarif.Multitool');
  fs.chmodSync(bin, 0o755); // its postinstall does this; npm may not have run it
  return bin;
}

interface ValidationResult {
  ruleId: string;
  level: string;
  message: { id?: string; text?: string; arguments?: string[] };
}

/** Runs `validate --rule-kind "Gh;Sarif"` on a log and returns what it reports. */
function validate(log: unknown): ValidationResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-multitool-'));
  const input = path.join(dir, 'input.sarif');
  const output = path.join(dir, 'validation.sarif');
  fs.writeFileSync(input, JSON.stringify(log));
  const r = spawnSync(multitool(), ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, input], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  return JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results ?? [];
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')("Microsoft's SARIF validator with GitHub's ingestion rules", () => {
  it('reports no error and no warning on tlslint SARIF', () => {
    const r = runCli(['--format', 'sarif', 'fixtures', 'demo']);
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results.length).toBeGreaterThan(20);
    const problems = validate(log).filter((x) => x.level === 'error' || x.level === 'warning');
    expect(problems.map((p) => `${p.ruleId}: ${p.message.id} ${p.message.arguments?.join(' ')}`)).toEqual([]);
  }, 120_000);

  it('is live: a log without locations and message text fails GitHub rules', () => {
    const log = JSON.parse(runCli(['--format', 'sarif', 'demo']).stdout);
    delete log.runs[0].results[0].locations;
    log.runs[0].results[1].message = { id: 'nope' };
    const ids = new Set(validate(log).filter((x) => x.level === 'error').map((x) => x.ruleId));
    expect(ids.has('GH1015')).toBe(true);
  }, 120_000);
});
