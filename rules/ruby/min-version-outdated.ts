import { defineRule } from '../../src/rule.js';
import { policyFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { boundReplacement, boundVersion, expectedToFail, reportedWhereWritten, respell, restrictedLater, settingOf, SETTING_QUERY, shown, weak, type Setting } from './util.js';

const isSink = (s: Setting) => s.name === 'min_version';

export default defineRule({
  id: 'ruby/min-version-outdated',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'protocol',
  title: 'min_version allows SSLv3, TLS 1.0 or TLS 1.1',
  description:
    '`min_version` (OpenSSL::SSL::SSLContext, Net::HTTP, Faraday `ssl: { min_version: }`, `set_params`) set to `SSL3_VERSION`, `TLS1_VERSION`, `TLS1_1_VERSION`, `:TLS1`, `:TLS1_1` or the matching number keeps deprecated protocols negotiable (also through locals, constants of other files, parameters and call sites); a higher `min_version` set later on the same object silences it.',
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
        if (!left || !value) return;
        const setting = settingOf(left);
        if (!setting || !isSink(setting)) return;
        const floor = ctx.settings.minTlsVersion;
        for (const flow of ctx.lang.values(value)) {
          const version = boundVersion(flow);
          if (!weak(version, floor) || reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
          // a later, higher floor on the same object wins
          if (restrictedLater(ctx, left, policyFloor(floor), ['min_version'])) return;
          const replacement = boundReplacement(flow, floor);
          const fix = respell(flow, replacement, `raise the floor to ${replacement}`);
          const spelled = fix ? (flow.node.type === 'simple_symbol' ? `:${replacement}` : flow.node.type === 'scope_resolution' ? flow.node.text.replace(/[A-Za-z0-9_]+$/, replacement) : replacement) : 'OpenSSL::SSL::TLS1_2_VERSION';
          ctx.report(
            flowReport(ctx, flow, {
              sink: value,
              sinkName: 'min_version',
              message: `min_version ${shown(flow)} lets connections fall back to ${protocolLabel(version)}, deprecated by RFC 8996; raise it to ${spelled}.`,
              fix,
            }),
          );
        }
      },
    },
  },
});
