import { defineRule, replaceFix } from '../../src/rule.js';
import { belowFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { elbPolicyFloor, RECOMMENDED_CLASSIC_POLICY, RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from './elb-policies.js';
import { attributeQuery, attributes, enclosingResource, stringValue } from './util.js';

const LISTENERS = new Set(['aws_lb_listener', 'aws_alb_listener']);

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
  triggers: ['ssl_policy', 'Reference-Security-Policy'],
  fixable: true,
  query: attributeQuery(['ssl_policy', 'value']),
  check(ctx) {
    const { name, value } = ctx.captures;
    if (!name || !value) return;
    const floor = ctx.settings.minTlsVersion;
    let classic = false;
    if (name.text === 'value') {
      // policy_attribute { name = "Reference-Security-Policy" value = "..." }
      const block = name.parent?.parent?.parent;
      if (!block || block.type !== 'block' || block.namedChildren[0]?.text !== 'policy_attribute') return;
      const attrName = attributes(block).get('name');
      if (!attrName || stringValue(attrName, ctx.root)?.value !== 'Reference-Security-Policy') return;
      classic = true;
    } else {
      const resource = enclosingResource(name);
      if (!resource || !LISTENERS.has(resource.type)) return;
    }
    const policy = stringValue(value, ctx.root);
    if (!policy) return;
    const v = elbPolicyFloor(policy.value);
    if (!v || !belowFloor(v, floor)) return;
    const target = classic ? RECOMMENDED_CLASSIC_POLICY : floor === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
    const via = policy.inline ? '' : ` (through ${value.text.trim()})`;
    ctx.report({
      start: policy.inline ? policy.start : value.startIndex,
      end: policy.inline ? policy.end : value.endIndex,
      message: `${policy.value}${via} accepts ${protocolLabel(v)} and newer; use "${target}".`,
      ...(policy.inline && !(classic && floor === '1.3') ? { fix: replaceFix(`use ${target}`, policy.start, policy.end, target) } : {}),
    });
  },
});
