/** Generates docs/rules.md from the rules' metadata: `npm run docs`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import type { Rule } from './rule.js';

export function renderRulesDoc(rules: readonly Rule[]): string {
  const out: string[] = [
    '# tlslint rules',
    '',
    '<!-- Generated from the rules\' metadata by `npm run docs`; do not edit by hand. -->',
    '',
    `${rules.length} rules. Severity is the default (a config file can change it); kind says what sort of weakness the rule finds.`,
    '',
    '| Rule | Severity | Kind | Fix | What it finds |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](#${anchor(r.id)}) | ${r.severity} | ${r.kind} | ${r.fixable ? 'yes' : ''} | ${r.title} |`),
    '',
  ];
  for (const r of rules) {
    out.push(
      `## ${r.id}`,
      '',
      `**${r.title}**. Severity \`${r.severity}\`, kind \`${r.kind}\`, precision \`${r.precision}\`, ${r.cwe.join(', ')}${r.fixable ? ', offers a fix' : ''}.`,
      '',
      r.description,
      '',
      r.help.trim(),
      '',
    );
  }
  return out.join('\n');
}

/** GitHub's heading anchor for `## go/tls-min-version-too-low`. */
export function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}

export const RULES_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.endsWith('.js') ? ['..'] : []), 'docs', 'rules.md');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.mkdirSync(path.dirname(RULES_DOC), { recursive: true });
  fs.writeFileSync(RULES_DOC, renderRulesDoc(RULES));
  process.stdout.write(`wrote ${path.relative(process.cwd(), RULES_DOC)}\n`);
}
