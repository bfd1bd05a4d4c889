/** The registry is the one list of rules and facts, the one door from src/ into rules/, and what the README counts. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProjectFact } from '../src/context.js';
import { FACTS, RULES } from '../src/registry.js';
import type { Rule } from '../src/rule.js';
import { FIXTURES, ROOT, walk } from './helpers.js';

const RULES_DIR = path.join(ROOT, 'rules');
const modules = walk(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== path.join(RULES_DIR, 'index.ts'));

const isRule = (x: unknown): x is Rule => !!x && typeof x === 'object' && 'checkers' in x && (x as Rule).checkers instanceof Map;
const isFact = (x: unknown): x is ProjectFact<unknown> =>
  !!x && typeof x === 'object' && typeof (x as ProjectFact<unknown>).id === 'string' && typeof (x as ProjectFact<unknown>).parse === 'function';

async function load(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe('registry', () => {
  it('every rule file rules/<pack>/<name>.ts has the id <pack>/<name> and is registered; every registered rule has its file', async () => {
    const found: Rule[] = [];
    for (const file of modules) {
      const rule = (await load(file)).default;
      if (!isRule(rule)) continue;
      const rel = path.relative(RULES_DIR, file).split(path.sep).join('/').replace(/\.ts$/, '');
      expect(rule.id, `${rel}.ts`).toBe(rel);
      expect(rule.pack).toBe(rel.split('/')[0]);
      expect(RULES.includes(rule), `${rule.id} is not in rules/index.ts`).toBe(true);
      found.push(rule);
    }
    expect(found.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('every project fact a pack defines is in FACTS (workers ask for facts by id), once', async () => {
    const defined = new Set<ProjectFact<unknown>>();
    for (const file of modules) for (const value of Object.values(await load(file))) if (isFact(value)) defined.add(value);
    expect([...defined].map((f) => f.id).sort()).toEqual(FACTS.map((f) => f.id).sort());
    for (const fact of defined) expect(FACTS.includes(fact), fact.id).toBe(true);
  });

  it('every snapshot belongs to a rule', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const snaps = walk(FIXTURES).filter((f) => f.endsWith('.snap'));
    for (const snap of snaps) expect(ids.has(path.relative(FIXTURES, snap).split(path.sep).join('/').replace(/\.snap$/, '')), snap).toBe(true);
  });

  it('no file under src/ imports from rules/ except src/registry.ts', () => {
    for (const file of walk(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts'))) {
      if (file === path.join(ROOT, 'src', 'registry.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      expect(/from\s+['"](?:\.\.\/)+rules\//.test(text) || /import\(\s*['"](?:\.\.\/)+rules\//.test(text), path.relative(ROOT, file)).toBe(false);
    }
  });

  it('the README counts the rules and names every pack', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(/What the packs look for \((\d+) rules;/.exec(readme)?.[1]).toBe(String(RULES.length));
    const table = /\| pack \| files \| finds \|\n\| --- \| --- \| --- \|\n((?:\|.*\n)+)/.exec(readme)?.[1] ?? '';
    const named = table
      .split('\n')
      .filter(Boolean)
      .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!));
    expect([...named].sort()).toEqual([...new Set(RULES.map((r) => r.pack))].sort());
  });
});
