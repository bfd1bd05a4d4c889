import { defineRule, replaceFix, type TsContext } from '../../src/rule.js';
import { belowFloor, parseProtocol, PROTOCOL_RANK, protocolLabel } from '../../src/formats/tls-names.js';
import { constantValue, inFailureExpectation, tsMorph } from './ast.js';
import { settingSites } from './settings.js';

function check(ctx: TsContext): void {
  const m = tsMorph();
  const floor = ctx.settings.minTlsVersion;
  const target = floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  for (const s of settingSites(ctx.tsSource)) {
    const isMin = s.name === 'minVersion' || s.name === 'DEFAULT_MIN_VERSION';
    const isMax = s.name === 'maxVersion' || s.name === 'DEFAULT_MAX_VERSION';
    if (!isMin && !isMax) continue;
    // `tls.DEFAULT_MIN_VERSION = ...` only on the tls module; object keys anywhere
    if (s.name.startsWith('DEFAULT_') && !/(?:^|\.)tls\.DEFAULT_M(?:IN|AX)_VERSION$|^DEFAULT_M(?:IN|AX)_VERSION$/.test(s.site.getChildAtIndex(0)?.getText() ?? '')) continue;
    const value = constantValue(s.value);
    if (typeof value !== 'string') continue;
    const version = parseProtocol(value);
    if (!version || inFailureExpectation(s.value)) continue;
    const literal = m.Node.isStringLiteral(s.value) || m.Node.isNoSubstitutionTemplateLiteral(s.value);
    const through = literal ? '' : ` (${s.value.getText()})`;
    if (isMin && belowFloor(version, floor)) {
      ctx.report({
        start: s.value.getStart(),
        end: s.value.getEnd(),
        message: `${s.name} '${value}'${through} lets connections fall back to ${protocolLabel(version)}, deprecated by RFC 8996; set it to '${target}'.`,
        fix: literal ? replaceFix(`${s.name}: '${target}'`, s.value.getStart() + 1, s.value.getEnd() - 1, target) : undefined,
      });
    } else if (isMax && PROTOCOL_RANK[version] < PROTOCOL_RANK['TLS1.2']) {
      ctx.report({
        start: s.value.getStart(),
        end: s.value.getEnd(),
        message: `${s.name} '${value}'${through} caps connections at ${protocolLabel(version)}, so TLS 1.2 and 1.3 are never used; remove it (or set 'TLSv1.3').`,
        fix: literal ? replaceFix(`${s.name}: 'TLSv1.3'`, s.value.getStart() + 1, s.value.getEnd() - 1, 'TLSv1.3') : undefined,
      });
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
    '`minVersion: \'TLSv1\' | \'TLSv1.1\'`, `maxVersion` below `\'TLSv1.2\'`, or `tls.DEFAULT_MIN_VERSION` / `DEFAULT_MAX_VERSION` assigned an old version, directly or through a same-file const or spread object.',
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
