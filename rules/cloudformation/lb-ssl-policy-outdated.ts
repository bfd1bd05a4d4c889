import { elbPolicyFloor, RECOMMENDED_CLASSIC_POLICY, RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from '../../src/formats/aws-tls-policies.js';
import { suiteWeakness } from '../../src/formats/ciphers.js';
import { entry, scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { atPath, reportValues, resources, templateCheckers } from './util.js';

function check(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  const judge = (classic: boolean, logicalId: string) => (value: string) => {
    const v = elbPolicyFloor(value);
    if (!v || !belowFloor(v, floor)) return undefined;
    const target = classic ? RECOMMENDED_CLASSIC_POLICY : floor === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
    return { message: `${value} (${logicalId}) accepts ${protocolLabel(v)} and newer; use ${target}.`, replacement: classic && floor === '1.3' ? undefined : target };
  };
  for (const r of resources(ctx.root)) {
    if (!r.properties) continue;
    if (r.type === 'AWS::ElasticLoadBalancingV2::Listener') {
      for (const end of atPath(ctx.lang, r.properties, ['SslPolicy'])) if (end.kind === 'value') reportValues(ctx, r, end, 'SslPolicy', judge(false, r.logicalId));
      continue;
    }
    if (r.type !== 'AWS::ElasticLoadBalancing::LoadBalancer') continue;
    // Classic Load Balancer: a Reference-Security-Policy attribute, or protocols switched on one by one
    for (const attribute of atPath(ctx.lang, r.properties, ['Policies', '*', 'Attributes', '*'])) {
      if (attribute.kind !== 'value') continue;
      const name = scalarOf(entry(attribute.node, 'Name'))?.value;
      const value = entry(attribute.node, 'Value');
      if (!name || !value) continue;
      if (name === 'Reference-Security-Policy') {
        reportValues(ctx, r, { kind: 'value', node: value, ...(attribute.guard ? { guard: attribute.guard } : {}) }, 'Reference-Security-Policy', judge(true, r.logicalId));
        continue;
      }
      // a cipher switched on by name (`DES-CBC3-SHA: true`)
      const weakness = /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(name) && !name.startsWith('Protocol-') ? suiteWeakness(name) : undefined;
      if (weakness) {
        reportValues(ctx, r, { kind: 'value', node: value, ...(attribute.guard ? { guard: attribute.guard } : {}) }, name, (enabled) =>
          /^true$/i.test(enabled) ? { message: `${r.logicalId}'s SSL negotiation policy enables ${name}: ${weakness}; set it to false or use Reference-Security-Policy ${RECOMMENDED_CLASSIC_POLICY}.` } : undefined,
        );
        continue;
      }
      const protocol = /^Protocol-(SSLv3|TLSv1(?:\.1)?)$/.exec(name);
      const v = protocol && parseProtocol(protocol[1]!);
      if (!v || !belowFloor(v, floor)) continue;
      reportValues(ctx, r, { kind: 'value', node: value, ...(attribute.guard ? { guard: attribute.guard } : {}) }, name, (enabled) =>
        /^true$/i.test(enabled) ? { message: `${name} is enabled in ${r.logicalId}'s SSL negotiation policy, so it accepts ${protocolLabel(v)}; set it to false or use Reference-Security-Policy ${RECOMMENDED_CLASSIC_POLICY}.` } : undefined,
      );
    }
  }
}

export default defineRule({
  id: 'cloudformation/lb-ssl-policy-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'Load balancer security policy allows TLS 1.0 or TLS 1.1 (CloudFormation)',
  description:
    'An `AWS::ElasticLoadBalancingV2::Listener` `SslPolicy`, or a Classic Load Balancer policy\'s `Reference-Security-Policy`, names an ELB security policy whose lowest protocol is TLS 1.0, TLS 1.1 or SSLv3 (ELBSecurityPolicy-2016-08, -TLS-1-1-2017-01, -TLS13-1-0-2021-06...), or a Classic policy turns `Protocol-TLSv1`/`Protocol-TLSv1.1`/`Protocol-SSLv3` or a weak cipher (`DES-CBC3-SHA`, `RC4-SHA`...) on.',
  help: `**Why it matters.** An ELB security policy fixes the protocols and ciphers the load balancer
offers. The dated policies (\`ELBSecurityPolicy-2016-08\`, also the API's default, \`-2015-05\`...) and
the \`-1-0-\`/\`-1-1-\` variants accept TLS 1.0 or 1.1, deprecated by RFC 8996 and rejected by PCI DSS
audits. Only the policy name tells (tlslint keeps a table of AWS's names).

**How to fix it.** Use a TLS 1.3 policy with a TLS 1.2 floor:

\`\`\`yaml
HttpsListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
\`\`\`

Classic Load Balancers have no TLS 1.3 policies: reference \`ELBSecurityPolicy-TLS-1-2-2017-01\`.
Check the load balancer's logs for clients still on TLS 1.0/1.1 first.`,
  remedy: 'Set SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 (Classic: ELBSecurityPolicy-TLS-1-2-2017-01).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  requires: ['SslPolicy', 'Reference-Security-Policy', 'Protocol-TLSv1', 'Protocol-SSLv3', 'SSLNegotiationPolicyType'],
  fixable: true,
  files: templateCheckers(check),
});
