import { defineRule } from '../../src/rule.js';
import { fieldQuery, literalFields, resolveValue } from './util.js';

export default defineRule({
  id: 'go/tls-insecure-skip-verify',
  fileKind: 'go',
  severity: 'error',
  kind: 'certificate',
  title: 'InsecureSkipVerify turns off certificate verification',
  description:
    'A crypto/tls configuration sets InsecureSkipVerify to true: the client accepts any certificate for any host name, so anyone on the network path can impersonate the server.',
  help: `**Why it matters.** With \`InsecureSkipVerify: true\` a Go TLS client accepts any certificate
chain and any host name. The connection is still encrypted, but to whoever answers: a machine in
the middle can read and change everything, including credentials. Whatever TLS version is
negotiated, the connection offers no authentication.

**How to fix it.** Remove the setting. For a private CA, trust it explicitly instead:

\`\`\`go
pool := x509.NewCertPool()
pool.AppendCertsFromPEM(caPEM)
cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
\`\`\`

For certificate pinning or other custom checks, keep \`InsecureSkipVerify\` only together with a
\`VerifyPeerCertificate\` or \`VerifyConnection\` callback that does the verification; tlslint does
not flag that combination.`,
  cwe: ['CWE-295'],
  precision: 'very-high',
  securitySeverity: 8.1,
  triggers: ['InsecureSkipVerify'],
  query: fieldQuery('InsecureSkipVerify'),
  check(ctx) {
    const { site, value } = ctx.captures;
    if (!site || !value) return;
    if (site.type === 'assignment_statement' && site.childForFieldName('operator')?.text !== '=') return;
    const resolved = resolveValue(value, ctx.root);
    if (resolved.type !== 'true') return;
    if (site.type === 'keyed_element') {
      const fields = site.parent ? literalFields(site.parent) : new Map();
      // verification replaced by a callback (pinning, custom CA logic): not a blind skip
      if (fields.has('VerifyPeerCertificate') || fields.has('VerifyConnection')) return;
    }
    const shown = value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value;
    const direct = shown.type === 'true';
    ctx.report({
      node: shown,
      message: `InsecureSkipVerify${direct ? '' : ` (${shown.text} is true)`} disables certificate and host name verification; remove it and trust a private CA through RootCAs instead.`,
    });
  },
});
