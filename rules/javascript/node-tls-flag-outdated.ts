import { defineRule, replaceFix, type FileContext, type TextChecker } from '../../src/rule.js';

/** Node's command-line TLS switches below 1.2 (`--tls-min-v1.0` lowers the floor; `--tls-max-v1.1` caps it). */
const FLAG = /--tls-(min|max)-v1\.([01])(?![\w.])/g;

function isComment(ctx: FileContext, offset: number): boolean {
  const line = ctx.file.lineText(ctx.file.lineOf(offset));
  return /^\s*(?:#|\/\/)/.test(line);
}

function scan(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(FLAG)) {
    if (isComment(ctx, m.index)) continue;
    const min = m[1] === 'min';
    const replacement = min ? '--tls-min-v1.2' : '--tls-max-v1.3';
    ctx.report({
      start: m.index,
      end: m.index + m[0].length,
      message: min
        ? `${m[0]} lowers Node's TLS floor to TLS 1.${m[2]}, deprecated by RFC 8996; remove it (Node 12+ defaults to TLS 1.2) or use --tls-min-v1.2.`
        : `${m[0]} caps Node's TLS at TLS 1.${m[2]}, so TLS 1.2 and 1.3 are never used; remove it.`,
      fix: replaceFix(`use ${replacement}`, m.index, m.index + m[0].length, replacement),
    });
  }
}

const text: TextChecker = { check: scan };

export default defineRule({
  id: 'javascript/node-tls-flag-outdated',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'protocol',
  title: 'Node started with --tls-min-v1.0/1.1 or --tls-max-v1.0/1.1',
  description:
    '`--tls-min-v1.0`, `--tls-min-v1.1`, `--tls-max-v1.0` or `--tls-max-v1.1` in package.json scripts, `NODE_OPTIONS` (Dockerfiles, .env files, shell scripts) or `node` command lines, changing the TLS versions of the whole process.',
  help: `**Why it matters.** These switches set Node's process-wide TLS defaults: \`--tls-min-v1.0\`
re-enables TLS 1.0 for every connection that does not set \`minVersion\`, and \`--tls-max-v1.1\`
forbids TLS 1.2 and 1.3 altogether. They usually linger from a migration long finished.

**How to fix it.** Remove the switch; Node 12 and later default to a TLS 1.2 floor. Where an old
peer really needs TLS 1.0, set \`minVersion\` on that one connection and plan its retirement:

\`\`\`json
"scripts": { "start": "node server.js" }
\`\`\``,
  remedy: 'Remove the switch (Node 12+ defaults to TLS 1.2).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['--tls-min-v1.', '--tls-max-v1.'],
  fixable: true,
  files: {
    'package-json': { check: scan },
    dockerfile: text,
    env: text,
    shell: text,
    yaml: text,
  },
});
