import { weakCiphers, withoutWeakCiphers } from '../../src/formats/ciphers.js';
import { haproxyDirectives } from '../../src/formats/haproxy.js';
import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';

const GLOBAL = new Set(['ssl-default-bind-ciphers', 'ssl-default-server-ciphers']);

function check(ctx: FileContext): void {
  const text = ctx.file.text;
  for (const d of haproxyDirectives(ctx.file)) {
    const lists = GLOBAL.has(d.name)
      ? d.args.slice(0, 1)
      : d.name === 'bind' || d.name === 'server' || d.name === 'default-server'
        ? d.args.flatMap((w, i) => (w.text === 'ciphers' && d.args[i + 1] ? [d.args[i + 1]!] : []))
        : [];
    for (const list of lists) {
      const weak = weakCiphers(list.text);
      if (weak.length === 0) continue;
      // a word written as it is read (no quotes or escapes): offsets map onto the file
      const verbatim = text.slice(list.start, list.end) === list.text;
      const fixed = verbatim ? withoutWeakCiphers(list.text) : undefined;
      const reasons = [...new Set(weak.map((w) => w.reason))].join('; ');
      ctx.report({
        start: verbatim ? list.start + weak[0]!.start : list.start,
        end: verbatim ? list.start + weak[weak.length - 1]!.end : list.end,
        message: `${GLOBAL.has(d.name) ? d.name : `${d.name} ciphers`} enables weak ciphers: ${weak.map((w) => w.token).join(', ')} (${reasons}); remove them.`,
        ...(fixed ? { fix: replaceFix('remove the weak ciphers', list.start, list.end, fixed) } : {}),
      });
    }
  }
}

export default defineRule({
  id: 'proxy/haproxy-ciphers-weak',
  fileKind: 'haproxy',
  severity: 'error',
  kind: 'cipher',
  title: 'HAProxy cipher list enables weak ciphers',
  description:
    '`ssl-default-bind-ciphers`, `ssl-default-server-ciphers`, or `ciphers` on a `bind`/`server` line names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`.',
  help: `**Why it matters.** These are OpenSSL cipher strings for HAProxy's TLS 1.2 (and older)
connections. Broken or deliberately weakened suites let an attacker decrypt or tamper with
traffic (Sweet32, RC4 biases, FREAK/Logjam).

**How to fix it.** Remove the weak entries; a modern list:

\`\`\`
global
    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305
    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
\`\`\`

The fix removes the weak entries when something else remains; exclusions (\`!RC4\`) are fine.`,
  remedy: 'Remove the weak entries from the HAProxy cipher lists.',
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['ciphers'],
  fixable: true,
  check,
});
