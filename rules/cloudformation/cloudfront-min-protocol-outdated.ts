import { CLOUDFRONT_OUTDATED, RECOMMENDED_CLOUDFRONT_POLICY } from '../../src/formats/aws-tls-policies.js';
import { entryOf } from '../../src/formats/data-tree.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { addEntryFix, atPath, reportMissing, reportValues, resources, templateCheckers } from './util.js';

function check(ctx: MatchContext): void {
  for (const r of resources(ctx.root)) {
    if (r.type !== 'AWS::CloudFront::Distribution' || !r.properties) continue;
    for (const cert of atPath(ctx.lang, r.properties, ['DistributionConfig', 'ViewerCertificate'])) {
      if (cert.kind !== 'value') continue;
      for (const end of atPath(ctx.lang, cert.node, ['MinimumProtocolVersion'], cert.guard)) {
        if (end.kind === 'value') {
          reportValues(ctx, r, end, 'MinimumProtocolVersion', (value) => {
            const problem = CLOUDFRONT_OUTDATED[value];
            return problem ? { message: `MinimumProtocolVersion ${value} of ${r.logicalId} ${problem}; use ${RECOMMENDED_CLOUDFRONT_POLICY}.`, replacement: RECOMMENDED_CLOUDFRONT_POLICY } : undefined;
          });
          continue;
        }
        // a custom certificate without a policy: CloudFront applies TLSv1
        const custom = entryOf(end.holder, 'AcmCertificateArn') ?? entryOf(end.holder, 'IamCertificateId');
        if (!custom) continue;
        reportMissing(
          ctx,
          custom.keyNode,
          `${r.logicalId} serves a custom certificate without MinimumProtocolVersion: CloudFront then applies TLSv1, which accepts TLS 1.0; set MinimumProtocolVersion: ${RECOMMENDED_CLOUDFRONT_POLICY}.`,
          end.guard ?? r.condition,
          addEntryFix(ctx.file.text, custom, 'MinimumProtocolVersion', RECOMMENDED_CLOUDFRONT_POLICY, `add MinimumProtocolVersion: ${RECOMMENDED_CLOUDFRONT_POLICY}`),
          'warning',
        );
      }
    }
  }
}

export default defineRule({
  id: 'cloudformation/cloudfront-min-protocol-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'CloudFront ViewerCertificate MinimumProtocolVersion below TLSv1.2_2019',
  description:
    'An `AWS::CloudFront::Distribution` `ViewerCertificate` sets `MinimumProtocolVersion` to SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016 or TLSv1.2_2018, or serves an ACM/IAM certificate without `MinimumProtocolVersion` (CloudFront then applies TLSv1; reported as a warning).',
  help: `**Why it matters.** The viewer security policy decides which protocols and ciphers viewers may
use. \`TLSv1\`, \`TLSv1_2016\` and \`TLSv1.1_2016\` accept deprecated protocols (RFC 8996), \`SSLv3\` an
insecure one; \`TLSv1.2_2018\` keeps TLS 1.2 but still offers CBC ciphers with SHA-1. The year in the
name does not say the floor, the \`TLSv1.x\` part does. A distribution with its own certificate and
no \`MinimumProtocolVersion\` gets \`TLSv1\`.

**How to fix it.** Use \`TLSv1.2_2021\` (or at least \`TLSv1.2_2019\`):

\`\`\`yaml
ViewerCertificate:
  AcmCertificateArn: !Ref Certificate
  SslSupportMethod: sni-only
  MinimumProtocolVersion: TLSv1.2_2021
\`\`\`

With \`CloudFrontDefaultCertificate: true\` CloudFront always uses TLSv1 for the
\`*.cloudfront.net\` name; serve your own domain and certificate to raise the floor.`,
  remedy: 'Set ViewerCertificate.MinimumProtocolVersion: TLSv1.2_2021.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['AWS::CloudFront::Distribution'],
  requires: ['MinimumProtocolVersion', 'AcmCertificateArn', 'IamCertificateId'],
  fixable: true,
  files: templateCheckers(check),
});
