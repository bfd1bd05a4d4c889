import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { fieldQuery, resolveValue, tlsPackageNames } from './util.js';

/** The suites of tls.InsecureCipherSuites(), with what is wrong with each. */
const INSECURE: Record<string, string> = {
  TLS_RSA_WITH_RC4_128_SHA: 'RC4',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'RC4',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'RC4',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: '3DES (Sweet32)',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: '3DES (Sweet32)',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'CBC-SHA256 without constant-time protection (Lucky13)',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'CBC-SHA256 without constant-time protection (Lucky13)',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'CBC-SHA256 without constant-time protection (Lucky13)',
};

/** Elements of the slice a CipherSuites value holds: literals, append calls, same-file variables. */
function suiteElements(value: SyntaxNode, root: SyntaxNode, depth = 0): SyntaxNode[] {
  if (depth > 6) return [];
  const resolved = resolveValue(value, root);
  if (resolved.type === 'composite_literal') {
    const body = resolved.childForFieldName('body');
    return (body?.namedChildren ?? []).filter((c) => c.type === 'literal_element').map((c) => c.firstNamedChild ?? c);
  }
  if (resolved.type === 'call_expression' && resolved.childForFieldName('function')?.text === 'append') {
    // append(base, extra...) or append(base, tls.TLS_..., ...)
    return (resolved.childForFieldName('arguments')?.namedChildren ?? []).flatMap((arg, i) => {
      if (arg.type === 'variadic_argument') return suiteElements(arg.firstNamedChild ?? arg, root, depth + 1);
      return i === 0 ? suiteElements(arg, root, depth + 1) : [arg];
    });
  }
  return [];
}

export default defineRule({
  id: 'go/tls-weak-cipher-suites',
  fileKind: 'go',
  severity: 'error',
  kind: 'cipher',
  title: 'CipherSuites enables an insecure cipher suite',
  description:
    'A crypto/tls configuration lists a suite from tls.InsecureCipherSuites() (RC4, 3DES or CBC-SHA256) in CipherSuites, so the TLS 1.0-1.2 part of the connection can fall back to a broken cipher.',
  help: `**Why it matters.** RC4 is broken (RFC 7465 forbids it), 3DES has a 64-bit block that
Sweet32 attacks exploit, and Go's CBC-SHA256 suites lack the Lucky13 countermeasures. Go lists
them in \`tls.InsecureCipherSuites()\` and never enables them by default: only an explicit
\`CipherSuites\` list brings them back.

**How to fix it.** Drop the insecure entries, or drop \`CipherSuites\` altogether: Go's default
order is safe and TLS 1.3 suites are not configurable anyway.

\`\`\`go
cfg := &tls.Config{
    MinVersion: tls.VersionTLS12,
    CipherSuites: []uint16{
        tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    },
}
\`\`\`

\`PreferServerCipherSuites\` has had no effect since Go 1.17; tlslint does not flag it.`,
  cwe: ['CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['CipherSuites'],
  query: fieldQuery('CipherSuites'),
  check(ctx) {
    const { value } = ctx.captures;
    if (!value) return;
    const tlsNames = tlsPackageNames(ctx.root);
    for (const element of suiteElements(value, ctx.root)) {
      const suite = resolveValue(element, ctx.root);
      if (suite.type !== 'selector_expression') continue;
      if (!tlsNames.has(suite.childForFieldName('operand')?.text ?? '')) continue;
      const name = suite.childForFieldName('field')?.text ?? '';
      const weakness = INSECURE[name];
      if (!weakness) continue;
      const where = element.startIndex >= value.startIndex && element.endIndex <= value.endIndex ? element : suite;
      ctx.report({
        node: where,
        message: `CipherSuites enables ${name}, an insecure suite (${weakness}); remove it, or drop CipherSuites to use Go's safe defaults.`,
      });
    }
  },
});
