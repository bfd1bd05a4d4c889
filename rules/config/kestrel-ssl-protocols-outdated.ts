import { defineRule } from '../../src/rule.js';

/** .NET `SslProtocols` enum members that allow SSL 3.0, TLS 1.0 or TLS 1.1. */
const OLD: Record<string, string> = {
  ssl2: 'SSL 2.0',
  ssl3: 'SSL 3.0',
  tls: 'TLS 1.0',
  tls11: 'TLS 1.1',
  default: 'SSL 3.0 and TLS 1.0',
};

export default defineRule({
  id: 'config/kestrel-ssl-protocols-outdated',
  fileKind: 'appsettings',
  severity: 'error',
  kind: 'protocol',
  title: 'Kestrel SslProtocols in appsettings enables TLS 1.0/1.1',
  description:
    'An ASP.NET Core `appsettings*.json` sets a Kestrel endpoint\'s (or `EndpointDefaults`\') `SslProtocols` to `Tls`, `Tls11`, `Ssl3` or `Default`, enabling deprecated protocols on the HTTPS endpoint.',
  help: `**Why it matters.** \`Kestrel:Endpoints:<name>:SslProtocols\` and
\`Kestrel:EndpointDefaults:SslProtocols\` override the operating system's protocol choice. \`Tls\` is
TLS 1.0, \`Tls11\` TLS 1.1 and \`Default\` means SSL 3.0 plus TLS 1.0: all deprecated (RFC 8996).

**How to fix it.** Remove \`SslProtocols\` so the OS default applies (TLS 1.2 and 1.3 on supported
Windows and Linux), or list only current versions:

\`\`\`json
"Kestrel": { "EndpointDefaults": { "SslProtocols": ["Tls12", "Tls13"] } }
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SslProtocols', 'sslProtocols'],
  files: {
    appsettings: {
      query: '(pair key: (string) @key value: (_) @value)',
      check(ctx) {
        const { key, value } = ctx.captures;
        if (!key || !value || key.text.slice(1, -1).toLowerCase() !== 'sslprotocols') return;
        const strings = value.type === 'string' ? [value] : value.type === 'array' ? value.namedChildren.filter((c) => c.type === 'string') : [];
        const old: Array<{ name: string; what: string; start: number; end: number }> = [];
        for (const s of strings) {
          for (const m of s.text.slice(1, -1).matchAll(/[A-Za-z0-9]+/g)) {
            const what = OLD[m[0].toLowerCase()];
            const start = s.startIndex + 1 + m.index;
            if (what) old.push({ name: m[0], what, start, end: start + m[0].length });
          }
        }
        if (old.length === 0) return;
        ctx.report({
          start: old[0]!.start,
          end: old[old.length - 1]!.end,
          message: `Kestrel SslProtocols enables ${old.map((o) => `${o.name} (${o.what})`).join(', ')}, deprecated by RFC 8996; remove SslProtocols to use the OS default, or set ["Tls12", "Tls13"].`,
        });
      },
    },
  },
});
