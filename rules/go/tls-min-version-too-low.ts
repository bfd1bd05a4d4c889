import { defineRule } from '../../src/rule.js';
import { versionConstant } from './util.js';
import { belowPolicy, policyVersion, versionAtSite, fieldQuery, versionFix, versionLabel } from './version-field.js';

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
  query: fieldQuery('MinVersion'),
  check(ctx) {
    const found = versionAtSite(ctx);
    if (!found || !belowPolicy(found.version, ctx.settings.minTlsVersion)) return;
    const target = policyVersion(ctx.settings.minTlsVersion);
    const shown = found.value.text;
    const via = /Version|0x/i.test(shown) ? '' : ` (${shown} is ${versionLabel(found.version)})`;
    ctx.report({
      node: found.value,
      message: `MinVersion ${shown}${via} allows ${versionLabel(found.version)}; set MinVersion: ${found.tlsName}.${versionConstant(target)} so nothing older than ${versionLabel(target)} is negotiated.`,
      fix: versionFix(found, target),
    });
  },
});
