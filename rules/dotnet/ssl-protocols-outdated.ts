import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { enumValue, LABEL, lastName, OLD_MEMBERS, operatorOf } from './util.js';

/** Properties that take SslProtocols: HttpClientHandler, Kestrel's HttpsConnectionAdapterOptions, SslClient/ServerAuthenticationOptions, SocketsHttpHandler.SslOptions. */
const PROPERTIES = new Set(['SslProtocols', 'EnabledSslProtocols']);
const METHODS = /^(?:AuthenticateAsClient|AuthenticateAsServer|BeginAuthenticateAsClient|BeginAuthenticateAsServer)(?:Async)?$/;

function judge(ctx: MatchContext, value: SyntaxNode, where: string): void {
  const v = enumValue(value, ctx.root, 'SslProtocols');
  const old = v.members.filter((m) => OLD_MEMBERS.has(m.name));
  if (old.length === 0) return;
  const names = [...new Set(old.map((m) => m.name))];
  ctx.report({
    start: old[0]!.inline ? old[0]!.node.startIndex : value.startIndex,
    end: old[old.length - 1]!.inline ? old[old.length - 1]!.node.endIndex : value.endIndex,
    message: `${where} enables ${names.map((n) => `SslProtocols.${n} (${LABEL[n]})`).join(', ')}${v.via ? ` (through ${v.via})` : ''}, deprecated by RFC 8996; use SslProtocols.None to let the OS choose (.NET 4.7+/Core), or SslProtocols.Tls12 | SslProtocols.Tls13.`,
  });
}

export default defineRule({
  id: 'dotnet/ssl-protocols-outdated',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'protocol',
  title: 'SslProtocols.Ssl2/Ssl3/Tls/Tls11 passed to SslStream, HttpClientHandler or Kestrel',
  description:
    '`SslProtocols.Ssl2`, `Ssl3`, `Tls`, `Tls11` or `Default` (also as numbers, locals and constants) reaching `SslStream.AuthenticateAsClient/AsServer`, `HttpClientHandler.SslProtocols`, `SslClientAuthenticationOptions.EnabledSslProtocols`, Kestrel `HttpsConnectionAdapterOptions.SslProtocols` and similar.',
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
(assignment_expression left: (_) @left right: (_) @right) @assign
(invocation_expression function: (_) @fn arguments: (argument_list) @args)
`,
  check(ctx) {
    const { left, right, assign, fn, args } = ctx.captures;
    if (left && right && assign) {
      if (!PROPERTIES.has(lastName(left))) return;
      const op = operatorOf(assign);
      if (op === '=' || op === '|=') judge(ctx, right, lastName(left));
      return;
    }
    if (fn && args && METHODS.test(lastName(fn))) {
      for (const arg of args.namedChildren) {
        const expr = arg.namedChildren[arg.namedChildCount - 1];
        if (expr) judge(ctx, expr, lastName(fn));
      }
    }
  },
});
