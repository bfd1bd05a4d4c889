import { CDK_CLOUDFRONT_POLICY, CDK_RECOMMENDED_CLOUDFRONT_MEMBER, CLOUDFRONT_OUTDATED, RECOMMENDED_CLOUDFRONT_POLICY } from '../../src/formats/aws-tls-policies.js';
import { guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type TsContext } from '../../src/rule.js';
import { pythonSettingChecker, pythonWords, type PyCall } from './python.js';
import { checkTsSettings, lacks, tsConstructs, type CdkSetting } from './util.js';

/** `minimumProtocolVersion` (Distribution, CfnDistribution, Pulumi, CDKTF) and `securityPolicy` (ViewerCertificate options, alias configuration: enum members only). */
export function cloudfrontSetting(names: { minimum: string; securityPolicy: string }): CdkSetting {
  return {
    names: new Set([names.minimum, names.securityPolicy]),
    services: ['cloudfront'],
    enumName: 'SecurityPolicyProtocol',
    judge(c, name) {
      if (c.kind === 'string' && name !== names.minimum) return undefined;
      const policy = c.kind === 'member' ? CDK_CLOUDFRONT_POLICY[c.member] : c.value;
      const problem = policy ? CLOUDFRONT_OUTDATED[policy] : undefined;
      if (!problem) return undefined;
      return c.kind === 'member'
        ? { message: `SecurityPolicyProtocol.${c.member} (${policy}) ${problem}; use SecurityPolicyProtocol.${CDK_RECOMMENDED_CLOUDFRONT_MEMBER}.`, member: CDK_RECOMMENDED_CLOUDFRONT_MEMBER }
        : { message: `${name} '${policy}' ${problem}; use '${RECOMMENDED_CLOUDFRONT_POLICY}'.`, text: RECOMMENDED_CLOUDFRONT_POLICY };
    },
  };
}

const DEFAULT_WHY = 'CloudFront then applies TLSv1 (SSLv3 with SSLMethod.VIP), which accepts TLS 1.0';

const CLOUDFRONT_SETTING = cloudfrontSetting({ minimum: 'minimumProtocolVersion', securityPolicy: 'securityPolicy' });

/** Python: `ViewerCertificate.from_acm_certificate(cert)` and `AliasConfiguration(...)` without `security_policy`. */
function checkPythonCall(ctx: MatchContext, c: PyCall): void {
  if (c.name?.service !== 'cloudfront' || ctx.lang.entryOf([c.props], 'securityPolicy').length) return;
  const what = c.callee === 'AliasConfiguration' ? 'AliasConfiguration(...)' : `ViewerCertificate.${c.callee}(...)`;
  if (c.callee !== 'AliasConfiguration' && !c.name.path.startsWith('ViewerCertificate.')) return;
  ctx.report(guardedReport(ctx, { node: c.calleeNode, severity: 'warning', message: pythonWords(`${what} without securityPolicy: ${DEFAULT_WHY}; pass security_policy=SecurityPolicyProtocol.${CDK_RECOMMENDED_CLOUDFRONT_MEMBER}.`) }));
}

function check(ctx: TsContext): void {
  checkTsSettings(ctx, CLOUDFRONT_SETTING);
  const fix = `securityPolicy: SecurityPolicyProtocol.${CDK_RECOMMENDED_CLOUDFRONT_MEMBER}`;
  // ViewerCertificate.fromAcmCertificate(cert) / fromIamCertificate(id) without a security policy
  for (const c of tsConstructs(ctx, ['fromAcmCertificate', 'fromIamCertificate'])) {
    if (c.name.service !== 'cloudfront' || !c.name.path.startsWith('ViewerCertificate.')) continue;
    const options = c.args[1];
    if (options && lacks(ctx.lang, options, 'securityPolicy').lacking.length === 0) continue;
    ctx.report(guardedReport(ctx, { node: c.callee, severity: 'warning', message: `${c.name.path}(...) without securityPolicy: ${DEFAULT_WHY}; pass { ${fix} }.` }));
  }
  // CloudFrontWebDistribution's aliasConfiguration without a security policy
  for (const c of tsConstructs(ctx, ['CloudFrontWebDistribution'])) {
    if (c.name.service !== 'cloudfront') continue;
    for (const props of lacks(ctx.lang, c.args[2], 'aliasConfiguration').maps) {
      for (const alias of ctx.lang.entryOf([props], 'aliasConfiguration')) {
        if (alias.value.type !== 'map' || ctx.lang.entryOf([alias], 'securityPolicy').length) continue;
        ctx.report(guardedReport(ctx, { node: c.callee, severity: 'warning', message: `${c.callee.text} aliasConfiguration without securityPolicy: ${DEFAULT_WHY}; add ${fix} (or move to ViewerCertificate).` }));
      }
    }
  }
}

export default defineRule({
  id: 'cdk/cloudfront-min-protocol-outdated',
  fileKind: 'typescript',
  severity: 'error',
  kind: 'protocol',
  title: 'CloudFront viewer security policy below TLSv1.2_2019 (CDK)',
  description:
    "A CloudFront `Distribution` `minimumProtocolVersion`, a `ViewerCertificate` option or an alias configuration `securityPolicy` is `SecurityPolicyProtocol.SSL_V3`, `TLS_V1`, `TLS_V1_2016`, `TLS_V1_1_2016` or `TLS_V1_2_2018` (or such a name as a string in L1 constructs, Pulumi, CDKTF); or `ViewerCertificate.fromAcmCertificate`/`fromIamCertificate` and `aliasConfiguration` leave the policy out, which gives TLSv1 (a warning).",
  help: `**Why it matters.** The viewer security policy decides which protocols and ciphers viewers may
use. \`TLS_V1\`, \`TLS_V1_2016\` and \`TLS_V1_1_2016\` accept deprecated protocols (RFC 8996), \`SSL_V3\` an
insecure one, and \`TLS_V1_2_2018\` still offers CBC ciphers with SHA-1. The \`Distribution\` construct
defaults to a TLS 1.2 policy; the older \`CloudFrontWebDistribution\` certificate helpers default to
TLSv1.

**How to fix it.**

\`\`\`ts
new cloudfront.Distribution(this, 'Site', {
  defaultBehavior: { origin },
  domainNames: ['www.example.com'],
  certificate,
  minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
});
\`\`\`

\`\`\`python
cloudfront.Distribution(self, "Site", default_behavior=behavior, domain_names=["www.example.com"],
    certificate=certificate,
    minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021)
\`\`\``,
  remedy: 'Use SecurityPolicyProtocol.TLS_V1_2_2021 as the minimum viewer protocol.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['minimumProtocolVersion', 'minimum_protocol_version', 'SecurityPolicyProtocol', 'fromAcmCertificate', 'fromIamCertificate', 'from_acm_certificate', 'from_iam_certificate', 'aliasConfiguration', 'alias_configuration'],
  fixable: true,
  files: { javascript: { check }, typescript: { check }, python: pythonSettingChecker(['minimumProtocolVersion', 'securityPolicy'], () => CLOUDFRONT_SETTING, { names: ['from_acm_certificate', 'from_iam_certificate', 'AliasConfiguration'], check: checkPythonCall }) },
});
