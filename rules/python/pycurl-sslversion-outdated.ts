import { belowFloor, curlVersionNumber, protocolLabel, protocolOfName, type ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { argumentOf, isExpectedFailureOrComparison, pycurlName, versionsUpToFloor } from './util.js';

/** `TLS 1.0 and 1.1`, `SSL 3.0`. */
function labels(vs: ProtocolVersion[]): string {
  const tls = vs.filter((v) => v.startsWith('TLS')).map((v) => v.slice(3));
  const parts = [...vs.filter((v) => !v.startsWith('TLS')).map(protocolLabel), ...(tls.length ? [`TLS ${tls.join(', ')}`] : [])];
  return parts.join(', ').replace(/, ([^,]*)$/, ' and $1');
}

interface Verdict {
  /** What the value does, for the message. */
  what: string;
  /** The constant that replaces it. */
  fix: string;
}

/** What one SSLVERSION value (a constant, a number, one part of a `|` union) does when it is weak. */
function judge(ctx: MatchContext, flow: Flow): Verdict | undefined {
  const floor = ctx.settings.minTlsVersion;
  const target = floor === '1.3' ? 'SSLVERSION_TLSv1_3' : 'SSLVERSION_TLSv1_2';
  let min: ProtocolVersion | undefined;
  let max: ProtocolVersion | undefined;
  if (flow.value.type === 'number') {
    min = curlVersionNumber(flow.value.value);
    max = flow.value.value >> 16 ? curlVersionNumber(flow.value.value >> 16) : undefined;
  } else {
    const name = pycurlName(ctx, flow);
    if (!name || !/^SSLVERSION_/.test(name)) return undefined;
    if (name.startsWith('SSLVERSION_MAX_')) max = protocolOfName(name);
    else min = protocolOfName(name);
  }
  if (min && belowFloor(min, floor)) {
    return min.startsWith('SSL') ? { what: `pins ${protocolLabel(min)}`, fix: target } : { what: `allows ${labels(versionsUpToFloor(min, floor))}`, fix: target };
  }
  if (max && belowFloor(max, floor)) return { what: `caps every transfer at ${protocolLabel(max)}`, fix: 'SSLVERSION_MAX_DEFAULT' };
  return undefined;
}

export default defineRule({
  id: 'python/pycurl-sslversion-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'pycurl SSLVERSION set to SSLv2, SSLv3, TLSv1.0 or TLSv1.1',
  description:
    'setopt(pycurl.SSLVERSION, ...) with SSLVERSION_SSLv2, SSLv3, TLSv1, TLSv1_0 or TLSv1_1 (directly, through a constant or a parameter, or as a number), or an SSLVERSION_MAX_ below TLS 1.2, lets libcurl use (or pins it to) a deprecated protocol version.',
  help: `**Why it matters.** \`pycurl.SSLVERSION\` maps to libcurl's \`CURLOPT_SSLVERSION\`. With libcurl
7.54+ the value is a floor: \`SSLVERSION_TLSv1\` means "TLS 1.0 or later" and \`SSLVERSION_TLSv1_0\`
and \`_1_1\` allow those deprecated versions; the SSL values select protocols broken for years.
On older libcurl the value pins one version, which fails against TLS-1.2-only servers.

**How to fix it.**

\`\`\`python
c.setopt(pycurl.SSLVERSION, pycurl.SSLVERSION_TLSv1_2)
\`\`\`

or leave the option unset on a current libcurl, whose default floor is TLS 1.2. The offered fix
sets \`SSLVERSION_TLSv1_2\` (\`SSLVERSION_TLSv1_3\` under a TLS 1.3 policy).`,
  remedy: 'Set SSLVERSION to SSLVERSION_TLSv1_2, or leave it unset on a current libcurl.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSLVERSION'],
  fixable: true,
  query: `(call function: (attribute attribute: (identifier) @method (#eq? @method "setopt")) arguments: (argument_list)) @call`,
  check(ctx) {
    const call = ctx.captures.call!;
    const option = argumentOf(ctx.lang, call, 0);
    const value = argumentOf(ctx.lang, call, 1);
    if (!option || !value || isExpectedFailureOrComparison(call)) return;
    if (!ctx.lang.values(option).some((f) => pycurlName(ctx, f) === 'SSLVERSION')) return;
    for (const flow of ctx.lang.values(value)) {
      const parts = flow.value.type === 'bits' ? flow.value.parts.map((p) => ({ ...p, steps: [...flow.steps, ...p.steps], guard: p.guard ?? flow.guard })) : [flow];
      for (const part of parts) {
        const verdict = judge(ctx, part);
        if (!verdict) continue;
        const shown = part.node.text;
        const nameNode = part.node.type === 'attribute' ? part.node.childForFieldName('attribute') : part.node.type === 'identifier' ? part.node : null;
        const prefix = nameNode ? shown.slice(0, nameNode.startIndex - part.node.startIndex) : 'pycurl.';
        ctx.report(
          flowReport(ctx, part, {
            sink: value,
            sinkName: 'setopt(SSLVERSION, ...)',
            message: `SSLVERSION ${shown} ${verdict.what}; set ${prefix}${verdict.fix}.`,
            fix: nameNode && part.node.type === 'attribute' ? replaceFix(`use ${verdict.fix}`, nameNode.startIndex, nameNode.endIndex, verdict.fix) : undefined,
          }),
        );
      }
    }
  },
});
