import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { TextEdit } from '../../src/types.js';
import { dotnetTarget, usesSystemDefault } from './framework.js';
import { atSink, flagText, floorBits, floorMember, judge, laterRestriction, assignmentQuery, protocolValues, reportOld, type Flag, type ProtocolValue } from './util.js';

/** The fix of a value written entirely at the sink: the old members become Tls12 (or the cast's number 3072). */
function fixOfValue(ctx: MatchContext, value: ProtocolValue, old: Flag[], modern: Flag[], right: SyntaxNode): TextEdit[] | undefined {
  const floor = ctx.settings.minTlsVersion;
  if (value.unknown || value.flow.guard || !value.flags.every((f) => atSink(ctx, f, right))) return undefined;
  if (old.some((f) => f.numeric)) {
    // `(SecurityProtocolType)192` -> `(SecurityProtocolType)3072`: one number holds the whole value
    if (value.flags.length !== 1) return undefined;
    const flag = value.flags[0]!;
    const n = flag.flow.node;
    // the number of a cast keeps its cast; a folded union of casts gets one
    const parent = n.parent ? ctx.lang.shape(n.parent) : undefined;
    const cast = parent?.t === 'cast' || (parent?.t === 'wrap' && n.parent!.parent && ctx.lang.shape(n.parent!.parent).t === 'cast');
    const type = flag.flow.value.type === 'number' ? flag.flow.value.cast : undefined;
    if (!cast && !type) return undefined;
    return [{ start: n.startIndex, end: n.endIndex, text: cast ? String(floorBits(floor)) : `(${type})${floorBits(floor)}` }];
  }
  const first = old[0]!.flow.node.text;
  const qualifier = first.includes('.') ? first.slice(0, first.lastIndexOf('.') + 1) : '';
  const keep = modern.map((m) => m.flow.node.text);
  return [{ start: right.startIndex, end: right.endIndex, text: keep.length ? keep.join(' | ') : `${qualifier}${floorMember(floor)}` }];
}

export default defineRule({
  id: 'dotnet/security-protocol-outdated',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'protocol',
  title: 'ServicePointManager.SecurityProtocol enables SSL 3.0, TLS 1.0 or TLS 1.1',
  description:
    '`ServicePointManager.SecurityProtocol = / |=` a value that enables Ssl3, Tls or Tls11: enum members, unions, numeric casts and arithmetic such as `(SecurityProtocolType)192` or `(SecurityProtocolType)(24 + 24)`, locals, fields, constants (also of a static class in another file of the project, or through `using static`), parameter defaults and the call sites of a helper, factories and properties. `&= ~...` removes protocols and is not reported; a later `&= ~(Tls | Tls11)` or a safe `=` in the same method restricts an earlier weak value.',
  help: `**Why it matters.** \`ServicePointManager.SecurityProtocol\` decides the protocols of every
\`HttpWebRequest\`, \`WebClient\`, WCF and \`HttpClient\` (on .NET Framework) connection of the
AppDomain, including clients built on them such as RestSharp. \`Tls\` and \`Tls11\` are deprecated
(RFC 8996), \`Ssl3\` is broken, and a value without \`Tls12\` cannot reach TLS-1.2-only servers.

**How to fix it.**
- .NET Framework 4.7 and later, .NET Core/.NET 5+: remove the assignment; the OS default
  (\`SystemDefault\`) negotiates TLS 1.2 and 1.3.
- .NET Framework 4.5-4.6.x: add TLS 1.2 once at startup, before the first request:

\`\`\`csharp
ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
ServicePointManager.SecurityProtocol &= ~(SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls | SecurityProtocolType.Tls11);
\`\`\`

- .NET Framework 4.0 (with 4.5+ installed): \`(SecurityProtocolType)3072\` is TLS 1.2.

A value set only behind a configuration switch (\`if (settings.LegacyTls)\`) is reported as a note
that names the switch. The offered fix replaces the old members by \`Tls12\` (or the cast's number
by 3072) where the whole value is written at the assignment.`,
  remedy: 'On .NET 4.7+/Core remove the assignment (OS default); on 4.5/4.6 use ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SecurityProtocol'],
  fixable: true,
  query: assignmentQuery(['SecurityProtocol']),
  check(ctx) {
    const { left, right, assign, op: opNode } = ctx.captures;
    if (!left || !right || !assign || !opNode) return;
    const op = opNode.text;
    if (op !== '=' && op !== '|=') return;
    const floor = ctx.settings.minTlsVersion;
    const values = protocolValues(ctx.lang.values(right));
    if (!values.some((v) => v.flags.length)) return;
    const later = laterRestriction(ctx, assign, left, 'SecurityProtocol');
    if (later.reset) return;
    const target = ctx.project.nearest(dotnetTarget)?.value;
    const advice =
      target && usesSystemDefault(target)
        ? `this project targets ${target.text}: remove the assignment and let the OS choose (SystemDefault)`
        : `use SecurityProtocolType.${floorMember(floor)} (on .NET 4.5/4.6 add it with |=; on 4.7+ prefer the OS default)`;
    for (const value of values) {
      const { old, modern } = judge(value, floor, later.removed);
      if (old.length === 0) continue;
      reportOld(ctx, old, {
        sink: right,
        sinkName: 'ServicePointManager.SecurityProtocol',
        message: (flags) => `SecurityProtocol ${op} enables ${[...new Set(flags.map((f) => flagText(f, later.removed)))].join(', ')}, deprecated by RFC 8996; ${advice}.`,
        edits: later.removed ? undefined : fixOfValue(ctx, value, old, modern, right),
        fixDescription: `enable TLS ${floor} instead`,
      });
    }
  },
});
