import { defineRule, type FileContext, type MatchContext } from '../../src/rule.js';
import { flowReport } from '../../src/lang/report.js';
import { strings } from './util.js';

/** The protocols the JDK's own `jdk.tls.disabledAlgorithms` disables today. */
const EXPECTED = ['SSLv3', 'TLSv1', 'TLSv1.1'];

/** The protocols of EXPECTED that a disabledAlgorithms value no longer lists. */
function missing(value: string): string[] {
  const entries = new Set(value.split(',').map((e) => e.trim().split(/\s/)[0]!));
  return EXPECTED.filter((p) => !entries.has(p));
}

function message(where: string, gone: string[]): string {
  return `${where} jdk.tls.disabledAlgorithms no longer lists ${gone.join(', ')}, so the JVM accepts ${gone.length > 1 ? 'these deprecated protocols' : 'this deprecated protocol'} again; keep SSLv3, TLSv1 and TLSv1.1 in the list.`;
}

/** `jdk.tls.disabledAlgorithms=...` in a java.security file, with `\` line continuations. */
function checkFile(ctx: FileContext): void {
  const text = ctx.file.text;
  for (const m of text.matchAll(/^[ \t]*jdk\.tls\.disabledAlgorithms[ \t]*[=:][ \t]*((?:[^\n]*\\\r?\n)*[^\n]*)/gm)) {
    const value = m[1]!.replace(/\\\r?\n\s*/g, '');
    const gone = missing(value);
    if (gone.length === 0) continue;
    const start = m.index + m[0].indexOf('jdk.tls.disabledAlgorithms');
    ctx.report({ start, end: start + 'jdk.tls.disabledAlgorithms'.length, message: message('This', gone) });
  }
}

export default defineRule({
  id: 'java/disabled-algorithms-reenables-tls',
  fileKind: 'java',
  severity: 'error',
  kind: 'protocol',
  title: 'java.security override re-enables SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'A `java.security` file or override, or `Security.setProperty("jdk.tls.disabledAlgorithms", ...)`, sets a disabled-algorithms list without SSLv3, TLSv1 or TLSv1.1, turning deprecated protocols back on for the whole JVM.',
  help: `**Why it matters.** Since 8u291/11.0.11 the JDK disables TLS 1.0 and 1.1 through
\`jdk.tls.disabledAlgorithms\` (SSLv3 since 8u31). A common "fix" for a legacy peer is to copy the
list without those entries, which silently re-enables them for every connection of the JVM.

**How to fix it.** Leave the JDK's list alone, or keep \`SSLv3, TLSv1, TLSv1.1\` when you add
entries, and upgrade the peer instead:

\`\`\`properties
jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1, RC4, DES, MD5withRSA, DH keySize < 1024, \\
    EC keySize < 224, 3DES_EDE_CBC, anon, NULL
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['jdk.tls.disabledAlgorithms'],
  files: {
    'java-security': { check: checkFile },
    properties: { check: checkFile },
    java: {
      query: `(method_invocation object: (_) @obj name: (identifier) @name (#eq? @name "setProperty") arguments: (argument_list . (_) @key . (_) @value .)) @call`,
      check(ctx: MatchContext) {
        const { obj, key, value } = ctx.captures;
        if (!obj || !key || !value || !/(?:^|\.)Security$/.test(obj.text)) return;
        if (!strings(ctx.lang.values(key)).some((k) => k.value.value === 'jdk.tls.disabledAlgorithms')) return;
        for (const flow of strings(ctx.lang.values(value))) {
          const gone = missing(flow.value.value);
          if (gone.length) ctx.report(flowReport(ctx, flow, { sink: value, sinkName: 'Security.setProperty', message: message('Security.setProperty:', gone) }));
        }
      },
    },
  },
});
