import { openSearchPolicyOutdated, RECOMMENDED_OPENSEARCH_POLICY } from '../../src/formats/aws-tls-policies.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { atPath, reportValues, resources, templateCheckers } from './util.js';

const DOMAINS = new Set(['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain']);

function check(ctx: MatchContext): void {
  for (const r of resources(ctx.root)) {
    if (!DOMAINS.has(r.type) || !r.properties) continue;
    for (const end of atPath(ctx.lang, r.properties, ['DomainEndpointOptions', 'TLSSecurityPolicy'])) {
      if (end.kind !== 'value') continue;
      reportValues(ctx, r, end, 'TLSSecurityPolicy', (value) =>
        openSearchPolicyOutdated(value)
          ? { message: `TLSSecurityPolicy ${value} of ${r.logicalId} (${r.type}) accepts TLS 1.0 and 1.1; use ${RECOMMENDED_OPENSEARCH_POLICY}.`, replacement: RECOMMENDED_OPENSEARCH_POLICY }
          : undefined,
      );
    }
  }
}

export default defineRule({
  id: 'cloudformation/opensearch-tls-policy-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'OpenSearch/Elasticsearch domain TLSSecurityPolicy accepts TLS 1.0',
  description:
    'An `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain` sets `DomainEndpointOptions.TLSSecurityPolicy` to `Policy-Min-TLS-1-0-2019-07` (written there, in an `!If` branch, a mapping or a parameter default), so clients can connect with TLS 1.0 or 1.1.',
  help: `**Why it matters.** \`Policy-Min-TLS-1-0-2019-07\` lets the domain's HTTPS endpoint negotiate TLS
1.0 and 1.1, deprecated by RFC 8996; Amazon OpenSearch Service ends support for them and asks
domains to move to a TLS 1.2 policy. Without \`TLSSecurityPolicy\` the service now applies
\`Policy-Min-TLS-1-2-2019-07\`; the old policy is written on purpose.

**How to fix it.** Use \`Policy-Min-TLS-1-2-2019-07\`, or \`Policy-Min-TLS-1-2-PFS-2023-10\` for forward
secrecy only:

\`\`\`yaml
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    DomainEndpointOptions:
      EnforceHTTPS: true
      TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07
\`\`\``,
  remedy: 'Set DomainEndpointOptions.TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  requires: ['TLSSecurityPolicy'],
  fixable: true,
  files: templateCheckers(check),
});
