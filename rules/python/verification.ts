/**
 * The verification settings of Python's TLS clients, shared by the certificate and host name
 * rules: one table of keyword arguments and option entries (which values turn a check off, what
 * that accepts, the advice), context and session attributes, adapter kwargs, and how a setting
 * taken from a switch becomes a note. Each rule asks for its own family of settings, so a setting
 * is reported by one rule only.
 */
import type { Flow, Step } from '../../src/lang/model.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';
import { argumentOf, calleeName, fileMentions, HTTP_METHODS, HTTP_MODULES, importsModule, isExpectedFailureOrComparison, pycurlName, symbolOf } from './util.js';

/** What a setting checks: the certificate chain (CWE-295) or the host name (CWE-297). */
export type Family = 'certificate' | 'hostname';

/** True when a call sends a request or builds a client of requests/httpx (`requests.get`, `session.get`, `httpx.Client`). */
export function isHttpCall(ctx: MatchContext, call: SyntaxNode): boolean {
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

export const isFalse = (f: Flow) => f.value.type === 'bool' && !f.value.value;

/** `ssl.CERT_NONE`, `ssl.VerifyMode.CERT_NONE`, urllib3's `"CERT_NONE"`/`"NONE"`, redis' `"none"` (a module's own `CERT_NONE = 0` is its definition, not a use). */
export function isCertNone(f: Flow): boolean {
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

export interface Sink {
  /** The expression that sets verification. */
  value: SyntaxNode;
  sinkName: string;
  /** True for the possibilities that turn verification off. */
  off(f: Flow): boolean;
  message(f: Flow): string;
  /** Notes a value taken from a switch (`verify=self.verify`): boolean on/off settings only. */
  switchable: boolean;
}

/** Option-dict entries the rules report where they are written (`{"ssl_check_hostname": False}`), by family. */
export const ENTRIES: Record<Family, readonly string[]> = {
  certificate: ['ssl_cert_reqs', 'validate_cert', 'verify_certs'],
  hostname: ['check_hostname', 'ssl_check_hostname', 'assert_hostname'],
};
const ENTRY_KEYS = new Set(Object.values(ENTRIES).flat());

/** True when a value travelled out of an option-dict entry that is reported where it is written. */
function reportedAtEntry(flow: Flow): boolean {
  return flow.steps.some((s) => s.via === 'element' && ENTRY_KEYS.has(s.name) && s.node.parent?.type === 'pair');
}

/** A `#any-of?` list of the entry keys of a family, for a rule's query. */
export function entryKeys(family: Family): string {
  return ENTRIES[family].map((k) => `"${k}"`).join(' ');
}

/** Reports every possibility of a setting that turns verification off; a note when it comes from a switch. */
export function judge(ctx: MatchContext, sink: Sink, flows = ctx.lang.values(sink.value)): void {
  let found = false;
  for (const flow of flows) {
    if (!sink.off(flow)) continue;
    found = true;
    if (reportedAtEntry(flow)) continue;
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
const SETTINGS: Record<string, { family: Family; off(f: Flow): boolean; accepts: string; advice: string; switchable: boolean; applies?(ctx: MatchContext, call: SyntaxNode): boolean }> = {
  verify: { family: 'certificate', off: isFalse, accepts: CERTIFICATE, advice: 'pass verify=<path to the CA bundle> (or an ssl context) instead', switchable: true, applies: isHttpCall },
  cert_reqs: { family: 'certificate', off: isCertNone, accepts: CERTIFICATE, advice: 'use ssl.CERT_REQUIRED with a CA bundle', switchable: false },
  ssl_cert_reqs: { family: 'certificate', off: isCertNone, accepts: CERTIFICATE, advice: 'use ssl.CERT_REQUIRED ("required") with a CA bundle', switchable: false },
  assert_hostname: { family: 'hostname', off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: false },
  check_hostname: { family: 'hostname', off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  ssl_check_hostname: { family: 'hostname', off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  ssl_match_hostname: { family: 'hostname', off: isFalse, accepts: HOST, advice: 'leave host name checking on', switchable: true },
  validate_cert: { family: 'certificate', off: isFalse, accepts: CERTIFICATE, advice: 'keep validate_cert=True and pass ca_certs=<CA bundle>', switchable: true },
  verify_certs: { family: 'certificate', off: isFalse, accepts: CERTIFICATE, advice: 'keep verify_certs=True and pass ca_certs=<CA bundle>', switchable: true },
  tlsAllowInvalidCertificates: { family: 'certificate', off: isTrue, accepts: CERTIFICATE, advice: 'remove it and pass tlsCAFile=<CA bundle>', switchable: false },
  tlsAllowInvalidHostnames: { family: 'hostname', off: isTrue, accepts: HOST, advice: 'remove it', switchable: false },
  tlsInsecure: { family: 'certificate', off: isTrue, accepts: `${CERTIFICATE} for any host`, advice: 'remove it and pass tlsCAFile=<CA bundle>', switchable: false },
  ssl: { family: 'certificate', off: isFalse, accepts: CERTIFICATE, advice: 'pass ssl=<an ssl.SSLContext that trusts your CA> instead', switchable: true, applies: usesAiohttp },
  verify_ssl: { family: 'certificate', off: isFalse, accepts: CERTIFICATE, advice: 'pass ssl=<an ssl.SSLContext that trusts your CA> instead', switchable: true, applies: usesAiohttp },
};

function isServerSide(ctx: MatchContext, call: SyntaxNode): boolean {
  const s = ctx.lang.shape(call);
  const arg = s.t === 'call' ? s.args.find((a) => a.name === 'server_side') : undefined;
  return !!arg && ctx.lang.values(arg.node).some((f) => f.value.type !== 'bool' || f.value.value);
}

function usesAiohttp(ctx: MatchContext): boolean {
  return fileMentions(ctx, 'aiohttp') && importsModule(ctx.lang, /^aiohttp(?:\.|$)/);
}

/** A keyword argument that sets verification on a call, when it is a setting of `family`. */
export function keyword(ctx: MatchContext, family: Family, kwarg: SyntaxNode, kw: string, value: SyntaxNode): void {
  const setting = SETTINGS[kw];
  if (setting?.family !== family) return;
  const call = kwarg.parent?.parent;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  if (!setting || !call || !fn || isExpectedFailureOrComparison(kwarg) || (setting.applies && !setting.applies(ctx, call))) return;
  // a server that does not ask for client certificates (`wrap_socket(..., server_side=True, cert_reqs=CERT_NONE)`) is the norm
  if (kw === 'cert_reqs' && isServerSide(ctx, call)) return;
  const shownValue = (f: Flow) => (f.node.type === 'false' ? 'False' : f.node.type === 'true' ? 'True' : f.node.text);
  judge(ctx, { value, sinkName: `${kw}= on ${fn.text}()`, off: setting.off, switchable: setting.switchable, message: (f) => `${kw}=${shownValue(f)} on ${fn.text}() ${setting.accepts}; ${setting.advice}.` });
}

/** An option dict's entry (`ssl_options={"cert_reqs": ssl.CERT_NONE}` for tornado, a connection's `ssl` dict). */
export function entry(ctx: MatchContext, family: Family, key: string, value: SyntaxNode): void {
  const setting = SETTINGS[key];
  if (!setting || setting.family !== family || setting.applies || isExpectedFailureOrComparison(value)) return;
  judge(ctx, { value, sinkName: `"${key}"`, off: setting.off, switchable: false, message: (f) => `"${key}": ${f.node.text} ${setting.accepts}; ${setting.advice}.` });
}

/** `session.verify = False`, `ctx.check_hostname = False`, `ctx.verify_mode = ssl.CERT_NONE`. */
export function attribute(ctx: MatchContext, family: Family, assign: SyntaxNode, object: SyntaxNode, field: string, value: SyntaxNode): void {
  if ((field === 'check_hostname') !== (family === 'hostname') || isExpectedFailureOrComparison(value)) return;
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
export function element(ctx: MatchContext, family: Family, object: SyntaxNode, key: string, value: SyntaxNode): void {
  if (/hostname/.test(key) !== (family === 'hostname') || isExpectedFailureOrComparison(value)) return;
  const sinkName = `${object.text}["${key}"]`;
  if (key === 'verify') {
    if (!(fileMentions(ctx, 'requests') || fileMentions(ctx, 'httpx'))) return;
    judge(ctx, { value, sinkName, off: isFalse, switchable: true, message: () => `${sinkName} = False makes the request it is passed to accept any server certificate; pass the CA bundle path instead.` });
  } else if (key === 'cert_reqs') {
    judge(ctx, { value, sinkName, off: isCertNone, switchable: false, message: (f) => `${sinkName} = ${f.node.text} accepts any server certificate; use ssl.CERT_REQUIRED with a CA bundle.` });
  } else if (key === 'assert_hostname' || key === 'check_hostname') {
    judge(ctx, { value, sinkName, off: isFalse, switchable: false, message: () => `${sinkName} = False accepts a valid certificate issued for any other host; leave host name checking on.` });
  }
}

/**
 * pycurl `c.setopt(pycurl.SSL_VERIFYPEER, 0)` / `setopt(pycurl.SSL_VERIFYHOST, 0)`: a libcurl check
 * switched off (0 or False), reported with `message(value as written)`.
 */
export function curlOptionOff(ctx: MatchContext, call: SyntaxNode, option: 'SSL_VERIFYPEER' | 'SSL_VERIFYHOST', message: (shown: string) => string): void {
  const name = argumentOf(ctx.lang, call, 0);
  const value = argumentOf(ctx.lang, call, 1);
  if (!name || !value || isExpectedFailureOrComparison(call)) return;
  if (!ctx.lang.values(name).some((f) => pycurlName(ctx, f) === option)) return;
  for (const flow of ctx.lang.values(value)) {
    if (!((flow.value.type === 'number' && flow.value.value === 0) || (flow.value.type === 'bool' && !flow.value.value))) continue;
    ctx.report(flowReport(ctx, flow, { sink: value, sinkName: `setopt(${option}, ...)`, message: message(flow.node.text) }));
  }
}
