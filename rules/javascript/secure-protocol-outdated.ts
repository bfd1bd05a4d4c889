import { belowFloor, policyFloor, protocolLabel, protocolOfName, spellVersion } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type TsContext } from '../../src/rule.js';
import { conditionWords, inFailureExpectation, literalContent, replacedLater, reportedAtOrigin, settingSites } from './settings.js';

const NAMES = new Set(['secureProtocol']);

/** OpenSSL's negotiating method: every version from SSL 3.0 up, no floor. */
const NEGOTIATING = /^SSLv23(_client|_server)?_method$/;
/** Node's version-pinning methods (`TLSv1_1_client_method`). */
const METHOD = /^(?:SSLv[23]|TLSv1(?:_[0-3])?)(_client|_server)?_method$/;

/** What a method string allows, when that is below the floor: a label for the message. */
function weakness(method: string, floor: '1.2' | '1.3'): { label: string; fixable: boolean; suffix: string } | undefined {
  const negotiating = NEGOTIATING.exec(method);
  if (negotiating) return { label: 'every version from SSL 3.0 up (SSLv23 negotiates; it sets no floor)', fixable: false, suffix: negotiating[1] ?? '' };
  const m = METHOD.exec(method);
  const version = m ? protocolOfName(method) : undefined;
  if (!m || !version || !belowFloor(version, floor)) return undefined;
  return { label: protocolLabel(version), fixable: version !== 'SSLv2', suffix: m[1] ?? '' };
}

function check(ctx: TsContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const s of settingSites(ctx.root, NAMES)) {
    if (inFailureExpectation(s.site)) continue;
    const weakOf = (flows: ReturnType<typeof ctx.lang.values>) => flows.filter((f) => f.value.type === 'string' && weakness(f.value.value, floor));
    const found = weakOf(ctx.lang.values(s.value));
    if (found.length === 0 || replacedLater(ctx, s, (flows) => weakOf(flows).length > 0)) continue;
    for (const flow of found) {
      if (reportedAtOrigin(flow, NAMES)) continue;
      const method = (flow.value as { value: string }).value;
      const w = weakness(method, floor)!;
      const target = spellVersion(policyFloor(floor), 'node-method').replace(/_method$/, `${w.suffix}_method`);
      const literal = literalContent(flow.node);
      const report = flowReport(ctx, flow, {
        sink: s.value,
        sinkName: 'secureProtocol',
        message: `secureProtocol '${method}' allows ${w.label}${conditionWords(flow)}; remove it and set minVersion: '${spellVersion(policyFloor(floor), 'node')}'.`,
        fix: literal && w.fixable ? replaceFix(`use ${target}`, literal.start, literal.end, target) : undefined,
      });
      if (report.node && inFailureExpectation(report.node)) continue;
      ctx.report(report);
    }
  }
}

export default defineRule({
  id: 'javascript/secure-protocol-outdated',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'protocol',
  title: 'secureProtocol set to an SSL, TLS 1.0 or TLS 1.1 method',
  description:
    '`secureProtocol: \'TLSv1_method\'` (also SSLv2/SSLv3/TLSv1_1/SSLv23 and the `_client_`/`_server_` variants) in the options of `tls`, `https`, `http2`, agents and HTTP clients such as axios, got, node-fetch, undici and request, written there or reaching it through locals, fields, other modules, helper parameters (reported at the call site) and factories; under a switch (`legacy ? ... : ...`) a note.',
  help: `**Why it matters.** \`secureProtocol\` picks an OpenSSL method: \`TLSv1_method\` and
\`TLSv1_1_method\` pin the connection to a deprecated version (RFC 8996), which TLS-1.2-only peers
refuse; the SSL methods are broken; \`SSLv23_method\` negotiates without a floor.

**How to fix it.** Remove \`secureProtocol\` and set a floor instead (Node 11.4+):

\`\`\`js
https.request(url, { minVersion: 'TLSv1.2' });
\`\`\`

The offered fix rewrites \`TLSv1_method\`/\`TLSv1_1_method\` to \`TLSv1_2_method\` (which pins TLS 1.2;
prefer \`minVersion\` when you touch the code anyway).`,
  remedy: "Remove secureProtocol and set minVersion: 'TLSv1.2'.",
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['secureProtocol', '_method'],
  fixable: true,
  files: { javascript: { triggers: ['secureProtocol'], check }, typescript: { triggers: ['secureProtocol'], check } },
});
