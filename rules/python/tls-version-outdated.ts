import { belowFloor, protocolLabel, spellVersion } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix } from '../../src/rule.js';
import type { Flow } from '../../src/lang/model.js';
import { isExpectedFailureOrComparison, versionOf } from './util.js';

export default defineRule({
  id: 'python/tls-version-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'SSLContext minimum_version (or pyOpenSSL set_min_proto_version) below TLS 1.2, or a maximum capping it',
  description:
    'An ssl.SSLContext gets minimum_version = TLSVersion.SSLv3, TLSv1, TLSv1_1 or MINIMUM_SUPPORTED (allowing deprecated protocols), or maximum_version below TLSv1_2 (forbidding the modern ones); likewise pyOpenSSL set_min_proto_version/set_max_proto_version with SSL3_VERSION, TLS1_VERSION or TLS1_1_VERSION. Values are followed through locals, constants, parameters and their callers; a later setting on the same context wins.',
  help: `**Why it matters.** \`minimum_version\` is the floor of an \`ssl.SSLContext\` (Python 3.7+).
Lowering it to \`TLSVersion.TLSv1\`, \`TLSv1_1\`, \`SSLv3\` or \`MINIMUM_SUPPORTED\` re-enables
protocols deprecated by RFC 8996, open to downgrade attacks. A \`maximum_version\` below
\`TLSv1_2\` is worse: the context can never use a modern protocol.

**How to fix it.**

\`\`\`python
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
\`\`\`

Remove a low \`maximum_version\` (or set it to \`TLSVersion.MAXIMUM_SUPPORTED\`). With pyOpenSSL,
\`ctx.set_min_proto_version(SSL.TLS1_2_VERSION)\` and no low \`set_max_proto_version\`. The offered
fix raises the value to \`TLSv1_2\` / \`TLS1_2_VERSION\` (or TLS 1.3 under a TLS 1.3 policy).`,
  remedy: 'Set minimum_version = ssl.TLSVersion.TLSv1_2 and remove a low maximum_version.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['minimum_version', 'maximum_version', 'set_min_proto_version', 'set_max_proto_version'],
  fixable: true,
  query: `
(assignment left: (attribute object: (_) @object attribute: (identifier) @field (#match? @field "^(minimum|maximum)_version$")) right: (_) @value) @stmt
(call function: (attribute object: (_) @object attribute: (identifier) @method (#match? @method "^set_(min|max)_proto_version$")) arguments: (argument_list . (_) @value)) @stmt`,
  check(ctx) {
    const { object, field, method, value, stmt } = ctx.captures;
    if (!object || !value || !stmt || value.type === 'keyword_argument' || isExpectedFailureOrComparison(value)) return;
    const setting = (field ?? method)!.text;
    const isMin = setting === 'minimum_version' || setting === 'set_min_proto_version';
    const pyopenssl = !!method;
    const floor = ctx.settings.minTlsVersion;
    // raised (or the cap lifted) later on the same object: the later value wins
    const safe = (f: Flow) => {
      const v = versionOf(f);
      return v === 'maximum' || (v !== undefined && v !== 'minimum' && !belowFloor(v, floor));
    };
    for (const l of ctx.lang.laterOnObject(object.text, stmt.endIndex, stmt)) {
      const later = l.kind === 'write' ? l.value : l.args[0]?.node;
      if (l.name === setting && later && ctx.lang.values(later).every(safe)) return;
    }
    const target = floor === '1.3' ? 'TLS1.3' : 'TLS1.2';
    const sinkName = pyopenssl ? `${setting}(...)` : setting;
    for (const flow of ctx.lang.values(value)) {
      const v = versionOf(flow);
      if (!v || v === 'maximum' || (v === 'minimum' && !isMin) || (v !== 'minimum' && !belowFloor(v, floor))) continue;
      const shown = flow.node.text;
      const label = v === 'minimum' ? 'the oldest version OpenSSL allows' : protocolLabel(v);
      const prefix = flow.node.type === 'attribute' ? shown.slice(0, shown.lastIndexOf('.') + 1) : '';
      const fixed = pyopenssl ? (isMin ? spellVersion(target, 'openssl-version') : undefined) : isMin ? spellVersion(target, 'python-tlsversion') : 'MAXIMUM_SUPPORTED';
      const written = pyopenssl ? `${setting}(${shown})` : `${setting} = ${shown}`;
      const message = isMin
        ? `${written} allows ${label}; ${pyopenssl ? 'pass' : 'set it to'} ${prefix}${fixed}.`
        : `${written} caps every connection at ${label}; ${pyopenssl ? 'remove it (0 means the highest version OpenSSL supports)' : `remove it or set ${prefix}MAXIMUM_SUPPORTED`}.`;
      const fix = prefix && fixed ? replaceFix(`use ${prefix}${fixed}`, flow.node.startIndex, flow.node.endIndex, `${prefix}${fixed}`) : undefined;
      ctx.report(flowReport(ctx, flow, { sink: value, sinkName, message, fix }));
    }
  },
});
