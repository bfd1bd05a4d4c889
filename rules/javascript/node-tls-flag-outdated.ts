import { elementsOf } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type FileContext, type TextChecker, type TsContext } from '../../src/rule.js';
import { flagSinks, inCommentLine } from './node-flags.js';
import { inFailureExpectation } from './settings.js';

/** Node's command-line TLS switches below 1.2 (`--tls-min-v1.0` lowers the floor; `--tls-max-v1.1` caps it). */
const FLAG = /--tls-(min|max)-v1\.([01])(?![\w.])/g;

function scan(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(FLAG)) {
    if (inCommentLine(ctx, m.index)) continue;
    const min = m[1] === 'min';
    const replacement = min ? '--tls-min-v1.2' : '--tls-max-v1.3';
    ctx.report({
      start: m.index,
      end: m.index + m[0].length,
      message: flagMessage(m[0], m[1]!, m[2]!),
      fix: replaceFix(`use ${replacement}`, m.index, m.index + m[0].length, replacement),
    });
  }
}

const text: TextChecker = { check: scan };

/** What a flag does, for messages. */
function flagMessage(flag: string, direction: string, minor: string): string {
  return direction === 'min'
    ? `${flag} lowers Node's TLS floor to TLS 1.${minor}, deprecated by RFC 8996; remove it (Node 12+ defaults to TLS 1.2) or use --tls-min-v1.2.`
    : `${flag} caps Node's TLS at TLS 1.${minor}, so TLS 1.2 and 1.3 are never used; remove it.`;
}

/**
 * JavaScript/TypeScript that starts Node with the flags: arguments of child_process calls and
 * `execArgv`/`NODE_OPTIONS` options and assignments, whatever local, constant, array or helper
 * the string travels through.
 */
function code(ctx: TsContext): void {
  for (const sink of flagSinks(ctx)) {
    for (const flow of elementsOf(ctx.lang.values(sink.node))) {
      if (flow.value.type !== 'string') continue;
      for (const m of flow.value.value.matchAll(FLAG)) {
        const replacement = m[1] === 'min' ? '--tls-min-v1.2' : '--tls-max-v1.3';
        // the fix edits the flag inside the literal, when the literal spells it as is
        const at = flow.node.text.indexOf(m[0]);
        const fix = at > 0 && flow.node.text.indexOf(m[0], at + 1) === -1 ? replaceFix(`use ${replacement}`, flow.node.startIndex + at, flow.node.startIndex + at + m[0].length, replacement) : undefined;
        const report = flowReport(ctx, flow, { sink: sink.node, sinkName: sink.name, message: flagMessage(m[0], m[1]!, m[2]!), fix });
        if (report.node && inFailureExpectation(report.node)) continue;
        ctx.report(report);
      }
    }
  }
}

export default defineRule({
  id: 'javascript/node-tls-flag-outdated',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'protocol',
  title: 'Node started with --tls-min-v1.0/1.1 or --tls-max-v1.0/1.1',
  description:
    '`--tls-min-v1.0`, `--tls-min-v1.1`, `--tls-max-v1.0` or `--tls-max-v1.1` in package.json scripts, `NODE_OPTIONS` (Dockerfiles, .env files, shell scripts) or `node` command lines, and in JavaScript/TypeScript that starts Node with them (`spawn`/`fork`/`exec` arguments, `execArgv`, `NODE_OPTIONS`), changing the TLS versions of the whole process.',
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
    javascript: { check: code },
    typescript: { check: code },
  },
});
