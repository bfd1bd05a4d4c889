import type { Flow, Step } from '../../src/lang/model.js';
import { flowReport, guardedReport, isSwitchName, where } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { argumentOf, calleeName, fileMentions, HTTP_METHODS, HTTP_MODULES, importsModule, isExpectedFailureOrComparison, symbolOf } from './util.js';

/** True when a call sends a request or builds a client of requests/httpx (`requests.get`, `session.get`, `httpx.Client`). */
function isHttpCall(ctx: MatchContext, call: SyntaxNode): boolean {
  // the name first: most calls with a `verify=` or `**kwargs` are not requests
  const fn = call.childForFieldName('function');
  if (!fn || !(fileMentions(ctx, 'requests') || fileMentions(ctx, 'httpx') || fileMentions(ctx, 'boto'))) return false;
  const method = HTTP_METHODS.has(calleeName(call));
  if (!method && !/^(?:requests|httpx|boto3|botocore)\./.test(fn.text)) return false;
  return HTTP_MODULES.test(ctx.lang.qualify(fn) ?? '') || (method && importsModule(ctx.lang, HTTP_MODULES));
}

/** Sessions and clients of requests/httpx, whose `verify` attribute every request uses. */
const SESSION = /^(?:requests|httpx)\.(?:Session|session|Client|AsyncClient)$/;

/**
 * True when `object` may be a requests/httpx session: one created here (`requests.Session()`), a
 * subclass's `self`, or an object of unknown origin in a file that imports requests or httpx.
 */
function isSession(ctx: MatchContext, object: SyntaxNode): boolean {
  if (ctx.lang.shape(object).t === 'self') {
    const cls = ctx.lang.classOf(object)?.node;
    return /Session|Client/.test(cls?.childForFieldName('superclasses')?.text ?? '');
  }
  if (!importsModule(ctx.lang, HTTP_MODULES)) return false;
  const flows = ctx.lang.values(object);
  const created = (f: Flow) => {
    const s = f.node.type === 'call' ? ctx.lang.shape(f.node) : undefined;
    return s?.t === 'call' && SESSION.test(ctx.lang.qualify(s.callee) ?? '');
  };
  return flows.some(created) || flows.every((f) => f.value.type === 'unknown' && f.value.why !== 'call');
}

const isFalse = (f: Flow) => f.value.type === 'bool' && !f.value.value;

/** `ssl.CERT_NONE`, `ssl.VerifyMode.CERT_NONE`, urllib3's `"CERT_NONE"`/`"NONE"`, redis' `"none"` (a module's own `CERT_NONE = 0` is its definition, not a use). */
function isCertNone(f: Flow): boolean {
  if (f.value.type === 'string') return /^(?:CERT_)?NONE$/i.test(f.value.value);
  return /(?:^|\.)ssl_?\.(?:VerifyMode\.)?CERT_NONE$|^CERT_NONE$/.test(symbolOf(f) ?? '');
}

/**
 * The switch a verification setting takes its value from when no possibility turns it off here:
 * a parameter, attribute or constant named like a switch (`verify`, `self.verify_ssl`,
 * `settings.VERIFY_TLS`), read with no known value or with a default a caller may change.
 */
function switchOf(flows: Flow[]): string | undefined {
  const configurable = (s: Step) => (s.via === 'parameter' || s.via === 'default' || s.via === 'field') && isSwitchName(s.name);
  for (const f of flows) {
    const v = f.value;
    if ((v.type === 'unknown' && (v.why === 'parameter' || v.why === 'field') && isSwitchName(v.name)) || (v.type === 'symbol' && v.name.includes('.') && isSwitchName(v.name.slice(v.name.lastIndexOf('.') + 1)))) return v.name;
    if (v.type === 'unknown') {
      const hop = f.steps.find((s) => isSwitchName(s.name));
      if (hop) return hop.name;
    }
    const hop = f.steps.find(configurable);
    if (hop) return hop.name;
  }
  return undefined;
}

interface Sink {
  /** The expression that sets verification. */
  value: SyntaxNode;
  sinkName: string;
  /** True for the possibilities that turn verification off. */
  off(f: Flow): boolean;
  message(f: Flow): string;
  /** Notes a value taken from a switch (`verify=self.verify`): boolean on/off settings only. */
  switchable: boolean;
}

/** Reports every possibility of a setting that turns verification off; a note when it comes from a switch. */
function judge(ctx: MatchContext, sink: Sink, flows = ctx.lang.values(sink.value)): void {
  let found = false;
  for (const flow of flows) {
    if (!sink.off(flow)) continue;
    found = true;
    ctx.report(flowReport(ctx, flow, { sink: sink.value, sinkName: sink.sinkName, message: sink.message(flow) }));
  }
  if (found || !sink.switchable) return;
  const name = switchOf(flows);
  if (!name) return;
  ctx.report({
    node: sink.value,
    severity: 'note',
    message: `${sink.sinkName} takes its value from \`${/^[\w.]+$/.test(sink.value.text) ? sink.value.text : name}\`, a configurable switch: verification is off whenever it is false; make sure it cannot be turned off in production.`,
  });
}

const isTrue = (f: Flow) => f.value.type === 'bool' && f.value.value;
const CERTIFICATE = 'accepts any server certificate';
const HOST = 'accepts a valid certificate issued for any other host';

/**
 * Keyword arguments (and dict keys, for option dicts such as tornado's `ssl_options`) that turn
 * verification off, by library: which values do it, what that accepts, and where the name means
 * it (`verify=` is everyone's word, so only requests/httpx/boto3 calls count).
 */
const SETTINGS: Record<string, { off(f: Flow): boolean; accepts: string; advice: string; switchable: boolean; applies?(ctx: MatchContext, call: SyntaxNode): boolean }> = {
  verify: { off: isFalse, accepts: CERTIFICATE, advice: 'pass verify=<path to the CA bundle> (or an ssl context) instead', switchable: true, applies: isHttpCall },
  cert_reqs: { off: isCertNone, accepts: CERTIFICATE, advice: 'use ssl.CERT_REQUIRED with a CA bundle', switchable: false },
  ssl_cert_reqs: { off: isCertNone, accepts: CERTIFICATE, advice: 'use ssl.CERT_REQUIRED ("required") with a CA bundle', switchable: false },
  assert_hostname: { off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: false },
  check_hostname: { off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  ssl_check_hostname: { off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  ssl_match_hostname: { off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  validate_cert: { off: isFalse, accepts: CERTIFICATE, advice: 'keep validate_cert=True and pass ca_certs=<CA bundle>', switchable: true },
  verify_certs: { off: isFalse, accepts: CERTIFICATE, advice: 'keep verify_certs=True and pass ca_certs=<CA bundle>', switchable: true },
  tlsAllowInvalidCertificates: { off: isTrue, accepts: CERTIFICATE, advice: 'remove it and pass tlsCAFile=<CA bundle>', switchable: false },
  tlsAllowInvalidHostnames: { off: isTrue, accepts: HOST, advice: 'remove it', switchable: false },
  tlsInsecure: { off: isTrue, accepts: `${CERTIFICATE} for any host`, advice: 'remove it and pass tlsCAFile=<CA bundle>', switchable: false },
  ssl: { off: isFalse, accepts: CERTIFICATE, advice: 'pass ssl=<an ssl.SSLContext that trusts your CA> instead', switchable: true, applies: usesAiohttp },
  verify_ssl: { off: isFalse, accepts: CERTIFICATE, advice: 'pass ssl=<an ssl.SSLContext that trusts your CA> instead', switchable: true, applies: usesAiohttp },
};

function isServerSide(ctx: MatchContext, call: SyntaxNode): boolean {
  const s = ctx.lang.shape(call);
  const arg = s.t === 'call' ? s.args.find((a) => a.name === 'server_side') : undefined;
  return !!arg && ctx.lang.values(arg.node).some((f) => f.value.type !== 'bool' || f.value.value);
}

function usesAiohttp(ctx: MatchContext): boolean {
  return fileMentions(ctx, 'aiohttp') && importsModule(ctx.lang, /^aiohttp(?:\.|$)/);
}

/** A keyword argument that sets verification on a call. */
function keyword(ctx: MatchContext, kwarg: SyntaxNode, kw: string, value: SyntaxNode): void {
  const setting = SETTINGS[kw];
  const call = kwarg.parent?.parent;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  if (!setting || !call || !fn || isExpectedFailureOrComparison(kwarg) || (setting.applies && !setting.applies(ctx, call))) return;
  // a server that does not ask for client certificates (`wrap_socket(..., server_side=True, cert_reqs=CERT_NONE)`) is the norm
  if (kw === 'cert_reqs' && isServerSide(ctx, call)) return;
  const shownValue = (f: Flow) => (f.node.type === 'false' ? 'False' : f.node.type === 'true' ? 'True' : f.node.text);
  judge(ctx, { value, sinkName: `${kw}= on ${fn.text}()`, off: setting.off, switchable: setting.switchable, message: (f) => `${kw}=${shownValue(f)} on ${fn.text}() ${setting.accepts}; ${setting.advice}.` });
}

/** An option dict's entry (`ssl_options={"cert_reqs": ssl.CERT_NONE}` for tornado, a connection's `ssl` dict). */
function entry(ctx: MatchContext, key: string, value: SyntaxNode): void {
  const setting = SETTINGS[key];
  if (!setting || setting.applies || isExpectedFailureOrComparison(value)) return;
  judge(ctx, { value, sinkName: `"${key}"`, off: setting.off, switchable: false, message: (f) => `"${key}": ${f.node.text} ${setting.accepts}; ${setting.advice}.` });
}

/** `session.verify = False`, `ctx.check_hostname = False`, `ctx.verify_mode = ssl.CERT_NONE`. */
function attribute(ctx: MatchContext, assign: SyntaxNode, object: SyntaxNode, field: string, value: SyntaxNode): void {
  if (isExpectedFailureOrComparison(value)) return;
  // `self.check_hostname = ...` sets a context's attribute only in a subclass of one (else it is the class's own setting)
  if (field !== 'verify' && ctx.lang.shape(object).t === 'self' && !/Context/.test(ctx.lang.classOf(object)?.node.childForFieldName('superclasses')?.text ?? '')) return;
  const left = assign.childForFieldName('left')!.text;
  // turned back on later in the same function: the later value wins
  const on = (f: Flow) => (field === 'verify_mode' ? f.value.type === 'symbol' && /CERT_(?:REQUIRED|OPTIONAL)$/.test(f.value.name) : f.value.type === 'bool' ? f.value.value : f.value.type === 'string');
  const later = ctx.lang.laterOnObject(object.text, assign.endIndex, assign).filter((l) => l.kind === 'write' && l.name === field && l.op === '=');
  if (later.some((l) => l.kind === 'write' && l.value && ctx.lang.values(l.value).every(on))) return;
  if (field === 'verify') {
    if (!(fileMentions(ctx, 'requests') || fileMentions(ctx, 'httpx')) || !isSession(ctx, object)) return;
    judge(ctx, { value, sinkName: left, off: isFalse, switchable: true, message: () => `${left} = False makes every request of this session accept any server certificate; set it to the CA bundle path.` });
  } else if (field === 'check_hostname') {
    judge(ctx, { value, sinkName: left, off: isFalse, switchable: true, message: () => `${left} = False accepts a valid certificate issued for any other host; keep host name checking on.` });
  } else if (field === 'verify_mode') {
    judge(ctx, { value, sinkName: left, off: isCertNone, switchable: false, message: (f) => `verify_mode = ${f.node.text} accepts any server certificate; use ssl.CERT_REQUIRED (the default of create_default_context()).` });
  }
}

/** `kwargs["verify"] = False` in a requests adapter, `kwargs["cert_reqs"] = "CERT_NONE"` for urllib3's pool manager. */
function element(ctx: MatchContext, object: SyntaxNode, key: string, value: SyntaxNode): void {
  if (isExpectedFailureOrComparison(value)) return;
  const sinkName = `${object.text}["${key}"]`;
  if (key === 'verify') {
    if (!(fileMentions(ctx, 'requests') || fileMentions(ctx, 'httpx'))) return;
    judge(ctx, { value, sinkName, off: isFalse, switchable: true, message: () => `${sinkName} = False makes the request it is passed to accept any server certificate; pass the CA bundle path instead.` });
  } else if (key === 'cert_reqs') {
    judge(ctx, { value, sinkName, off: isCertNone, switchable: false, message: (f) => `${sinkName} = ${f.node.text} accepts any server certificate; use ssl.CERT_REQUIRED with a CA bundle.` });
  } else if (key === 'assert_hostname') {
    judge(ctx, { value, sinkName, off: isFalse, switchable: false, message: () => `${sinkName} = False accepts a valid certificate issued for any other host; leave host name checking on.` });
  }
}

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
  title: 'TLS certificate or host name verification turned off',
  description:
    'verify=False on requests/httpx/boto3 calls and clients (also through a constant, a parameter\'s callers or a **kwargs dict), kwargs["verify"] = False in an adapter, session.verify = False, ssl._create_unverified_context, CERT_NONE as a verify mode or cert_reqs, check_hostname = False, urllib3 assert_hostname=False, aiohttp ssl=False, tornado validate_cert=False, Elasticsearch verify_certs=False, redis/celery ssl_cert_reqs="none"/CERT_NONE, pymongo tlsAllowInvalidCertificates/tlsInsecure, check_hostname=False arguments, pyOpenSSL VERIFY_NONE or a verify callback that always returns True: the connection accepts any certificate, so anyone on the network path can read and change the traffic. A value taken from a switch (verify=self.verify) is a note.',
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
(mark those with a \`tlslint-disable-next-line\` comment and a reason). With pyOpenSSL, a
\`set_verify\` callback must return the \`ok\` (preverify) argument, not \`True\`.

**Configurable verification.** \`verify=self.verify\` or \`verify=verify_ssl\` (a parameter or
attribute named like a switch, with no \`False\` in sight) is reported as a note naming the switch;
a caller in the same file that passes \`False\` is an error at that call. Settings chosen under a
condition named like a switch (\`if insecure:\`) are notes too.`,
  cwe: ['CWE-295'],
  precision: 'high',
  securitySeverity: 7.5,
  triggers: ['verify=', 'verify =', '"verify":', "'verify':", '["verify"]', "['verify']", 'verify_ssl', 'validate_cert=False', 'validate_cert": False', "validate_cert': False", 'verify_certs', 'ssl_check_hostname', 'ssl_match_hostname', 'tlsAllowInvalid', 'tlsInsecure', 'ssl_cert_reqs', 'set_verify', '_create_unverified_context', 'CERT_NONE', 'check_hostname', 'assert_hostname', 'ssl=False'],
  query: `
(keyword_argument name: (identifier) @kw (#any-of? @kw "verify" "cert_reqs" "ssl_cert_reqs" "assert_hostname" "check_hostname" "ssl_check_hostname" "ssl_match_hostname" "validate_cert" "verify_certs" "tlsAllowInvalidCertificates" "tlsAllowInvalidHostnames" "tlsInsecure" "ssl" "verify_ssl") value: (_) @value) @kwarg
(pair key: (string (string_content) @pkey (#any-of? @pkey "ssl_cert_reqs" "check_hostname" "validate_cert" "verify_certs")) value: (_) @value) @pair
(assignment left: (attribute object: (_) @object attribute: (identifier) @field (#any-of? @field "verify" "check_hostname" "verify_mode")) right: (_) @value) @assign
(assignment left: (subscript value: (_) @object subscript: (string (string_content) @key (#any-of? @key "verify" "cert_reqs" "assert_hostname"))) right: (_) @value) @element
(call arguments: (argument_list (dictionary_splat (_) @spread))) @splat
(call function: (attribute attribute: (identifier) @_m (#eq? @_m "set_verify"))) @setverify
((attribute attribute: (identifier) @name (#eq? @name "_create_unverified_context")) @ref)
((identifier) @ref (#eq? @ref "_create_unverified_context"))`,
  check(ctx) {
    const { kw, kwarg, value, assign, object, field, element: elementStmt, key, splat: splatCall, spread, setverify, ref } = ctx.captures;
    if (kwarg && kw && value) keyword(ctx, kwarg, kw.text, value);
    else if (ctx.captures.pair && ctx.captures.pkey && value) entry(ctx, ctx.captures.pkey.text, value);
    else if (elementStmt && object && key && value) element(ctx, object, key.text, value);
    else if (assign && object && field && value) attribute(ctx, assign, object, field.text, value);
    else if (splatCall && spread) splat(ctx, splatCall, spread);
    else if (setverify) setVerify(ctx, setverify);
    else if (ref) {
      if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return; // the attribute pattern reports it
      if (isExpectedFailureOrComparison(ref) || ['import_from_statement', 'dotted_name', 'aliased_import'].includes(ref.parent?.type ?? '')) return;
      if (ctx.lang.qualify(ref) !== 'ssl._create_unverified_context') return;
      ctx.report(guardedReport(ctx, { node: ref, message: `${ref.text} creates a context that checks neither certificates nor host names; use ssl.create_default_context().` }));
    }
  },
});
