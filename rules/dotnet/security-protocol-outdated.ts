import { defineRule, fixOf } from '../../src/rule.js';
import type { TextEdit } from '../../src/types.js';
import { dotnetTarget, usesSystemDefault } from './framework.js';
import { enumValue, LABEL, lastName, MODERN_MEMBERS, OLD_MEMBERS, operatorOf } from './util.js';

export default defineRule({
  id: 'dotnet/security-protocol-outdated',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'protocol',
  title: 'ServicePointManager.SecurityProtocol enables SSL 3.0, TLS 1.0 or TLS 1.1, or lacks TLS 1.2',
  description:
    '`ServicePointManager.SecurityProtocol = / |=` a value that enables Ssl3, Tls or Tls11 (enum members, unions, numeric casts such as `(SecurityProtocolType)192`, a same-file constant or local), or an `=` assignment whose value has none of Tls12, Tls13 and SystemDefault. `&= ~...` removes protocols and is not reported.',
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

The offered fix replaces the old members by \`Tls12\` (or the cast's number by 3072).`,
  remedy: 'On .NET 4.7+/Core remove the assignment (OS default); on 4.5/4.6 use ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SecurityProtocol'],
  fixable: true,
  query: `(assignment_expression left: (_) @left right: (_) @right) @assign`,
  check(ctx) {
    const { left, right, assign } = ctx.captures;
    if (!left || !right || !assign || lastName(left) !== 'SecurityProtocol') return;
    const op = operatorOf(assign);
    if (op !== '=' && op !== '|=') return;
    const value = enumValue(right, ctx.root, 'SecurityProtocolType');
    if (value.members.length === 0) return;
    const old = value.members.filter((m) => OLD_MEMBERS.has(m.name));
    const modern = value.members.filter((m) => MODERN_MEMBERS.has(m.name));
    if (old.length === 0 && (op === '|=' || modern.length > 0 || value.unknown)) return;
    const target = ctx.project.nearest(dotnetTarget)?.value;
    const advice =
      target && usesSystemDefault(target)
        ? `this project targets ${target.text}: remove the assignment and let the OS choose (SystemDefault)`
        : 'use SecurityProtocolType.Tls12 (on .NET 4.5/4.6 add it with |=; on 4.7+ prefer the OS default)';
    const via = value.via ? ` (through ${value.via})` : '';
    const names = [...new Set(old.map((m) => m.name))];
    const message =
      old.length > 0
        ? `SecurityProtocol ${op} enables ${names.map((n) => `${n} (${LABEL[n]})`).join(', ')}${via}, deprecated by RFC 8996; ${advice}.`
        : `SecurityProtocol = ${right.text}${via} has no Tls12, Tls13 or SystemDefault, so connections to TLS-1.2-only servers fail; ${advice}.`;

    // fix: only when every member is written inline
    let edits: TextEdit[] | undefined;
    if (old.length > 0 && !value.via && !value.unknown && value.members.every((m) => m.inline)) {
      const numeric = old.filter((m) => m.numeric);
      if (numeric.length > 0) {
        // `(SecurityProtocolType)192` -> `(SecurityProtocolType)3072`, one cast holds the whole value
        const cast = numeric[0]!.node;
        const number = cast.childForFieldName('value')!;
        edits = value.members.every((m) => m.numeric && m.node.id === cast.id) ? [{ start: number.startIndex, end: number.endIndex, text: '3072' }] : undefined;
      } else {
        const first = old[0]!.node;
        const qualifier = first.childForFieldName('expression')!.text;
        const keep = modern.map((m) => m.node.text);
        const text = keep.length ? keep.join(' | ') : `${qualifier}.Tls12`;
        edits = [{ start: right.startIndex, end: right.endIndex, text }];
      }
    }
    ctx.report({
      start: old.length > 0 && old[0]!.inline ? old[0]!.node.startIndex : right.startIndex,
      end: old.length > 0 && old[old.length - 1]!.inline ? old[old.length - 1]!.node.endIndex : right.endIndex,
      message,
      fix: edits ? fixOf('enable TLS 1.2 instead', edits) : undefined,
    });
  },
});
