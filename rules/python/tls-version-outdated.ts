import { defineRule, replaceFix } from '../../src/rule.js';
import { importsOf, isExpectedFailureOrComparison, qualifiedName } from './util.js';

const RANK: Record<string, number> = { MINIMUM_SUPPORTED: -1, SSLv3: 0, TLSv1: 1, TLSv1_1: 2, TLSv1_2: 3, TLSv1_3: 4, MAXIMUM_SUPPORTED: 5 };
const LABEL: Record<string, string> = { MINIMUM_SUPPORTED: 'the oldest version OpenSSL allows', SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0', TLSv1_1: 'TLS 1.1', TLSv1_2: 'TLS 1.2' };

export default defineRule({
  id: 'python/tls-version-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'SSLContext minimum_version below TLS 1.2, or maximum_version capping it',
  description:
    'An ssl.SSLContext gets minimum_version = TLSVersion.SSLv3, TLSv1, TLSv1_1 or MINIMUM_SUPPORTED (allowing deprecated protocols), or maximum_version below TLSv1_2 (forbidding the modern ones).',
  help: `**Why it matters.** \`minimum_version\` is the floor of an \`ssl.SSLContext\` (Python 3.7+).
Lowering it to \`TLSVersion.TLSv1\`, \`TLSv1_1\`, \`SSLv3\` or \`MINIMUM_SUPPORTED\` re-enables
protocols deprecated by RFC 8996, open to downgrade attacks. A \`maximum_version\` below
\`TLSv1_2\` is worse: the context can never use a modern protocol.

**How to fix it.**

\`\`\`python
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
\`\`\`

Remove a low \`maximum_version\` (or set it to \`TLSVersion.MAXIMUM_SUPPORTED\`). The offered fix
raises the value to \`TLSv1_2\` (or \`TLSv1_3\` under a TLS 1.3 policy).`,
  remedy: 'Set minimum_version = ssl.TLSVersion.TLSv1_2 and remove a low maximum_version.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['minimum_version', 'maximum_version'],
  fixable: true,
  query: `
(assignment
  left: (attribute attribute: (identifier) @field (#match? @field "^(minimum|maximum)_version$"))
  right: (_) @value)`,
  check(ctx) {
    const field = ctx.captures.field!.text;
    const value = ctx.captures.value!;
    const q = qualifiedName(value, importsOf(ctx.root));
    const m = q ? /^ssl\.TLSVersion\.(\w+)$/.exec(q) : null;
    if (!m || !(m[1]! in RANK) || isExpectedFailureOrComparison(value)) return;
    const version = m[1]!;
    const policy = ctx.settings.minTlsVersion === '1.3' ? 'TLSv1_3' : 'TLSv1_2';
    const prefix = value.text.slice(0, value.text.length - version.length);
    if (field === 'minimum_version' && RANK[version]! < RANK[policy]!) {
      ctx.report({
        node: value,
        message: `minimum_version = ${value.text} allows ${LABEL[version] ?? version}; set it to ${prefix}${policy}.`,
        fix: replaceFix(`use ${prefix}${policy}`, value.startIndex, value.endIndex, `${prefix}${policy}`),
      });
    } else if (field === 'maximum_version' && RANK[version]! < RANK.TLSv1_2!) {
      ctx.report({
        node: value,
        message: `maximum_version = ${value.text} caps every connection at ${LABEL[version] ?? version}; remove it or set ${prefix}MAXIMUM_SUPPORTED.`,
        fix: replaceFix(`use ${prefix}MAXIMUM_SUPPORTED`, value.startIndex, value.endIndex, `${prefix}MAXIMUM_SUPPORTED`),
      });
    }
  },
});
