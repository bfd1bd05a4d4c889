import { belowFloor, protocolLabel, protocolOfName, spellVersion } from '../../src/formats/tls-names.js';
import { flowReport, guardedReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { argumentOf, boundName, inTranslationTable, isDefinitionOrImport, isExpectedFailureOrComparison, pyBefore, pythonVersion, SSL_PROTOCOL, symbolOf } from './util.js';

const NAMES = '^PROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1|TLSv1_2)$';

/** Describes where the constant is used, for the message. */
function usage(node: SyntaxNode): string {
  const parent = node.parent;
  if (parent?.type === 'keyword_argument') return `${parent.childForFieldName('name')?.text}=`;
  const call = parent?.type === 'argument_list' ? parent.parent : undefined;
  if (call?.type === 'call') return `${call.childForFieldName('function')?.text.split('.').pop()}(...)`;
  return '';
}

/**
 * The safe rewrite for `ssl.SSLContext(ssl.PROTOCOL_TLSv1)` in client code: PROTOCOL_TLS_CLIENT
 * negotiates the best version and verifies certificates and host names. Offered only when the
 * context is bound to a name that the same function does not later use to turn verification off
 * or to serve (`verify_mode`, `check_hostname`, `load_cert_chain`, `server_side=`), and Python is
 * 3.6+ (or unstated).
 */
function clientContextFix(ctx: MatchContext, ref: SyntaxNode): Fix | undefined {
  const py = ctx.project.nearest(pythonVersion)?.value;
  if (py && pyBefore(py, 3, 6)) return undefined;
  // `from ssl import PROTOCOL_TLSv1`: the new name is not imported
  if (ref.type !== 'attribute') return undefined;
  const args = ref.parent?.type === 'keyword_argument' ? ref.parent.parent : ref.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  if (!call || !fn || ctx.lang.qualify(fn) !== 'ssl.SSLContext') return undefined;
  if (argumentOf(ctx.lang, call, 0, 'protocol')?.id !== ref.id) return undefined;
  const name = boundName(call);
  if (!name) return undefined;
  for (const later of ctx.lang.laterOnObject(name, call.endIndex, call)) {
    if (later.kind === 'write' && /^(?:verify_mode|check_hostname)$/.test(later.name)) return undefined;
    if (later.kind === 'call' && (later.name === 'load_cert_chain' || later.args.some((a) => a.name === 'server_side'))) return undefined;
  }
  const attr = ref.childForFieldName('attribute')!;
  return replaceFix('use PROTOCOL_TLS_CLIENT (negotiates TLS 1.2+, verifies certificates and host names)', attr.startIndex, attr.endIndex, 'PROTOCOL_TLS_CLIENT');
}

function advice(ctx: MatchContext): string {
  return `use ssl.create_default_context() and set minimum_version = ssl.TLSVersion.${spellVersion(ctx.settings.minTlsVersion === '1.3' ? 'TLS1.3' : 'TLS1.2', 'python-tlsversion')} so TLS ${ctx.settings.minTlsVersion} and newer are negotiated`;
}

/** A reference to a pinned-version constant (`ssl.PROTOCOL_TLSv1`, `getattr(ssl, "PROTOCOL_TLSv1")`) where code chooses it. */
function reference(ctx: MatchContext, ref: SyntaxNode): void {
  if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return; // the attribute pattern handles it
  if (isDefinitionOrImport(ref) || inTranslationTable(ref) || isExpectedFailureOrComparison(ref)) return;
  const q = ctx.lang.qualify(ref);
  const version = q && SSL_PROTOCOL.test(q) ? protocolOfName(q) : undefined;
  if (!version || !belowFloor(version, ctx.settings.minTlsVersion)) return;
  const where = usage(ref);
  ctx.report(guardedReport(ctx, { node: ref, fix: clientContextFix(ctx, ref), message: `${ref.text}${where ? ` passed as ${where}` : ''} pins ${protocolLabel(version)}; ${advice(ctx)}.` }));
}

/**
 * A protocol argument whose value is written in another file (`ssl.SSLContext(settings.PROTOCOL)`):
 * the finding is here too, where the pinned version is used. Values written in this file are
 * reported where they are written.
 */
function sink(ctx: MatchContext, value: SyntaxNode, sinkName: string): void {
  // a name or an attribute may hold another module's constant; literals and calls of this file do not
  if (!['identifier', 'attribute', 'subscript'].includes(value.type) || isExpectedFailureOrComparison(value)) return;
  for (const flow of ctx.lang.values(value)) {
    if (flow.src === ctx.file) continue;
    const q = symbolOf(flow);
    const version = q && SSL_PROTOCOL.test(q) ? protocolOfName(q) : undefined;
    if (!version || !belowFloor(version, ctx.settings.minTlsVersion)) continue;
    ctx.report(flowReport(ctx, flow, { sink: value, sinkName, message: `${sinkName} gets ${q}, which pins ${protocolLabel(version)}; ${advice(ctx)}.` }));
  }
}

export default defineRule({
  id: 'python/ssl-protocol-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1 pins a deprecated protocol',
  description:
    'Code chooses ssl.PROTOCOL_SSLv2, PROTOCOL_SSLv3, PROTOCOL_TLSv1 or PROTOCOL_TLSv1_1 (for an SSLContext, wrap_socket, a urllib3/requests adapter, ftplib/smtplib/imaplib contexts, a default parameter, getattr(ssl, "PROTOCOL_TLSv1")), so its connections use exactly that deprecated protocol and fail against servers that require TLS 1.2. A constant from another module reaching SSLContext(...) or ssl_version= is reported where it is used too.',
  help: `**Why it matters.** The \`PROTOCOL_TLSv1\` family does not set a floor, it pins one version:
a context made with \`ssl.PROTOCOL_TLSv1\` speaks TLS 1.0 and nothing else. Such code is both
weak (TLS 1.0/1.1 and SSL are deprecated by RFC 8996) and brittle: it breaks as soon as the server
turns the old version off. The "TLSv1 adapter" idiom for requests (an \`HTTPAdapter\` subclass
that passes \`ssl_version=ssl.PROTOCOL_TLSv1\` to urllib3's \`PoolManager\`) is the common form.

**How to fix it.** Let Python negotiate the best version and set the floor explicitly:

\`\`\`python
import ssl
ctx = ssl.create_default_context()          # verifies certificates and host names
ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # Python 3.7+
\`\`\`

For requests, drop the custom adapter (requests and urllib3 already negotiate TLS 1.2+), or pass
\`ssl_context=ctx\` to \`init_poolmanager\`. On Python 2.7.9+ without \`minimum_version\`, use
\`ssl.PROTOCOL_SSLv23\` with \`ctx.options |= ssl.OP_NO_SSLv2 | ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\`.
Python before 2.7.9 cannot do this well at all: upgrade it (see \`python/runtime-outdated\`).

For \`ssl.SSLContext(ssl.PROTOCOL_TLSv1)\` in client code tlslint offers a fix to
\`ssl.PROTOCOL_TLS_CLIENT\` (Python 3.6+), which negotiates the best version and also verifies
certificates and host names. It is not offered where the same function turns verification off or
serves connections, since there the switch would change what the code accepts.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['PROTOCOL_SSLv2', 'PROTOCOL_SSLv3', 'PROTOCOL_TLSv1', 'SSLContext', 'ssl_version'],
  fixable: true,
  query: `
((attribute attribute: (identifier) @name) @ref (#match? @name "${NAMES}"))
((identifier) @ref (#match? @ref "${NAMES}"))
(call function: (identifier) @_getattr (#eq? @_getattr "getattr") arguments: (argument_list . (_) . (string (string_content) @_name) . ) (#match? @_name "${NAMES}")) @ref
(call function: (_) @callee (#match? @callee "SSLContext$") arguments: (argument_list . (_) @value)) @call
(call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @kw (#any-of? @kw "ssl_version" "protocol") value: (_) @value))) @call`,
  check(ctx) {
    const { ref, value, callee, kw } = ctx.captures;
    if (ref) reference(ctx, ref);
    else if (value && callee) sink(ctx, value, `${callee.text}(${kw ? `${kw.text}=` : ''}...)`);
  },
});
