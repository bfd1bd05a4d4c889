import { defineRule, fixOf, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { inFailureExpectation, itemVersion, judgeList, listFix, modernSpelling, protocolList, type ProtocolList } from './util.js';

/**
 * Calls whose arguments are the protocols to enable:
 * - JSSE: `setEnabledProtocols(String[])` on SSLSocket/SSLServerSocket/SSLEngine,
 *   `SSLParameters.setProtocols(String[])`;
 * - Netty `SslContextBuilder.protocols(String...)`, Jetty `SslContextFactory.setIncludeProtocols(String...)`,
 *   Vert.x/Reactor `setEnabledSecureTransportProtocols`/`addEnabledSecureTransportProtocol`;
 * - OkHttp `ConnectionSpec.Builder.tlsVersions(TlsVersion...)`, HttpClient 5
 *   `setTlsVersions(TLS...)`/`ClientTlsStrategyBuilder.setTlsVersions`.
 */
const METHODS = 'setEnabledProtocols|setProtocols|protocols|setIncludeProtocols|setEnabledSecureTransportProtocols|addEnabledSecureTransportProtocol|tlsVersions|setTlsVersions|setSupportedProtocols';

const QUERY = `
(method_invocation name: (identifier) @method (#match? @method "^(${METHODS})$") arguments: (argument_list) @args) @call
(object_creation_expression type: (_) @type (#match? @type "(^|\\\\.)(SSLParameters|SSLConnectionSocketFactory|DefaultClientTlsStrategy)$") arguments: (argument_list) @args) @create
(field_access field: (identifier) @compat (#eq? @compat "COMPATIBLE_TLS")) @spec
`;

/** The argument of a constructor that holds the protocols: SSLParameters(suites, protocols); SSLConnectionSocketFactory(ctx, protocols, suites, verifier). */
function constructorProtocols(type: string, args: SyntaxNode): SyntaxNode | undefined {
  const a = args.namedChildren;
  if (/SSLParameters$/.test(type)) return a.length === 2 ? a[1] : undefined;
  return a.length >= 3 ? a[1] : undefined;
}

function judge(ctx: MatchContext, where: string, list: ProtocolList, anchor: SyntaxNode): void {
  const floor = ctx.settings.minTlsVersion;
  const verdict = judgeList(list, floor);
  if (verdict.old.length === 0 || inFailureExpectation(anchor)) return;
  const names = verdict.old.map((i) => (i.node.type === 'string_literal' || !i.literal ? i.text : i.node.text)).join(', ');
  const replacement = modernSpelling(verdict.old[0]!, floor);
  const edits = listFix(list, verdict, replacement);
  const first = verdict.old[0]!.literal ? verdict.old[0]!.node : anchor;
  const last = verdict.old[verdict.old.length - 1]!.literal ? verdict.old[verdict.old.length - 1]!.node : anchor;
  ctx.report({
    start: first.startIndex,
    end: Math.max(last.endIndex, first.endIndex),
    message: `${where} enables ${names}${list.via ? ` (through ${list.via})` : ''}, deprecated by RFC 8996; ${verdict.modern.length ? 'remove them and keep ' + verdict.modern.map((i) => (i.node.type === 'string_literal' ? i.text : i.node.text)).join(', ') : `enable ${replacement} (and TLS 1.3) only`}.`,
    fix: edits ? fixOf(verdict.modern.length ? 'remove the deprecated protocols' : `enable ${replacement}`, edits) : undefined,
  });
}

export default defineRule({
  id: 'java/enabled-protocols-outdated',
  fileKind: 'java',
  severity: 'error',
  kind: 'protocol',
  title: 'Socket, engine or client enables SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'setEnabledProtocols, SSLParameters.setProtocols / new SSLParameters(..., protocols), HttpClient\'s SSLConnectionSocketFactory(ctx, protocols, ...) and setTlsVersions, OkHttp tlsVersions and ConnectionSpec.COMPATIBLE_TLS, Netty SslContextBuilder.protocols and Jetty setIncludeProtocols with SSLv3, TLSv1 or TLSv1.1, including arrays held in a local or a same-file constant.',
  help: `**Why it matters.** These calls decide exactly which protocol versions a socket, engine or
HTTP client offers. Listing \`SSLv3\`, \`TLSv1\` or \`TLSv1.1\` keeps deprecated protocols (RFC 8996)
negotiable, and a list with only old versions cannot talk to TLS-1.2-only servers at all.
OkHttp's \`ConnectionSpec.COMPATIBLE_TLS\` exists only to allow TLS 1.0.

**How to fix it.** Enable TLS 1.2 and 1.3 only, or do not set protocols and use the JDK defaults
(Java 8+):

\`\`\`java
socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
new SSLConnectionSocketFactory(ctx, new String[] {"TLSv1.2"}, null, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).build();
\`\`\`

The offered fix removes the old entries from a literal list (or, when nothing newer is listed,
replaces them by TLS 1.2).`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['Protocols', 'protocols', 'tlsVersions', 'TlsVersions', 'SSLParameters', 'SSLConnectionSocketFactory', 'COMPATIBLE_TLS'],
  fixable: true,
  query: QUERY,
  check(ctx) {
    const { call, method, args, create, type, spec } = ctx.captures;
    if (spec) {
      if (!/ConnectionSpec\.COMPATIBLE_TLS$/.test(spec.text) || inFailureExpectation(spec)) return;
      ctx.report({ node: spec, message: 'ConnectionSpec.COMPATIBLE_TLS enables TLS 1.0 (and 1.1) in OkHttp; use ConnectionSpec.MODERN_TLS or RESTRICTED_TLS.' });
      return;
    }
    if (!args) return;
    if (create && type) {
      const arg = constructorProtocols(type.text, args);
      const list = arg && arg.type !== 'null_literal' ? protocolList(arg, ctx.root) : undefined;
      if (list) judge(ctx, `new ${type.text}(...)`, list, arg!);
      return;
    }
    if (!call || !method) return;
    const a = args.namedChildren;
    if (a.length === 0) return;
    // one array (or list) argument, or varargs of strings / enum constants
    const varargs = a.length > 1 || a[0]!.type === 'string_literal' || (a[0]!.type === 'field_access' && itemVersion(a[0]!.text) !== undefined);
    const list: ProtocolList | undefined = varargs
      ? {
          items: a.map((n) =>
            n.type === 'string_literal' || n.type === 'field_access' ? { text: n.type === 'string_literal' ? (protocolList(n, ctx.root)?.items[0]?.text ?? n.text) : n.text, node: n, literal: true } : (protocolList(n, ctx.root)?.items[0] ?? { text: n.text, node: n, literal: false }),
          ),
          container: args,
        }
      : protocolList(a[0]!, ctx.root);
    if (!list) return;
    const obj = call.childForFieldName('object');
    judge(ctx, `${obj && /^[\w.]+$/.test(obj.text) ? obj.text + '.' : ''}${method.text}(...)`, list, a[0]!);
  },
});
