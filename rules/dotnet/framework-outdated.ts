import fs from 'node:fs';
import path from 'node:path';
import { defineRule } from '../../src/rule.js';
import { compareVersion, isConfigFile, isProjectFile, statedTargets } from './framework.js';

/** Code that turns TLS 1.2 on: the enum member, the 4.0-era cast, or the system default. */
const ENABLES_TLS12 = /\bTls12\b|\(\s*(?:System\.Net\.)?SecurityProtocolType\s*\)\s*(?:3072|0xC00|12288|0x3000)\b|\bSystemDefault\b|SchUseStrongCrypto|SystemDefaultTlsVersions/;
const MAX_FILES = 20000;
const enablesCache = new Map<string, boolean>();

/** True when any C#/VB file below the project folder enables TLS 1.2 (bin/obj and hidden folders skipped). */
function projectEnablesTls12(dir: string): boolean {
  const cached = enablesCache.get(dir);
  if (cached !== undefined) return cached;
  let seen = 0;
  let found = false;
  const stack = [dir];
  while (stack.length && !found && seen < MAX_FILES) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || /^(?:bin|obj|node_modules|packages)$/i.test(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && /\.(?:cs|vb)$/i.test(e.name) && ++seen) {
        try {
          if (ENABLES_TLS12.test(fs.readFileSync(p, 'latin1'))) {
            found = true;
            break;
          }
        } catch {
          // unreadable: the scan reports it on its own
        }
      }
    }
  }
  enablesCache.set(dir, found);
  return found;
}

export default defineRule({
  id: 'dotnet/framework-outdated',
  language: 'dotnet',
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
  triggers: ['TargetFramework', 'targetFramework'],
  files: {
    xml: {
      check(ctx) {
        const name = path.basename(ctx.file.path);
        const project = isProjectFile(name);
        if (!project && !isConfigFile(name)) return;
        const dir = path.dirname(path.resolve(ctx.file.path));
        // web.config next to a project file: the project file reports
        if (!project) {
          try {
            if (fs.readdirSync(dir).some(isProjectFile)) return;
          } catch {
            // unreadable folder: report from the config
          }
        }
        const old = statedTargets(ctx.file.text, name).filter((s) => s.target.kind === 'framework' && compareVersion(s.target.version, [4, 6]) < 0);
        if (old.length === 0 || projectEnablesTls12(dir)) return;
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
      },
    },
  },
});
