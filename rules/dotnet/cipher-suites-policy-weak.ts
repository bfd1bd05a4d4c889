import { suiteWeakness, weakCipherList, type WeakCipher } from '../../src/formats/ciphers.js';
import { elementRemovals } from '../../src/lang/edits.js';
import { elementsOf, type Flow } from '../../src/lang/model.js';
import { anchorOf, flowReport } from '../../src/lang/report.js';
import { defineRule, fixOf, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { spanned } from './util.js';

/** What is weak in one `TlsCipherSuite` value: its member name is the IANA suite name. */
function weakOf(flow: Flow): WeakCipher | undefined {
  if (flow.value.type !== 'symbol') return undefined;
  const name = flow.value.name;
  const bare = name.slice(name.lastIndexOf('.') + 1);
  // `TlsCipherSuite.X`, or `X` with `using static System.Net.Security.TlsCipherSuite`
  if (!/^(?:TLS|SSL)_/.test(bare) || (name.includes('.') && !/(?:^|\.)TlsCipherSuite\.[^.]+$/.test(name))) return undefined;
  const reason = suiteWeakness(bare);
  return reason ? { token: bare, start: 0, end: bare.length, reason } : undefined;
}

/** `Enum.GetValues<TlsCipherSuite>()` (and the `typeof` form, cast or copied): every member, the weak ones too. */
const EVERY_SUITE = /^Enum\.GetValues(?:<TlsCipherSuite>\(\)|\(typeof\(TlsCipherSuite\)\))(?:\.(?:Cast|OfType)<TlsCipherSuite>\(\))?(?:\.To(?:Array|List)\(\))?$/;

function message(weak: WeakCipher[]): string {
  const one = new Set(weak.map((w) => w.token)).size === 1;
  return `CipherSuitesPolicy enables ${one ? 'a weak cipher suite' : 'weak cipher suites'}: ${weakCipherList(weak)}; remove ${one ? 'it' : 'them'}, or set no CipherSuitesPolicy to keep the OS defaults.`;
}

/** The elements of an array or collection initializer written at the sink (`new[] {...}`, `new List<TlsCipherSuite> {...}`, `[...]`), for fixes. */
function literalElements(ctx: MatchContext, arg: SyntaxNode): SyntaxNode[] | undefined {
  const s = ctx.lang.shape(arg);
  if (s.t === 'wrap') return literalElements(ctx, s.inner);
  if (s.t === 'list') return s.items;
  return undefined;
}

/**
 * Judges each list of suites the policy may receive. Weak members written in the policy's own
 * initializer are one finding spanning them (with a fix that removes them when others remain);
 * those that travelled are one finding per place they land.
 */
function judge(ctx: MatchContext, arg: SyntaxNode): void {
  const sinkName = 'new CipherSuitesPolicy(...)';
  const elements = literalElements(ctx, arg);
  for (const list of ctx.lang.values(arg)) {
    const items = elementsOf([list]);
    if (list.value.type !== 'list' && EVERY_SUITE.test(list.node.text.replace(/\s+/g, ''))) {
      ctx.report(
        flowReport(ctx, list, {
          sink: arg,
          sinkName,
          message: 'CipherSuitesPolicy enables every TlsCipherSuite member, among them NULL, anonymous, EXPORT, RC4 and 3DES suites; list strong suites only, or set no CipherSuitesPolicy to keep the OS defaults.',
        }),
      );
      continue;
    }
    const weak = items.flatMap((flow) => {
      const w = weakOf(flow);
      return w ? [{ flow, weak: w }] : [];
    });
    if (weak.length === 0) continue;
    const inline = weak.filter((i) => i.flow.steps.length === 0 && i.flow.src === ctx.file && !i.flow.guard && elements?.some((e) => e.id === i.flow.node.id));
    if (inline.length) {
      const drop = new Set(inline.map((i) => i.flow.node.id));
      const safe = inline.length === weak.length && elements && elements.some((e) => !drop.has(e.id));
      const report = flowReport(ctx, inline[0]!.flow, {
        sink: arg,
        sinkName,
        message: message(inline.map((i) => i.weak)),
        fix: safe ? fixOf('remove the weak cipher suites', elementRemovals(elements, drop)) : undefined,
      });
      ctx.report(spanned(ctx, report, inline[0]!.flow.node.startIndex, inline[inline.length - 1]!.flow.node.endIndex));
    }
    // the rest, grouped by where they land
    const groups = new Map<string, typeof weak>();
    for (const item of weak) {
      if (inline.includes(item)) continue;
      const a = anchorOf(ctx, item.flow, arg).node;
      const key = `${a.startIndex}:${a.endIndex}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const group of groups.values()) ctx.report(flowReport(ctx, group[0]!.flow, { sink: arg, sinkName, message: message(group.map((i) => i.weak)) }));
  }
}

export default defineRule({
  id: 'dotnet/cipher-suites-policy-weak',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'cipher',
  title: 'CipherSuitesPolicy enables RC4, 3DES, NULL, EXPORT or anonymous cipher suites',
  description:
    '`new CipherSuitesPolicy(...)` (SslStream, SslClient/ServerAuthenticationOptions, Kestrel `OnAuthenticate`, SocketsHttpHandler) with `TlsCipherSuite` members for RC4, DES/3DES, NULL, EXPORT, anonymous, MD5 or IDEA suites, written in the array or collection, or held in locals, fields, properties, constants of other files, parameters and factories; also `Enum.GetValues<TlsCipherSuite>()`, which enables every suite .NET knows.',
  help: `**Why it matters.** \`CipherSuitesPolicy\` replaces the operating system's cipher suite list
for a connection (it is honoured on Linux and macOS, where .NET uses OpenSSL). Listing
\`TLS_RSA_WITH_RC4_128_SHA\` (RC4, RFC 7465), \`TLS_RSA_WITH_3DES_EDE_CBC_SHA\` (Sweet32), NULL,
anonymous (\`_anon_\`) or EXPORT suites brings back ciphers that let an attacker read or change the
traffic, whatever OpenSSL's defaults say.

**How to fix it.** Remove the weak members, or do not set a policy at all and keep the OS defaults:

\`\`\`csharp
var options = new SslServerAuthenticationOptions
{
    CipherSuitesPolicy = new CipherSuitesPolicy(new[]
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    }),
};
\`\`\`

The offered fix removes the weak members from an array or collection written in the call when
others remain.`,
  remedy: 'Remove the weak TlsCipherSuite members from the policy (or set no CipherSuitesPolicy).',
  cwe: ['CWE-327'],
  precision: 'very-high',
  triggers: ['CipherSuitesPolicy'],
  fixable: true,
  query: `
(object_creation_expression type: (_) @type (#match? @type "(^|\\\\.)CipherSuitesPolicy$") arguments: (argument_list) @args) @create
(assignment_expression left: [(member_access_expression name: (identifier) @prop) (identifier) @prop] right: (implicit_object_creation_expression (argument_list) @args) @create (#eq? @prop "CipherSuitesPolicy"))
(variable_declaration type: (_) @type (#match? @type "(^|\\\\.)CipherSuitesPolicy$") (variable_declarator (implicit_object_creation_expression (argument_list) @args) @create))
`,
  check(ctx) {
    const { args, create } = ctx.captures;
    if (!args || !create) return;
    const s = ctx.lang.shape(create);
    if (s.t !== 'new') return;
    const arg = s.args.find((a) => a.name === 'allowedCipherSuites') ?? s.args.find((a) => !a.name);
    if (arg) judge(ctx, arg.node);
  },
});
