import { CDK_ELB_SSL_POLICY, CDK_RECOMMENDED_ELB_MEMBER, CDK_RECOMMENDED_ELB_MEMBER_TLS13, elbPolicyFloor, RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from '../../src/formats/aws-tls-policies.js';
import { belowFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import { defineRule, type TsContext } from '../../src/rule.js';
import { pythonSettingChecker } from './python.js';
import { checkTsSettings, type CdkSetting } from './util.js';

export function elbSetting(floor: Policy, names: readonly string[] = ['sslPolicy']): CdkSetting {
  const member = floor === '1.3' ? CDK_RECOMMENDED_ELB_MEMBER_TLS13 : CDK_RECOMMENDED_ELB_MEMBER;
  const policyName = floor === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
  return {
    names: new Set(names),
    services: ['elasticloadbalancingv2'],
    enumName: 'SslPolicy',
    judge(c) {
      const policy = c.kind === 'member' ? CDK_ELB_SSL_POLICY[c.member] : c.value;
      const v = policy ? elbPolicyFloor(policy) : undefined;
      if (!v || !belowFloor(v, floor)) return undefined;
      if (c.kind === 'string') return { message: `sslPolicy '${policy}' accepts ${protocolLabel(v)} and newer; use '${policyName}'.`, text: policyName };
      // SslPolicy.RECOMMENDED is the 2016 policy, whatever its name says
      const trap = c.member === 'RECOMMENDED' ? ', despite its name,' : '';
      return { message: `SslPolicy.${c.member}${trap} is ${policy}, which accepts ${protocolLabel(v)} and newer; use SslPolicy.${member}.`, member };
    },
  };
}

function check(ctx: TsContext): void {
  checkTsSettings(ctx, elbSetting(ctx.settings.minTlsVersion));
}

export default defineRule({
  id: 'cdk/lb-ssl-policy-outdated',
  fileKind: 'typescript',
  severity: 'error',
  kind: 'protocol',
  title: 'Load balancer listener sslPolicy allows TLS 1.0 or TLS 1.1 (CDK)',
  description:
    "An ALB/NLB listener (`addListener`, `ApplicationListener`, `NetworkListener`, ECS patterns, `CfnListener`) gets an `sslPolicy` whose floor is below TLS 1.2: `SslPolicy.RECOMMENDED` (which is ELBSecurityPolicy-2016-08), `TLS11`, `LEGACY`, `FORWARD_SECRECY`, `TLS13_10`/`TLS13_11` and the FIPS variants, or such a policy name as a string (L1 constructs, Pulumi, CDKTF), written there or through locals, other modules, parameters and factories.",
  help: `**Why it matters.** The security policy fixes the protocols a listener accepts. Several CDK
members keep TLS 1.0 or 1.1 (deprecated by RFC 8996) and one is a trap: \`SslPolicy.RECOMMENDED\` is
\`ELBSecurityPolicy-2016-08\`, whose floor is TLS 1.0; \`SslPolicy.RECOMMENDED_TLS\` is the modern one.

**How to fix it.**

\`\`\`ts
lb.addListener('Https', {
  port: 443,
  certificates: [certificate],
  sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
});
\`\`\`

\`\`\`python
lb.add_listener("Https", port=443, certificates=[certificate],
                ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS)
\`\`\`

The fix renames the member (\`RECOMMENDED_TLS\`, or \`TLS13_13\` under \`--min-tls 1.3\`) or rewrites the
string to \`ELBSecurityPolicy-TLS13-1-2-2021-06\`.`,
  remedy: 'Use sslPolicy: SslPolicy.RECOMMENDED_TLS (ELBSecurityPolicy-TLS13-1-2-2021-06).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['sslPolicy', 'ssl_policy'],
  fixable: true,
  files: { javascript: { check }, typescript: { check }, python: pythonSettingChecker(['sslPolicy'], (ctx) => elbSetting(ctx.settings.minTlsVersion)) },
});
