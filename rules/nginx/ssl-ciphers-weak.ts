import { defineRule, type FileContext } from '../../src/rule.js';
import { cachedConf, walkConf } from '../../src/formats/serverconf.js';
import { weakCiphers } from '../../src/formats/ciphers.js';

/** `ssl_ciphers` and its upstream variants. */
const DIRECTIVE = /^(?:(?:proxy|grpc|uwsgi|zone_sync)_)?ssl_ciphers$/;

function check(ctx: FileContext): void {
  for (const d of walkConf(cachedConf(ctx.file))) {
    if (!DIRECTIVE.test(d.name)) continue;
    const arg = d.args[0];
    if (!arg) continue;
    const quoted = ctx.file.text[arg.start] === '"' || ctx.file.text[arg.start] === "'";
    const base = arg.start + (quoted ? 1 : 0);
    for (const weak of weakCiphers(arg.text)) {
      ctx.report({
        start: base + weak.start,
        end: base + weak.end,
        message: `${d.name} enables ${weak.token} (${weak.reason}); remove it, or use Mozilla's intermediate cipher list.`,
      });
    }
  }
}

export default defineRule({
  id: 'nginx/ssl-ciphers-weak',
  fileKind: 'nginx',
  severity: 'error',
  kind: 'cipher',
  title: 'nginx ssl_ciphers enables RC4, 3DES, NULL, EXPORT or @SECLEVEL=0',
  description:
    'An nginx `ssl_ciphers` (or `proxy_ssl_ciphers`...) list names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 cipher suites, or lowers OpenSSL\'s security level to 0.',
  help: `**Why it matters.** RC4 is broken (RFC 7465), 3DES has a 64-bit block (Sweet32), NULL
and anonymous suites give no encryption or no authentication, and EXPORT suites are the
deliberately weakened ciphers behind FREAK and Logjam. \`@SECLEVEL=0\` tells OpenSSL 3 to accept
TLS 1.0/1.1, SHA-1 signatures and tiny keys again.

**How to fix it.** Remove the weak entries (exclusions such as \`!RC4\` or \`!3DES\` are fine), or use
a maintained list such as Mozilla's "intermediate" configuration:

\`\`\`nginx
ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
\`\`\``,
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['ssl_ciphers'],
  files: { nginx: { check }, serverconf: { check } },
});
