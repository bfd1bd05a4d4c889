import { weakCiphers, withoutWeakCiphers } from '../../src/formats/ciphers.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import { bareName, contextOptionQuery, curlOptionQuery } from './util.js';

export default defineRule({
  id: 'php/cipher-list-weak',
  fileKind: 'php',
  severity: 'error',
  kind: 'cipher',
  title: 'PHP cURL or stream cipher list enables weak ciphers',
  description:
    '`CURLOPT_SSL_CIPHER_LIST` (in `curl_setopt`, `curl_setopt_array` or option arrays) or a stream context\'s `ciphers` option names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`; values are followed through constants and variables.',
  help: `**Why it matters.** Both settings are OpenSSL cipher strings handed to the library that makes
the connection. Broken or deliberately weakened suites let an attacker decrypt or tamper with
traffic (RC4 biases, Sweet32, FREAK/Logjam); security level 0 re-enables TLS 1.0/1.1 and SHA-1 in
OpenSSL 3.

**How to fix it.** Remove the weak entries, or leave the option out: the defaults of PHP and
libcurl are sound.

\`\`\`php
curl_setopt($ch, CURLOPT_SSL_CIPHER_LIST, 'ECDHE+AESGCM:ECDHE+CHACHA20');
$ctx = stream_context_create(['ssl' => ['ciphers' => 'HIGH:!aNULL:!MD5:!RC4:!3DES']]);
\`\`\`

The fix removes the weak entries from a string literal written at the option, where the rest still
selects suites.`,
  remedy: 'Remove the weak entries from the cipher list, or leave the option at the library default.',
  cwe: ['CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSL_CIPHER_LIST', "'ciphers'", '"ciphers"'],
  fixable: true,
  query: `${curlOptionQuery('CURLOPT_(PROXY_)?SSL_CIPHER_LIST')}
${contextOptionQuery('ciphers')}`,
  check(ctx) {
    const { option, key, value } = ctx.captures;
    const sinkName = option ? bareName(option) : "'ciphers'";
    for (const flow of ctx.lang.values(value!)) {
      if (flow.value.type !== 'string') continue;
      const list = flow.value.value;
      const weak = weakCiphers(list);
      if (weak.length === 0) continue;
      const text = flow.node.text;
      const verbatim = (flow.node.type === 'string' || flow.node.type === 'encapsed_string') && (text === `'${list}'` || text === `"${list}"`);
      const fixed = verbatim ? withoutWeakCiphers(list) : undefined;
      const reasons = [...new Set(weak.map((w) => w.reason))].join('; ');
      ctx.report(
        flowReport(ctx, flow, {
          sink: value!,
          sinkName: key ? `${sinkName} (stream context)` : sinkName,
          message: `${sinkName} enables weak ciphers: ${weak.map((w) => w.token).join(', ')} (${reasons}); remove them${fixed ? '' : ' or exclude them with !'}.`,
          fix: fixed ? replaceFix('remove the weak ciphers', flow.node.startIndex + 1, flow.node.endIndex - 1, fixed) : undefined,
        }),
      );
    }
  },
});
