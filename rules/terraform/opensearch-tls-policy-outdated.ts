import { defineRule, replaceFix } from '../../src/rule.js';
import { attributeQuery, enclosingResource, stringValue } from './util.js';

const DOMAINS = new Set(['aws_elasticsearch_domain', 'aws_opensearch_domain']);

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
  triggers: ['tls_security_policy'],
  fixable: true,
  query: attributeQuery(['tls_security_policy']),
  check(ctx) {
    const { name, value } = ctx.captures;
    if (!name || !value) return;
    const resource = enclosingResource(name);
    if (resource && !DOMAINS.has(resource.type)) return;
    const s = stringValue(value, ctx.root);
    if (!s || !/^Policy-Min-TLS-1-[01]-/.test(s.value)) return;
    ctx.report({
      start: s.inline ? s.start : value.startIndex,
      end: s.inline ? s.end : value.endIndex,
      message: `tls_security_policy "${s.value}" accepts TLS 1.0 and 1.1; use "Policy-Min-TLS-1-2-2019-07".`,
      ...(s.inline ? { fix: replaceFix('use Policy-Min-TLS-1-2-2019-07', s.start, s.end, 'Policy-Min-TLS-1-2-2019-07') } : {}),
    });
  },
});
