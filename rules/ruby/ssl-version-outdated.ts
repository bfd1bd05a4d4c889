import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { belowFloor, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';
import { inRaisesExpectation, SETTING_QUERY, settingOf, spell, valueOf } from './util.js';

/** Reports `value` when it names a protocol below the floor; `what` says where it was set. */
function judge(ctx: MatchContext, value: import('../../src/rule.js').SyntaxNode, what: string): void {
  const ref = valueOf(value, ctx.root);
  if (!ref || (ref.style !== 'symbol' && ref.style !== 'string')) return;
  const version = parseProtocol(ref.text);
  if (!version || !belowFloor(version, ctx.settings.minTlsVersion)) return;
  if (inRaisesExpectation(value)) return;
  const target = ctx.settings.minTlsVersion === '1.3' ? 'TLSv1_3' : 'TLSv1_2';
  // keep a `_client`/`_server` suffix: `:TLSv1_client` -> `:TLSv1_2_client`
  const suffix = /_(client|server)$/i.exec(ref.text)?.[0] ?? '';
  const replacement = target + suffix;
  const via = ref.via ? ` (through ${ref.via})` : '';
  ctx.report({
    node: value,
    message: `${what} ${ref.style === 'symbol' ? ':' : ''}${ref.text}${via} pins ${protocolLabel(version)}, deprecated by RFC 8996 and refused by TLS-1.2-only servers; use ${spell(ref.style, replacement)} or, better, min_version = OpenSSL::SSL::TLS1_2_VERSION.`,
    fix: ref.via ? undefined : replaceFix(`use ${replacement}`, ref.target.startIndex, ref.target.endIndex, spell(ref.style, replacement)),
  });
}

export default defineRule({
  id: 'ruby/ssl-version-outdated',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'protocol',
  title: 'ssl_version or SSLContext.new pins SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'An `ssl_version` setting (Net::HTTP, OpenSSL::SSL::SSLContext, Excon, RestClient, HTTParty, `DEFAULT_PARAMS`), Faraday\'s `ssl: { version: ... }` or `OpenSSL::SSL::SSLContext.new(:TLSv1)` selects SSLv3, TLSv1 or TLSv1_1.',
  help: `**Why it matters.** \`ssl_version=\` fixes the connection to exactly one protocol version.
\`:TLSv1\`, \`:TLSv1_1\` and \`:SSLv3\` are deprecated (RFC 8996) and broken (POODLE, BEAST); servers
that accept only TLS 1.2 and later refuse the handshake, so the pin is both a weakness and an
outage waiting for the next server upgrade.

**How to fix it.** Prefer a floor to a pin (Ruby 2.5+):

\`\`\`ruby
http = Net::HTTP.new(host, 443)
http.use_ssl = true
http.min_version = OpenSSL::SSL::TLS1_2_VERSION
\`\`\`

On older Rubies use \`ssl_version = :TLSv1_2\` (Ruby >= 2.0 linked against OpenSSL >= 1.0.1 speaks
TLS 1.2; Ruby 1.9 and OpenSSL 0.9.8 cannot). Faraday: \`ssl: { min_version: :TLS1_2 }\`. The offered
fix rewrites the pinned version to \`TLSv1_2\` (\`TLSv1_3\` under a TLS 1.3 policy).`,
  remedy: 'Set min_version = OpenSSL::SSL::TLS1_2_VERSION (Ruby 2.5+), or ssl_version = :TLSv1_2 on older Rubies.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl_version', 'SSLContext', 'version:', ':version'],
  fixable: true,
  files: {
    ruby: {
      query: `${SETTING_QUERY}
        (call receiver: (_) @recv method: (identifier) @new (#eq? @new "new") arguments: (argument_list . (_) @arg)) @ctxnew`,
      check(ctx) {
        const { left, value, recv, arg } = ctx.captures;
        if (recv && arg) {
          if (/(?:^|::)SSLContext$/.test(recv.text)) judge(ctx, arg, 'SSLContext.new(...)');
          return;
        }
        if (!left || !value) return;
        const setting = settingOf(left);
        if (!setting) return;
        if (setting.name === 'ssl_version') judge(ctx, value, 'ssl_version');
        // Faraday: `ssl: { version: :TLSv1 }`
        else if (setting.name === 'version' && setting.parentKey === 'ssl') judge(ctx, value, 'ssl: { version: }');
      },
    },
  },
});
