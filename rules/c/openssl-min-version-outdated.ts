import { belowFloor, labelUpToFloor, protocolLabel, protocolOfName, spellVersion, wireVersion, type ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport, isTranslation } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { branchNote, symbolName } from './util.js';

/** The version an OpenSSL `*_VERSION` value names (`TLS1_VERSION`, `0x0301`); `lowest` for 0, the library's lowest. */
export function opensslVersionValue(flow: Flow): ProtocolVersion | 'lowest' | undefined {
  const v = flow.value;
  if (v.type === 'number') return v.value === 0 ? 'lowest' : wireVersion(v.value);
  const name = symbolName(flow);
  return name && /^(?:SSL3|TLS1(?:_[0-3])?)_VERSION$/.test(name) ? protocolOfName(name) : undefined;
}

function check(ctx: MatchContext): void {
  const { call, fn } = ctx.captures;
  const args = call!.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const name = fn!.text;
  let value = args[1];
  let callText = (shown: string) => `${name}(..., ${shown})`;
  if (/_ctrl$/.test(name)) {
    // SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_VERSION, NULL)
    const cmd = args[1]?.text;
    if (cmd !== 'SSL_CTRL_SET_MIN_PROTO_VERSION' && cmd !== 'SSL_CTRL_SET_MAX_PROTO_VERSION') return;
    callText = (shown) => `${name}(..., ${cmd}, ${shown}, ...)`;
    value = args[2];
  }
  if (!value) return;
  const floor = ctx.settings.minTlsVersion;
  const target = spellVersion(floor === '1.3' ? 'TLS1.3' : 'TLS1.2', 'openssl-version');
  const max = /max_proto|SET_MAX/.test(callText(''));
  const flows = ctx.lang.values(value);
  const weak = (f: (typeof flows)[number]) => {
    const v = opensslVersionValue(f);
    return v !== undefined && v !== 'lowest' && belowFloor(v, floor);
  };
  for (const flow of flows) {
    const v = opensslVersionValue(flow);
    // 0 is the library's own floor (the default-min-version rule's question); `case`-by-`case` translations map a setting made elsewhere
    if (!v || v === 'lowest' || !weak(flow) || isTranslation(ctx, flow, flows, weak)) continue;
    const shown = flow.value.type === 'number' ? flow.node.text : (symbolName(flow) ?? flow.node.text);
    const named = flow.node.type === 'identifier' && /_VERSION$/.test(flow.node.text);
    if (max) {
      ctx.report(flowReport(ctx, flow, { sink: value, sinkName: name, message: `${callText(shown)} caps every connection at ${protocolLabel(v)}; remove the call (or set TLS1_3_VERSION).${branchNote(call!)}` }));
      continue;
    }
    const what = `allows ${labelUpToFloor(v, floor)}`;
    ctx.report(
      flowReport(ctx, flow, {
        sink: value,
        sinkName: name,
        message: `${callText(shown)} ${what}; set ${target}.${branchNote(call!)}`,
        fix: named ? replaceFix(`use ${target}`, flow.node.startIndex, flow.node.endIndex, target) : undefined,
      }),
    );
  }
}

export default defineRule({
  id: 'c/openssl-min-version-outdated',
  fileKind: 'c',
  severity: 'error',
  kind: 'protocol',
  title: 'OpenSSL protocol floor set to SSLv3, TLS 1.0 or TLS 1.1 (or the ceiling below TLS 1.2)',
  description:
    '`SSL_CTX_set_min_proto_version(ctx, SSL3_VERSION / TLS1_VERSION / TLS1_1_VERSION)` (or `SSL_set_min_proto_version`, `SSL_CTX_ctrl(SSL_CTRL_SET_MIN_PROTO_VERSION)`, or the wire numbers) allows deprecated protocol versions; a `*_set_max_proto_version` below TLS 1.2 forbids TLS 1.2. Values are followed through `#define`s, `const`s, locals and parameters.',
  help: `**Why it matters.** The minimum protocol version is the floor a peer can push the connection
down to: \`TLS1_VERSION\` or \`TLS1_1_VERSION\` lets it negotiate TLS 1.0 or 1.1 (RFC 8996), \`SSL3_VERSION\`
SSL 3.0 (POODLE). A maximum below TLS 1.2 makes
TLS 1.2 servers unreachable.

**How to fix it.** As the vendors' guidance says:

\`\`\`c
SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
\`\`\`

and no \`SSL_CTX_set_max_proto_version\` (or \`TLS1_3_VERSION\`). The fix replaces the constant where
it is written at the call (\`TLS1_3_VERSION\` under a TLS 1.3 policy).`,
  remedy: 'Set SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) and remove low max_proto_version caps.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['set_min_proto_version', 'set_max_proto_version', 'SSL_CTRL_SET_M'],
  fixable: true,
  query: `(call_expression function: (identifier) @fn (#match? @fn "^(SSL_CTX|SSL)_(set_(min|max)_proto_version|ctrl)$") arguments: (argument_list)) @call`,
  check,
});
