import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { boundName, importsOf, isExpectedFailureOrComparison, keywordArg, laterUses, positionalArgs, pyBefore, pythonVersion, qualifiedName, scopeOf } from './util.js';

/** True when code after the context's creation, in the same function, raises its floor to TLS 1.2. */
function raisedLater(ctx: MatchContext, call: SyntaxNode): boolean {
  const name = boundName(call);
  if (!name) return false;
  const imports = importsOf(ctx.root);
  for (const use of laterUses(scopeOf(call), name, call.endIndex)) {
    const field = use.childForFieldName('left')?.childForFieldName('attribute')?.text;
    const right = use.childForFieldName('right');
    if (use.type === 'assignment' && field === 'minimum_version' && right) {
      const q = qualifiedName(right, imports) ?? '';
      if (/TLSVersion\.(TLSv1_2|TLSv1_3|MAXIMUM_SUPPORTED)$/.test(q)) return true;
    }
    if ((use.type === 'augmented_assignment' || use.type === 'assignment') && field === 'options' && right && noOldOptions(right)) return true;
    if (use.type === 'call') {
      const method = use.childForFieldName('function')?.childForFieldName('attribute')?.text;
      const arg = positionalArgs(use)[0];
      if (!arg) continue;
      if (method === 'set_min_proto_version' && /TLS1_[23]_VERSION$/.test(arg.text)) return true;
      if (method === 'set_options' && noOldOptions(arg)) return true;
    }
  }
  return false;
}

/** True when an options expression turns off both TLS 1.0 and TLS 1.1 (`OP_NO_TLSv1 | OP_NO_TLSv1_1`). */
function noOldOptions(expr: SyntaxNode): boolean {
  const names = new Set([expr, ...expr.descendantsOfType(['attribute', 'identifier'])].map((n) => n.text.split('.').pop()!));
  return names.has('OP_NO_TLSv1') && names.has('OP_NO_TLSv1_1');
}

/** pyOpenSSL methods that negotiate (their floor is OpenSSL's default until raised). */
const PYOPENSSL_NEGOTIATING = /^OpenSSL\.SSL\.(SSLv23_METHOD|TLS_METHOD|TLS_CLIENT_METHOD|TLS_SERVER_METHOD)$/;

export default defineRule({
  id: 'python/ssl-context-default-floor',
  fileKind: 'python',
  severity: 'warning',
  kind: 'default',
  title: 'SSLContext, pyOpenSSL Context or ssl.wrap_socket leaves the protocol floor to an old default',
  description:
    'ssl.SSLContext() / SSLContext(PROTOCOL_TLS or PROTOCOL_SSLv23) without minimum_version or OP_NO_TLSv1/OP_NO_TLSv1_1 set afterwards, and the module-level ssl.wrap_socket(), accept TLS 1.0 and 1.1 on Python before 3.10, as does a pyOpenSSL SSL.Context(SSLv23_METHOD or TLS_METHOD) without set_min_proto_version(TLS1_2_VERSION); ssl.wrap_socket was removed in 3.12 and never checked host names.',
  help: `**Why it matters.** Before Python 3.10 a context made with \`SSLContext()\`,
\`PROTOCOL_TLS\` or \`PROTOCOL_SSLv23\` accepts whatever OpenSSL's build allows, usually TLS 1.0
and 1.1 too. The module-level \`ssl.wrap_socket()\` is worse: it creates such a context on every
call, verifies no host name, was deprecated in 3.7 and is gone in 3.12.

pyOpenSSL's \`SSL.Context(SSL.SSLv23_METHOD)\` (or \`TLS_METHOD\`) behaves the same way until
\`set_min_proto_version\` raises the floor.

tlslint reports these unless the same function raises the floor after creating the context
(\`ctx.minimum_version = ssl.TLSVersion.TLSv1_2\`, \`ctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\`,
or for pyOpenSSL \`ctx.set_min_proto_version(SSL.TLS1_2_VERSION)\` / \`set_options(...)\`).
It reads the project's Python version from \`runtime.txt\`, \`.python-version\`, \`Pipfile\`,
\`pyproject.toml\` or \`setup.cfg\`: when the project runs on, or requires, 3.10+ (TLS 1.2
default floor) only \`ssl.wrap_socket\` is reported. \`create_default_context()\` and
\`PROTOCOL_TLS_CLIENT\` are reported only when the project pins an interpreter older than 3.10
(\`runtime.txt\`, \`.python-version\`, \`Pipfile\`): their floor is OpenSSL's build default there.
A \`requires-python\` floor says which versions a package supports, not where it runs, so it does
not make them findings; with no version stated they are taken as fine.

**How to fix it.**

\`\`\`python
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_2   # Python 3.7+
sock = ctx.wrap_socket(raw, server_hostname=host)
\`\`\`

With pyOpenSSL: \`ctx = SSL.Context(SSL.TLS_CLIENT_METHOD); ctx.set_min_proto_version(SSL.TLS1_2_VERSION)\`.
On Python 2.7.9-3.6, use \`ctx.options |= ssl.OP_NO_SSLv2 | ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\`.`,
  remedy: 'Use ssl.create_default_context() and set minimum_version = ssl.TLSVersion.TLSv1_2 (pyOpenSSL: TLS_CLIENT_METHOD with set_min_proto_version).',
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['SSLContext', 'wrap_socket', 'create_default_context', 'PROTOCOL_TLS_CLIENT', 'SSLv23_METHOD', 'TLS_METHOD', 'TLS_CLIENT_METHOD', 'TLS_SERVER_METHOD'],
  query: '(call function: (_) @fn) @call',
  check(ctx) {
    const call = ctx.captures.call!;
    const imports = importsOf(ctx.root);
    const q = qualifiedName(ctx.captures.fn!, imports);
    if (!q || isExpectedFailureOrComparison(call)) return;
    const py = ctx.project.nearest(pythonVersion)?.value;
    const before310 = py ? pyBefore(py, 3, 10) : undefined;
    const where = py ? `${py.file} says Python ${py.text}` : 'the project states no Python version';
    if (q === 'ssl.wrap_socket') {
      ctx.report({
        node: ctx.captures.fn!,
        message: `ssl.wrap_socket() is deprecated (removed in Python 3.12), checks no host name and accepts old protocols; use ssl.create_default_context().wrap_socket(sock, server_hostname=host).`,
      });
      return;
    }
    let protocol: string | undefined;
    let kind: 'legacy' | 'modern';
    if (q === 'OpenSSL.SSL.Context') {
      const arg = positionalArgs(call)[0] ?? keywordArg(call, 'method');
      const method = arg ? qualifiedName(arg, imports) : undefined;
      if (!arg || !method || !PYOPENSSL_NEGOTIATING.test(method) || raisedLater(ctx, call)) return;
      ctx.report({
        node: arg,
        message: `SSL.Context(${arg.text}) negotiates down to whatever the OpenSSL build allows, often TLS 1.0; call ctx.set_min_proto_version(SSL.TLS1_2_VERSION) after creating it.`,
      });
      return;
    }
    if (q === 'ssl.SSLContext') {
      const arg = positionalArgs(call)[0] ?? keywordArg(call, 'protocol');
      protocol = arg ? (qualifiedName(arg, imports) ?? arg.text) : undefined;
      if (!protocol || /PROTOCOL_(TLS|SSLv23)$/.test(protocol)) kind = 'legacy';
      else if (/PROTOCOL_TLS_(CLIENT|SERVER)$/.test(protocol)) kind = 'modern';
      else return; // fixed old versions: python/ssl-protocol-outdated; anything else: unknown
    } else if (q === 'ssl.create_default_context') {
      kind = 'modern';
    } else {
      return;
    }
    if (kind === 'legacy' && before310 === false) return;
    if (kind === 'modern' && !(py?.pinned && before310)) return;
    if (raisedLater(ctx, call)) return;
    const shown = kind === 'legacy' ? `SSLContext(${protocol ? protocol.replace(/^ssl\./, 'ssl.') : ''})` : call.childForFieldName('function')!.text + '()';
    ctx.report({
      node: call.childForFieldName('function')!,
      message: `${shown} without a raised floor accepts TLS 1.0/1.1 before Python 3.10 (${where}); set ctx.minimum_version = ssl.TLSVersion.TLSv1_2 after creating it.`,
    });
  },
});
