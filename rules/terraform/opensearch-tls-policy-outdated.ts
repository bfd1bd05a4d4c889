import { openSearchPolicyOutdated, RECOMMENDED_OPENSEARCH_POLICY } from '../../src/formats/aws-tls-policies.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { attributeName, checkSetting, enclosingResource, MODULE_TRIGGERS, remoteModuleArgument, resourceAddress, settingQuery, type Setting } from './util.js';

const DOMAINS = new Set(['aws_elasticsearch_domain', 'aws_opensearch_domain']);

/** `tls_security_policy` of a domain's `domain_endpoint_options` (or a registry module's input of that name). */
function sinkOf(attribute: SyntaxNode, sem: Semantics): { name: string } | undefined {
  if (attributeName(attribute) !== 'tls_security_policy') return undefined;
  const resource = enclosingResource(attribute);
  if (resource && DOMAINS.has(resource.type)) return { name: `${resourceAddress(attribute)} tls_security_policy` };
  return !resource && remoteModuleArgument(attribute, sem) ? { name: 'the module input tls_security_policy' } : undefined;
}

const SETTING: Setting<{ name: string }> = {
  sinkOf,
  judge(value) {
    if (!openSearchPolicyOutdated(value)) return undefined;
    return { message: `tls_security_policy "${value}" accepts TLS 1.0 and 1.1; use "${RECOMMENDED_OPENSEARCH_POLICY}".`, replacement: RECOMMENDED_OPENSEARCH_POLICY };
  },
};

export default defineRule({
  id: 'terraform/opensearch-tls-policy-outdated',
  fileKind: 'terraform',
  severity: 'error',
  kind: 'protocol',
  title: 'OpenSearch/Elasticsearch domain endpoint accepts TLS 1.0',
  description:
    'An `aws_opensearch_domain` or `aws_elasticsearch_domain` sets `domain_endpoint_options.tls_security_policy` to `Policy-Min-TLS-1-0-2019-07`, so clients can connect with TLS 1.0 or 1.1.',
  help: `**Why it matters.** \`Policy-Min-TLS-1-0-2019-07\` lets the domain endpoint negotiate TLS 1.0
and 1.1, deprecated by RFC 8996.

**How to fix it.** Use \`Policy-Min-TLS-1-2-2019-07\` (or \`Policy-Min-TLS-1-2-PFS-2023-10\` for
forward secrecy only):

\`\`\`hcl
domain_endpoint_options {
  enforce_https       = true
  tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
}
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['tls_security_policy', ...MODULE_TRIGGERS],
  fixable: true,
  query: settingQuery(['tls_security_policy']),
  check(ctx) {
    checkSetting(ctx, SETTING);
  },
});
