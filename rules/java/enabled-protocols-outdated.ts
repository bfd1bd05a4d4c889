import { flowReport } from '../../src/lang/report.js';
import type { Flow } from '../../src/lang/model.js';
import { defineRule, fixOf, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { inFailureExpectation, judgeList, listFix, listItems, literalElements, modernSpelling, shown } from './util.js';

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

/**
 * Judges each list the sink may receive. Old items written in the sink's own literal list are one
 * finding spanning them (with a fix that drops them); old items that travelled (a constant, a
 * parameter's call site) are a finding each where they are written or passed.
 */
function judge(ctx: MatchContext, where: string, lists: Flow[][], sink: SyntaxNode, elements: SyntaxNode[] | undefined, replacedLater?: () => boolean): void {
  const floor = ctx.settings.minTlsVersion;
  const verdicts = lists.map((flows) => judgeList(listItems(flows), floor));
  // cheap checks first: most sinks enable nothing old, and then nothing else is asked
  if (verdicts.every((v) => v.old.length === 0) || inFailureExpectation(sink) || replacedLater?.()) return;
  for (const verdict of verdicts) {
    if (verdict.old.length === 0) continue;
    const replacement = modernSpelling(verdict.old[0]!, floor);
    // what to keep is clear only for entries written in the list itself
    const kept = verdict.modern.filter((i) => i.flow.steps.length === 0);
    const keep = kept.length ? 'remove them and keep ' + kept.map(shown).join(', ') : `enable ${replacement} (and TLS 1.3) only`;
    const inline = verdict.old.filter((i) => i.flow.steps.length === 0 && i.flow.src === ctx.file && !i.flow.guard && elements?.some((e) => e.id === i.flow.node.id));
    if (inline.length) {
      const edits = inline.length === verdict.old.length && elements ? listFix(elements, inline, verdict.modern, replacement) : undefined;
      const report = flowReport(ctx, inline[0]!.flow, { sink, sinkName: where, message: `${where} enables ${inline.map(shown).join(', ')}, deprecated by RFC 8996; ${keep}.` });
      ctx.report({
        ...report,
        node: undefined,
        start: inline[0]!.flow.node.startIndex,
        end: inline[inline.length - 1]!.flow.node.endIndex,
        fix: edits && !report.severity ? fixOf(verdict.modern.length ? 'remove the deprecated protocols' : `enable ${replacement}`, edits) : undefined,
      });
    }
    for (const item of verdict.old) {
      if (inline.includes(item)) continue;
      ctx.report(flowReport(ctx, item.flow, { sink, sinkName: where, message: `${where} enables ${shown(item)}, deprecated by RFC 8996; ${keep}.` }));
    }
  }
}

/** True when arguments name only protocols at or above the floor (and at least one). */
function modernOnly(ctx: MatchContext, args: SyntaxNode[]): boolean {
  const verdict = judgeList(listItems(args.flatMap((a) => ctx.lang.values(a))), ctx.settings.minTlsVersion);
  return verdict.old.length === 0 && verdict.modern.length > 0;
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
  triggers: ['EnabledProtocols', 'setProtocols', 'protocols(', 'IncludeProtocols', 'SecureTransportProtocol', 'SupportedProtocols', 'tlsVersions', 'TlsVersions', 'SSLParameters', 'SSLConnectionSocketFactory', 'ClientTlsStrategy', 'COMPATIBLE_TLS'],
  fixable: true,
  // every match spans its trigger: the engine queries only around the triggers
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
      if (!arg || arg.type === 'null_literal') return;
      judge(ctx, `new ${type.text}(...)`, ctx.lang.values(arg).map((f) => [f]), arg, literalElements(ctx, arg));
      return;
    }
    if (!call || !method) return;
    const a = args.namedChildren.filter((n) => !n.type.endsWith('comment'));
    if (a.length === 0) return;
    const obj = call.childForFieldName('object');
    // the same call later on the same object with only TLS 1.2+ replaces this list
    const replacedLater = () => !!obj && ctx.lang.laterOnObject(obj.text, call.endIndex, call).some((l) => l.kind === 'call' && l.name === method.text && modernOnly(ctx, l.args.map((x) => x.node)));
    const where = `${obj && /^[\w.]+$/.test(obj.text) ? obj.text + '.' : ''}${method.text}(...)`;
    // varargs: the arguments are the list; one argument: each list it may hold
    if (a.length > 1) judge(ctx, where, [a.flatMap((n) => ctx.lang.values(n))], args, a, replacedLater);
    else judge(ctx, where, ctx.lang.values(a[0]!).map((f) => [f]), a[0]!, literalElements(ctx, a[0]!) ?? a, replacedLater);
  },
});
