import { scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, parseProtocol, protocolLabel, PROTOCOL_RANK } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from '../kubernetes/util.js';

/**
 * Envoy `tls_params` (`tls_minimum_protocol_version`, `tls_maximum_protocol_version`, or their
 * proto-JSON names) take `TLSv1_0`..`TLSv1_3`; Istio's `minProtocolVersion`/`maxProtocolVersion`
 * (Gateway and DestinationRule TLS settings, mesh config) take `TLSV1_0`..`TLSV1_3`.
 */
const MIN = new Set(['tls_minimum_protocol_version', 'tlsMinimumProtocolVersion', 'minProtocolVersion']);
const MAX = new Set(['tls_maximum_protocol_version', 'tlsMaximumProtocolVersion', 'maxProtocolVersion']);
const ENVOY_VALUE = /^TLSv1_[0-3]$/;
const ISTIO_VALUE = /^TLSV1_[0-3]$/;

function check(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const e of entriesWhere(ctx.root, (k) => MIN.has(k) || MAX.has(k))) {
    const s = scalarOf(e.value);
    if (!s || s.type !== 'string') continue;
    const istio = e.key.endsWith('ProtocolVersion') && !e.key.startsWith('tls');
    if (!(istio ? ISTIO_VALUE : ENVOY_VALUE).test(s.value)) continue;
    const v = parseProtocol(s.value.replace(/^TLSV/, 'TLSv'));
    if (!v) continue;
    const verbatim = ctx.file.text.slice(s.start, s.end) === s.value;
    if (MIN.has(e.key) && belowFloor(v, floor)) {
      const target = istio ? (floor === '1.3' ? 'TLSV1_3' : 'TLSV1_2') : floor === '1.3' ? 'TLSv1_3' : 'TLSv1_2';
      ctx.report({
        node: s.node,
        message: `${e.key}: ${s.value} accepts ${protocolLabel(v)}; use ${target}${istio ? '' : ' (Envoy\'s default for servers and clients)'}.`,
        ...(verbatim ? { fix: replaceFix(`use ${target}`, s.start, s.end, target) } : {}),
      });
    } else if (MAX.has(e.key) && PROTOCOL_RANK[v] < PROTOCOL_RANK['TLS1.2']) {
      ctx.report({ node: s.node, message: `${e.key}: ${s.value} caps connections at ${protocolLabel(v)}, so TLS 1.2 and 1.3 are never used; remove it.` });
    }
  }
}

export default defineRule({
  id: 'proxy/envoy-tls-min-version-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'Envoy/Istio TLS protocol version below 1.2',
  description:
    'Envoy `tls_params` set `tls_minimum_protocol_version` to `TLSv1_0`/`TLSv1_1` (or cap `tls_maximum_protocol_version` there), in YAML or JSON bootstrap and xDS configuration; Istio Gateway/DestinationRule TLS settings or mesh config set `minProtocolVersion: TLSV1_0`/`TLSV1_1`.',
  help: `**Why it matters.** These settings are the TLS floor of an Envoy listener or upstream cluster
(and of Istio gateways and sidecars). Envoy and Istio default to TLS 1.2; \`TLSv1_0\`/\`TLSv1_1\` bring
back protocols deprecated by RFC 8996.

**How to fix it.**

\`\`\`yaml
common_tls_context:
  tls_params:
    tls_minimum_protocol_version: TLSv1_2
\`\`\`

\`\`\`yaml
# Istio Gateway
tls:
  mode: SIMPLE
  credentialName: site-cert
  minProtocolVersion: TLSV1_2
\`\`\`

The fix raises the value in the same spelling; remove a low maximum.`,
  remedy: 'Set tls_minimum_protocol_version: TLSv1_2 (Istio: minProtocolVersion: TLSV1_2).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['tls_minimum_protocol_version', 'tlsMinimumProtocolVersion', 'tls_maximum_protocol_version', 'tlsMaximumProtocolVersion', 'ProtocolVersion: TLSV1_', 'ProtocolVersion: "TLSV1_', 'ProtocolVersion": "TLSV1_'],
  fixable: true,
  files: dataCheckers(check, ['yaml', 'json']),
});
