import { baseImageWords, imageVersions } from '../../src/formats/dockerfile.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { lowestPhp, phpTooOld } from './util.js';

const ADVICE = 'move to a supported PHP (8.x); TLS 1.2 needs at least PHP 5.6 with OpenSSL 1.0.1+, and only PHP 7.2 and later negotiate it on tls:// and STREAM_CRYPTO_METHOD_TLS_CLIENT by default';

/** The key path of a JSON pair: `config.platform.php`, `require.php`. */
function keyPath(pair: MatchContext['root']): string[] {
  const out: string[] = [];
  for (let n: MatchContext['root'] | null = pair; n; n = n.parent) {
    if (n.type !== 'pair') continue;
    const key = n.childForFieldName('key');
    out.unshift(key?.namedChildren.find((c) => c.type === 'string_content')?.text ?? key?.text ?? '');
  }
  return out;
}

export default defineRule({
  id: 'php/runtime-outdated',
  fileKind: 'composer',
  severity: 'warning',
  kind: 'runtime',
  title: 'PHP runtime too old for TLS 1.2 (before 5.6)',
  description:
    'composer.json pins `config.platform.php` to, or lets `require.php` install on, a PHP before 5.6, or a Dockerfile builds `FROM php:5.x` before 5.6: such PHP has no TLS 1.2 stream crypto methods, does not verify peers by default, and is long out of support.',
  help: `**Why it matters.** PHP negotiates TLS 1.2 only through an OpenSSL 1.0.1 or later, and its
own defaults lagged for years: PHP before 5.6 has no \`STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT\`, uses
SSLv3/TLS 1.0 methods for \`ssl://\` and \`tls://\`, and does not verify peers by default; libcurl's
\`CURL_SSLVERSION_TLSv1_2\` is there only from 5.5.19/5.6.3; before PHP 7.2, \`tls://\` and
\`STREAM_CRYPTO_METHOD_TLS_CLIENT\` mean TLS 1.0 only. PHP 5.6 is therefore the floor at which TLS 1.2
works reliably, and 7.2 the first that negotiates it by default everywhere. Every release before
8.1 is out of support.

**How to fix it.** Move to a supported PHP and state it:

\`\`\`json
{ "require": { "php": "^8.2" }, "config": { "platform": { "php": "8.2.0" } } }
\`\`\`

and build the image \`FROM php:8.3-apache\` (or -fpm). Until then, ask for TLS 1.2 explicitly
(\`CURLOPT_SSLVERSION => CURL_SSLVERSION_TLSv1_2\`, \`'crypto_method' =>
STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT\`).`,
  remedy: 'Move to a supported PHP (8.x) in composer.json and the base image.',
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['"php"'],
  query: `(pair key: (string (string_content) @key (#eq? @key "php")) value: (string) @value) @pair`,
  check(ctx) {
    const path = keyPath(ctx.captures.pair!);
    const pinned = path.join('.') === 'config.platform.php';
    if (!pinned && path.join('.') !== 'require.php') return;
    const value = ctx.captures.value!;
    const stated = value.namedChildren.find((c) => c.type === 'string_content')?.text ?? '';
    const lowest = lowestPhp(stated);
    if (!lowest || !phpTooOld(lowest)) return;
    ctx.report({
      node: value,
      message: pinned
        ? `config.platform.php pins PHP ${stated}, which cannot use TLS 1.2 reliably; ${ADVICE}.`
        : `require.php "${stated}" allows installs on PHP ${lowest.text}, which cannot use TLS 1.2 reliably; ${ADVICE}.`,
    });
  },
  files: {
    dockerfile: {
      triggers: ['php'],
      check(ctx) {
        // `FROM php:5.5-apache` (any registry; ARG defaults resolved)
        for (const image of imageVersions(ctx.file.text, /^php$/, /^\d+\.\d+/)) {
          const [major = 0, minor = 0] = image.version.split('.').map(Number);
          if (!phpTooOld({ major, minor, text: image.version })) continue;
          ctx.report({ ...image.refAt, message: `${baseImageWords(image.base)} runs PHP ${image.version}, which cannot use TLS 1.2 reliably; ${ADVICE}.` });
        }
      },
    },
  },
});
