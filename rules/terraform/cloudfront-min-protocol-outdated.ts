import { CLOUDFRONT_OUTDATED, RECOMMENDED_CLOUDFRONT_POLICY } from '../../src/formats/aws-tls-policies.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { attributeName, checkSetting, enclosingResource, MODULE_TRIGGERS, remoteModuleArgument, resourceAddress, settingQuery, type Setting } from './util.js';

/** `minimum_protocol_version` of a distribution's `viewer_certificate` (or a registry module's input of that name). */
function sinkOf(attribute: SyntaxNode, sem: Semantics): { name: string } | undefined {
  if (attributeName(attribute) !== 'minimum_protocol_version') return undefined;
  const resource = enclosingResource(attribute);
  if (resource?.type === 'aws_cloudfront_distribution') return { name: `${resourceAddress(attribute)} minimum_protocol_version` };
  return !resource && remoteModuleArgument(attribute, sem) ? { name: 'the module input minimum_protocol_version' } : undefined;
}

const SETTING: Setting<{ name: string }> = {
  sinkOf,
  judge(value) {
    const problem = CLOUDFRONT_OUTDATED[value];
    return problem ? { message: `minimum_protocol_version "${value}" ${problem}; use "${RECOMMENDED_CLOUDFRONT_POLICY}".`, replacement: RECOMMENDED_CLOUDFRONT_POLICY } : undefined;
  },
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
  triggers: ['minimum_protocol_version', ...MODULE_TRIGGERS],
  fixable: true,
  query: settingQuery(['minimum_protocol_version']),
  check(ctx) {
    checkSetting(ctx, SETTING);
  },
});
