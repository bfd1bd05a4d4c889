import { defineRule, replaceFix } from '../../src/rule.js';
import { attributeQuery, enclosingResource, stringValue } from './util.js';

/** CloudFront viewer security policies below TLSv1.2_2019, with what is wrong with each. */
const OUTDATED: Record<string, string> = {
  SSLv3: 'accepts SSL 3.0 and TLS 1.0',
  TLSv1: 'accepts TLS 1.0',
  TLSv1_2016: 'accepts TLS 1.0',
  'TLSv1.1_2016': 'accepts TLS 1.1',
  'TLSv1.2_2018': 'keeps TLS 1.2 but still offers CBC-SHA1 ciphers',
};

export default defineRule({
  id: 'terraform/cloudfront-min-protocol-outdated',
  fileKind: 'terraform',
  severity: 'error',
  kind: 'protocol',
  title: 'CloudFront minimum_protocol_version below TLSv1.2_2019',
  description:
    'An `aws_cloudfront_distribution` `viewer_certificate` sets `minimum_protocol_version` to SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016 or TLSv1.2_2018, so viewers can connect with TLS 1.0/1.1 or weak ciphers.',
  help: `**Why it matters.** CloudFront's viewer security policy decides which protocols and ciphers
viewers may use. \`TLSv1\`, \`TLSv1_2016\` and \`TLSv1.1_2016\` accept deprecated protocols (RFC 8996);
\`TLSv1.2_2018\` keeps TLS 1.2 but still offers CBC ciphers with SHA-1. Note the names: the year
does not say the floor, the \`TLSv1.x\` part does.

**How to fix it.** Use \`TLSv1.2_2021\` (or at least \`TLSv1.2_2019\`):

\`\`\`hcl
viewer_certificate {
  acm_certificate_arn      = aws_acm_certificate.site.arn
  ssl_support_method       = "sni-only"
  minimum_protocol_version = "TLSv1.2_2021"
}
\`\`\`

With \`cloudfront_default_certificate = true\` CloudFront always uses TLSv1 and ignores this
setting: use your own certificate to raise the floor.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['minimum_protocol_version'],
  fixable: true,
  query: attributeQuery(['minimum_protocol_version']),
  check(ctx) {
    const { name, value } = ctx.captures;
    if (!name || !value) return;
    const resource = enclosingResource(name);
    if (resource && resource.type !== 'aws_cloudfront_distribution') return;
    const s = stringValue(value, ctx.root);
    if (!s) return;
    const problem = OUTDATED[s.value];
    if (!problem) return;
    ctx.report({
      start: s.inline ? s.start : value.startIndex,
      end: s.inline ? s.end : value.endIndex,
      message: `minimum_protocol_version "${s.value}" ${problem}; use "TLSv1.2_2021".`,
      ...(s.inline ? { fix: replaceFix('use TLSv1.2_2021', s.start, s.end, 'TLSv1.2_2021') } : {}),
    });
  },
});
