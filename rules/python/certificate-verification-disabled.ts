import type { Flow, Step } from '../../src/lang/model.js';
import { flowReport, guardedReport, where } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { argumentOf, isExpectedFailureOrComparison, symbolOf } from './util.js';
import { attribute, curlOptionOff, element, entry, entryKeys, isFalse, isHttpCall, judge, keyword } from './verification.js';

/** `**opts` into an HTTP call, where `opts` holds `"verify": False`. */
function splat(ctx: MatchContext, call: SyntaxNode, spread: SyntaxNode): void {
  if (!isHttpCall(ctx, call) || isExpectedFailureOrComparison(call)) return;
  const fn = call.childForFieldName('function')!;
  const flows: Flow[] = [];
  for (const map of ctx.lang.values(spread)) {
    if (map.value.type !== 'map' || map.src !== ctx.file) continue;
    const entry = map.value.entries.find((e) => e.key === 'verify');
    if (!entry) continue;
    const step: Step = { via: 'element', name: 'verify', node: entry.node, src: map.src };
    for (const f of ctx.lang.values(entry.node)) flows.push({ ...f, steps: [...map.steps, step, ...f.steps], guard: f.guard ?? map.guard });
  }
  judge(ctx, { value: spread, sinkName: `**${spread.text} on ${fn.text}()`, off: isFalse, switchable: false, message: () => `**${spread.text} passes verify=False to ${fn.text}(), which then accepts any server certificate; pass verify=<path to the CA bundle> instead.` }, flows);
}

/** pyOpenSSL `ctx.set_verify(mode, callback)`: VERIFY_NONE, or a callback that accepts every certificate. */
function setVerify(ctx: MatchContext, call: SyntaxNode): void {
  if (isExpectedFailureOrComparison(call)) return;
  const mode = argumentOf(ctx.lang, call, 0, 'mode');
  const callback = argumentOf(ctx.lang, call, 1, 'callback');
  let found = false;
  if (mode) {
    for (const flow of ctx.lang.values(mode)) {
      if (!/(?:^|\.)(?:OpenSSL|pyOpenSSL)\.SSL\.VERIFY_NONE$/.test(symbolOf(flow) ?? '')) continue;
      found = true;
      ctx.report(flowReport(ctx, flow, { sink: mode, sinkName: 'set_verify()', message: `set_verify(${flow.node.text}, ...) accepts any peer certificate; use SSL.VERIFY_PEER with a CA store (ctx.set_default_verify_paths()).` }));
    }
  }
  if (found || !callback) return;
  for (const flow of ctx.lang.values(callback)) {
    if (flow.value.type !== 'function' || flow.src !== ctx.file) continue;
    const returns = ctx.lang.returnsOf(flow.value.node);
    if (returns.length === 0 || !returns.every((r) => r.value.type === 'bool' && r.value.value)) continue;
    // the finding is the use: a function's own definition is not one
    const what = flow.value.name ? `\`${flow.value.name}\` (${where(flow.src, flow.node)})` : 'a callback';
    ctx.report(guardedReport(ctx, { node: callback, message: `set_verify() with ${what}, which always returns True, accepts any peer certificate; return the preverify result (ok) and use SSL.VERIFY_PEER with a CA store.` }));
  }
}

export default defineRule({
  id: 'python/certificate-verification-disabled',
  fileKind: 'python',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS certificate verification turned off',
  description:
    'verify=False on requests/httpx/boto3 calls and clients (also through a constant, a parameter\'s callers or a **kwargs dict), kwargs["verify"] = False in an adapter, session.verify = False, ssl._create_unverified_context (also as the process-wide ssl._create_default_https_context; it turns host name checks off too), CERT_NONE as a verify mode or cert_reqs, aiohttp ssl=False, tornado validate_cert=False, Elasticsearch verify_certs=False, redis/celery ssl_cert_reqs="none"/CERT_NONE, pymongo tlsAllowInvalidCertificates/tlsInsecure, pyOpenSSL VERIFY_NONE or a verify callback that always returns True, pycurl setopt(SSL_VERIFYPEER, 0): the connection accepts any certificate, so anyone on the network path can read and change the traffic. A value taken from a switch (verify=self.verify) is a note. Settings that turn off only the host name check are python/hostname-verification-disabled.',
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
\`verify_mode = ssl.CERT_NONE\` outside tests against local servers
(mark those with a \`tlslint-disable-next-line\` comment and a reason). With pyOpenSSL, a
\`set_verify\` callback must return the \`ok\` (preverify) argument, not \`True\`.

**Configurable verification.** \`verify=self.verify\` or \`verify=verify_ssl\` (a parameter or
attribute named like a switch, with no \`False\` in sight) is reported as a note naming the switch;
a caller in the same file that passes \`False\` is an error at that call. Settings chosen under a
condition named like a switch (\`if insecure:\`) are notes too.`,
  cwe: ['CWE-295'],
  precision: 'high',
  securitySeverity: 7.5,
  triggers: ['verify=', 'verify =', '"verify":', "'verify':", '["verify"]', "['verify']", 'verify_ssl', 'validate_cert=False', 'validate_cert": False', "validate_cert': False", 'verify_certs', 'tlsAllowInvalidCertificates', 'tlsInsecure', 'ssl_cert_reqs', 'set_verify', '_create_unverified_context', 'CERT_NONE', 'ssl=False', 'SSL_VERIFYPEER'],
  query: `
(keyword_argument name: (identifier) @kw (#any-of? @kw "verify" "cert_reqs" "ssl_cert_reqs" "validate_cert" "verify_certs" "tlsAllowInvalidCertificates" "tlsInsecure" "ssl" "verify_ssl") value: (_) @value) @kwarg
(pair key: (string (string_content) @pkey (#any-of? @pkey ${entryKeys('certificate')})) value: (_) @value) @pair
(assignment left: (attribute object: (_) @object attribute: (identifier) @field (#any-of? @field "verify" "verify_mode")) right: (_) @value) @assign
(assignment left: (subscript value: (_) @object subscript: (string (string_content) @key (#any-of? @key "verify" "cert_reqs"))) right: (_) @value) @element
(call arguments: (argument_list (dictionary_splat (_) @spread))) @splat
(call function: (attribute attribute: (identifier) @_m (#eq? @_m "set_verify"))) @setverify
((attribute attribute: (identifier) @name (#eq? @name "_create_unverified_context")) @ref)
((identifier) @ref (#eq? @ref "_create_unverified_context"))
(call function: (attribute attribute: (identifier) @_setopt (#eq? @_setopt "setopt"))) @curl`,
  check(ctx) {
    const { kw, kwarg, value, assign, object, field, element: elementStmt, key, splat: splatCall, spread, setverify, ref } = ctx.captures;
    if (kwarg && kw && value) keyword(ctx, 'certificate', kwarg, kw.text, value);
    else if (ctx.captures.pair && ctx.captures.pkey && value) entry(ctx, 'certificate', ctx.captures.pkey.text, value);
    else if (elementStmt && object && key && value) element(ctx, 'certificate', object, key.text, value);
    else if (assign && object && field && value) attribute(ctx, 'certificate', assign, object, field.text, value);
    else if (splatCall && spread) splat(ctx, splatCall, spread);
    else if (setverify) setVerify(ctx, setverify);
    else if (ctx.captures.curl) curlOptionOff(ctx, ctx.captures.curl, 'SSL_VERIFYPEER', (v) => `setopt(SSL_VERIFYPEER, ${v}) accepts any server certificate; leave it unset (libcurl verifies by default) and pass the CA bundle with CAINFO.`);
    else if (ref) {
      if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return; // the attribute pattern reports it
      if (isExpectedFailureOrComparison(ref) || ['import_from_statement', 'dotted_name', 'aliased_import'].includes(ref.parent?.type ?? '')) return;
      if (ctx.lang.qualify(ref) !== 'ssl._create_unverified_context') return;
      ctx.report(guardedReport(ctx, { node: ref, message: `${ref.text} creates a context that checks neither certificates nor host names; use ssl.create_default_context().` }));
    }
  },
});
