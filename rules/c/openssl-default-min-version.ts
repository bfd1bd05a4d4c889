import { belowFloor } from '../../src/formats/tls-names.js';
import type { Scope } from '../../src/lang/facts.js';
import { guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { opensslVersionValue } from './openssl-min-version-outdated.js';
import { branchNote, buildRange, rangesCover, rangeText, symbolName, unionParts, type Range } from './util.js';

/** Methods that negotiate: the floor is the library's default. */
const NEGOTIATING = /^(?:wolf)?(?:SSLv23|TLS)_(?:client_|server_)?method$/;

/** Calls that raise the floor (when their values do), or hand it to the configuration (`SSL_CTX_config`, `OPENSSL_init_ssl` with the config file). */
const RAISERS = /^(?:SSL_CTX_set_min_proto_version|SSL_set_min_proto_version|SSL_CTX_ctrl|SSL_ctrl|SSL_CTX_set_options|SSL_set_options|SSL_CONF_cmd|SSL_CTX_config|SSL_config|CONF_modules_load_file|CONF_modules_load)$/;

function args(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
}

/** The functions whose code may raise the floor of a context made in `fn`: itself, the functions of this file it calls, and those that call it. */
function scopesAround(ctx: MatchContext, fn: Scope | undefined): Array<{ start: number; end: number }> {
  const facts = ctx.lang.facts;
  if (!fn) return [{ start: facts.module.start, end: facts.module.end }];
  const out = [{ start: fn.start, end: fn.end }];
  for (const c of facts.callsInOrder) {
    if (c.start < fn.start || c.start > fn.end) continue;
    for (const callee of facts.functions.get(c.name) ?? []) if (callee !== fn) out.push({ start: callee.start, end: callee.end });
  }
  if (fn.name) {
    for (const c of facts.calls.get(fn.name) ?? []) {
      const caller = ctx.lang.functionOf(c.node);
      if (caller && caller !== fn) out.push({ start: caller.start, end: caller.end });
    }
  }
  return out;
}

/**
 * The ranges of OpenSSL versions for which calls in `scopes` raise the floor to the policy (or
 * leave it to the configuration), and the SSL_OP_NO_* flags set there.
 */
function raisedFor(ctx: MatchContext, scopes: Array<{ start: number; end: number }>): { ranges: Range[]; flags: Set<string> } {
  const floor = ctx.settings.minTlsVersion;
  const out: Range[] = [];
  // SSL_OP_NO_* flags add up over several set_options calls of a build
  const options: Array<{ flags: Set<string>; range: Range }> = [];
  for (const c of ctx.lang.facts.callsInOrder) {
    if (!RAISERS.test(c.name) || !scopes.some((s) => c.start >= s.start && c.start <= s.end)) continue;
    const a = args(c.node);
    const range = buildRange(c.node);
    const atLeast = (value: SyntaxNode | undefined) => {
      const flows = value ? ctx.lang.values(value) : [];
      return flows.length > 0 && flows.every((f) => {
        const v = opensslVersionValue(f);
        return v !== undefined && v !== 'lowest' && !belowFloor(v, floor);
      });
    };
    switch (c.name) {
      case 'SSL_CTX_set_min_proto_version':
      case 'SSL_set_min_proto_version':
        if (atLeast(a[1])) out.push(range);
        break;
      case 'SSL_CTX_ctrl':
      case 'SSL_ctrl':
        if (a[1]?.text === 'SSL_CTRL_SET_MIN_PROTO_VERSION' && atLeast(a[2])) out.push(range);
        break;
      case 'SSL_CTX_set_options':
      case 'SSL_set_options': {
        const flags = new Set<string>();
        for (const f of a[1] ? ctx.lang.values(a[1]) : []) for (const p of unionParts(f)) flags.add(symbolName(p) ?? '');
        options.push({ flags, range });
        break;
      }
      case 'SSL_CONF_cmd': {
        const cmd = a[1] ? ctx.lang.values(a[1]) : [];
        const value = a[2] ? ctx.lang.values(a[2]) : [];
        if (cmd.some((f) => f.value.type === 'string' && /^(?:MinProtocol|-min_protocol)$/.test(f.value.value)) && value.every((f) => f.value.type === 'string' && /^TLSv1\.[23]$|^DTLSv1\.2$/.test(f.value.value))) out.push(range);
        break;
      }
      default:
        // the configuration decides (openssl.cnf's MinProtocol, checked by the openssl pack)
        out.push(range);
    }
  }
  // every build range where both SSL_OP_NO_TLSv1 and SSL_OP_NO_TLSv1_1 are set
  for (const o of options) {
    const flags = new Set(options.filter((x) => x.range.lo <= o.range.lo && x.range.hi >= o.range.hi).flatMap((x) => [...x.flags]));
    if (flags.has('SSL_OP_NO_TLSv1') && flags.has('SSL_OP_NO_TLSv1_1') && (floor === '1.2' || flags.has('SSL_OP_NO_TLSv1_2'))) out.push(o.range);
  }
  return { ranges: out, flags: new Set(options.flatMap((o) => [...o.flags])) };
}

export default defineRule({
  id: 'c/openssl-default-min-version',
  fileKind: 'c',
  severity: 'warning',
  kind: 'default',
  title: 'OpenSSL context left at the library\'s default protocol floor',
  description:
    '`SSL_CTX_new(SSLv23_method())`, `TLS_method()` and their client/server variants negotiate, and nothing in the function (nor in the file\'s functions it calls or that call it) raises the floor: no `SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)`, no `SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1`, no configuration loaded. With OpenSSL 1.0.x and 1.1.x the context accepts TLS 1.0 and 1.1 (and SSL 3.0 with SSLv23 methods before 1.1.0) unless the system configuration sets MinProtocol. A floor raised only in some `#if OPENSSL_VERSION_NUMBER` branches leaves the other builds at the default.',
  help: `**Why it matters.** A negotiating method uses the library's default floor. OpenSSL 1.0.x
enables SSL 3.0, TLS 1.0 and 1.1 for \`SSLv23_method()\`; 1.1.x still enables TLS 1.0 and 1.1 unless
the distribution's \`openssl.cnf\` sets \`MinProtocol = TLSv1.2\`; only OpenSSL 3.0 at security level
1 or higher refuses them. Code that creates a context without raising the floor therefore speaks
TLS 1.0 wherever it is built against an older OpenSSL (legacy images, vendored libraries,
embedded targets). Code that raises the floor only in \`#if OPENSSL_VERSION_NUMBER >= 0x10100000L\`
leaves the builds against older OpenSSL at the default, and the message says which.

**How to fix it.** Right after creating the context:

\`\`\`c
SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
#if OPENSSL_VERSION_NUMBER >= 0x10100000L
SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
#else
SSL_CTX_set_options(ctx, SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
#endif
\`\`\``,
  remedy: 'Call SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) (or set SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 before OpenSSL 1.1.0) after SSL_CTX_new.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'medium',
  securitySeverity: 5.3,
  triggers: ['SSL_CTX_new'],
  query: `(call_expression function: (identifier) @fn (#match? @fn "^SSL_CTX_new(_ex)?$") arguments: (argument_list)) @call`,
  check(ctx) {
    const { call, fn } = ctx.captures;
    const a = args(call!);
    const method = fn!.text === 'SSL_CTX_new_ex' ? a[2] : a[0];
    if (!method) return;
    const names = ctx.lang.values(method).map(symbolName);
    const negotiating = names.find((n) => n && NEGOTIATING.test(n));
    if (!negotiating || names.some((n) => !n || !NEGOTIATING.test(n))) return;
    const created = buildRange(call!);
    const { ranges: raised, flags } = raisedFor(ctx, scopesAround(ctx, ctx.lang.functionOf(call!)));
    if (rangesCover(created, raised)) return;
    const overlapping = raised.filter((r) => r.lo < created.hi && r.hi > created.lo);
    const partly = overlapping.length > 0 ? ` The floor is raised only for some builds (${overlapping.map(rangeText).join(', ')}), not for every OpenSSL this code builds against.` : '';
    ctx.report(
      guardedReport(ctx, {
        node: call!,
        message: `SSL_CTX_new(${negotiating}()) leaves the protocol floor at OpenSSL's default: TLS 1.0 and 1.1 stay allowed with OpenSSL 1.0.x and 1.1.x unless the system configuration sets MinProtocol${/SSLv23/.test(negotiating) && !flags.has('SSL_OP_NO_SSLv3') ? ' (SSL 3.0 too before 1.1.0)' : ''}; call SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) (SSL_CTX_set_options with SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 before 1.1.0).${partly}${branchNote(call!)}`,
      }),
    );
  },
});
