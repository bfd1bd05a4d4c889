import { CDK_RECOMMENDED_ELB_MEMBER, CDK_RECOMMENDED_ELB_MEMBER_TLS13 } from '../../src/formats/aws-tls-policies.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow, LangNode } from '../../src/lang/model.js';
import { guardedReport } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { defineRule, type MatchContext, type TsContext } from '../../src/rule.js';
import { pyCall, pyCallQuery, pythonWords } from './python.js';
import { addPropertyFix, cdkMember, lacks, spellMember, tsConstructs } from './util.js';

/** True when a listener's (or an ECS pattern's) properties make it HTTPS or TLS. */
export function isTlsListener<N extends LangNode>(sem: Semantics<N>, props: Flow<N>, keys: { protocol: string; port: string; certificates: string[] }): string | undefined {
  const protocols = sem.entryOf([props], keys.protocol);
  if (protocols.length) {
    for (const f of protocols) {
      const member = cdkMember(f as Flow<LangNode>, ['elasticloadbalancingv2'], 'ApplicationProtocol') ?? cdkMember(f as Flow<LangNode>, ['elasticloadbalancingv2'], 'Protocol');
      const value = member ?? (f.value.type === 'string' ? f.value.value : undefined);
      if (value && /^(?:HTTPS|TLS)$/.test(value)) return value;
    }
    return undefined;
  }
  if (keys.certificates.some((k) => sem.entryOf([props], k).some((f) => f.value.type !== 'null'))) return 'HTTPS';
  if (sem.entryOf([props], keys.port).some((f) => f.value.type === 'number' && (f.value.value === 443 || f.value.value === 8443))) return 'HTTPS';
  return undefined;
}

const TS_KEYS = { protocol: 'protocol', port: 'port', certificates: ['certificates', 'certificateArns', 'certificate'] };

function check(ctx: TsContext): void {
  const member = ctx.settings.minTlsVersion === '1.3' ? CDK_RECOMMENDED_ELB_MEMBER_TLS13 : CDK_RECOMMENDED_ELB_MEMBER;
  const spelled = spellMember(ctx.lang, 'elasticloadbalancingv2', 'SslPolicy', member);
  const sites: Array<{ call: TsNode; callee: TsNode; props: TsNode | undefined; what: string }> = [];
  for (const c of tsConstructs(ctx, ['ApplicationListener', 'NetworkListener'])) if (c.name.service === 'elasticloadbalancingv2') sites.push({ call: c.call, callee: c.callee, props: c.args[2], what: c.construct });
  for (const c of tsConstructs(ctx, ['ApplicationLoadBalancedFargateService', 'ApplicationLoadBalancedEc2Service'])) if (c.name.service === 'ecspatterns') sites.push({ call: c.call, callee: c.callee, props: c.args[2], what: c.construct });
  // `lb.addListener('id', { port: 443, ... })` in a file that uses the ELB module
  if (spellMember(ctx.lang, 'elasticloadbalancingv2', 'SslPolicy', member) || [...ctx.lang.facts.imports.values()].some((p) => /elasticloadbalancingv2/.test(p))) {
    for (const site of ctx.lang.facts.calls.get('addListener') ?? []) {
      const s = ctx.lang.shape(site.node);
      if (s.t === 'call' && s.receiver && s.args.length >= 2) sites.push({ call: site.node, callee: s.callee, props: s.args[1]!.node, what: 'addListener' });
    }
  }
  for (const site of sites) {
    const { lacking } = lacks(ctx.lang, site.props, 'sslPolicy');
    for (const props of lacking) {
      const protocol = isTlsListener(ctx.lang, props, TS_KEYS);
      if (!protocol) continue;
      const report = guardedReport(ctx, {
        node: site.callee,
        message: `${protocol} listener (${site.what}) without sslPolicy: AWS applies ELBSecurityPolicy-2016-08 (the CDK's SslPolicy.RECOMMENDED), which accepts TLS 1.0 and 1.1; set sslPolicy: ${spelled ?? `SslPolicy.${member}`}.`,
        fix: spelled ? addPropertyFix(ctx, props, 'sslPolicy', spelled) : undefined,
      });
      ctx.report(report);
      break;
    }
  }
}

/** Python: `lb.add_listener("Https", port=443, certificates=[cert])`, `elbv2.ApplicationListener(...)`, ECS patterns. */
function checkPython(ctx: MatchContext): void {
  const c = pyCall(ctx);
  if (!c) return;
  const construct = c.callee === 'ApplicationListener' || c.callee === 'NetworkListener' ? 'elasticloadbalancingv2' : c.callee === 'add_listener' ? undefined : 'ecspatterns';
  if (construct ? c.name?.service !== construct : !c.positional.length || ![...ctx.lang.facts.imports.values()].some((p) => /elasticloadbalancingv2/.test(p))) return;
  if (ctx.lang.entryOf([c.props], 'sslPolicy').length) return;
  const protocol = isTlsListener(ctx.lang, c.props, TS_KEYS);
  if (!protocol) return;
  const member = ctx.settings.minTlsVersion === '1.3' ? CDK_RECOMMENDED_ELB_MEMBER_TLS13 : CDK_RECOMMENDED_ELB_MEMBER;
  const spelled = spellMember(ctx.lang, 'elasticloadbalancingv2', 'SslPolicy', member) ?? `SslPolicy.${member}`;
  ctx.report(guardedReport(ctx, { node: c.calleeNode, message: pythonWords(`${protocol} listener (${c.callee}) without sslPolicy: AWS applies ELBSecurityPolicy-2016-08 (the CDK's SslPolicy.RECOMMENDED), which accepts TLS 1.0 and 1.1; set sslPolicy: ${spelled}.`) }));
}

export default defineRule({
  id: 'cdk/lb-ssl-policy-missing',
  fileKind: 'typescript',
  severity: 'warning',
  kind: 'default',
  title: 'HTTPS/TLS load balancer listener without sslPolicy (CDK; defaults to TLS 1.0)',
  description:
    'An HTTPS or TLS listener (`addListener` with `protocol: HTTPS`/`TLS`, port 443/8443 or certificates; `ApplicationListener`, `NetworkListener`; `ApplicationLoadBalancedFargateService`/`Ec2Service` with a certificate) sets no `sslPolicy`, so the listener gets AWS\'s API default, `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1.',
  help: `**Why it matters.** The CDK passes \`sslPolicy\` through to CloudFormation: without it, AWS applies
\`ELBSecurityPolicy-2016-08\` (the CDK calls it \`SslPolicy.RECOMMENDED\`), whose floor is TLS 1.0. Only
the AWS console picks a modern policy by default.

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

The fix adds the property to an object literal written at the call, when the file imports the
ELB module or \`SslPolicy\`.`,
  remedy: 'Add sslPolicy: SslPolicy.RECOMMENDED_TLS to HTTPS and TLS listeners.',
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  triggers: ['elasticloadbalancingv2', 'ecs-patterns', 'ecs_patterns'],
  requires: ['HTTPS', 'TLS', 'certificate', '443'],
  fixable: true,
  files: { javascript: { check }, typescript: { check }, python: { query: pyCallQuery(['add_listener', 'ApplicationListener', 'NetworkListener', 'ApplicationLoadBalancedFargateService', 'ApplicationLoadBalancedEc2Service']), check: checkPython } },
});
