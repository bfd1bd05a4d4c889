import { elbPolicyFloor, RECOMMENDED_CLASSIC_POLICY, RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from '../../src/formats/aws-tls-policies.js';
import { belowFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { attributeName, attributeValue, blockAttributes, checkSetting, enclosingResource, MODULE_TRIGGERS, resourceAddress, settingQuery, type Setting } from './util.js';

const LISTENERS = new Set(['aws_lb_listener', 'aws_alb_listener']);

interface Sink {
  name: string;
  /** A Classic Load Balancer policy (no TLS 1.3 policies there). */
  classic: boolean;
}

/** `ssl_policy` of a listener, or `value` of a `policy_attribute { name = "Reference-Security-Policy" }`. */
function sinkOf(attribute: SyntaxNode, sem: Semantics): Sink | undefined {
  const name = attributeName(attribute);
  if (name === 'ssl_policy') {
    const resource = enclosingResource(attribute);
    return resource && LISTENERS.has(resource.type) ? { name: `${resourceAddress(attribute)} ssl_policy`, classic: false } : undefined;
  }
  if (name !== 'value') return undefined;
  const block = attribute.parent?.parent;
  if (!block || block.type !== 'block' || block.namedChildren[0]?.text !== 'policy_attribute') return undefined;
  const policyName = blockAttributes(block).get('name');
  const nameValue = policyName && attributeValue(policyName);
  if (!nameValue || !sem.values(nameValue).some((f) => f.value.type === 'string' && f.value.value === 'Reference-Security-Policy')) return undefined;
  return { name: `${resourceAddress(attribute) || 'policy_attribute'} Reference-Security-Policy`, classic: true };
}

function setting(floor: Policy): Setting<Sink> {
  return {
    sinkOf,
    judge(policy, sink) {
      const v = elbPolicyFloor(policy);
      if (!v || !belowFloor(v, floor)) return undefined;
      const target = sink.classic ? RECOMMENDED_CLASSIC_POLICY : floor === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
      return { message: `${policy} accepts ${protocolLabel(v)} and newer; use "${target}".`, replacement: sink.classic && floor === '1.3' ? undefined : target };
    },
  };
}

export default defineRule({
  id: 'terraform/lb-ssl-policy-outdated',
  fileKind: 'terraform',
  severity: 'error',
  kind: 'protocol',
  title: 'AWS load balancer security policy allows TLS 1.0 or TLS 1.1',
  description:
    'An `aws_lb_listener`/`aws_alb_listener` `ssl_policy`, or a Classic Load Balancer `Reference-Security-Policy`, names an ELB security policy whose lowest protocol is TLS 1.0, TLS 1.1 or SSLv3 (ELBSecurityPolicy-2016-08, -FS-1-1-2019-08, -TLS13-1-0-2021-06...).',
  help: `**Why it matters.** An ELB security policy fixes the protocols and ciphers the load balancer
offers to clients. The dated policies (\`ELBSecurityPolicy-2016-08\`, which is also the API and
Terraform default, \`-2015-05\`...) and the \`-1-0-\`/\`-1-1-\` variants accept TLS 1.0 or 1.1,
deprecated by RFC 8996 and rejected by PCI DSS audits. Only the policy name tells: a name that
contains a year says nothing about its floor (tlslint keeps a table of AWS's policy names).

**How to fix it.** Use a TLS 1.3 policy with a TLS 1.2 floor (AWS's recommendation):

\`\`\`hcl
resource "aws_lb_listener" "https" {
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}
\`\`\`

Classic Load Balancers have no TLS 1.3 policies: use \`ELBSecurityPolicy-TLS-1-2-2017-01\`. Check the
load balancer's access or connection logs for clients still on TLS 1.0/1.1 first.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl_policy', 'Reference-Security-Policy', ...MODULE_TRIGGERS],
  fixable: true,
  query: settingQuery(['ssl_policy', 'value']),
  check(ctx) {
    checkSetting(ctx, setting(ctx.settings.minTlsVersion));
  },
});
