import { defineRule, replaceFix } from '../../src/rule.js';
import { belowFloor, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { inFailureExpectation, strings } from './util.js';

/**
 * Calls that pick an SSLContext protocol: `SSLContext.getInstance(p[, provider])`, HttpClient 4.x
 * `SSLContexts.custom().useProtocol(p)` / `SSLContextBuilder.create().useProtocol(p)`, HttpClient 5
 * and Spring `setProtocol(p)` on those builders.
 */
const QUERY = `(method_invocation name: (identifier) @name (#match? @name "^(getInstance|useProtocol|setProtocol)$") arguments: (argument_list . (_) @arg)) @call`;

export default defineRule({
  id: 'java/sslcontext-protocol-outdated',
  fileKind: 'java',
  severity: 'error',
  kind: 'protocol',
  title: 'SSLContext created for SSL, SSLv3, TLSv1 or TLSv1.1',
  description:
    '`SSLContext.getInstance("TLSv1")` (also "SSL", "SSLv3", "TLSv1.1", constants and locals holding them) or HttpClient\'s `SSLContexts.custom().useProtocol("TLSv1")` builds a context for a deprecated protocol.',
  help: `**Why it matters.** The protocol passed to \`SSLContext.getInstance\` decides what the
context's sockets enable by default. \`"TLSv1"\` and \`"TLSv1.1"\` contexts offer nothing newer, so
connections to TLS-1.2-only servers fail and everything else runs on deprecated protocols (RFC 8996).
\`"SSL"\`/\`"SSLv3"\` name SSL 3.0 (POODLE) and, depending on the JDK, enable it where it is still
allowed.

**How to fix it.**

\`\`\`java
SSLContext ctx = SSLContext.getInstance("TLSv1.2");   // Java 7: the vendors' advice
SSLContext ctx = SSLContext.getInstance("TLS");       // Java 8+: TLS 1.2 and 1.3 by default
\`\`\`

On Java 7 also set \`-Dhttps.protocols=TLSv1.2\` for \`HttpsURLConnection\`. The offered fix
rewrites the literal to \`"TLSv1.2"\` (\`"TLSv1.3"\` under a TLS 1.3 policy).`,
  remedy: 'Ask for SSLContext.getInstance("TLSv1.2") on Java 7, or "TLS" on Java 8+ (TLS 1.2 and 1.3 by default).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SSLContext'],
  fixable: true,
  // every match spans its trigger: the engine queries only around the triggers
  query: QUERY,
  check(ctx) {
    const { call, name, arg } = ctx.captures;
    if (!call || !name || !arg) return;
    const obj = call.childForFieldName('object');
    if (name.text === 'getInstance' && !/(?:^|\.)SSLContext$/.test(obj?.text ?? '')) return;
    if (name.text !== 'getInstance' && !/SSLContext|SSLContexts/.test(call.text)) return;
    if (inFailureExpectation(call)) return;
    const target = ctx.settings.minTlsVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
    const sinkName = `${obj?.text ?? ''}.${name.text}`.replace(/^\./, '');
    for (const flow of strings(ctx.lang.values(arg))) {
      const value = flow.value.value;
      // DTLS 1.0 is DTLS built on TLS 1.1
      const version = value === 'SSL' ? 'SSLv3' : /^DTLSv1(?:\.0)?$/.test(value) ? 'TLS1.1' : parseProtocol(value);
      if (!version || !belowFloor(version, ctx.settings.minTlsVersion)) continue;
      const label = value === 'SSL' ? 'SSL 3.0' : value.startsWith('DTLS') ? 'DTLS 1.0 (TLS 1.1 based)' : protocolLabel(version);
      ctx.report(
        flowReport(ctx, flow, {
          sink: arg,
          sinkName,
          message: `${sinkName}("${value}") creates a context for ${label}, deprecated by RFC 8996; use "${value.startsWith('DTLS') ? 'DTLSv1.2' : target}"${value.startsWith('DTLS') ? '' : ' (Java 7) or "TLS" (Java 8+)'}.`,
          fix: value.startsWith('DTLS') ? replaceFix('use "DTLSv1.2"', flow.node.startIndex, flow.node.endIndex, '"DTLSv1.2"') : replaceFix(`use "${target}"`, flow.node.startIndex, flow.node.endIndex, `"${target}"`),
        }),
      );
    }
  },
});
