import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { ROOT, runCli, tempTree } from './helpers.js';

// The OASIS SARIF 2.1.0 schema (rtm.5, as shipped by Microsoft's sarif-js-sdk), pinned in the repo.
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schema', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
const validate = ajv.compile(schema);

/** Every SARIF log the tool writes in these tests goes through the schema. */
function sarifOf(args: string[], cwd = ROOT) {
  const r = runCli(['--format', 'sarif', ...args], { cwd });
  const log = JSON.parse(r.stdout);
  const ok = validate(log);
  expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
  return { log, status: r.status };
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema and is ready for GitHub code scanning', () => {
    const { log, status } = sarifOf(['fixtures', 'demo']);
    expect(status).toBe(1);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'tlslint', informationUri: expect.stringMatching(/^https:\/\//) });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeGreaterThan(20);
      expect(rule.help.text).toContain('How to fix it');
      expect(rule.help.markdown).toContain('**How to fix it.**');
      expect(rule.properties.tags).toContain('security');
      expect(rule.properties.tags.some((t: string) => /^external\/cwe\/cwe-\d+$/.test(t))).toBe(true);
      expect(['very-high', 'high', 'medium', 'low']).toContain(rule.properties.precision);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    expect(run.results.length).toBeGreaterThan(20);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|^file:/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(result.partialFingerprints['tlslintFindingHash/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    const withFix = run.results.filter((r: { fixes?: unknown[] }) => r.fixes);
    expect(withFix.length).toBeGreaterThan(5);
    expect(withFix[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBeTypeOf('string');
  });

  it('fingerprints survive unrelated edits above the finding', () => {
    const before = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';
    const dir = tempTree({ 'a.go': before });
    const fp1 = sarifOf(['.'], dir).log.runs[0].results[0].partialFingerprints;
    fs.writeFileSync(path.join(dir, 'a.go'), before.replace('package x\n', 'package x\n\n// Package x does things.\n// More words.\n'));
    const after = sarifOf(['.'], dir).log.runs[0].results[0];
    expect(after.locations[0].physicalLocation.region.startLine).toBe(8);
    expect(after.partialFingerprints).toEqual(fp1);
  });

  it('carries scan problems as toolExecutionNotifications', () => {
    const dir = tempTree({ 'bin.go': Buffer.from([0x70, 0, 0x01, 0x02]), 'ok.go': 'package ok\n' });
    const { log } = sarifOf(['.'], dir);
    expect(runCli(['--format', 'sarif', '.'], { cwd: dir }).stderr).toBe(''); // a warning: in the log, not on stderr
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', descriptor: { id: 'binary-file' } });
    expect(notes[0].locations[0].physicalLocation.artifactLocation.uri).toBe('bin.go');
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('the validator is live: it rejects a broken log', () => {
    const { log } = sarifOf(['demo']);
    delete log.version;
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('an empty scan is still a valid log with every rule (exit 2 when there was nothing to scan at all)', () => {
    const clean = sarifOf(['.'], tempTree({ 'x.txt': 'nothing', 'a.go': 'package a\n' }));
    expect(clean.status).toBe(0);
    expect(clean.log.runs[0].results).toEqual([]);
    expect(clean.log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
    const { log, status } = sarifOf(['.'], tempTree({ 'x.txt': 'nothing' }));
    expect(status).toBe(2);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
    expect(JSON.stringify(log.runs[0].invocations)).toContain('no files to scan');
  });
});
