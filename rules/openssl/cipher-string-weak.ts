import { defineRule } from '../../src/rule.js';
import { parseIni } from '../../src/formats/serverconf.js';
import { weakCiphers } from '../../src/formats/ciphers.js';

export default defineRule({
  id: 'openssl/cipher-string-weak',
  fileKind: 'openssl',
  severity: 'error',
  kind: 'cipher',
  title: 'openssl.cnf CipherString lowers the security level to 0 or enables weak ciphers',
  description:
    'An OpenSSL configuration file\'s `CipherString` contains `@SECLEVEL=0` (TLS 1.0/1.1, SHA-1 and any key size accepted again under OpenSSL 3) or names RC4, DES/3DES, NULL, EXPORT or anonymous suites.',
  help: `**Why it matters.** OpenSSL 3 refuses TLS 1.0/1.1, SHA-1 signatures and RSA keys below 2048
bits at its default security level. \`CipherString = DEFAULT@SECLEVEL=0\` (a popular workaround for
"unsupported protocol" errors) switches all of that off for every program using the file. RC4, 3DES,
NULL and EXPORT entries bring back broken or deliberately weakened ciphers.

**How to fix it.** Use \`CipherString = DEFAULT@SECLEVEL=2\` (or leave the line out), keep
\`MinProtocol = TLSv1.2\`, and upgrade the legacy peer instead of lowering the machine-wide level.
If one program truly needs it, lower the level in that program's own TLS context only.`,
  cwe: ['CWE-327'],
  precision: 'very-high',
  triggers: ['CipherString'],
  check(ctx) {
    for (const e of parseIni(ctx.file.text)) {
      if (e.key.toLowerCase() !== 'cipherstring') continue;
      for (const weak of weakCiphers(e.value)) {
        ctx.report({
          start: e.valueStart + weak.start,
          end: e.valueStart + weak.end,
          message: `CipherString ${weak.token}: ${weak.reason}; use CipherString = DEFAULT@SECLEVEL=2.`,
        });
      }
    }
  },
});
