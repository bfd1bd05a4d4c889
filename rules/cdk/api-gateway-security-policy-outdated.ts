import { apiGatewayPolicyFloor, RECOMMENDED_API_GATEWAY_POLICY } from '../../src/formats/aws-tls-policies.js';
import { belowFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import { defineRule, type TsContext } from '../../src/rule.js';
import { pythonSettingChecker } from './python.js';
import { checkTsSettings, type CdkSetting } from './util.js';

/** `securityPolicy` of API Gateway domain names (REST and HTTP APIs), as an enum member or a string (L1 constructs, Pulumi). */
export function apiGatewaySetting(floor: Policy, names: readonly string[] = ['securityPolicy']): CdkSetting {
  return {
    names: new Set(names),
    services: ['apigateway', 'apigatewayv2'],
    enumName: 'SecurityPolicy',
    judge(c) {
      const value = c.kind === 'member' ? c.member : c.value;
      const v = apiGatewayPolicyFloor(value);
      if (!v || !belowFloor(v, floor)) return undefined;
      const shown = c.kind === 'member' ? `SecurityPolicy.${value}` : `securityPolicy '${value}'`;
      if (floor === '1.3') return { message: `${shown} accepts ${protocolLabel(v)} and newer on the custom domain; use a TLS 1.3 enhanced policy (SecurityPolicy_TLS13_1_3_2025_09).` };
      const target = c.kind === 'member' ? `SecurityPolicy.${RECOMMENDED_API_GATEWAY_POLICY}` : `'${RECOMMENDED_API_GATEWAY_POLICY}'`;
      const message = `${shown} accepts ${protocolLabel(v)} and newer on the custom domain; use ${target}.`;
      return c.kind === 'member' ? { message, member: RECOMMENDED_API_GATEWAY_POLICY } : { message, text: RECOMMENDED_API_GATEWAY_POLICY };
    },
  };
}

function check(ctx: TsContext): void {
  checkTsSettings(ctx, apiGatewaySetting(ctx.settings.minTlsVersion));
}

export default defineRule({
  id: 'cdk/api-gateway-security-policy-outdated',
  fileKind: 'typescript',
  severity: 'error',
  kind: 'protocol',
  title: 'API Gateway domain name with SecurityPolicy.TLS_1_0 (CDK)',
  description:
    "An API Gateway custom domain (`DomainName`, `RestApi`/`LambdaRestApi` `domainName` options, `addDomainName`, apigatewayv2 `DomainName`, `CfnDomainName`) gets `securityPolicy: SecurityPolicy.TLS_1_0` (or the string `'TLS_1_0'` in L1 constructs and Pulumi), written there or through locals, constants of other modules, helper parameters and factories.",
  help: `**Why it matters.** \`SecurityPolicy.TLS_1_0\` lets clients of the custom domain connect with TLS
1.0 and 1.1, deprecated by RFC 8996 and refused by PCI DSS. When \`securityPolicy\` is left out, API
Gateway applies \`TLS_1_2\` to a new custom domain, so \`TLS_1_0\` is always written on purpose (older
CDK documentation named it as the default).

**How to fix it.**

\`\`\`ts
new apigw.DomainName(this, 'Domain', {
  domainName: 'api.example.com',
  certificate,
  securityPolicy: apigw.SecurityPolicy.TLS_1_2,
});
\`\`\`

\`\`\`python
apigw.DomainName(self, "Domain", domain_name="api.example.com", certificate=certificate,
                 security_policy=apigw.SecurityPolicy.TLS_1_2)
\`\`\`

The fix renames the member (or rewrites the string) where it is written at the setting.`,
  remedy: 'Set securityPolicy: SecurityPolicy.TLS_1_2 on API Gateway domain names.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['securityPolicy', 'security_policy'],
  requires: ['TLS_1_0', 'TLS_1_1'],
  fixable: true,
  files: { javascript: { check }, typescript: { check }, python: pythonSettingChecker(['securityPolicy'], (ctx) => apiGatewaySetting(ctx.settings.minTlsVersion)) },
});
