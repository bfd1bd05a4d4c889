import type { Flow } from '../../src/lang/model.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { inRaisesExpectation, SETTING_QUERY, settingOf, type Setting } from './util.js';
import { judgeSetting, type Off } from './verification.js';

/** HTTP calls of HTTParty-style clients that take `verify: false`. */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'new', 'perform_request', 'update', 'merge', 'merge!', 'default_options']);

/** The call whose argument list holds a pair, if any (`HTTParty.get(url, verify: false)`). */
function callOfPair(pair: SyntaxNode): SyntaxNode | undefined {
  let n = pair.parent;
  if (n?.type === 'hash') n = n.parent;
  if (n?.type !== 'argument_list') return undefined;
  return n.parent?.type === 'call' ? n.parent : undefined;
}

const isFalse = (f: Flow) => f.value.type === 'bool' && !f.value.value;
const isOff = (f: Flow) => isFalse(f) || f.value.type === 'null';
const isVerifyNone = (f: Flow) => (f.value.type === 'symbol' && /(?:^|\.)VERIFY_NONE$/.test(f.value.name)) || (f.value.type === 'number' && f.value.value === 0);

/** How a setting turns verification off, or undefined when the setting is not one the rule knows. */
function offFor(ctx: MatchContext, setting: Setting, left: SyntaxNode): Off | undefined {
  switch (setting.name) {
    case 'verify_mode':
      // OpenSSL::SSL::VERIFY_NONE is 0
      return { test: isVerifyNone, why: 'verify_mode VERIFY_NONE accepts any certificate', boolean: false };
    case 'verify_ssl':
      // RestClient: `verify_ssl: false` or `verify_ssl: OpenSSL::SSL::VERIFY_NONE`
      return { test: (f) => isOff(f) || isVerifyNone(f), why: 'verify_ssl: false accepts any certificate', boolean: true };
    case 'ssl_verify_peer':
      // Excon
      return { test: isFalse, why: 'ssl_verify_peer: false accepts any certificate', boolean: true };
    case 'ssl_verifypeer':
      // Typhoeus / Ethon
      return { test: isOff, why: 'ssl_verifypeer: false accepts any certificate', boolean: true };
    case 'verify':
    case 'verify_peer': {
      // Faraday `ssl: { verify: false }` and `conn.ssl.verify = false`
      if (setting.parentKey === 'ssl') return { test: isFalse, why: `ssl: { ${setting.name}: false } accepts any certificate`, boolean: true };
      // HTTParty `get(url, verify: false)`, `default_options.update(verify: false)`
      if (left.type === 'call' || left.type === 'element_reference') return undefined;
      const call = callOfPair(left.parent!);
      const method = call?.childForFieldName('method')?.text;
      if (method && HTTP_METHODS.has(method) && /HTTParty|httparty|Faraday|Excon|HTTPClient|Typhoeus|ssl/.test(ctx.file.text)) {
        return { test: isFalse, why: `${setting.name}: false accepts any certificate`, boolean: true };
      }
      return undefined;
    }
    case 'verify_callback':
    case 'ssl_verify_callback':
      // SSLContext, Net::HTTP, Excon: a callback that always says yes
      return { test: (f) => alwaysTrue(ctx, f), why: `a ${setting.name} that always returns true accepts any certificate`, boolean: false };
    default:
      return undefined;
  }
}

/** True when a function value (block, proc, lambda) returns `true` on every path. */
function alwaysTrue(ctx: MatchContext, flow: Flow): boolean {
  if (flow.value.type !== 'function') return false;
  const returns = ctx.lang.returnsOf(flow.value.node, flow.src);
  return returns.length > 0 && returns.every((r) => r.value.type === 'bool' && r.value.value);
}

const ADVICE = 'anyone on the network path can impersonate the server; remove it (verification is the default) and configure the CA file instead.';

export default defineRule({
  id: 'ruby/certificate-verification-disabled',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS certificate verification turned off',
  description:
    '`verify_mode = OpenSSL::SSL::VERIFY_NONE` (Net::HTTP, SSLContext, `DEFAULT_PARAMS`), RestClient `verify_ssl: false`, Excon `ssl_verify_peer: false`, Faraday `ssl: { verify: false }`, HTTParty `verify: false`, Typhoeus `ssl_verifypeer: false`, a `verify_callback` proc or lambda that always returns true, or redefining `OpenSSL::SSL::VERIFY_PEER` as `VERIFY_NONE`; values followed through locals, constants (also of other files), parameters and their call sites. Behind a switch (`if options[:insecure]`) or taken from a switch-like setting (`verify: @verify_ssl`) it is a note. Settings that turn off only the host name check are ruby/hostname-verification-disabled.',
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

Faraday: \`ssl: { ca_file: ... }\`; Excon: \`ssl_ca_file:\`; RestClient: \`ssl_ca_file:\`. A
\`verify_callback\` must return the \`preverify_ok\` it receives unless it has a reason to refuse;
\`proc { true }\` accepts every certificate. Never reassign \`OpenSSL::SSL::VERIFY_PEER\`: it turns
verification off for the whole process.`,
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
        const setting = settingOf(left);
        const off = setting && offFor(ctx, setting, left);
        if (!setting || !off || inRaisesExpectation(value)) return;
        judgeSetting(ctx, setting, value, off, ADVICE, 'certificate verification');
      },
    },
  },
});
