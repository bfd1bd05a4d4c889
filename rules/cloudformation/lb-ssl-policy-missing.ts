import { RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from '../../src/formats/aws-tls-policies.js';
import { entryOf } from '../../src/formats/data-tree.js';
import { defineRule, type MatchContext } from '../../src/rule.js';
import { addEntryFix, atPath, isNoValue, reportMissing, resources, templateCheckers, valuesAt } from './util.js';

const TLS_PROTOCOL = /^(?:HTTPS|TLS)$/i;

function check(ctx: MatchContext): void {
  const target = ctx.settings.minTlsVersion === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
  for (const r of resources(ctx.root)) {
    if (r.type !== 'AWS::ElasticLoadBalancingV2::Listener' || !r.properties) continue;
    const protocolEntry = entryOf(r.properties, 'Protocol');
    if (!protocolEntry?.value) continue;
    const protocols = ctx.lang.values(protocolEntry.value).filter((f) => f.value.type === 'string' && TLS_PROTOCOL.test(f.value.value));
    if (protocols.length === 0) continue;
    const protocol = protocols[0]!.value.type === 'string' ? protocols[0]!.value.value : 'HTTPS';
    const policy = atPath(ctx.lang, r.properties, ['SslPolicy']);
    for (const end of policy) {
      // left out, or `!If [cond, policy, !Ref AWS::NoValue]`
      const guards = end.kind === 'missing' ? [end.guard] : valuesAt(ctx.lang, end, r).filter(isNoValue).map((f) => f.guard);
      for (const guard of guards) {
        const message = `${protocol} listener ${r.logicalId} without SslPolicy: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; set SslPolicy: ${target}.`;
        const fix = end.kind === 'missing' && !guard ? addEntryFix(ctx.file.text, protocolEntry, 'SslPolicy', target, `add SslPolicy: ${target}`) : undefined;
        reportMissing(ctx, protocolEntry.value, message, guard ?? protocols[0]!.guard ?? r.condition, fix);
      }
    }
  }
}

export default defineRule({
  id: 'cloudformation/lb-ssl-policy-missing',
  fileKind: 'yaml',
  severity: 'warning',
  kind: 'default',
  title: 'HTTPS/TLS load balancer listener without SslPolicy (defaults to TLS 1.0)',
  description:
    'An `AWS::ElasticLoadBalancingV2::Listener` with `Protocol: HTTPS` or `TLS` (written there or through a parameter) sets no `SslPolicy` (or sets it to `!Ref AWS::NoValue`), so AWS applies its API default, `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1.',
  help: `**Why it matters.** Only the AWS console picks a modern policy for new listeners. Listeners
created through CloudFormation without \`SslPolicy\` get \`ELBSecurityPolicy-2016-08\`, whose floor is
TLS 1.0.

**How to fix it.** Name the policy:

\`\`\`yaml
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
\`\`\`

The fix adds that line after \`Protocol\`.`,
  remedy: 'Add SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 to HTTPS and TLS listeners.',
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  triggers: ['AWS::ElasticLoadBalancingV2::Listener'],
  requires: ['HTTPS', 'TLS'],
  fixable: true,
  files: templateCheckers(check),
});
