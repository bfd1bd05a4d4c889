import { cloudTlsVersion, respellCloudTlsVersion } from '../../src/formats/cloud-tls.js';
import { documents, entries, entry, entryOf, items, scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';

/** Deployment Manager resource types of an SSL policy (`compute.v1.sslPolicy`, `gcp-types/compute-v1:sslPolicies`). */
const DM_TYPE = /(?:^|[.:/])sslPolic(?:y|ies)$/i;

/** The SSL policy bodies of a file: Deployment Manager `resources[].properties`, Config Connector `ComputeSSLPolicy` `spec`. */
function policies(root: SyntaxNode): Array<{ name: string; body: SyntaxNode; at: SyntaxNode }> {
  const out: Array<{ name: string; body: SyntaxNode; at: SyntaxNode }> = [];
  for (const doc of documents(root)) {
    for (const r of items(entry(doc, 'resources'))) {
      const type = entryOf(r, 'type');
      const t = scalarOf(type?.value)?.value;
      if (!type?.value || !t || !DM_TYPE.test(t)) continue;
      const body = entry(r, 'properties');
      out.push({ name: scalarOf(entry(r, 'name'))?.value ?? t, body: body ?? r, at: type.value });
    }
    if (scalarOf(entry(doc, 'kind'))?.value === 'ComputeSSLPolicy') {
      const spec = entry(doc, 'spec');
      const kind = entryOf(doc, 'kind')!;
      out.push({ name: scalarOf(entry(entry(doc, 'metadata'), 'name'))?.value ?? 'ComputeSSLPolicy', body: spec ?? doc, at: kind.value! });
    }
  }
  return out;
}

function check(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const p of policies(ctx.root)) {
    const setting = entries(p.body).find((e) => e.key === 'minTlsVersion' || e.key === 'min_tls_version');
    const s = scalarOf(setting?.value);
    if (!setting || !s) {
      if (!setting) ctx.report({ node: p.at, severity: 'warning', message: `SSL policy ${p.name} sets no minTlsVersion: Google Cloud applies TLS_1_0, which accepts TLS 1.0 and 1.1; set minTlsVersion: TLS_1_2.` });
      continue;
    }
    const parsed = cloudTlsVersion(s.value);
    if (!parsed || !belowFloor(parsed.version, floor)) continue;
    const replacement = respellCloudTlsVersion(s.value, floor);
    ctx.report({
      node: s.node,
      message: `SSL policy ${p.name} ${setting.key}: ${s.value} accepts ${protocolLabel(parsed.version)}; use ${replacement ?? 'TLS_1_2'}.`,
      ...(replacement ? { fix: replaceFix(`use ${replacement}`, s.start, s.end, replacement) } : {}),
    });
  }
}

export default defineRule({
  id: 'gcp/min-tls-version-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'Google Cloud SSL policy minimum TLS version below 1.2 (Deployment Manager, Config Connector)',
  description:
    'A Deployment Manager `compute.v1.sslPolicy` resource or a Config Connector `ComputeSSLPolicy` sets `minTlsVersion: TLS_1_0`/`TLS_1_1`, or leaves it out (Google Cloud then applies TLS_1_0; a warning).',
  help: `**Why it matters.** An SSL policy is the TLS floor of the HTTPS and SSL proxy load balancers
that use it. Its \`minTlsVersion\` defaults to \`TLS_1_0\`, so a policy without one, or with
\`TLS_1_0\`/\`TLS_1_1\`, accepts protocols deprecated by RFC 8996.

**How to fix it.**

\`\`\`yaml
resources:
- name: web-ssl-policy
  type: compute.v1.sslPolicy
  properties:
    profile: MODERN
    minTlsVersion: TLS_1_2
\`\`\`

Config Connector: \`spec.minTlsVersion: TLS_1_2\`. The fix rewrites the value.`,
  remedy: 'Set minTlsVersion: TLS_1_2 on SSL policies.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['sslPolicy', 'sslPolicies', 'ComputeSSLPolicy'],
  fixable: true,
  query: '(stream) @root',
  check,
});
