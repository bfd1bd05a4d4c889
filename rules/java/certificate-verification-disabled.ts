import { guardedReport } from '../../src/lang/report.js';
import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { alwaysTrue, declaringTypeText, insecureClassUse, reportAcceptAll } from './util.js';

/**
 * True when a method body can never reject: empty, only comments/logging, or only `return`s of
 * values (no `throw`, no call that could throw a CertificateException such as delegating to
 * another trust manager or `checkValidity()`).
 */
function neverThrows(body: SyntaxNode | null): boolean {
  if (!body) return false;
  if (body.descendantsOfType('throw_statement').length > 0) return false;
  for (const call of body.descendantsOfType('method_invocation')) {
    const name = call.childForFieldName('name')?.text ?? '';
    const obj = call.childForFieldName('object')?.text ?? '';
    // logging is harmless; anything else (delegate.checkServerTrusted, cert.checkValidity...) may throw
    if (!/^(?:log|logger|LOG|LOGGER|System\.(?:out|err)|log\w*)$/i.test(obj) && !/^(?:debug|info|trace|warn|println|print|printf)$/.test(name)) return false;
  }
  return true;
}


export default defineRule({
  id: 'java/certificate-verification-disabled',
  fileKind: 'java',
  severity: 'error',
  kind: 'certificate',
  title: 'Trust manager or trust strategy that accepts any certificate',
  description:
    'An X509TrustManager whose checkServerTrusted (or checkClientTrusted) never throws, or HttpClient\'s TrustAllStrategy / TrustSelfSignedStrategy / a trust strategy that always returns true (class, anonymous class, lambda, method reference, or one held in a local, field or factory). Host name checks that are turned off are java/hostname-verification-disabled.',
  help: `**Why it matters.** A trust manager that never throws accepts any certificate chain: expired,
self-signed, or made by whoever sits on the network path, who can then impersonate the server and
read or change the traffic. TLS version settings do not help. A \`checkClientTrusted\` that never
throws does the same to client certificates on a server that asks for them.

**How to fix it.** Delete the custom trust manager and strategy; the JDK defaults check the chain.
For a private CA, load it into a trust store and build the context from it:

\`\`\`java
KeyStore ts = KeyStore.getInstance("PKCS12");
ts.load(Files.newInputStream(Paths.get("truststore.p12")), password);
SSLContext ctx = SSLContexts.custom().loadTrustMaterial(ts, null).build();   // no TrustAllStrategy
new SSLConnectionSocketFactory(ctx, new String[] {"TLSv1.2", "TLSv1.3"}, null, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
\`\`\``,
  cwe: ['CWE-295'],
  precision: 'high',
  triggers: ['checkServerTrusted', 'checkClientTrusted', 'TrustStrategy', 'TrustAllStrategy', 'TrustSelfSignedStrategy', 'loadTrustMaterial'],
  query: `
(method_declaration name: (identifier) @mname (#match? @mname "^(checkServerTrusted|checkClientTrusted|isTrusted)$") body: (block) @body) @method
(method_invocation name: (identifier) @sink (#eq? @sink "loadTrustMaterial") arguments: (argument_list (_) @arg))
((type_identifier) @name (#match? @name "^(TrustAllStrategy|TrustSelfSignedStrategy)$"))
((identifier) @name (#match? @name "^(TrustAllStrategy|TrustSelfSignedStrategy)$"))
`,
  check(ctx) {
    const { method, mname, body, sink, arg, name } = ctx.captures;
    if (method && mname && body) {
      const owner = declaringTypeText(method);
      if (mname.text === 'checkServerTrusted') {
        if (!/TrustManager/.test(owner) || !neverThrows(body)) return;
        ctx.report(guardedReport(ctx, { node: mname, message: 'checkServerTrusted never throws, so this trust manager accepts any certificate chain; remove it and trust the needed CA through a KeyStore instead.' }));
      } else if (mname.text === 'checkClientTrusted') {
        if (!/TrustManager/.test(owner) || !neverThrows(body)) return;
        ctx.report(guardedReport(ctx, { node: mname, message: 'checkClientTrusted never throws, so a server using this trust manager accepts any client certificate (client authentication is bypassed); delegate to the default trust manager or remove it.' }));
      } else if (/TrustStrategy/.test(owner) && alwaysTrue(ctx, method)) {
        ctx.report(guardedReport(ctx, { node: mname, message: 'This TrustStrategy.isTrusted always returns true and accepts any certificate chain; remove it and load the needed CA instead.' }));
      }
      return;
    }
    if (sink && arg) {
      reportAcceptAll(ctx, sink.text, arg, 'trust strategy accepts any certificate chain');
      return;
    }
    if (name && insecureClassUse(ctx, name)) {
      const what = name.text === 'TrustSelfSignedStrategy' ? 'accepts any self-signed certificate, whoever made it' : 'accepts any certificate chain';
      ctx.report(guardedReport(ctx, { node: name, message: `${name.text} ${what}; remove it and load a trust store with the needed CA instead.` }));
    }
  },
});
