import { defineRule, replaceFix } from '../../src/rule.js';
import { belowFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { inRaisesExpectation, SETTING_QUERY, settingOf, spell, valueOf } from './util.js';
import { rubyVersion, rubyVersionName } from './versions.js';

export default defineRule({
  id: 'ruby/min-version-outdated',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'protocol',
  title: 'min_version allows SSLv3, TLS 1.0 or TLS 1.1',
  description:
    '`min_version` (OpenSSL::SSL::SSLContext, Net::HTTP, Faraday `ssl: { min_version: }`, `set_params`) set to `SSL3_VERSION`, `TLS1_VERSION`, `TLS1_1_VERSION`, `:TLS1`, `:TLS1_1` or the matching number keeps deprecated protocols negotiable.',
  help: `**Why it matters.** \`min_version\` is the protocol floor. A floor of TLS 1.0 or 1.1 lets an
attacker in the middle, or an old peer, settle on a deprecated protocol (RFC 8996), and it keeps
the code quietly depending on them.

**How to fix it.**

\`\`\`ruby
ctx = OpenSSL::SSL::SSLContext.new
ctx.min_version = OpenSSL::SSL::TLS1_2_VERSION
\`\`\`

(\`min_version=\` needs Ruby 2.5+; on older Rubies set \`ssl_version = :TLSv1_2\`.) The offered fix
raises the floor to TLS 1.2 (TLS 1.3 under a TLS 1.3 policy) in the spelling the code already uses.`,
  remedy: 'Raise min_version to OpenSSL::SSL::TLS1_2_VERSION.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['min_version'],
  fixable: true,
  files: {
    ruby: {
      query: SETTING_QUERY,
      check(ctx) {
        const { left, value } = ctx.captures;
        if (!left || !value || settingOf(left)?.name !== 'min_version') return;
        const ref = valueOf(value, ctx.root);
        const version = ref && rubyVersion(ref.text);
        if (!ref || !version || !belowFloor(version, ctx.settings.minTlsVersion) || inRaisesExpectation(value)) return;
        const replacement = rubyVersionName(ctx.settings.minTlsVersion, ref.text);
        const canFix = !ref.via && ref.style !== 'literal';
        ctx.report({
          node: value,
          message: `min_version ${value.text}${ref.via ? ` (${ref.text})` : ''} lets connections fall back to ${protocolLabel(version)}, deprecated by RFC 8996; raise it to ${canFix ? spell(ref.style, replacement) : 'OpenSSL::SSL::TLS1_2_VERSION'}.`,
          fix: canFix ? replaceFix(`raise the floor to ${replacement}`, ref.target.startIndex, ref.target.endIndex, spell(ref.style, replacement)) : undefined,
        });
      },
    },
  },
});
