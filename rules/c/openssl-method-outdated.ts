import { belowFloor, protocolLabel, protocolOfName, type ProtocolVersion } from '../../src/formats/tls-names.js';
import { guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { branchNote } from './util.js';

/** OpenSSL (and wolfSSL) methods that speak one protocol version: `TLSv1_method`, `SSLv3_client_method`, `wolfTLSv1_1_server_method`. */
const METHOD = '^(wolf)?(SSLv2|SSLv3|TLSv1|TLSv1_1)_(client_|server_)?method$';
/** Boost.Asio context methods of one version: `ssl::context::tlsv1`, `context::sslv3_client`, `context::tlsv11_server`. */
const ASIO_METHOD = '^(sslv2|sslv3|tlsv1|tlsv11)(_client|_server)?$';

function pinned(name: string, floor: MatchContext['settings']['minTlsVersion']): ProtocolVersion | undefined {
  const v = protocolOfName(name.replace(/^wolf/, '').replace(/^tlsv11/, 'TLSv1_1').replace(/_(?:client|server)$/, '').replace(/^sslv/, 'SSLv').replace(/^tlsv/, 'TLSv'));
  return v && belowFloor(v, floor) ? v : undefined;
}

function report(ctx: MatchContext, node: SyntaxNode, shown: string, v: ProtocolVersion, advice: string): void {
  ctx.report(guardedReport(ctx, { node, message: `${shown} speaks only ${protocolLabel(v)}: a context made from it cannot connect to a peer that requires TLS 1.2; ${advice}.${branchNote(node)}` }));
}

const OPENSSL_ADVICE = 'use TLS_client_method() or TLS_server_method() (SSLv23_client_method() before OpenSSL 1.1.0) and raise the floor with SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)';
const ASIO_ADVICE = 'use ssl::context::tls_client or tls_server (sslv23 before Boost 1.64) with set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1)';

const check = (ctx: MatchContext) => {
  const { call, fn, asio, method } = ctx.captures;
  if (call && fn) {
    const v = pinned(fn.text, ctx.settings.minTlsVersion);
    if (v) report(ctx, call, `${fn.text}()`, v, OPENSSL_ADVICE);
  } else if (asio && method) {
    // `context::tlsv1` names a method only as a member of a Boost.Asio (or ASIO) ssl::context
    if (!/\bcontext::\w+$/.test(asio.text.replace(/\s+/g, ''))) return;
    const v = pinned(method.text, ctx.settings.minTlsVersion);
    if (v) report(ctx, asio, asio.text.replace(/\s+/g, ''), v, ASIO_ADVICE);
  }
};

const C_QUERY = `(call_expression function: (identifier) @fn (#match? @fn "${METHOD}")) @call`;

export default defineRule({
  id: 'c/openssl-method-outdated',
  fileKind: 'c',
  severity: 'error',
  kind: 'protocol',
  title: 'OpenSSL context made from an SSLv3, TLS 1.0 or TLS 1.1 method',
  description:
    '`SSL_CTX_new(SSLv3_method())`, `TLSv1_method()`, `TLSv1_1_method()` and their `_client_`/`_server_` variants (also wolfSSL\'s, and Boost.Asio\'s `ssl::context::tlsv1`/`sslv3`/`tlsv11`): the context speaks exactly that deprecated version and nothing newer.',
  help: `**Why it matters.** The version-specific methods do not set a minimum: a context made from
\`TLSv1_method()\` speaks TLS 1.0 only, \`TLSv1_1_method()\` TLS 1.1 only, \`SSLv3_method()\` SSL 3.0
only. Such code fails against every server that requires TLS 1.2 (as the vendors' migration
guidance has it), and keeps deprecated protocols (RFC 8996) alive. OpenSSL 1.1.0 deprecated
these methods; code in an \`#if OPENSSL_VERSION_NUMBER < 0x10100000L\` branch still ships in
builds against older OpenSSL, and is reported with its branch.

**How to fix it.** Use a negotiating method and raise the floor:

\`\`\`c
SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());      /* SSLv23_client_method() before 1.1.0 */
SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);   /* SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 before 1.1.0 */
\`\`\`

With Boost.Asio, \`ssl::context ctx(ssl::context::tls_client)\` and
\`ctx.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1)\`.
No automatic fix: the replacement needs a second statement.`,
  remedy: 'Use TLS_client_method()/TLS_server_method() with SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSLv2_', 'SSLv3_', 'TLSv1_method', 'TLSv1_client_method', 'TLSv1_server_method', 'TLSv1_1_', 'context::sslv', 'context::tlsv1'],
  files: {
    c: { query: C_QUERY, check },
    cpp: {
      query: `${C_QUERY}
(qualified_identifier name: [(identifier) (type_identifier)] @method (#match? @method "${ASIO_METHOD}")) @asio`,
      check,
    },
  },
});
