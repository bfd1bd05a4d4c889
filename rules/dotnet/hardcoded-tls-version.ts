import { defineRule } from '../../src/rule.js';
import { dotnetTarget, usesSystemDefault } from './framework.js';
import { enumValue, lastName, OLD_MEMBERS, operatorOf } from './util.js';

export default defineRule({
  id: 'dotnet/hardcoded-tls-version',
  fileKind: 'csharp',
  severity: 'note',
  kind: 'default',
  title: 'TLS 1.2 hard-coded where the OS default is the better choice (.NET 4.7+ / .NET Core)',
  description:
    'A project that targets .NET Framework 4.7 or later, or .NET Core/.NET 5+, assigns `SecurityProtocolType.Tls12` (or `SslProtocols.Tls12`) explicitly. Microsoft\'s guidance for these runtimes is to let the OS choose, so TLS 1.3 and future versions work without a code change. Never reported on 4.5/4.6, where hard-coding Tls12 is the recommended fix.',
  help: `**Why it matters.** A hard-coded \`Tls12\` pins the application to TLS 1.2: it will never use
TLS 1.3, and a later OS policy cannot raise it. On .NET Framework 4.7+ and .NET Core the runtime
defers to the operating system (\`SystemDefault\`), which already negotiates TLS 1.2 and 1.3.

**How to fix it.** Remove the assignment (and make sure \`<httpRuntime targetFramework="4.7"/>\` or
later is set for ASP.NET apps):

\`\`\`csharp
// ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12;   // delete
\`\`\``,
  cwe: ['CWE-757'],
  precision: 'high',
  securitySeverity: 2.0,
  triggers: ['Tls12'],
  query: `(assignment_expression left: (_) @left right: (_) @right) @assign`,
  check(ctx) {
    const { left, right, assign } = ctx.captures;
    if (!left || !right || !assign) return;
    const property = lastName(left);
    const enumName = property === 'SecurityProtocol' ? 'SecurityProtocolType' : property === 'SslProtocols' || property === 'EnabledSslProtocols' ? 'SslProtocols' : undefined;
    if (!enumName) return;
    const op = operatorOf(assign);
    if (op !== '=' && op !== '|=') return;
    const value = enumValue(right, ctx.root, enumName);
    if (value.unknown || !value.members.some((m) => m.name === 'Tls12') || value.members.some((m) => OLD_MEMBERS.has(m.name))) return;
    const target = ctx.project.nearest(dotnetTarget)?.value;
    if (!target || !usesSystemDefault(target)) return;
    ctx.report({
      node: right,
      message: `${property} ${op} ${right.text} pins TLS 1.2 although this project targets ${target.text}, where the OS default negotiates TLS 1.2 and 1.3; remove the assignment.`,
    });
  },
});
