import { curlVersionVerdict } from '../../src/formats/tls-names.js';
import { unionParts } from '../../src/lang/model.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport, isTranslation } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import { bareName, constantName, constantSpan, curlOptionQuery } from './util.js';

export default defineRule({
  id: 'php/curl-sslversion-outdated',
  fileKind: 'php',
  severity: 'error',
  kind: 'protocol',
  title: 'PHP cURL CURLOPT_SSLVERSION set to SSLv3, TLS 1.0 or TLS 1.1',
  description:
    '`curl_setopt($ch, CURLOPT_SSLVERSION, ...)`, `curl_setopt_array()` and option arrays (`[CURLOPT_SSLVERSION => ...]`, Guzzle\'s `\'curl\'` option, `$opts[CURLOPT_SSLVERSION] = ...`) with `CURL_SSLVERSION_SSLv3`, `_TLSv1`, `_TLSv1_0`, `_TLSv1_1`, their integer values (3, 1, 4, 5), or a `CURL_SSLVERSION_MAX_TLSv1_0`/`_1_1` cap, written there or through constants, `define()`, class constants, variables and parameters: the transfer may use (or is pinned to) a deprecated protocol version.',
  help: `**Why it matters.** PHP's cURL passes \`CURLOPT_SSLVERSION\` to libcurl, which (from 7.54) reads
it as a floor: \`CURL_SSLVERSION_TLSv1\` (1), \`_TLSv1_0\` (4) and \`_TLSv1_1\` (5) let the transfer fall
back to TLS 1.0 or 1.1, deprecated by RFC 8996, and \`CURL_SSLVERSION_SSLv3\` (3) selects a broken
protocol; older libcurl pinned the version, so the same code fails against TLS-1.2-only servers.
Integer values are common in legacy code written before the constants existed (PHP 5.5.19).

**How to fix it.** As the vendors' guidance says:

\`\`\`php
curl_setopt($ch, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
\`\`\`

or leave the option unset on a current PHP and libcurl, whose default floor is TLS 1.2, and take
the libcurl and OpenSSL package updates. The fix replaces the constant where it is written at the
option (\`CURL_SSLVERSION_TLSv1_3\` under a TLS 1.3 policy; caps become \`CURL_SSLVERSION_MAX_DEFAULT\`).`,
  remedy: 'Set CURLOPT_SSLVERSION to CURL_SSLVERSION_TLSv1_2 (or leave it unset on a current PHP and libcurl).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['CURLOPT_SSLVERSION', 'CURLOPT_PROXY_SSLVERSION'],
  fixable: true,
  query: curlOptionQuery('CURLOPT_(PROXY_)?SSLVERSION'),
  check(ctx) {
    const { option, value } = ctx.captures;
    const optionName = bareName(option!);
    const verdictOf = (f: Flow) => {
      const name = f.value.type === 'number' ? f.value.value : constantName(f);
      return name === undefined ? undefined : curlVersionVerdict(name, ctx.settings.minTlsVersion);
    };
    const flows = ctx.lang.values(value!);
    for (const flow of flows) {
      for (const part of unionParts(flow)) {
        const v = part.value;
        const shown = v.type === 'number' ? String(v.value) : constantName(part);
        const verdict = verdictOf(part);
        // `if (STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT === $opt) { $conf[CURLOPT_SSLVERSION] = CURL_SSLVERSION_TLSv1_0; }`: a translation
        if (!verdict || isTranslation(ctx, part, flows, (f) => verdictOf(f) !== undefined)) continue;
        const span = part === flow ? constantSpan(part.node) : undefined;
        ctx.report(
          flowReport(ctx, part, {
            sink: value!,
            sinkName: optionName,
            message: `${optionName} ${shown} ${verdict.what}; set ${verdict.fix}.`,
            fix: span ? replaceFix(`use ${verdict.fix}`, span.start, span.end, verdict.fix) : undefined,
          }),
        );
      }
    }
  },
});
