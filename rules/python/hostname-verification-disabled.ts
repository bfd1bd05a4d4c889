import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { isExpectedFailureOrComparison } from './util.js';
import { attribute, curlOptionOff, element, entry, entryKeys, keyword } from './verification.js';

/** Calls in a replacement matcher that may still check something (the original matcher, a validation helper). */
const CHECKING_CALL = /match|verify|check|valid|compare|fnmatch/i;
/** Calls that only report (`print`, `log.debug`, `warnings.warn`). */
const LOGGING_CALL = /(?:^|\.)(?:print|log|debug|info|warn|warning|error|exception)$|^(?:log|logger|logging|LOG|LOGGER)\./;

/**
 * True when a replacement matcher may refuse a host (nested functions aside): it raises, asserts,
 * calls something named like a check, or hands its arguments on (`return _original(cert, hostname)`)
 * to anything but a logger.
 */
function mayRefuse(fn: SyntaxNode, body: SyntaxNode): boolean {
  const params = new Set((fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? p.namedChildren[0])?.text)));
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'raise_statement' || n.type === 'assert_statement') return true;
    if (n.type === 'call') {
      const callee = n.childForFieldName('function')?.text ?? '';
      if (CHECKING_CALL.test(callee)) return true;
      if (!LOGGING_CALL.test(callee) && (n.childForFieldName('arguments')?.namedChildren ?? []).some((a) => params.has(a.text))) return true;
    }
    if (n !== body && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) continue;
    stack.push(...n.namedChildren);
  }
  return false;
}

/**
 * `ssl.match_hostname = lambda cert, hostname: True`, `urllib3.connection.match_hostname = _skip`:
 * the library's host name matcher replaced, process-wide, by a function that never raises.
 */
function patchedMatcher(ctx: MatchContext, holder: SyntaxNode, name: string, value: SyntaxNode): void {
  if (ctx.lang.shape(holder).t === 'self' || isExpectedFailureOrComparison(value)) return;
  const target = `${holder.text}.${name}`;
  for (const flow of ctx.lang.values(value)) {
    if (flow.value.type !== 'function' || flow.src !== ctx.file) continue;
    const body = flow.value.node.childForFieldName('body');
    if (!body || mayRefuse(flow.value.node, body)) continue;
    const what = flow.value.name ? `\`${flow.value.name}\`` : 'a function';
    const at: Flow = flow.steps.length === 0 ? { ...flow, node: value } : flow;
    ctx.report(
      flowReport(ctx, at, {
        sink: value,
        sinkName: target,
        message: `${target} is replaced by ${what} that never raises, so every connection of the process accepts a valid certificate issued for any other host; remove the patch (for a certificate without the host's name, pin it or issue a correct one).`,
      }),
    );
  }
}

export default defineRule({
  id: 'python/hostname-verification-disabled',
  fileKind: 'python',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS host name verification turned off',
  description:
    '`ctx.check_hostname = False` on an SSLContext, `check_hostname=False` (http.client, websocket `sslopt`), urllib3 `assert_hostname=False` (also as `kwargs["assert_hostname"]` in a requests adapter), redis/kafka `ssl_check_hostname=False`, kombu `ssl_match_hostname=False`, pymongo `tlsAllowInvalidHostnames=True`, pycurl `setopt(SSL_VERIFYHOST, 0)`, or `ssl.match_hostname`/urllib3\'s `match_hostname` replaced by a function that never raises: a valid certificate issued for any other host is accepted. Values are followed through locals, constants of other modules, parameters and their call sites; a value taken from a switch (`check_hostname=self.verify`) or set under one (`if insecure:`) is a note. `ssl._create_unverified_context` turns off both checks and is reported by python/certificate-verification-disabled.',
  help: `**Why it matters.** A certificate proves who the server is only if the client checks that it was
issued for the host it meant to reach. Without that check, any certificate a public CA issued to
anyone (an attacker's own domain included) is accepted for your server, and whoever sits on the
network path can read and change the traffic (CWE-297).

**How to fix it.** Keep the check on; \`ssl.create_default_context()\` sets \`check_hostname = True\`
and \`verify_mode = CERT_REQUIRED\`:

\`\`\`python
ctx = ssl.create_default_context(cafile="internal-ca.pem")
sock = ctx.wrap_socket(raw, server_hostname="api.internal.example")
urllib3.PoolManager(ca_certs="internal-ca.pem")            # no assert_hostname=False
redis.Redis(host=host, ssl=True, ssl_check_hostname=True)
\`\`\`

When a server's certificate lacks the name clients use, issue a correct certificate (or add the name
as a subject alternative name); urllib3's \`assert_hostname="expected.name"\` or \`assert_fingerprint\`
pin a known name or certificate instead of accepting any. Never patch \`ssl.match_hostname\`.`,
  remedy: 'Keep check_hostname/assert_hostname on (ssl.create_default_context()), and fix the certificate\'s names instead.',
  cwe: ['CWE-297'],
  precision: 'high',
  securitySeverity: 7.4,
  triggers: ['check_hostname', 'assert_hostname', 'ssl_match_hostname', 'tlsAllowInvalidHostnames', 'match_hostname =', 'match_hostname=', 'SSL_VERIFYHOST'],
  query: `
(keyword_argument name: (identifier) @kw (#any-of? @kw "assert_hostname" "check_hostname" "ssl_check_hostname" "ssl_match_hostname" "tlsAllowInvalidHostnames") value: (_) @value) @kwarg
(pair key: (string (string_content) @pkey (#any-of? @pkey ${entryKeys('hostname')})) value: (_) @value) @pair
(assignment left: (attribute object: (_) @object attribute: (identifier) @field (#eq? @field "check_hostname")) right: (_) @value) @assign
(assignment left: (subscript value: (_) @object subscript: (string (string_content) @key (#any-of? @key "assert_hostname" "check_hostname"))) right: (_) @value) @element
(assignment left: (attribute object: (_) @holder attribute: (identifier) @patched (#any-of? @patched "match_hostname" "_match_hostname")) right: (_) @value)
(call function: (attribute attribute: (identifier) @_setopt (#eq? @_setopt "setopt"))) @curl`,
  check(ctx) {
    const { kw, kwarg, pair, pkey, value, assign, object, field, element: elementStmt, key, holder, patched, curl } = ctx.captures;
    if (curl) {
      curlOptionOff(ctx, curl, 'SSL_VERIFYHOST', (v) => `setopt(SSL_VERIFYHOST, ${v}) accepts a valid certificate issued for any other host; leave it unset (libcurl's default is 2, the full check).`);
      return;
    }
    if (!value) return;
    if (kwarg && kw) keyword(ctx, 'hostname', kwarg, kw.text, value);
    else if (pair && pkey) entry(ctx, 'hostname', pkey.text, value);
    else if (elementStmt && object && key) element(ctx, 'hostname', object, key.text, value);
    else if (assign && object && field) attribute(ctx, 'hostname', assign, object, field.text, value);
    else if (holder && patched) patchedMatcher(ctx, holder, patched.text, value);
  },
});
