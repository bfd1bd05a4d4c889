import { apiGatewayPolicyFloor, RECOMMENDED_API_GATEWAY_POLICY } from '../../src/formats/aws-tls-policies.js';
import { belowFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { atPath, reportValues, resources, templateCheckers } from './util.js';

/** Where each resource type keeps its security policy. */
const PATHS: Record<string, string[]> = {
  'AWS::ApiGateway::DomainName': ['SecurityPolicy'],
  'AWS::ApiGateway::DomainNameV2': ['SecurityPolicy'],
  'AWS::ApiGateway::RestApi': ['SecurityPolicy'],
  'AWS::ApiGatewayV2::DomainName': ['DomainNameConfigurations', '*', 'SecurityPolicy'],
  'AWS::Serverless::Api': ['Domain', 'SecurityPolicy'],
  'AWS::Serverless::HttpApi': ['Domain', 'SecurityPolicy'],
};

function check(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const r of resources(ctx.root)) {
    const path = PATHS[r.type];
    if (!path || !r.properties) continue;
    for (const end of atPath(ctx.lang, r.properties, path)) {
      if (end.kind !== 'value') continue;
      reportValues(ctx, r, end, 'SecurityPolicy', (value) => {
        const v = apiGatewayPolicyFloor(value);
        if (!v || !belowFloor(v, floor)) return undefined;
        const target = floor === '1.3' ? 'SecurityPolicy_TLS13_1_3_2025_09' : RECOMMENDED_API_GATEWAY_POLICY;
        return {
          message: `SecurityPolicy ${value} of ${r.logicalId} (${r.type}) accepts ${protocolLabel(v)} and newer; use ${target}.`,
          replacement: floor === '1.3' ? undefined : target,
        };
      });
    }
  }
}

export default defineRule({
  id: 'cloudformation/api-gateway-security-policy-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'API Gateway domain name or REST API security policy TLS_1_0',
  description:
    'An `AWS::ApiGateway::DomainName` (or `DomainNameV2`, `RestApi`), an `AWS::ApiGatewayV2::DomainName` configuration or a SAM `AWS::Serverless::Api`/`HttpApi` `Domain` sets `SecurityPolicy: TLS_1_0`, written there, chosen by `!If`, or as the default of a parameter it references.',
  help: `**Why it matters.** API Gateway's \`TLS_1_0\` security policy lets clients of the custom domain
(or of the API's own endpoint) connect with TLS 1.0 and 1.1, deprecated by RFC 8996 and refused by
PCI DSS. Custom domain names created without a policy get \`TLS_1_2\`; \`TLS_1_0\` is written on
purpose, usually copied from an old template.

**How to fix it.** Use \`TLS_1_2\`, or an enhanced policy (\`SecurityPolicy_TLS13_1_2_2021_06\`,
\`SecurityPolicy_TLS13_1_3_2025_09\`; these also need \`EndpointAccessMode: STRICT\`):

\`\`\`yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref Certificate
    SecurityPolicy: TLS_1_2
\`\`\`

The fix rewrites a literal \`TLS_1_0\` (in the property, an \`!If\` branch or a mapping). A
parameter's default is reported at the property and left for you to change.`,
  remedy: 'Set SecurityPolicy: TLS_1_2 on API Gateway domain names and REST APIs.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::DomainName', 'AWS::Serverless::Api', 'AWS::Serverless::HttpApi'],
  requires: ['SecurityPolicy'],
  fixable: true,
  files: templateCheckers(check),
});
