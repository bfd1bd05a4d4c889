import { flowReport, isTranslation } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import { branchNote, judgeCurlVersion, optionValue, symbolName, unionParts } from './util.js';

export default defineRule({
  id: 'c/curl-sslversion-outdated',
  fileKind: 'c',
  severity: 'error',
  kind: 'protocol',
  title: 'libcurl CURLOPT_SSLVERSION set to SSLv3, TLS 1.0 or TLS 1.1',
  description:
    '`curl_easy_setopt(h, CURLOPT_SSLVERSION, ...)` (or `CURLOPT_PROXY_SSLVERSION`, also through a wrapper macro) with `CURL_SSLVERSION_SSLv3`, `_TLSv1`, `_TLSv1_0`, `_TLSv1_1`, their numbers, or a `CURL_SSLVERSION_MAX_TLSv1_0`/`_1_1` cap, written at the call or through `#define`s, `const`s, locals and parameters: the transfer may use (or is pinned to) a deprecated protocol version.',
  help: `**Why it matters.** libcurl 7.54 and later read \`CURLOPT_SSLVERSION\` as a floor:
\`CURL_SSLVERSION_TLSv1\` (1), \`_TLSv1_0\` (4) and \`_TLSv1_1\` (5) let a transfer fall back to TLS 1.0
or 1.1, deprecated by RFC 8996; \`CURL_SSLVERSION_SSLv3\` (3) selects a protocol broken for years.
Older libcurl pinned the version instead, so the same code fails against servers that require
TLS 1.2. A \`CURL_SSLVERSION_MAX_TLSv1_0\`/\`_1_1\` cap forbids TLS 1.2 outright. Code in an
\`#if OPENSSL_VERSION_NUMBER < ...\` or \`#if LIBCURL_VERSION_NUM < ...\` branch still ships, in the
builds that take it.

**How to fix it.** As the vendors' guidance says, ask for TLS 1.2 and take the libcurl and OpenSSL
package updates (\`apt-get install --only-upgrade openssl libssl-dev\`, \`yum update openssl libcurl\`):

\`\`\`c
curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
\`\`\`

or leave the option unset on a current libcurl, whose default floor is TLS 1.2. The fix replaces
the constant where it is written at the call (\`CURL_SSLVERSION_TLSv1_3\` under a TLS 1.3 policy;
caps become \`CURL_SSLVERSION_MAX_DEFAULT\`).`,
  remedy: 'Set CURLOPT_SSLVERSION to CURL_SSLVERSION_TLSv1_2 (or leave it unset on a current libcurl), and take the libcurl/OpenSSL package updates.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['CURLOPT_SSLVERSION', 'CURLOPT_PROXY_SSLVERSION'],
  fixable: true,
  query: `(call_expression arguments: (argument_list (identifier) @option (#match? @option "^CURLOPT_(PROXY_)?SSLVERSION$"))) @call`,
  check(ctx) {
    const { call, option } = ctx.captures;
    const value = optionValue(call!, option!);
    if (!value) return;
    const flows = ctx.lang.values(value);
    const weak = (f: typeof flows[number]) => judgeCurlVersion(f, ctx.settings.minTlsVersion) !== undefined;
    for (const flow of flows) {
      for (const part of unionParts(flow)) {
        const verdict = judgeCurlVersion(part, ctx.settings.minTlsVersion);
        // `case CURL_TLS10: v = CURL_SSLVERSION_TLSv1_0;`: a translation of a setting made elsewhere
        if (!verdict || isTranslation(ctx, part, flows, weak)) continue;
        const named = part.node.type === 'identifier' && /^CURL_SSLVERSION_/.test(part.node.text);
        const shown = part.value.type === 'number' ? String(part.value.value) : (symbolName(part) ?? part.node.text);
        ctx.report(
          flowReport(ctx, part, {
            sink: value,
            sinkName: `${option!.text}`,
            message: `${option!.text} ${shown} ${verdict.what}; set ${verdict.fix}.${branchNote(call!)}`,
            fix: named && flow === part ? replaceFix(`use ${verdict.fix}`, part.node.startIndex, part.node.endIndex, verdict.fix) : undefined,
          }),
        );
      }
    }
  },
});
