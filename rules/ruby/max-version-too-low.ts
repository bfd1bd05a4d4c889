import { defineRule } from '../../src/rule.js';
import { PROTOCOL_RANK, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { boundVersion, expectedToFail, reportedWhereWritten, settingOf, SETTING_QUERY, shown, type Setting } from './util.js';

const isSink = (s: Setting) => s.name === 'max_version';

export default defineRule({
  id: 'ruby/max-version-too-low',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'protocol',
  title: 'max_version caps the connection below TLS 1.2',
  description:
    '`max_version` set to `TLS1_1_VERSION`, `TLS1_VERSION`, `SSL3_VERSION` or their symbols forbids TLS 1.2 and 1.3, so every connection uses a deprecated protocol or fails.',
  help: `**Why it matters.** A ceiling below TLS 1.2 forces a deprecated protocol on every connection:
servers that accept only TLS 1.2 and later refuse it, and those that accept it negotiate a
protocol with known weaknesses. Such caps usually date from a workaround for a broken peer.

**How to fix it.** Remove the \`max_version\` setting (OpenSSL then negotiates the newest version both
sides support) and set a floor instead:

\`\`\`ruby
ctx.min_version = OpenSSL::SSL::TLS1_2_VERSION
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['max_version'],
  files: {
    ruby: {
      query: SETTING_QUERY,
      check(ctx) {
        const { left, value } = ctx.captures;
        if (!left || !value) return;
        const setting = settingOf(left);
        if (!setting || !isSink(setting)) return;
        for (const flow of ctx.lang.values(value)) {
          const version = boundVersion(flow);
          if (!version || PROTOCOL_RANK[version] >= PROTOCOL_RANK['TLS1.2'] || reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
          ctx.report(
            flowReport(ctx, flow, {
              sink: value,
              sinkName: 'max_version',
              message: `max_version ${shown(flow)} caps connections at ${protocolLabel(version)}, so TLS 1.2 and 1.3 can never be used; remove max_version and set min_version = OpenSSL::SSL::TLS1_2_VERSION.`,
            }),
          );
        }
      },
    },
  },
});
