import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/fix.js';
import { classify } from '../src/languages.js';
import { RULES } from '../rules/index.js';
import { analyzeFile, FIXTURES, readAnnotations, walk } from './helpers.js';

const FIXED = /\.fixed(\.[^./]+)?$|\.fixed\./;

const files = walk(FIXTURES).filter((f) => classify(f) && !FIXED.test(path.basename(f)));

describe('fixtures: findings equal the expect: annotations', () => {
  for (const file of files) {
    const rel = path.relative(FIXTURES, file);
    it(rel, () => {
      const { findings, kind } = analyzeFile(file);
      const annotations = readAnnotations(fs.readFileSync(file, 'utf8'), kind);
      const expected = annotations
        .filter((a) => a.kind === 'expect')
        .flatMap((a) => a.ruleIds.map((id) => `${a.line}: ${id}`))
        .sort();
      const actual = findings.map((f) => `${f.region.startLine}: ${f.ruleId}`).sort();
      expect(actual, findings.map((f) => `${f.region.startLine}:${f.region.startColumn} ${f.ruleId} ${f.message}`).join('\n')).toEqual(expected);
      for (const ok of annotations.filter((a) => a.kind === 'ok')) {
        for (const id of ok.ruleIds) {
          expect(findings.filter((f) => f.ruleId === id && f.region.startLine === ok.line), `${rel}:${ok.line} ok: ${id}`).toEqual([]);
        }
      }
    });
  }
});

describe('fixtures: --fix output equals the *.fixed.* file', () => {
  for (const file of files) {
    const ext = path.extname(file);
    const fixed = ext ? file.slice(0, -ext.length) + '.fixed' + ext : file + '.fixed';
    if (!fs.existsSync(fixed)) continue;
    it(path.relative(FIXTURES, file), () => {
      const { findings } = analyzeFile(file);
      const result = applyFixes(fs.readFileSync(file, 'utf8'), findings);
      expect(result.text).toBe(fs.readFileSync(fixed, 'utf8'));
    });
  }
});

describe('every rule has fixtures', () => {
  const all = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  for (const rule of RULES) {
    it(rule.id, () => {
      expect(all.includes(`expect: ${rule.id}`), `${rule.id} has an expect: case`).toBe(true);
      expect(all.includes(`ok: ${rule.id}`), `${rule.id} has an ok: case`).toBe(true);
    });
  }
});

describe('every fixable rule has a fix fixture', () => {
  for (const rule of RULES.filter((r) => r.fixable)) {
    it(rule.id, () => {
      const fixedFiles = walk(FIXTURES).filter((f) => FIXED.test(path.basename(f)));
      const has = fixedFiles.some((f) => {
        const original = f.replace('.fixed', '');
        return fs.existsSync(original) && analyzeFile(original).findings.some((x) => x.ruleId === rule.id && x.fix);
      });
      expect(has).toBe(true);
    });
  }
});
