import type { Flow } from '../../src/lang/model.js';
import { flowReport, guardedReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { branchNote, optionValue, symbolName } from './util.js';

/** True for a value that is zero or false (`0`, `0L`, `FALSE`, `false`, `SSL_VERIFY_NONE`). */
function off(flow: Flow): boolean {
  const v = flow.value;
  return (v.type === 'number' && v.value === 0) || (v.type === 'bool' && !v.value) || symbolName(flow) === 'SSL_VERIFY_NONE' || symbolName(flow) === 'verify_none';
}

/** Code that accepts connections: an SSL_VERIFY_NONE there only means no client certificates are asked for. */
const SERVER = /\b(?:SSL_accept|SSL_set_accept_state|BIO_new_accept|SSL_CTX_set_client_CA_list)\s*\(|_server_method\s*\(|\b(?:sslv23|tls|tlsv1[0-3]?)_server\b|stream_base::server\b|\basync_accept\s*\(/;
const CLIENT = /\b(?:SSL_connect|SSL_set_connect_state|SSL_set_tlsext_host_name|SSL_set1_host|BIO_new_ssl_connect|BIO_set_conn_hostname)\s*\(|_client_method\s*\(|\b(?:sslv23|tls|tlsv1[0-3]?)_client\b|stream_base::client\b|\basync_connect\s*\(/;

/** True when the code around a verify call accepts connections and never makes them (the function first, then the file). */
function serverSide(ctx: MatchContext, call: SyntaxNode): boolean {
  const fn = ctx.lang.functionOf(call);
  const text = fn ? fn.node.text : '';
  if (SERVER.test(text)) return true;
  if (CLIENT.test(text)) return false;
  return SERVER.test(ctx.file.text) && !CLIENT.test(ctx.file.text);
}

/** A verify callback that returns success for every certificate (`return 1;`, `[](...) { return true; }`). */
function acceptsAll(ctx: MatchContext, flow: Flow): string | undefined {
  if (flow.value.type !== 'function') return undefined;
  const returns = ctx.lang.returnsOf(flow.value.node, flow.src);
  if (returns.length === 0) return undefined;
  const ok = returns.every((r) => (r.value.type === 'number' && r.value.value !== 0) || (r.value.type === 'bool' && r.value.value));
  if (!ok) return undefined;
  return flow.value.name ?? 'the callback';
}

function curl(ctx: MatchContext, call: SyntaxNode, option: SyntaxNode): void {
  const value = optionValue(call, option);
  if (!value) return;
  const host = /VERIFYHOST$/.test(option.text);
  for (const flow of ctx.lang.values(value)) {
    const v = flow.value;
    const shown = v.type === 'number' ? String(v.value) : v.type === 'bool' ? String(v.value) : flow.node.text;
    if (off(flow)) {
      const message = host
        ? `${option.text} ${shown} turns off the host name check: a valid certificate for any host is accepted; remove the line (the default, 2, checks the name).`
        : `${option.text} ${shown} turns off certificate verification: any certificate is accepted, so anyone on the path can read and change the traffic; remove the line (libcurl verifies by default) and point CURLOPT_CAINFO at the CA bundle if the system one is missing.`;
      ctx.report(flowReport(ctx, flow, { sink: value, sinkName: option.text, message: `${message}${branchNote(call)}` }));
    } else if (host && v.type === 'number' && v.value === 1) {
      const literal = flow.node.type === 'number_literal' ? flow.node.text : undefined;
      ctx.report({
        ...flowReport(ctx, flow, {
          sink: value,
          sinkName: option.text,
          message: `${option.text} 1 does not check the host name on libcurl before 7.28.1 (only that the certificate names some host), and is rejected from 7.28.1 to 7.65 (the option keeps its previous value); set 2.${branchNote(call)}`,
          fix: literal ? replaceFix('set 2', flow.node.startIndex, flow.node.endIndex, literal.replace(/^1/, '2')) : undefined,
        }),
        severity: 'warning',
      });
    }
  }
}

/** Code that checks the chain itself after the handshake (`SSL_get_verify_result`): a lenient mode or callback there defers the decision, it does not drop it. */
const CHECKED_AFTER = /\bSSL_get_verify_result\s*\(/;

function openssl(ctx: MatchContext, call: SyntaxNode, fn: string): void {
  if (CHECKED_AFTER.test(ctx.file.text)) return;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const mode = fn === 'SSL_CTX_set_cert_verify_callback' ? undefined : args[1];
  const callback = fn === 'SSL_CTX_set_cert_verify_callback' ? args[1] : args[2];
  const modes = mode ? ctx.lang.values(mode) : [];
  const noneFlows = modes.filter(off);
  if (mode && noneFlows.length && !serverSide(ctx, call)) {
    for (const flow of noneFlows) {
      ctx.report(
        flowReport(ctx, flow, {
          sink: mode,
          sinkName: fn,
          message: `${fn}(..., ${flow.node.text === mode.text ? mode.text : `${mode.text} = ${flow.node.text}`}, ...) on a client accepts any server certificate; use SSL_VERIFY_PEER with a CA store (SSL_CTX_set_default_verify_paths) and check the host name (SSL_set1_host).${branchNote(call)}`,
        }),
      );
    }
  }
  if (!callback || (mode && modes.length > 0 && modes.every(off))) return;
  for (const flow of ctx.lang.values(callback)) {
    const name = acceptsAll(ctx, flow);
    if (!name) continue;
    ctx.report(
      guardedReport(ctx, {
        node: callback,
        message: `The verify callback ${name === 'the callback' ? '' : `\`${name}\` `}of ${fn} returns success for every certificate, so any chain is accepted; return the library's verdict (\`preverify_ok\`) and fail on errors.${branchNote(call)}`,
      }),
    );
  }
}

/** Boost.Asio: `ctx.set_verify_mode(ssl::verify_none)`, `set_verify_callback([](bool, auto&) { return true; })`. */
function asio(ctx: MatchContext, call: SyntaxNode, method: string): void {
  const arg = call.childForFieldName('arguments')?.namedChildren.find((c) => c.type !== 'comment');
  if (!arg) return;
  if (method === 'set_verify_mode') {
    if (serverSide(ctx, call)) return;
    for (const flow of ctx.lang.values(arg)) {
      if (symbolName(flow) !== 'verify_none') continue;
      ctx.report(flowReport(ctx, flow, { sink: arg, sinkName: method, message: `set_verify_mode(${arg.text}) on a client accepts any server certificate; use ssl::verify_peer, load the CA store (set_default_verify_paths) and check the host name (ssl::host_name_verification).${branchNote(call)}` }));
    }
    return;
  }
  for (const flow of ctx.lang.values(arg)) {
    const name = acceptsAll(ctx, flow);
    if (!name) continue;
    ctx.report(guardedReport(ctx, { node: arg, message: `The verify callback ${name === 'the callback' ? '' : `\`${name}\` `}returns true for every certificate, so any chain is accepted; use ssl::host_name_verification (or return the preverified result).${branchNote(call)}` }));
  }
}

export default defineRule({
  id: 'c/certificate-verification-disabled',
  fileKind: 'c',
  severity: 'error',
  kind: 'certificate',
  title: 'libcurl or OpenSSL certificate verification turned off',
  description:
    '`CURLOPT_SSL_VERIFYPEER` or `CURLOPT_SSL_VERIFYHOST` set to 0 (or VERIFYHOST to 1, which does not check the name on old libcurl), `SSL_CTX_set_verify`/`SSL_set_verify` with `SSL_VERIFY_NONE` in client code, Boost.Asio `set_verify_mode(verify_none)`, or a verify callback that returns success for every certificate: the connection accepts any certificate.',
  help: `**Why it matters.** TLS protects nothing against an attacker on the path when the peer's
certificate is not checked: any self-signed certificate is accepted, and the attacker reads and
changes the traffic. \`CURLOPT_SSL_VERIFYHOST\` 0 accepts a valid certificate for any host; 1 did
not check the name before libcurl 7.28.1. \`SSL_VERIFY_NONE\` is right only on servers that do
not ask for client certificates, so server code (\`SSL_accept\`, \`*_server_method\`) is not
reported, nor is code that checks \`SSL_get_verify_result\` itself after the handshake. A guard (\`if (opts->insecure)\`, \`#ifdef SKIP_TLS_VERIFY\`) makes the finding a note.

**How to fix it.** Leave verification on, which is libcurl's default:

\`\`\`c
curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
curl_easy_setopt(curl, CURLOPT_CAINFO, "/etc/ssl/certs/ca-certificates.crt"); /* only if needed */
\`\`\`

With OpenSSL, verify the peer and its name:

\`\`\`c
SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
SSL_CTX_set_default_verify_paths(ctx);
SSL_set1_host(ssl, hostname);
\`\`\`

The fix rewrites \`CURLOPT_SSL_VERIFYHOST\` 1 to 2; the others need a decision about the CA store.`,
  remedy: 'Leave CURLOPT_SSL_VERIFYPEER/VERIFYHOST at their defaults (1/2) and use SSL_VERIFY_PEER with a CA store and SSL_set1_host.',
  cwe: ['CWE-295'],
  precision: 'high',
  securitySeverity: 7.4,
  triggers: ['SSL_VERIFYPEER', 'SSL_VERIFYHOST', 'set_verify', 'set_cert_verify_callback'],
  fixable: true,
  query: `
(call_expression arguments: (argument_list (identifier) @option (#match? @option "^CURLOPT_(PROXY_|DOH_)?SSL_VERIFY(PEER|HOST)$"))) @curl
(call_expression function: (identifier) @fn (#match? @fn "^(SSL_CTX_set_verify|SSL_set_verify|SSL_CTX_set_cert_verify_callback)$") arguments: (argument_list)) @openssl
(call_expression function: (field_expression field: (field_identifier) @method (#match? @method "^set_verify_(mode|callback)$")) arguments: (argument_list)) @asio`,
  check(ctx) {
    const { curl: c, option, openssl: o, fn, asio: a, method } = ctx.captures;
    if (c && option) curl(ctx, c, option);
    else if (o && fn) openssl(ctx, o, fn.text);
    else if (a && method) asio(ctx, a, method.text);
  },
});
