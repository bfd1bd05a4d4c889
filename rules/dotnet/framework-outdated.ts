import { defineRule, type FileContext } from '../../src/rule.js';
import { compareVersion, isProjectFile, statedTargets } from './framework.js';

/** Code that turns TLS 1.2 on: the enum member, the 4.0-era cast, or the system default. */
const ENABLES_TLS12 = /\bTls12\b|\(\s*(?:System\.Net\.)?SecurityProtocolType\s*\)\s*(?:3072|0xC00|12288|0x3000)\b|\bSystemDefault\b|SchUseStrongCrypto|SystemDefaultTlsVersions/;
const SOURCE_FILE = /\.(?:cs|vb)$/i;

/** A project file (`project`) or a web.config/app.config stating old targets. */
function check(ctx: FileContext, project: boolean): void {
  // web.config next to a project file: the project file reports
  if (!project && ctx.project.siblings().some(isProjectFile)) return;
  const old = statedTargets(ctx.file.text, project).filter((s) => s.target.kind === 'framework' && compareVersion(s.target.version, [4, 6]) < 0);
  if (old.length === 0 || ctx.project.anyFileBelow(SOURCE_FILE, ENABLES_TLS12)) return;
  for (const s of old) {
    const v = s.target.kind === 'framework' ? s.target.version : [];
    const before45 = compareVersion(v, [4, 5]) < 0;
    ctx.report({
      start: s.start,
      end: s.end,
      message: before45
        ? `Targets .NET Framework ${s.target.text}, which cannot use TLS 1.2 without the (SecurityProtocolType)3072 cast and .NET 4.5+ installed, and no code of this project enables it; retarget to 4.8 or enable TLS 1.2 at startup.`
        : `Targets .NET Framework ${s.target.text}, where TLS 1.2 is off by default, and no code of this project enables it; retarget to 4.7.2+/4.8 or add ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12 at startup.`,
    });
  }
}

export default defineRule({
  id: 'dotnet/framework-outdated',
  fileKind: 'dotnet-project',
  severity: 'warning',
  kind: 'runtime',
  title: '.NET Framework below 4.6 and no code that enables TLS 1.2',
  description:
    'A project file (`TargetFrameworkVersion`, `TargetFramework(s)`) or web.config/app.config (`httpRuntime`/`compilation targetFramework`) targets .NET Framework before 4.6, and no C#/VB file of the project enables TLS 1.2. On 4.5 TLS 1.2 is implemented but off by default; before 4.5 it needs the `(SecurityProtocolType)3072` cast and 4.5+ installed.',
  help: `**Why it matters.** .NET Framework 4.5.x clients default to SSL 3.0 and TLS 1.0; 4.0 and older
do not know TLS 1.2 at all. Such applications fail as soon as a server (a payment provider, an
API gateway, Azure) accepts only TLS 1.2.

**How to fix it.** Best: retarget to .NET Framework 4.7.2 or 4.8 (or move to .NET 8) and set
\`<httpRuntime targetFramework="4.8" />\`, so the OS default applies. Until then, enable TLS 1.2 at
startup (Global.asax \`Application_Start\`, \`Main\`):

\`\`\`csharp
ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;          // 4.5, 4.5.x
ServicePointManager.SecurityProtocol |= (SecurityProtocolType)3072;           // 4.0 with 4.5+ installed
\`\`\`

or set the registry values \`SchUseStrongCrypto\` and \`SystemDefaultTlsVersions\` to 1.`,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  securitySeverity: 5.3,
  // only a project or config that states a Framework target below 4.6 can be a finding
  triggers: [/<TargetFrameworkVersion>\s*v?(?:[1-3]\.|4\.[0-5]\b)|<TargetFrameworks?>[^<]*\bnet(?:[1-3]\d|4[0-5])\d?(?![\d.])|targetFramework\s*=\s*"\s*v?(?:[1-3]\.|4\.[0-5]\b)/],
  files: {
    'dotnet-project': { check: (ctx) => check(ctx, true) },
    'web-config': { check: (ctx) => check(ctx, false) },
  },
});
