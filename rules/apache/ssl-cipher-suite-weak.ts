import { defineRule, type FileContext } from '../../src/rule.js';
import { cachedConf, walkConf } from '../../src/formats/serverconf.js';
import { weakCiphers } from '../../src/formats/ciphers.js';

const DIRECTIVE = /^SSL(?:Proxy)?CipherSuite$/i;

function check(ctx: FileContext): void {
  for (const d of walkConf(cachedConf(ctx.file))) {
    if (d.section || !DIRECTIVE.test(d.name) || d.args.length === 0) continue;
    // `SSLCipherSuite TLSv1.3 TLS_AES_...` (httpd 2.4.36+): the first word names the protocol
    const arg = d.args.length > 1 && /^(?:SSL|TLSv1\.3)$/i.test(d.args[0]!.text) ? d.args[1]! : d.args[0]!;
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
  id: 'apache/ssl-cipher-suite-weak',
  fileKind: 'apache',
  severity: 'error',
  kind: 'cipher',
  title: 'Apache SSLCipherSuite enables RC4, 3DES, NULL, EXPORT or @SECLEVEL=0',
  description:
    'An Apache httpd `SSLCipherSuite` or `SSLProxyCipherSuite` list names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, or lowers OpenSSL\'s security level to 0.',
  help: `**Why it matters.** RC4 is broken (RFC 7465), 3DES has a 64-bit block (Sweet32), NULL and
anonymous suites give no encryption or no authentication, and EXPORT suites are the deliberately
weakened ciphers behind FREAK and Logjam. \`@SECLEVEL=0\` lets OpenSSL 3 accept TLS 1.0/1.1, SHA-1
signatures and tiny keys again.

**How to fix it.** Remove the weak entries (exclusions such as \`!RC4\` are fine), or use a
maintained list such as Mozilla's "intermediate" configuration, with
\`SSLHonorCipherOrder off\` and \`SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1\`.`,
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['SSLCipherSuite', 'SSLProxyCipherSuite', 'sslciphersuite'],
  files: { apache: { check }, serverconf: { check } },
});
