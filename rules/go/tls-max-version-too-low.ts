import { PROTOCOL_RANK, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import { fieldQuery, versionConstant } from './util.js';
import { shownValue, versionSite } from './version-field.js';

export default defineRule({
  id: 'go/tls-max-version-too-low',
  fileKind: 'go',
  severity: 'error',
  kind: 'protocol',
  title: 'tls.Config MaxVersion caps the connection below TLS 1.2',
  description:
    'A crypto/tls configuration sets MaxVersion to SSL 3.0, TLS 1.0 or TLS 1.1, so every connection it makes or accepts uses a deprecated protocol and fails against servers that require TLS 1.2.',
  help: `**Why it matters.** \`MaxVersion\` is a ceiling: with \`tls.VersionTLS11\` or lower, no
connection can ever use TLS 1.2 or 1.3. Such code talks only deprecated protocols (RFC 8996) and
breaks as soon as the peer turns them off, which most services, CDNs and payment gateways already
have.

**How to fix it.** Remove \`MaxVersion\` (Go then offers its newest supported version), or set it
no lower than \`tls.VersionTLS12\`:

\`\`\`go
cfg := &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13}
\`\`\`

The offered fix replaces the value with \`tls.VersionTLS13\`, which lets both sides agree on the
best version they share.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['MaxVersion'],
  fixable: true,
  // every match spans its trigger: the engine queries only around the triggers
  query: fieldQuery('MaxVersion'),
  check(ctx) {
    const found = versionSite(ctx, 'MaxVersion');
    if (!found) return;
    for (const { flow, version } of found.versions) {
      if (PROTOCOL_RANK[version] >= PROTOCOL_RANK['TLS1.2']) continue;
      const newest = versionConstant(ctx.lang, 'TLS1.3', flow.node);
      ctx.report(
        flowReport(ctx, flow, {
          sink: found.value,
          sinkName: 'tls.Config MaxVersion',
          message: `MaxVersion ${shownValue(found.value, flow)} caps every connection at ${protocolLabel(version)}; remove MaxVersion or set it to ${newest} so TLS 1.2 and 1.3 can be negotiated.`,
          fix: replaceFix(`use ${newest}`, flow.node.startIndex, flow.node.endIndex, newest),
        }),
      );
    }
    // a lookup of a configured name (`parseVersion(conf.Min)`): the configuration decides, a note
    const picked = found.lookup.filter((v) => PROTOCOL_RANK[v.version] < PROTOCOL_RANK['TLS1.2']);
    if (picked.length) {
      ctx.report({
        node: found.value,
        severity: 'note',
        message: `MaxVersion follows \`${found.value.text}\`, which picks ${[...new Set(picked.map((v) => protocolLabel(v.version)))].join(' or ')} for some inputs (a switch over a configured name): make sure configuration cannot select them.`,
        related: picked.slice(0, 4).map((v) => ({ src: v.flow.src, start: v.flow.node.startIndex, end: v.flow.node.endIndex, message: `${protocolLabel(v.version)} is picked here` })),
      });
    }
  },
});