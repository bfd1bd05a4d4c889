import { flowReport, isSwitchName } from '../../src/lang/report.js';
import type { Flow } from '../../src/lang/model.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { expectedToFail, inRaisesExpectation, reportedWhereWritten, SETTING_QUERY, settingOf, type Setting } from './util.js';

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

/** What turns a setting off: the test of one possibility, why it matters, and whether the setting is a plain on/off switch. */
interface Off {
  test(flow: Flow): boolean;
  why: string;
  boolean: boolean;
}

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
    case 'verify_hostname':
      return { test: isFalse, why: 'verify_hostname = false accepts a valid certificate issued for any other host', boolean: true };
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

/** The name of a configurable value (`verify` parameter, `@verify_ssl`, `options[:verify]`), when it is unknown here. */
function switchName(flow: Flow): string | undefined {
  const v = flow.value;
  if (v.type === 'unknown' && (v.why === 'parameter' || v.why === 'field' || v.why === 'call')) return isSwitchName(v.name) ? v.name : undefined;
  if (v.type === 'symbol' && /^@/.test(v.name)) return isSwitchName(v.name) ? v.name : undefined;
  return undefined;
}

const ADVICE = 'anyone on the network path can impersonate the server; remove it (verification is the default) and configure the CA file instead.';

export default defineRule({
  id: 'ruby/certificate-verification-disabled',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS certificate or host name verification turned off',
  description:
    '`verify_mode = OpenSSL::SSL::VERIFY_NONE` (Net::HTTP, SSLContext, `DEFAULT_PARAMS`), `verify_hostname = false`, RestClient `verify_ssl: false`, Excon `ssl_verify_peer: false`, Faraday `ssl: { verify: false }`, HTTParty `verify: false`, Typhoeus `ssl_verifypeer: false`, a `verify_callback` proc or lambda that always returns true, or redefining `OpenSSL::SSL::VERIFY_PEER` as `VERIFY_NONE`; values followed through locals, constants (also of other files), parameters and their call sites. Behind a switch (`if options[:insecure]`) or taken from a switch-like setting (`verify: @verify_ssl`) it is a note.',
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
        const isSink = (s: Setting) => s.name === setting.name;
        let configurable: string | undefined;
        for (const flow of ctx.lang.values(value)) {
          if (off.test(flow)) {
            if (reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
            // a block or lambda written at the setting: the finding is the setting
            const at = flow.value.type === 'function' && flow.steps.length === 0 ? { ...flow, node: value } : flow;
            ctx.report(flowReport(ctx, at, { sink: value, sinkName: setting.name, message: `${off.why}: ${ADVICE}` }));
          } else if (off.boolean) {
            configurable ??= switchName(flow);
          }
        }
        if (configurable) {
          ctx.report({
            node: value,
            severity: 'note',
            message: `${setting.name} is taken from \`${configurable}\`, so certificate verification can be turned off by configuration: a deliberate, configurable setting; make sure it cannot be turned off in production.`,
          });
        }
      },
    },
  },
});
