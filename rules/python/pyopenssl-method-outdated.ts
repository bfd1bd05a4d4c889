import { belowFloor, protocolLabel, protocolOfName } from '../../src/formats/tls-names.js';
import { flowReport, guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { argumentOf, fileMentions, inTranslationTable, isDefinitionOrImport, isExpectedFailureOrComparison, PYOPENSSL_CONTEXT, PYOPENSSL_METHOD, symbolOf } from './util.js';

const NAMES = '^(SSLv2|SSLv3|TLSv1|TLSv1_1|TLSv1_2)_METHOD$';
const ADVICE = 'use SSL.Context(SSL.TLS_CLIENT_METHOD) (or TLS_SERVER_METHOD) and ctx.set_min_proto_version(SSL.TLS1_2_VERSION)';

/** The pinned version a pyOpenSSL method name selects, when it is below the floor. */
function pinned(ctx: MatchContext, q: string | undefined) {
  const version = q && PYOPENSSL_METHOD.test(q) ? protocolOfName(q) : undefined;
  return version && belowFloor(version, ctx.settings.minTlsVersion) ? version : undefined;
}

/** True when `node` is the method argument of a pyOpenSSL `Context(...)` call. */
function contextArgument(ctx: MatchContext, node: SyntaxNode): boolean {
  const args = node.parent?.type === 'keyword_argument' ? node.parent.parent : node.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  return !!call && !!fn && PYOPENSSL_CONTEXT.test(ctx.lang.qualify(fn) ?? '') && argumentOf(ctx.lang, call, 0, 'method')?.id === node.id;
}

/** A reference to a pinned method (`SSL.TLSv1_METHOD`, `getattr(SSL, "TLSv1_METHOD")`) where code chooses it. */
function reference(ctx: MatchContext, ref: SyntaxNode): void {
  if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return;
  if (isDefinitionOrImport(ref) || inTranslationTable(ref) || isExpectedFailureOrComparison(ref)) return;
  const version = pinned(ctx, ctx.lang.qualify(ref));
  if (!version) return;
  const message = contextArgument(ctx, ref)
    ? `SSL.Context(${ref.text}) speaks only ${protocolLabel(version)}; ${ADVICE}.`
    : `${ref.text} selects only ${protocolLabel(version)} for a pyOpenSSL context; ${ADVICE}.`;
  ctx.report(guardedReport(ctx, { node: ref, message }));
}

/** `SSL.Context(settings.METHOD)`: a pinned method written in another file (this file's are reported where written). */
function sink(ctx: MatchContext, call: SyntaxNode, callee: SyntaxNode): void {
  if (!fileMentions(ctx, 'OpenSSL')) return;
  if (!PYOPENSSL_CONTEXT.test(ctx.lang.qualify(callee) ?? '') || isExpectedFailureOrComparison(call)) return;
  const arg = argumentOf(ctx.lang, call, 0, 'method');
  if (!arg) return;
  for (const flow of ctx.lang.values(arg)) {
    if (flow.src === ctx.file) continue;
    const q = symbolOf(flow);
    const version = pinned(ctx, q);
    if (!version) continue;
    ctx.report(flowReport(ctx, flow, { sink: arg, sinkName: `${callee.text}(...)`, message: `${callee.text}(${arg.text}) gets ${q}, which speaks only ${protocolLabel(version)}; ${ADVICE}.` }));
  }
}

export default defineRule({
  id: 'python/pyopenssl-method-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'pyOpenSSL SSL.Context pinned to SSLv2, SSLv3, TLSv1 or TLSv1.1',
  description:
    'A pyOpenSSL context created with SSL.SSLv2_METHOD, SSLv3_METHOD, TLSv1_METHOD or TLSv1_1_METHOD (written at the call, as a default parameter, in a constant or a factory, or in another module) speaks only that deprecated protocol version and cannot connect to a server that requires TLS 1.2.',
  help: `**Why it matters.** \`OpenSSL.SSL.Context(SSL.TLSv1_METHOD)\` does not set a minimum, it
selects exactly one protocol version. Connections made with it use TLS 1.0 (or SSL/TLS 1.1 for the
other methods), deprecated by RFC 8996, and fail once the peer requires TLS 1.2. This is the
usual shape of older Twisted, pyOpenSSL-injected urllib3 and hand-written client code.

**How to fix it.** Create a negotiating context and raise its floor:

\`\`\`python
from OpenSSL import SSL
ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)        # TLS_SERVER_METHOD for servers
ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
\`\`\`

On pyOpenSSL releases without \`TLS_CLIENT_METHOD\`, use \`SSL.SSLv23_METHOD\` with
\`ctx.set_options(SSL.OP_NO_SSLv2 | SSL.OP_NO_SSLv3 | SSL.OP_NO_TLSv1 | SSL.OP_NO_TLSv1_1)\`.
No automatic fix: the replacement needs a second statement.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSLv2_METHOD', 'SSLv3_METHOD', 'TLSv1_METHOD', 'TLSv1_1_METHOD', 'TLSv1_2_METHOD', 'SSL.Context'],
  query: `
((attribute attribute: (identifier) @name) @ref (#match? @name "${NAMES}"))
((identifier) @ref (#match? @ref "${NAMES}"))
(call function: (identifier) @_getattr (#eq? @_getattr "getattr") arguments: (argument_list . (_) . (string (string_content) @_name) . ) (#match? @_name "${NAMES}")) @ref
(call function: [(identifier) (attribute attribute: (identifier))] @callee (#match? @callee "(^|\\.)Context$") arguments: (argument_list)) @call`,
  check(ctx) {
    const { ref, call, callee } = ctx.captures;
    if (ref) reference(ctx, ref);
    else if (call && callee) sink(ctx, call, callee);
  },
});
