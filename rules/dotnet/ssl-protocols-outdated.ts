import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { assignmentQuery, AUTHENTICATE_METHODS, flagText, judge, laterRestriction, protocolValues, reportOld, SSL_PROTOCOLS_PROPERTIES } from './util.js';

/** Judges every possibility of an `SslProtocols` value that reaches `sink`. */
function check(ctx: MatchContext, sink: SyntaxNode, where: string, removed = 0): void {
  const floor = ctx.settings.minTlsVersion;
  for (const value of protocolValues(ctx.lang.values(sink))) {
    const { old } = judge(value, floor, removed);
    if (old.length === 0) continue;
    reportOld(ctx, old, {
      sink,
      sinkName: where,
      message: (flags) =>
        `${where} enables ${[...new Set(flags.map((f) => flagText(f, removed, 'SslProtocols.')))].join(', ')}, deprecated by RFC 8996; use SslProtocols.None to let the OS choose (.NET 4.7+/Core), or SslProtocols.Tls12 | SslProtocols.Tls13.`,
    });
  }
}

export default defineRule({
  id: 'dotnet/ssl-protocols-outdated',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'protocol',
  title: 'SslProtocols.Ssl2/Ssl3/Tls/Tls11 passed to SslStream, HttpClientHandler or Kestrel',
  description:
    '`SslProtocols.Ssl2`, `Ssl3`, `Tls`, `Tls11` or `Default` (also as numbers, locals, fields, properties, constants of other files, parameter defaults, helper call sites and factories) reaching `SslStream.AuthenticateAsClient/AsServer`, `HttpClientHandler.SslProtocols`, `SslClientAuthenticationOptions.EnabledSslProtocols` (also in object initializers), Kestrel `HttpsConnectionAdapterOptions.SslProtocols`, or the initializer of a property named `SslProtocols`/`EnabledSslProtocols`.',
  help: `**Why it matters.** These settings pick the protocols of one connection or endpoint. \`Tls\`
(TLS 1.0), \`Tls11\`, \`Ssl3\`, \`Ssl2\` and \`Default\` (SSL 3.0 + TLS 1.0) are deprecated (RFC 8996)
and refused by current servers and clients.

**How to fix it.** On .NET Framework 4.7+ and .NET Core/5+ pass \`SslProtocols.None\` (or omit the
argument) so the OS picks the best protocol; otherwise name only current versions:

\`\`\`csharp
await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host });
handler.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
listenOptions.UseHttps(o => o.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13);
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SslProtocols'],
  query: `
${assignmentQuery([...SSL_PROTOCOLS_PROPERTIES])}
((invocation_expression function: (member_access_expression name: (identifier) @method)) @call (#match? @method "${AUTHENTICATE_METHODS.source}"))
((property_declaration name: (identifier) @name value: (_) @value) (#match? @name "^(${[...SSL_PROTOCOLS_PROPERTIES].join('|')})$"))
`,
  check(ctx) {
    const { left, right, assign, op, prop, call, name, value } = ctx.captures;
    if (left && right && assign && op && prop) {
      const property = prop.text;
      if (op.text !== '=' && op.text !== '|=') return;
      const later = laterRestriction(ctx, assign, left, property);
      if (!later.reset) check(ctx, right, property, later.removed);
      return;
    }
    if (name && value) {
      check(ctx, value, name.text);
      return;
    }
    if (call) {
      const s = ctx.lang.shape(call);
      if (s.t !== 'call' || !AUTHENTICATE_METHODS.test(s.name)) return;
      for (const a of s.args) check(ctx, a.node, s.name);
    }
  },
});
