import { flowReport, guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';

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

/** True when a function (method, lambda) can only return `true`, as the semantic layer sees its returns. */
function alwaysTrue(ctx: MatchContext, fn: SyntaxNode): boolean {
  const returns = ctx.lang.returnsOf(fn);
  return returns.length > 0 && returns.every((r) => r.value.type === 'bool' && r.value.value);
}

/** The class that declares a method: its `implements`/`extends` text or the anonymous class's type. */
function declaringTypeText(method: SyntaxNode): string {
  const body = method.parent;
  const owner = body?.parent;
  if (!owner) return '';
  if (owner.type === 'object_creation_expression') return owner.childForFieldName('type')?.text ?? '';
  return [owner.childForFieldName('superclass')?.text, owner.childForFieldName('interfaces')?.text].filter(Boolean).join(' ');
}

/** Methods and setters that take a HostnameVerifier or a TrustStrategy. */
const VERIFIER_SINKS = /^(?:setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier|setSSLHostnameVerifier|loadTrustMaterial)$/;

export default defineRule({
  id: 'java/certificate-verification-disabled',
  fileKind: 'java',
  severity: 'error',
  kind: 'certificate',
  title: 'Trust manager or hostname verifier that accepts everything',
  description:
    'An X509TrustManager whose checkServerTrusted never throws, a HostnameVerifier (class, anonymous class or lambda) that always returns true, NoopHostnameVerifier / ALLOW_ALL_HOSTNAME_VERIFIER / AllowAllHostnameVerifier, or HttpClient\'s TrustAllStrategy / TrustSelfSignedStrategy / `(chain, authType) -> true`.',
  help: `**Why it matters.** A trust manager that never throws accepts any certificate, and a hostname
verifier that returns true accepts a valid certificate for any other host: anyone on the network
path can impersonate the server and read or change the traffic. TLS version settings do not help.

**How to fix it.** Delete the custom trust manager and verifier; the JDK defaults check the chain
and the host name. For a private CA, load it into a trust store and build the context from it:

\`\`\`java
KeyStore ts = KeyStore.getInstance("PKCS12");
ts.load(Files.newInputStream(Paths.get("truststore.p12")), password);
SSLContext ctx = SSLContexts.custom().loadTrustMaterial(ts, null).build();   // no TrustAllStrategy
new SSLConnectionSocketFactory(ctx, new String[] {"TLSv1.2", "TLSv1.3"}, null, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
\`\`\``,
  cwe: ['CWE-295'],
  precision: 'high',
  triggers: ['checkServerTrusted', 'checkClientTrusted', 'HostnameVerifier', 'TrustStrategy', 'TrustAllStrategy', 'TrustSelfSignedStrategy', 'ALLOW_ALL_HOSTNAME_VERIFIER', 'loadTrustMaterial'],
  query: `
(method_declaration name: (identifier) @mname (#match? @mname "^(checkServerTrusted|checkClientTrusted|verify|isTrusted)$") body: (block) @body) @method
(method_invocation name: (identifier) @sink arguments: (argument_list (_) @arg))
((type_identifier) @name (#match? @name "^(NoopHostnameVerifier|AllowAllHostnameVerifier|TrustAllStrategy|TrustSelfSignedStrategy)$"))
((identifier) @name (#match? @name "^(NoopHostnameVerifier|AllowAllHostnameVerifier|TrustAllStrategy|TrustSelfSignedStrategy|ALLOW_ALL_HOSTNAME_VERIFIER)$"))
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
      } else if (mname.text === 'verify') {
        if (!/HostnameVerifier/.test(owner) || !alwaysTrue(ctx, method)) return;
        ctx.report(guardedReport(ctx, { node: mname, message: 'This HostnameVerifier always returns true and accepts certificates issued for any host; remove it and use the default verifier.' }));
      } else if (/TrustStrategy/.test(owner) && alwaysTrue(ctx, method)) {
        ctx.report(guardedReport(ctx, { node: mname, message: 'This TrustStrategy.isTrusted always returns true and accepts any certificate chain; remove it and load the needed CA instead.' }));
      }
      return;
    }
    if (sink && arg) {
      if (!VERIFIER_SINKS.test(sink.text)) return;
      // a lambda, a method reference, or a local/field/factory holding one
      for (const flow of ctx.lang.values(arg)) {
        if (flow.value.type !== 'function' || flow.src !== ctx.file || !alwaysTrue(ctx, flow.value.node)) continue;
        const isLambda = flow.value.node.type === 'lambda_expression';
        // a named method that is also a verify/isTrusted implementation reports there
        if (!isLambda && /^(?:verify|isTrusted)$/.test(flow.value.name ?? '')) continue;
        const what = sink.text === 'loadTrustMaterial' ? 'trust strategy accepts any certificate chain' : 'hostname verifier accepts certificates issued for any host';
        ctx.report(flowReport(ctx, flow, { sink: arg, sinkName: `${sink.text}(...)`, message: `${isLambda ? 'This lambda' : `The method \`${flow.value.name ?? '?'}\``} used as a ${what} (it always returns true); remove it and use the defaults.` }));
      }
      return;
    }
    if (name) {
      // imports name the class; report uses only
      for (let n = name.parent; n; n = n.parent) if (n.type === 'import_declaration') return;
      const p = name.parent;
      if (p?.type === 'scoped_type_identifier' && p.lastNamedChild?.id !== name.id) return;
      // the library's own definition of the class (this file declares it) is not a finding; its uses are
      if (ctx.lang.facts.classes.has(name.text)) return;
      // a declared type (`NoopHostnameVerifier v = ...`): the value reports
      if (p && ['local_variable_declaration', 'field_declaration', 'formal_parameter'].includes(p.type) && p.childForFieldName('type')?.id === name.id) return;
      // `NoopHostnameVerifier.INSTANCE` and `new NoopHostnameVerifier()` report once, at the class name
      const what = /Hostname/i.test(name.text) ? 'accepts certificates issued for any host' : name.text === 'TrustSelfSignedStrategy' ? 'accepts any self-signed certificate, whoever made it' : 'accepts any certificate chain';
      ctx.report(guardedReport(ctx, { node: name, message: `${name.text} ${what}; remove it and use the default hostname verifier and a trust store with the needed CA.` }));
    }
  },
});
