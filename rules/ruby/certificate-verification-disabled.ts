import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { inRaisesExpectation, SETTING_QUERY, settingOf, valueOf } from './util.js';

/** HTTP calls of HTTParty-style clients that take `verify: false`. */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'new', 'perform_request', 'update', 'merge', 'merge!', 'default_options']);

/** The call whose argument list holds a pair, if any (`HTTParty.get(url, verify: false)`). */
function callOfPair(pair: SyntaxNode): SyntaxNode | undefined {
  let n = pair.parent;
  if (n?.type === 'hash') n = n.parent;
  if (n?.type !== 'argument_list') return undefined;
  return n.parent?.type === 'call' ? n.parent : undefined;
}

/** Why a setting/value pair turns verification off, or undefined when it does not. */
function disables(ctx: { root: SyntaxNode; file: { text: string } }, left: SyntaxNode, value: SyntaxNode): string | undefined {
  const setting = settingOf(left);
  const ref = valueOf(value, ctx.root);
  if (!setting || !ref) return undefined;
  const off = ref.text === 'false' || ref.text === 'nil';
  switch (setting.name) {
    case 'verify_mode':
      // OpenSSL::SSL::VERIFY_NONE is 0
      return ref.text === 'VERIFY_NONE' || ref.text === '0' ? 'verify_mode VERIFY_NONE accepts any certificate' : undefined;
    case 'verify_ssl':
      // RestClient: `verify_ssl: false` or `verify_ssl: OpenSSL::SSL::VERIFY_NONE`
      return off || ref.text === 'VERIFY_NONE' ? 'verify_ssl: false accepts any certificate' : undefined;
    case 'ssl_verify_peer':
      // Excon
      return ref.text === 'false' ? 'ssl_verify_peer: false accepts any certificate' : undefined;
    case 'verify_hostname':
      return ref.text === 'false' ? 'verify_hostname = false accepts a valid certificate issued for any other host' : undefined;
    case 'verify':
    case 'verify_peer': {
      if (ref.text !== 'false') return undefined;
      // Faraday `ssl: { verify: false }`, HTTParty `get(url, verify: false)`, `default_options.update(verify: false)`
      if (setting.parentKey === 'ssl') return 'ssl: { verify: false } accepts any certificate';
      if (left.type !== 'call' && left.type !== 'element_reference') {
        const call = callOfPair(left.parent!);
        const method = call?.childForFieldName('method')?.text;
        if (method && HTTP_METHODS.has(method) && /HTTParty|httparty|Faraday|Excon|HTTPClient|Typhoeus|ssl/.test(ctx.file.text)) {
          return `${setting.name}: false accepts any certificate`;
        }
      }
      return undefined;
    }
    case 'ssl_verifypeer':
      // Typhoeus / Ethon
      return off ? 'ssl_verifypeer: false accepts any certificate' : undefined;
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'ruby/certificate-verification-disabled',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS certificate or host name verification turned off',
  description:
    '`verify_mode = OpenSSL::SSL::VERIFY_NONE` (Net::HTTP, SSLContext, `DEFAULT_PARAMS`), `verify_hostname = false`, RestClient `verify_ssl: false`, Excon `ssl_verify_peer: false`, Faraday `ssl: { verify: false }`, HTTParty `verify: false`, Typhoeus `ssl_verifypeer: false`, or redefining `OpenSSL::SSL::VERIFY_PEER` as `VERIFY_NONE`.',
  help: `**Why it matters.** Without certificate verification TLS encrypts the connection to whoever
answers: anyone on the path can present their own certificate and read or change the traffic,
credentials included. The protocol version no longer matters.

**How to fix it.** Remove the setting; the defaults verify (\`VERIFY_PEER\` in Net::HTTP since Ruby
1.9 for \`use_ssl\`, in Faraday, Excon and RestClient). For a private CA, trust it instead of turning
checks off:

\`\`\`ruby
http.verify_mode = OpenSSL::SSL::VERIFY_PEER
http.ca_file = '/etc/ssl/certs/internal-ca.pem'
\`\`\`

Faraday: \`ssl: { ca_file: ... }\`; Excon: \`ssl_ca_file:\`; RestClient: \`ssl_ca_file:\`. Never
reassign \`OpenSSL::SSL::VERIFY_PEER\`: it turns verification off for the whole process.`,
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['VERIFY_NONE', 'verify'],
  files: {
    ruby: {
      query: `${SETTING_QUERY}
        (assignment left: (scope_resolution name: (constant) @vp (#eq? @vp "VERIFY_PEER")) right: (_) @none) @redefine`,
      check(ctx) {
        const { left, value, none, redefine } = ctx.captures;
        if (redefine && none) {
          if (/VERIFY_NONE$/.test(none.text)) {
            ctx.report({ node: redefine, message: 'Redefining OpenSSL::SSL::VERIFY_PEER as VERIFY_NONE turns certificate verification off for every TLS connection of the process; remove it and trust the needed CA instead.' });
          }
          return;
        }
        if (!left || !value) return;
        const why = disables(ctx, left, value);
        if (!why || inRaisesExpectation(value)) return;
        ctx.report({ node: value, message: `${why}: anyone on the network path can impersonate the server; remove it (verification is the default) and configure the CA file instead.` });
      },
    },
  },
});
