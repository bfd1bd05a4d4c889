import { belowFloor, policyFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import { fieldQuery, versionConstant } from './util.js';
import { shownValue, versionSite } from './version-field.js';

export default defineRule({
  id: 'go/tls-min-version-too-low',
  fileKind: 'go',
  severity: 'error',
  kind: 'protocol',
  title: 'tls.Config MinVersion allows a protocol older than TLS 1.2',
  description:
    'A crypto/tls configuration sets MinVersion to SSL 3.0, TLS 1.0 or TLS 1.1, so a peer (or an attacker in the middle) can negotiate a deprecated protocol.',
  help: `**Why it matters.** SSL 3.0, TLS 1.0 and TLS 1.1 are deprecated (RFC 8996): they rely on
SHA-1/MD5 handshakes and CBC constructions with known attacks (POODLE, BEAST), and PCI DSS and
most compliance regimes forbid them. Setting \`MinVersion\` to one of them lets any peer, or an
attacker who strips the better offers, downgrade the connection.

**How to fix it.** Raise the floor to TLS 1.2 (or 1.3 when every peer supports it):

\`\`\`go
cfg := &tls.Config{MinVersion: tls.VersionTLS12}
\`\`\`

If an old peer really needs TLS 1.0, isolate that connection behind its own config, document the
exception, and plan its retirement. Go has supported TLS 1.2 since Go 1.2, so no runtime upgrade is
needed for the fix itself.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['MinVersion'],
  fixable: true,
  // every match spans its trigger: the engine queries only around the triggers
  query: fieldQuery('MinVersion'),
  check(ctx) {
    const found = versionSite(ctx, 'MinVersion');
    if (!found) return;
    const floor = ctx.settings.minTlsVersion;
    const target = policyFloor(floor);
    for (const { flow, version } of found.versions) {
      if (!belowFloor(version, floor)) continue;
      const constant = versionConstant(ctx.lang, target, flow.node);
      ctx.report(
        flowReport(ctx, flow, {
          sink: found.value,
          sinkName: 'tls.Config MinVersion',
          message: `MinVersion ${shownValue(found.value, flow)} allows ${protocolLabel(version)}; set MinVersion: ${constant} so nothing older than ${protocolLabel(target)} is negotiated.`,
          fix: replaceFix(`use ${constant}`, flow.node.startIndex, flow.node.endIndex, constant),
        }),
      );
    }
    // a lookup of a configured name (`parseVersion(conf.Min)`): the configuration decides, a note
    const picked = found.lookup.filter((v) => belowFloor(v.version, floor));
    if (picked.length) {
      ctx.report({
        node: found.value,
        severity: 'note',
        message: `MinVersion follows \`${found.value.text}\`, which picks ${[...new Set(picked.map((v) => protocolLabel(v.version)))].join(' or ')} for some inputs (a switch over a configured name): make sure configuration cannot select them.`,
        related: picked.slice(0, 4).map((v) => ({ src: v.flow.src, start: v.flow.node.startIndex, end: v.flow.node.endIndex, message: `${protocolLabel(v.version)} is picked here` })),
      });
    }
  },
});