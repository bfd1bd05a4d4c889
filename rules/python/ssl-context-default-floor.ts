import { flowReport, guardedReport } from '../../src/lang/report.js';
import type { Flow } from '../../src/lang/model.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { argumentOf, boundName, fileMentions, floorRaisedLater, isExpectedFailureOrComparison, PYOPENSSL_CONTEXT, pyBefore, pythonVersion, symbolOf } from './util.js';

/** pyOpenSSL methods that negotiate (their floor is OpenSSL's default until raised). */
const PYOPENSSL_NEGOTIATING = /^(?:[\w.]*\.)?(?:OpenSSL|pyOpenSSL)\.SSL\.(?:SSLv23_METHOD|TLS_METHOD|TLS_CLIENT_METHOD|TLS_SERVER_METHOD)$/;

/** True when the context a call creates gets its floor raised later in the same function. */
function raisedLater(ctx: MatchContext, call: SyntaxNode): boolean {
  const name = boundName(call);
  return !!name && floorRaisedLater(ctx, name, call.endIndex, call);
}

/** What an `ssl.SSLContext(protocol)` possibility leaves to the default: `legacy` (PROTOCOL_TLS/SSLv23), `modern` (TLS_CLIENT/SERVER). */
function protocolKind(flow: Flow): 'legacy' | 'modern' | undefined {
  const q = symbolOf(flow) ?? '';
  if (/(?:^|\.)PROTOCOL_(?:TLS|SSLv23)$/.test(q)) return 'legacy';
  if (/(?:^|\.)PROTOCOL_TLS_(?:CLIENT|SERVER)$/.test(q)) return 'modern';
  return undefined; // pinned old versions: python/ssl-protocol-outdated; anything else: unknown
}

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
  query: `(call function: [(identifier) @name (attribute attribute: (identifier) @name)] @fn (#match? @name "^(SSLContext|wrap_socket|create_default_context|Context)$")) @call`,
  check(ctx) {
    const call = ctx.captures.call!;
    const fn = ctx.captures.fn!;
    const name = ctx.captures.name?.text;
    const py = ctx.project.nearest(pythonVersion)?.value;
    const before310 = py ? pyBefore(py, 3, 10) : undefined;
    // cheap exits before the semantic layer indexes the file: `Context(...)` is pyOpenSSL's only in
    // files that mention it; contexts are findings only on interpreters that may be older than 3.10
    if (name === 'Context' && !fileMentions(ctx, 'OpenSSL')) return;
    if (name === 'create_default_context' && !(py?.pinned && before310)) return;
    if (name === 'SSLContext' && before310 === false) return;
    const q = ctx.lang.qualify(fn);
    if (!q || isExpectedFailureOrComparison(call)) return;
    const where = py ? `${py.file} says Python ${py.text}` : 'the project states no Python version';
    if (q === 'ssl.wrap_socket') {
      ctx.report(
        guardedReport(ctx, {
          node: fn,
          message: `ssl.wrap_socket() is deprecated (removed in Python 3.12), checks no host name and accepts old protocols; use ssl.create_default_context().wrap_socket(sock, server_hostname=host).`,
        }),
      );
      return;
    }
    if (PYOPENSSL_CONTEXT.test(q)) {
      const arg = argumentOf(ctx.lang, call, 0, 'method');
      if (!arg || raisedLater(ctx, call)) return;
      for (const flow of ctx.lang.values(arg)) {
        if (!PYOPENSSL_NEGOTIATING.test(symbolOf(flow) ?? '')) continue;
        ctx.report(
          flowReport(ctx, flow, {
            sink: arg,
            sinkName: `${fn.text}(...)`,
            message: `${fn.text}(${flow.node.text}) negotiates down to whatever the OpenSSL build allows, often TLS 1.0; call ctx.set_min_proto_version(SSL.TLS1_2_VERSION) after creating it.`,
          }),
        );
      }
      return;
    }
    const reports: Array<{ kind: 'legacy' | 'modern'; flow?: Flow; shown: string }> = [];
    if (q === 'ssl.SSLContext') {
      const arg = argumentOf(ctx.lang, call, 0, 'protocol');
      if (!arg) reports.push({ kind: 'legacy', shown: 'SSLContext()' });
      else {
        for (const flow of ctx.lang.values(arg)) {
          const kind = protocolKind(flow);
          if (kind) reports.push({ kind, flow, shown: `SSLContext(${symbolOf(flow)})` });
        }
      }
    } else if (q === 'ssl.create_default_context') {
      reports.push({ kind: 'modern', shown: `${fn.text}()` });
    } else {
      return;
    }
    const due = reports.filter((r) => (r.kind === 'legacy' ? before310 !== false : !!(py?.pinned && before310)));
    if (due.length === 0 || raisedLater(ctx, call)) return;
    for (const r of due) {
      const message = `${r.shown} without a raised floor accepts TLS 1.0/1.1 before Python 3.10 (${where}); set ctx.minimum_version = ssl.TLSVersion.TLSv1_2 after creating it.`;
      ctx.report(r.flow ? flowReport(ctx, r.flow, { sink: fn, sinkName: `${fn.text}(...)`, message }) : guardedReport(ctx, { node: fn, message }));
    }
  },
});
