import { belowFloor, parseProtocol, PROTOCOL_RANK, protocolLabel, spellVersion, policyFloor } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { defineRule, replaceFix, type TsContext } from '../../src/rule.js';
import { conditionWords, inFailureExpectation, literalContent, replacedLater, reportedAtOrigin, settingSites } from './settings.js';

const NAMES = new Set(['minVersion', 'maxVersion', 'DEFAULT_MIN_VERSION', 'DEFAULT_MAX_VERSION']);

/** The version strings among a value's possibilities. */
function versions(flows: Flow<TsNode>[]) {
  const out: Array<{ flow: Flow<TsNode>; text: string; version: NonNullable<ReturnType<typeof parseProtocol>> }> = [];
  for (const flow of flows) {
    if (flow.value.type !== 'string') continue;
    const version = parseProtocol(flow.value.value);
    if (version) out.push({ flow, text: flow.value.value, version });
  }
  return out;
}

function check(ctx: TsContext): void {
  const floor = ctx.settings.minTlsVersion;
  const target = spellVersion(policyFloor(floor), 'node');
  for (const s of settingSites(ctx.root, NAMES)) {
    const isMin = s.name === 'minVersion' || s.name === 'DEFAULT_MIN_VERSION';
    // `tls.DEFAULT_MIN_VERSION = ...` only on the tls module; object keys anywhere
    if (s.name.startsWith('DEFAULT_') && !(s.assignment && ctx.lang.qualify(s.object) === 'tls')) continue;
    if (inFailureExpectation(s.site)) continue;
    const weak = (v: ReturnType<typeof parseProtocol>) => !!v && (isMin ? belowFloor(v, floor) : PROTOCOL_RANK[v] < PROTOCOL_RANK['TLS1.2']);
    const found = versions(ctx.lang.values(s.value)).filter((v) => weak(v.version));
    if (found.length === 0) continue;
    // a later write of the same setting on the same object replaces the weak value
    if (replacedLater(ctx, s, (flows) => versions(flows).some((v) => weak(v.version)))) continue;
    for (const { flow, text, version } of found) {
      if (reportedAtOrigin(flow, NAMES)) continue;
      const literal = literalContent(flow.node);
      const replacement = isMin ? target : 'TLSv1.3';
      const message = isMin
        ? `${s.name} '${text}' lets connections fall back to ${protocolLabel(version)}, deprecated by RFC 8996${conditionWords(flow)}; set it to '${target}'.`
        : `${s.name} '${text}' caps connections at ${protocolLabel(version)}, so TLS 1.2 and 1.3 are never used${conditionWords(flow)}; remove it (or set 'TLSv1.3').`;
      const report = flowReport(ctx, flow, {
        sink: s.value,
        sinkName: s.assignment ? `${s.object.text}.${s.name}` : s.name,
        message,
        fix: literal ? replaceFix(`${s.name}: '${replacement}'`, literal.start, literal.end, replacement) : undefined,
      });
      if (report.node && inFailureExpectation(report.node)) continue;
      ctx.report(report);
    }
  }
}
export default defineRule({
  id: 'javascript/tls-version-outdated',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'protocol',
  title: 'minVersion below TLS 1.2 or maxVersion capping it (options or tls.DEFAULT_*)',
  description:
    '`minVersion: \'TLSv1\' | \'TLSv1.1\'`, `maxVersion` below `\'TLSv1.2\'`, or `tls.DEFAULT_MIN_VERSION` / `DEFAULT_MAX_VERSION` assigned an old version, written there or reaching it through locals, fields, spreads, other modules, helper parameters (reported at the call site) and factories; a weak value chosen by a switch is a note, and a setting raised again later on the same object is not reported.',
  help: `**Why it matters.** \`minVersion\` is the floor of a TLS socket, server, secure context or
agent; \`'TLSv1'\`/\`'TLSv1.1'\` keep deprecated protocols (RFC 8996) negotiable. A \`maxVersion\` below
TLS 1.2 forces them. \`tls.DEFAULT_MIN_VERSION\` does the same for every connection of the process.

**How to fix it.**

\`\`\`js
tls.connect({ host, port: 443, minVersion: 'TLSv1.2' });
\`\`\`

Remove low \`maxVersion\` values and \`tls.DEFAULT_MIN_VERSION\` assignments (Node 12+ defaults to
TLS 1.2). The offered fix sets \`'TLSv1.2'\` (\`'TLSv1.3'\` for a maximum).`,
  remedy: "Set minVersion: 'TLSv1.2' and remove low maxVersion / tls.DEFAULT_MIN_VERSION settings.",
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['minVersion', 'maxVersion', 'DEFAULT_MIN_VERSION', 'DEFAULT_MAX_VERSION'],
  fixable: true,
  files: { javascript: { check }, typescript: { check } },
});
