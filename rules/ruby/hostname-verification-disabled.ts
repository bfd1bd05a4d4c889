import type { Flow } from '../../src/lang/model.js';
import { defineRule } from '../../src/rule.js';
import { configuredObject, inRaisesExpectation, SETTING_QUERY, settingOf } from './util.js';
import type { Off } from './verification.js';
import { judgeSetting } from './verification.js';

const isFalse = (f: Flow) => f.value.type === 'bool' && !f.value.value;
const isZero = (f: Flow) => f.value.type === 'number' && f.value.value === 0;

/** Settings that turn off only the host name check, by name. */
const SETTINGS: Record<string, Off> = {
  // OpenSSL::SSL::SSLContext (Ruby 2.4+, also `set_params(verify_hostname: false)`), Net::HTTP (net-http 0.2+), Faraday `ssl: { verify_hostname: false }`
  verify_hostname: { test: isFalse, why: 'verify_hostname = false accepts a valid certificate issued for any other host', boolean: true },
  // Typhoeus / Ethon: libcurl's CURLOPT_SSL_VERIFYHOST
  ssl_verifyhost: { test: (f) => isZero(f) || isFalse(f), why: 'ssl_verifyhost: 0 accepts a valid certificate issued for any other host', boolean: false },
  // Curb: Curl::Easy#ssl_verify_host=
  ssl_verify_host: { test: (f) => isZero(f) || isFalse(f), why: 'ssl_verify_host = false accepts a valid certificate issued for any other host', boolean: true },
};

const ADVICE = "anyone on the network path with a certificate for another name can impersonate the server; remove it (SSLContext#set_params, Net::HTTP, Faraday and libcurl check host names by default) and fix the certificate's names instead.";

export default defineRule({
  id: 'ruby/hostname-verification-disabled',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'certificate',
  title: 'TLS host name verification turned off',
  description:
    '`verify_hostname = false` on an `OpenSSL::SSL::SSLContext` (also `set_params(verify_hostname: false)` and `DEFAULT_PARAMS[:verify_hostname]`), `Net::HTTP#verify_hostname = false`, Faraday `ssl: { verify_hostname: false }`, Typhoeus/Ethon `ssl_verifyhost: 0`, or Curb `ssl_verify_host = false`: the certificate chain is still verified, but a valid certificate issued for any other host is accepted. Values are followed through locals, constants of other files, parameters and their call sites; behind a switch (`if ENV["SKIP_TLS_VERIFY"]`) or taken from a switch-like setting it is a note.',
  help: `**Why it matters.** A certificate proves who the server is only if the client checks that it was
issued for the host it meant to reach. Without that check, any certificate a public CA issued to
anyone (an attacker's own domain included) is accepted, and whoever sits on the network path can
read and change the traffic (CWE-297).

**How to fix it.** Remove the setting; the defaults check host names (\`SSLContext#set_params\` turns
\`verify_hostname\` on, Net::HTTP and Faraday check it, libcurl's \`ssl_verifyhost\` is 2):

\`\`\`ruby
http = Net::HTTP.new(host, 443)
http.use_ssl = true
http.ca_file = '/etc/ssl/certs/internal-ca.pem'   # no verify_hostname = false
\`\`\`

When a server's certificate lacks the name clients use, issue a correct one (or add the name as a
subject alternative name) instead of turning the check off.`,
  remedy: "Remove verify_hostname = false / ssl_verifyhost: 0, and fix the certificate's names instead.",
  cwe: ['CWE-297'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['verify_hostname', 'ssl_verifyhost', 'ssl_verify_host'],
  files: {
    ruby: {
      query: SETTING_QUERY,
      check(ctx) {
        const { left, value } = ctx.captures;
        if (!left || !value) return;
        const setting = settingOf(left);
        const off = setting ? SETTINGS[setting.name] : undefined;
        if (!setting || !off || inRaisesExpectation(value)) return;
        // turned back on later on the same object, whenever this runs (`http.verify_hostname = true`)
        const target = left.parent?.type === 'pair' ? undefined : configuredObject(left);
        const restored = target && ctx.lang.laterOnObject(target.object, target.statement.endIndex, target.statement).some((u) => u.kind === 'write' && u.name === setting.name && u.op === '=' && !!u.value && !ctx.lang.guardOf(u.node) && ctx.lang.values(u.value).every((f) => !off.test(f) && f.value.type !== 'unknown'));
        if (restored) return;
        judgeSetting(ctx, setting, value, off, ADVICE, 'host name verification');
      },
    },
  },
});
