import { DOTNET_PROTOCOL_BITS } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule } from '../../src/rule.js';
import { dotnetTarget, usesSystemDefault } from './framework.js';
import { assignmentQuery, onlyModern, protocolValues, SSL_PROTOCOLS_PROPERTIES, type ProtocolValue } from './util.js';

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
  query: assignmentQuery(['SecurityProtocol', ...SSL_PROTOCOLS_PROPERTIES]),
  // only projects whose target framework uses the OS default are told to stop pinning
  applies: (project) => {
    const target = project.nearest(dotnetTarget)?.value;
    return !!target && usesSystemDefault(target);
  },
  check(ctx) {
    const { prop, right, assign, op } = ctx.captures;
    if (!prop || !right || !assign || !op || (op.text !== '=' && op.text !== '|=')) return;
    const property = prop.text;
    const floor = ctx.settings.minTlsVersion;
    const target = ctx.project.nearest(dotnetTarget)?.value;
    if (!target || !usesSystemDefault(target)) return;
    // possibilities of one origin (written here, or passed by one call site) all pin TLS 1.2, and nothing older:
    // a weaker one is another rule's finding
    const groups = new Map<number, ProtocolValue[]>();
    for (const v of protocolValues(ctx.lang.values(right))) {
      const site = v.flow.steps.findLast((s) => s.via === 'call-site')?.node.id ?? -1;
      groups.set(site, [...(groups.get(site) ?? []), v]);
    }
    for (const values of groups.values()) {
      if (!values.every((v) => onlyModern(v, floor) && v.flags.some((f) => f.bits & DOTNET_PROTOCOL_BITS.Tls12!))) continue;
      ctx.report(
        flowReport(ctx, values[0]!.flow, {
          sink: right,
          sinkName: property === 'SecurityProtocol' ? 'ServicePointManager.SecurityProtocol' : property,
          message: `${property} ${op.text} ${values[0]!.flow.steps.length ? `${right.text} (${values[0]!.flow.node.text})` : right.text} pins TLS 1.2 although this project targets ${target.text}, where the OS default negotiates TLS 1.2 and 1.3; remove the assignment.`,
        }),
      );
    }
  },
});
