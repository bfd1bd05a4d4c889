/** Generates docs/rules.md from the rules' metadata: `npm run docs`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_KINDS, type FileKind } from './languages.js';
import { RULES } from './registry.js';
import type { Rule } from './rule.js';
import { anchor } from './version.js';

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

/**
 * A Python regular expression (pre-commit's `files:`) that matches exactly the paths tlslint
 * reads, derived from the file-kind table so the hook never drifts from the scanner.
 */
export function precommitFilesRegex(kinds: readonly FileKind[]): string {
  const extensions = new Set<string>();
  const names = new Set<string>();
  const patterns: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const kind of kinds) for (const ext of kind.extensions ?? []) extensions.add(escape(ext.slice(1)));
  for (const kind of kinds) {
    // a name whose extension the regex already takes (pom.xml, setup.py) adds nothing
    for (const name of kind.fileNames ?? []) if (!extensions.has(escape(path.extname(name).slice(1).toLowerCase()))) names.add(escape(name));
    if (kind.namePattern) {
      // base-name anchors become path-segment anchors
      const body = kind.namePattern.source.replace(/\^/g, '(?:^|/)');
      patterns.push(kind.namePattern.flags.includes('i') ? `(?i:${body})` : `(?:${body})`);
    }
  }
  const parts = [`(?i:\\.(?:${[...extensions].sort().join('|')}))$`];
  if (names.size) parts.push(`(?:^|/)(?:${[...names].sort().join('|')})$`);
  parts.push(...patterns);
  return parts.join('|');
}

export function renderPrecommitHooks(kinds: readonly FileKind[]): string {
  const files = precommitFilesRegex(kinds);
  const hook = (id: string, name: string, description: string, entry: string) =>
    [
      `- id: ${id}`,
      `  name: ${name}`,
      `  description: ${description}`,
      `  entry: ${entry}`,
      '  language: node',
      '  pass_filenames: true',
      `  files: '${files.replace(/'/g, "''")}'`,
      '  require_serial: false',
      '  minimum_pre_commit_version: 2.9.0',
    ].join('\n');
  return [
    '# Generated from src/languages.ts by `npm run docs`; do not edit by hand.',
    hook('tlslint', 'tlslint', 'Find outdated and insecure TLS configuration', 'tlslint --quiet'),
    hook('tlslint-fix', 'tlslint (fix)', 'Apply tlslint\'s safe fixes, then report what is left', 'tlslint --quiet --fix'),
    '',
  ].join('\n');
}

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.endsWith('.js') ? ['..'] : []));
export const RULES_DOC = path.join(PROJECT_ROOT, 'docs', 'rules.md');
export const PRECOMMIT_HOOKS = path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.mkdirSync(path.dirname(RULES_DOC), { recursive: true });
  fs.writeFileSync(RULES_DOC, renderRulesDoc(RULES));
  fs.writeFileSync(PRECOMMIT_HOOKS, renderPrecommitHooks(FILE_KINDS));
  process.stdout.write(`wrote ${path.relative(process.cwd(), RULES_DOC)} and ${path.relative(process.cwd(), PRECOMMIT_HOOKS)}\n`);
}
