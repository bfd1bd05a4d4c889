import { weakCiphers, withoutWeakCiphers } from '../../src/formats/ciphers.js';
import { cString } from '../../src/lang/c.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { branchNote, optionValue } from './util.js';

/** Reports the weak entries of each string `value` may hold, reaching `sinkName`. */
function cipherString(ctx: MatchContext, call: SyntaxNode, value: SyntaxNode, sinkName: string): void {
  for (const flow of ctx.lang.values(value)) {
    if (flow.value.type !== 'string') continue;
    const list = flow.value.value;
    const weak = weakCiphers(list);
    if (weak.length === 0) continue;
    // a literal written without escapes maps onto the file: the fix rewrites its content
    const verbatim = flow.node.type === 'string_literal' && cString(flow.node) === list && flow.node.text === `"${list}"`;
    const fixed = verbatim ? withoutWeakCiphers(list) : undefined;
    const reasons = [...new Set(weak.map((w) => w.reason))].join('; ');
    ctx.report(
      flowReport(ctx, flow, {
        sink: value,
        sinkName,
        message: `${sinkName} enables weak ciphers: ${weak.map((w) => w.token).join(', ')} (${reasons}); remove them${fixed ? '' : ' or exclude them with !'} (OpenSSL's DEFAULT is a sound list).${branchNote(call)}`,
        fix: fixed ? replaceFix('remove the weak ciphers', flow.node.startIndex + 1, flow.node.endIndex - 1, fixed) : undefined,
      }),
    );
  }
}

function argument(call: SyntaxNode, i: number): SyntaxNode | undefined {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment')[i];
}

export default defineRule({
  id: 'c/cipher-list-weak',
  fileKind: 'c',
  severity: 'error',
  kind: 'cipher',
  title: 'libcurl or OpenSSL cipher list enables weak ciphers or security level 0',
  description:
    '`CURLOPT_SSL_CIPHER_LIST`, `SSL_CTX_set_cipher_list`/`SSL_set_cipher_list` or an `SSL_CONF_cmd("CipherString", ...)` string (written at the call or through a `#define`, a `const` or a local) names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`; or `SSL_CTX_set_security_level(ctx, 0)` allows every legacy algorithm.',
  help: `**Why it matters.** The cipher string decides which suites a connection may use. Broken or
deliberately weakened suites let an attacker decrypt or tamper with traffic (RC4 biases, Sweet32,
FREAK/Logjam), and security level 0 re-enables TLS 1.0/1.1, SHA-1 signatures and short keys in
OpenSSL 3.

**How to fix it.** Remove the weak entries, or do not set a list at all: OpenSSL's \`DEFAULT\` (at
security level 2 on current distributions) is sound.

\`\`\`c
SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!MD5:!RC4:!3DES");
curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "ECDHE+AESGCM:ECDHE+CHACHA20");
SSL_CTX_set_security_level(ctx, 2);
\`\`\`

The fix removes the weak entries from a string literal written at the call, where the rest still
selects suites.`,
  remedy: 'Remove the weak entries from the cipher list (or leave OpenSSL\'s DEFAULT) and keep the security level at 2.',
  cwe: ['CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSL_CIPHER_LIST', 'set_cipher_list', 'set_security_level', 'CipherString'],
  fixable: true,
  query: `
(call_expression arguments: (argument_list (identifier) @option (#match? @option "^CURLOPT_(PROXY_)?SSL_CIPHER_LIST$"))) @curl
(call_expression function: (identifier) @fn (#match? @fn "^(SSL_CTX_set_cipher_list|SSL_set_cipher_list|SSL_CTX_set_security_level|SSL_set_security_level|SSL_CONF_cmd)$") arguments: (argument_list)) @openssl`,
  check(ctx) {
    const { curl, option, openssl, fn } = ctx.captures;
    if (curl && option) {
      const value = optionValue(curl, option);
      if (value) cipherString(ctx, curl, value, option.text);
      return;
    }
    if (!openssl || !fn) return;
    const name = fn.text;
    if (name === 'SSL_CONF_cmd') {
      const cmd = argument(openssl, 1);
      if (cmd && ctx.lang.values(cmd).some((f) => f.value.type === 'string' && /^(?:CipherString|-cipher)$/.test(f.value.value))) {
        const value = argument(openssl, 2);
        if (value) cipherString(ctx, openssl, value, 'SSL_CONF_cmd("CipherString")');
      }
      return;
    }
    const value = argument(openssl, 1);
    if (!value) return;
    if (/security_level$/.test(name)) {
      for (const flow of ctx.lang.values(value)) {
        if (flow.value.type !== 'number' || flow.value.value !== 0) continue;
        ctx.report(flowReport(ctx, flow, { sink: value, sinkName: name, message: `${name}(..., 0) allows every legacy algorithm: TLS 1.0/1.1, SHA-1 signatures and any key size in OpenSSL 3; keep level 2 (the default on current distributions).${branchNote(openssl)}` }));
      }
      return;
    }
    cipherString(ctx, openssl, value, name);
  },
});
