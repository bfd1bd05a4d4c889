/**
 * The fixtures pin what users see. Every fixture file is run with its own rules (the rule its
 * folder names, or the rules its annotations name) and once with all rules; findings must equal
 * the `expect:` annotations and no `ok:` line may carry a finding of its rule. Per rule, a snapshot
 * (`fixtures/<pack>/<rule>.snap`) pins every finding's message, range and fix: a change is
 * reviewed, then accepted with `npx vitest -u`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/fix.js';
import { classify, type FileKind } from '../src/languages.js';
import { RULES } from '../src/registry.js';
import type { Rule } from '../src/rule.js';
import type { Finding } from '../src/types.js';
import { analyzeFile, FIXTURES, readAnnotations, walk, type Annotation } from './helpers.js';

const FIXED = /\.fixed(\.[^./]+)?$|\.fixed\./;
const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));

const files = walk(FIXTURES).filter((f) => classify(f) && !FIXED.test(path.basename(f)));

interface Fixture {
  rel: string;
  kind: FileKind;
  annotations: Annotation[];
  /** All rules over the file. */
  findings: Finding[];
}

const cache = new Map<string, Fixture>();

function fixture(file: string): Fixture {
  let f = cache.get(file);
  if (!f) {
    const { findings, kind } = analyzeFile(file);
    f = { rel: path.relative(FIXTURES, file), kind, annotations: readAnnotations(fs.readFileSync(file, 'utf8'), kind), findings };
    cache.set(file, f);
  }
  return f;
}

/** The rules a fixture is about: the rule its folder names (`fixtures/<pack>/<rule>/...`), else the rules its annotations name. */
function ownRules(f: Fixture): Rule[] {
  const [pack, folder] = f.rel.split(path.sep);
  const named = RULE_BY_ID.get(`${pack}/${folder}`);
  if (named) return [named];
  const ids = new Set(f.annotations.flatMap((a) => a.ruleIds));
  return RULES.filter((r) => ids.has(r.id));
}

const show = (findings: Finding[]) => findings.map((x) => `${x.region.startLine}:${x.region.startColumn} ${x.ruleId} ${x.message}`).join('\n');

/** Findings equal the expect: annotations of `ruleIds` (rule and line), and no ok: line of them has a finding. */
function checkAnnotations(f: Fixture, findings: Finding[], ruleIds: ReadonlySet<string>): void {
  for (const ok of f.annotations.filter((a) => a.kind === 'ok')) {
    for (const id of ok.ruleIds.filter((x) => ruleIds.has(x))) {
      const onLine = findings.filter((x) => x.ruleId === id && x.region.startLine === ok.line);
      expect(onLine, `${f.rel}:${ok.line} is ok: for ${id}, but it reports\n${show(onLine)}`).toEqual([]);
    }
  }
  const expected = f.annotations
    .filter((a) => a.kind === 'expect')
    .flatMap((a) => a.ruleIds.filter((id) => ruleIds.has(id)).map((id) => `${a.line}: ${id}`))
    .sort();
  const actual = findings.map((x) => `${x.region.startLine}: ${x.ruleId}`).sort();
  expect(actual, show(findings)).toEqual(expected);
}

describe('fixture annotations name existing rules (an expect: one that reads the file)', () => {
  for (const file of files) {
    const f = fixture(file);
    it(f.rel, () => {
      for (const a of f.annotations) {
        for (const id of a.ruleIds) {
          const rule = RULE_BY_ID.get(id);
          expect(rule, `${f.rel}:${a.line} ${a.kind}: ${id} is not a rule`).toBeDefined();
          // (an ok: for a rule that does not read the kind is fine: it pins the kind table)
          if (a.kind === 'expect') expect([...rule!.checkers.keys()].some((k) => f.kind.lineage.includes(k)), `${f.rel}:${a.line} expect: ${id}, which does not read ${f.kind.id} files`).toBe(true);
        }
      }
      const seen = new Map<string, string>();
      for (const a of f.annotations) {
        for (const id of a.ruleIds) {
          const key = `${a.line}\0${id}`;
          expect(seen.get(key) ?? a.kind, `${f.rel}:${a.line} is both expect: and ok: for ${id}`).toBe(a.kind);
          seen.set(key, a.kind);
        }
      }
    });
  }
});

describe('fixtures, each run with its own rules only: findings equal their expect: annotations, none on ok: lines', () => {
  for (const file of files) {
    const f = fixture(file);
    const own = ownRules(f);
    if (own.length === 0) continue; // no rule of its own (a file where nothing may be found): the all-rules run checks it
    it(`${f.rel} (${own.map((r) => r.id).join(', ')})`, () => {
      const { findings } = analyzeFile(file, undefined, own);
      checkAnnotations(f, findings, new Set(own.map((r) => r.id)));
    });
  }
});

describe('fixtures, all rules over every fixture: findings equal the expect: annotations, none on ok: lines', () => {
  const all = new Set(RULES.map((r) => r.id));
  for (const file of files) {
    const f = fixture(file);
    it(f.rel, () => checkAnnotations(f, f.findings, all));
  }
});

describe('fixtures: --fix output equals the *.fixed.* file', () => {
  for (const file of files) {
    const ext = path.extname(file);
    const fixed = ext ? file.slice(0, -ext.length) + '.fixed' + ext : file + '.fixed';
    if (!fs.existsSync(fixed)) continue;
    it(path.relative(FIXTURES, file), () => {
      const result = applyFixes(fs.readFileSync(file, 'utf8'), fixture(file).findings);
      expect(result.text).toBe(fs.readFileSync(fixed, 'utf8'));
    });
  }
});

describe('every rule has fixtures', () => {
  for (const rule of RULES) {
    it(rule.id, () => {
      const annotations = files.flatMap((file) => fixture(file).annotations);
      expect(annotations.some((a) => a.kind === 'expect' && a.ruleIds.includes(rule.id)), `${rule.id} has an expect: case`).toBe(true);
      expect(annotations.some((a) => a.kind === 'ok' && a.ruleIds.includes(rule.id)), `${rule.id} has an ok: case`).toBe(true);
    });
  }
});

describe('every fixable rule has a fix fixture', () => {
  for (const rule of RULES.filter((r) => r.fixable)) {
    it(rule.id, () => {
      const fixedFiles = walk(FIXTURES).filter((f) => FIXED.test(path.basename(f)));
      const has = fixedFiles.some((f) => {
        const original = f.replace('.fixed', '');
        return fs.existsSync(original) && fixture(original).findings.some((x) => x.ruleId === rule.id && x.fix);
      });
      expect(has).toBe(true);
    });
  }
});

/** What users read of a rule's findings in the fixtures: where, what, how severe, the related places, and the edits of the fix. */
function renderSnapshot(rule: Rule): string {
  const range = (r: { startLine: number; startColumn: number; endLine: number; endColumn: number }) => `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
  const out = [
    `# ${rule.id}: every finding in the fixtures, with its message, range (line:column-line:column) and fix.`,
    '# Generated by test/fixtures.test.ts; review a change, then accept it with `npx vitest -u`.',
  ];
  for (const file of files) {
    const f = fixture(file);
    for (const x of f.findings.filter((y) => y.ruleId === rule.id)) {
      // the severity when it is not the rule's own (a guarded, deliberate setting is a note)
      out.push('', `${f.rel.split(path.sep).join('/')}:${range(x.region)}${x.severity !== rule.severity ? ` (${x.severity})` : ''}`, `  ${x.message}`);
      for (const r of x.related ?? []) out.push(`  related ${path.relative(FIXTURES, r.path).split(path.sep).join('/')}:${range(r.region)} ${r.message}`);
      if (x.fix) {
        out.push(`  fix: ${x.fix.description}`);
        for (const e of x.fix.edits) out.push(`    ${e.region ? range(e.region) : `${e.start}-${e.end}`} ${JSON.stringify(e.text)}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

describe('snapshots: every finding\'s message, range and fix, per rule (fixtures/<pack>/<rule>.snap)', () => {
  for (const rule of RULES) {
    it(rule.id, async () => {
      await expect(renderSnapshot(rule)).toMatchFileSnapshot(path.join(FIXTURES, `${rule.id}.snap`));
    });
  }
});
