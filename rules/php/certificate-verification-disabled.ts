import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { bareName, contextOptionQuery, curlOptionQuery } from './util.js';

const falsy = (f: Flow) => (f.value.type === 'bool' && !f.value.value) || (f.value.type === 'number' && f.value.value === 0);
const truthy = (f: Flow) => (f.value.type === 'bool' && f.value.value) || (f.value.type === 'number' && f.value.value !== 0);

const shown = (f: Flow) => (f.value.type === 'bool' || f.value.type === 'number' ? String(f.value.value) : f.node.text);

const CURL_FIX = 'remove the line (cURL verifies by default) and point CURLOPT_CAINFO (or curl.cainfo in php.ini) at a CA bundle if the system one is missing';
const STREAM_FIX = "remove it (PHP 5.6 and later verify by default) and set 'cafile' if the system CA store is missing";

function curl(ctx: MatchContext): void {
  const { option, value } = ctx.captures;
  const name = bareName(option!);
  const host = /VERIFYHOST$/.test(name);
  for (const flow of ctx.lang.values(value!)) {
    if (falsy(flow)) {
      const message = host
        ? `${name} ${shown(flow)} turns off the host name check: a valid certificate for any host is accepted; remove the line (the default, 2, checks the name).`
        : `${name} ${shown(flow)} turns off certificate verification: any certificate is accepted, so anyone on the path can read and change the traffic; ${CURL_FIX}.`;
      ctx.report(flowReport(ctx, flow, { sink: value!, sinkName: name, message }));
    } else if (host && truthy(flow) && !(flow.value.type === 'number' && flow.value.value === 2)) {
      // `CURLOPT_SSL_VERIFYHOST => true` is 1: no name check on libcurl before 7.28.1, rejected until 7.66
      const literal = flow.node.type === 'integer' || flow.node.type === 'boolean' || (flow.node.type === 'name' && /^true$/i.test(flow.node.text));
      ctx.report({
        ...flowReport(ctx, flow, {
          sink: value!,
          sinkName: name,
          message: `${name} ${shown(flow) === '1' ? '1' : `${shown(flow)} is 1, which`} does not check the host name on libcurl before 7.28.1 (only that the certificate names some host) and is replaced or rejected by later ones; set 2.`,
          fix: literal ? replaceFix('set 2', flow.node.startIndex, flow.node.endIndex, '2') : undefined,
        }),
        severity: 'warning',
      });
    }
  }
}

function streamOption(ctx: MatchContext): void {
  const { key, value } = ctx.captures;
  const name = key!.text.replace(/^[bB]?["']|["']$/g, '');
  const allow = name === 'allow_self_signed';
  // Guzzle's `'verify' => false` only in code that uses Guzzle
  if (name === 'verify' && !/GuzzleHttp|Guzzle\\|RequestOptions/.test(ctx.file.text)) return;
  for (const flow of ctx.lang.values(value!)) {
    if (!(allow ? truthy(flow) : falsy(flow))) continue;
    const what =
      name === 'verify_peer' || name === 'verify'
        ? 'turns off certificate verification: any certificate is accepted, so anyone on the path can read and change the traffic'
        : name === 'verify_peer_name' || name === 'verify_host'
          ? 'turns off the host name check: a valid certificate for any host is accepted'
          : 'accepts self-signed certificates: anyone can present one';
    const fix = name === 'verify' ? "remove it (Guzzle verifies by default) or set 'verify' => '/path/to/ca-bundle.pem'" : STREAM_FIX;
    ctx.report(flowReport(ctx, flow, { sink: value!, sinkName: `'${name}'`, message: `'${name}' => ${shown(flow)} ${what}; ${fix}.` }));
  }
}

export default defineRule({
  id: 'php/certificate-verification-disabled',
  fileKind: 'php',
  severity: 'error',
  kind: 'certificate',
  title: 'PHP cURL, stream or Guzzle certificate verification turned off',
  description:
    '`CURLOPT_SSL_VERIFYPEER` false/0 or `CURLOPT_SSL_VERIFYHOST` 0 (or 1/true, which does not check the name on old libcurl) in `curl_setopt`, `curl_setopt_array` or option arrays; a stream context with `verify_peer` or `verify_peer_name` false or `allow_self_signed` true (`array()` or `[]`, `stream_context_set_option`, element writes); Guzzle\'s `verify => false`. Values are followed through constants, variables, properties and parameters; a switch that decides (`$this->insecure ? ...`) makes a note.',
  help: `**Why it matters.** Without certificate and host name checks TLS protects nothing against an
attacker on the path: any certificate is accepted. PHP code turns the checks off to get past a
missing CA bundle or a self-signed test server, and the setting reaches production.
\`CURLOPT_SSL_VERIFYHOST\` takes 2 (the default); 1 (and \`true\`, which is 1) did not check the name
before libcurl 7.28.1 and is rejected or replaced by later ones.

**How to fix it.** Leave verification on and give PHP the CA bundle it needs:

\`\`\`php
curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
curl_setopt($ch, CURLOPT_CAINFO, '/etc/ssl/certs/ca-certificates.crt'); // only if needed
$ctx = stream_context_create(['ssl' => ['verify_peer' => true, 'verify_peer_name' => true, 'cafile' => '/etc/ssl/certs/ca-certificates.crt']]);
\`\`\`

The fix rewrites \`CURLOPT_SSL_VERIFYHOST\` 1 or \`true\` to 2; the others need a decision about the CA store.`,
  remedy: 'Leave CURLOPT_SSL_VERIFYPEER/VERIFYHOST (true/2) and verify_peer/verify_peer_name on, with a CA bundle (CURLOPT_CAINFO, cafile).',
  cwe: ['CWE-295'],
  precision: 'high',
  securitySeverity: 7.4,
  triggers: ['SSL_VERIFYPEER', 'SSL_VERIFYHOST', 'verify_peer', 'allow_self_signed', 'verify_host', "'verify'", '"verify"', 'RequestOptions::VERIFY'],
  fixable: true,
  query: `${curlOptionQuery('CURLOPT_(PROXY_|DOH_)?SSL_VERIFY(PEER|HOST)')}
${contextOptionQuery('(verify_peer|verify_peer_name|allow_self_signed|verify_host|verify)')}
(array_element_initializer . (class_constant_access_expression (_) (name) @_const (#eq? @_const "VERIFY")) @key . (_) @value .) @sink`,
  check(ctx) {
    if (ctx.captures.option) curl(ctx);
    else if (ctx.captures.key?.type === 'class_constant_access_expression') {
      // `RequestOptions::VERIFY => false`
      const { value } = ctx.captures;
      for (const flow of ctx.lang.values(value!)) {
        if (!falsy(flow)) continue;
        ctx.report(flowReport(ctx, flow, { sink: value!, sinkName: 'RequestOptions::VERIFY', message: `RequestOptions::VERIFY => ${shown(flow)} turns off certificate verification in Guzzle: any certificate is accepted; remove it (Guzzle verifies by default) or give the CA bundle's path.` }));
      }
    } else if (ctx.captures.key) streamOption(ctx);
  },
});
