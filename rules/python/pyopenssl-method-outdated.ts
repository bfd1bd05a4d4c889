import { defineRule } from '../../src/rule.js';
import { importsOf, isExpectedFailureOrComparison, keywordArg, positionalArgs, qualifiedName } from './util.js';

const PINNED: Record<string, string> = {
  SSLv2_METHOD: 'SSL 2.0',
  SSLv3_METHOD: 'SSL 3.0',
  TLSv1_METHOD: 'TLS 1.0',
  TLSv1_1_METHOD: 'TLS 1.1',
};

export default defineRule({
  id: 'python/pyopenssl-method-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'pyOpenSSL SSL.Context pinned to SSLv2, SSLv3, TLSv1 or TLSv1.1',
  description:
    'A pyOpenSSL context created with SSL.SSLv2_METHOD, SSLv3_METHOD, TLSv1_METHOD or TLSv1_1_METHOD speaks only that deprecated protocol version and cannot connect to a server that requires TLS 1.2.',
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
  triggers: ['SSLv2_METHOD', 'SSLv3_METHOD', 'TLSv1_METHOD', 'TLSv1_1_METHOD'],
  query: '(call function: (_) @fn arguments: (argument_list)) @call',
  check(ctx) {
    const imports = importsOf(ctx.root);
    if (qualifiedName(ctx.captures.fn!, imports) !== 'OpenSSL.SSL.Context') return;
    const call = ctx.captures.call!;
    const arg = positionalArgs(call)[0] ?? keywordArg(call, 'method');
    const method = arg ? qualifiedName(arg, imports) : undefined;
    const m = method ? /^OpenSSL\.SSL\.(\w+)$/.exec(method) : null;
    const label = m ? PINNED[m[1]!] : undefined;
    if (!arg || !label || isExpectedFailureOrComparison(call)) return;
    ctx.report({
      node: arg,
      message: `SSL.Context(${arg.text}) speaks only ${label}; use SSL.Context(SSL.TLS_CLIENT_METHOD) (or TLS_SERVER_METHOD) and ctx.set_min_proto_version(SSL.TLS1_2_VERSION).`,
    });
  },
});
