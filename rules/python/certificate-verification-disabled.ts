import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { importsOf, isExpectedFailureOrComparison, qualifiedName, type Imports } from './util.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'stream', 'Client', 'AsyncClient', 'urlopen']);
const HTTP_MODULES = /^(?:requests|httpx)(?:\.|$)/;

function importsHttpClient(imports: Imports): boolean {
  for (const module of imports.values()) if (HTTP_MODULES.test(module)) return true;
  return false;
}

/** `False`, or a name bound only to `False` at module level in this file. */
function isFalse(value: SyntaxNode, root: SyntaxNode): boolean {
  if (value.type === 'false') return true;
  if (value.type !== 'identifier') return false;
  const bindings = root.namedChildren
    .filter((s) => s.type === 'expression_statement')
    .map((s) => s.firstNamedChild)
    .filter((a): a is SyntaxNode => a?.type === 'assignment' && a.childForFieldName('left')?.text === value.text);
  return bindings.length === 1 && bindings[0]!.childForFieldName('right')?.type === 'false';
}

/** The call a keyword argument belongs to. */
function callOf(kwarg: SyntaxNode): SyntaxNode | undefined {
  const call = kwarg.parent?.parent;
  return call?.type === 'call' ? call : undefined;
}

export default defineRule({
  id: 'python/certificate-verification-disabled',
  fileKind: 'python',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS certificate or host name verification turned off',
  description:
    'verify=False on requests/httpx calls and clients, session.verify = False, ssl._create_unverified_context, CERT_NONE as a verify mode or cert_reqs, check_hostname = False, or pyOpenSSL VERIFY_NONE: the connection accepts any certificate, so anyone on the network path can read and change the traffic.',
  help: `**Why it matters.** Encryption without authentication protects against nobody who can
intercept the connection: with verification off, a forged certificate is accepted and the attacker
sees (and can change) everything, credentials included. Turning verification off is also the usual
"fix" for a TLS 1.2 migration error, which then hides the real problem.

**How to fix it.** Keep verification on and give the client the CA it needs:

\`\`\`python
requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")   # or the REQUESTS_CA_BUNDLE env var
httpx.Client(verify=ssl.create_default_context(cafile="internal-ca.pem"))
ctx = ssl.create_default_context()                            # CERT_REQUIRED + check_hostname
\`\`\`

Do not replace \`ssl.create_default_context\` with \`ssl._create_unverified_context\`, and do not set
\`verify_mode = ssl.CERT_NONE\` or \`check_hostname = False\` outside tests against local servers
(mark those with a \`tlslint-disable-next-line\` comment and a reason).`,
  cwe: ['CWE-295'],
  precision: 'high',
  securitySeverity: 7.5,
  triggers: ['verify=', 'verify =', '_create_unverified_context', 'CERT_NONE', 'check_hostname', 'VERIFY_NONE'],
  query: `
(keyword_argument name: (identifier) @kw (#any-of? @kw "verify" "cert_reqs") value: (_) @value) @kwarg
(assignment left: (attribute attribute: (identifier) @field (#any-of? @field "verify" "check_hostname" "verify_mode")) right: (_) @value) @assign
((attribute attribute: (identifier) @name (#any-of? @name "_create_unverified_context" "VERIFY_NONE")) @ref)
((identifier) @ref (#any-of? @ref "_create_unverified_context" "VERIFY_NONE"))`,
  check(ctx) {
    const imports = importsOf(ctx.root);
    const { kw, kwarg, field, assign, ref } = ctx.captures;
    const value = ctx.captures.value;
    if (kwarg && kw && value) {
      if (isExpectedFailureOrComparison(kwarg)) return;
      if (kw.text === 'verify' && isFalse(value, ctx.root)) {
        const call = callOf(kwarg);
        const fn = call?.childForFieldName('function');
        if (!fn) return;
        const q = qualifiedName(fn, imports);
        const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
        const httpCall = (q && HTTP_MODULES.test(q)) || (method && HTTP_METHODS.has(method) && importsHttpClient(imports));
        if (!httpCall) return;
        ctx.report({ node: kwarg, message: `verify=False on ${fn.text}() accepts any server certificate; pass verify=<path to the CA bundle> (or an ssl context) instead.` });
      } else if (kw.text === 'cert_reqs' && isCertNone(value, imports)) {
        ctx.report({ node: kwarg, message: `cert_reqs=${value.text} accepts any server certificate; use ssl.CERT_REQUIRED with a CA bundle.` });
      }
      return;
    }
    if (assign && field && value) {
      if (field.text === 'verify' && value.type === 'false' && importsHttpClient(imports)) {
        ctx.report({ node: assign, message: `${assign.childForFieldName('left')!.text} = False makes every request of this session accept any server certificate; set it to the CA bundle path.` });
      } else if (field.text === 'check_hostname' && value.type === 'false') {
        ctx.report({ node: assign, message: `${assign.childForFieldName('left')!.text} = False accepts a valid certificate issued for any other host; keep host name checking on.` });
      } else if (field.text === 'verify_mode' && isCertNone(value, imports)) {
        ctx.report({ node: assign, message: `verify_mode = ${value.text} accepts any server certificate; use ssl.CERT_REQUIRED (the default of create_default_context()).` });
      }
      return;
    }
    if (ref) {
      if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return; // the attribute pattern reports it
      if (isExpectedFailureOrComparison(ref) || ['import_from_statement', 'dotted_name', 'aliased_import'].includes(ref.parent?.type ?? '')) return;
      const q = qualifiedName(ref, imports) ?? '';
      if (q === 'ssl._create_unverified_context') {
        ctx.report({ node: ref, message: `${ref.text} creates a context that checks neither certificates nor host names; use ssl.create_default_context().` });
      } else if (q === 'OpenSSL.SSL.VERIFY_NONE' && ref.parent?.parent?.type === 'call' && /set_verify$/.test(ref.parent.parent.childForFieldName('function')?.text ?? '')) {
        ctx.report({ node: ref, message: `set_verify(${ref.text}, ...) accepts any peer certificate; use SSL.VERIFY_PEER with a CA store (ctx.set_default_verify_paths()).` });
      }
    }
  },
});

function isCertNone(value: SyntaxNode, imports: Imports): boolean {
  if (value.type === 'string') return /^[rbuRBU]*['"]CERT_NONE['"]$/.test(value.text) || /^[rbuRBU]*['"]NONE['"]$/.test(value.text);
  const q = qualifiedName(value, imports);
  return q === 'ssl.CERT_NONE' || q === 'ssl.VerifyMode.CERT_NONE';
}
