import { RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from '../../src/formats/aws-tls-policies.js';
import type { Policy } from '../../src/formats/tls-names.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { defineRule, fixOf, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { attributeName, attributeValue, blockAttributes, checkSetting, enclosingResource, MODULE_TRIGGERS, resourceAddress, settingQuery, type Setting } from './util.js';

const LISTENERS = new Set(['aws_lb_listener', 'aws_alb_listener']);

type Sink =
  | {
      kind: 'protocol';
      name: string;
      /** Adds `ssl_policy = "<policy>"` after the protocol line. */
      fix(policy: string): Fix | undefined;
    }
  | { kind: 'policy'; name: string; protocol: string };

/** The `protocol` of a listener that sets no `ssl_policy`, or the `ssl_policy` of an HTTPS/TLS listener (which may be null). */
function sinkOf(attribute: SyntaxNode, sem: Semantics): Sink | undefined {
  const name = attributeName(attribute);
  if (name !== 'protocol' && name !== 'ssl_policy') return undefined;
  const resource = enclosingResource(attribute);
  if (!resource || !LISTENERS.has(resource.type) || attribute.parent?.parent?.id !== resource.block.id) return undefined;
  const attrs = blockAttributes(resource.block);
  if (name === 'ssl_policy') {
    const protocol = attrs.get('protocol');
    const value = protocol && attributeValue(protocol);
    const tls = value && sem.values(value).find((f) => f.value.type === 'string' && /^(?:HTTPS|TLS)$/i.test(f.value.value));
    return tls && tls.value.type === 'string' ? { kind: 'policy', name: `${resourceAddress(attribute)} ssl_policy`, protocol: tls.value.value } : undefined;
  }
  if (attrs.has('ssl_policy')) return undefined;
  const text = sem.src.text;
  return {
    kind: 'protocol',
    name: `${resourceAddress(attribute)} protocol`,
    fix(policy) {
      const lineStart = sem.src.lineStarts[sem.src.lineOf(attribute.startIndex)]!;
      const indent = /^[ \t]*/.exec(text.slice(lineStart, attribute.startIndex))![0];
      if (indent !== text.slice(lineStart, attribute.startIndex)) return undefined;
      const eol = text.indexOf('\n', attribute.endIndex);
      const at = eol === -1 ? text.length : eol;
      return fixOf(`add ssl_policy = "${policy}"`, [{ start: at, end: at, text: `\n${indent}ssl_policy = "${policy}"` }]);
    },
  };
}

function setting(floor: Policy): Setting<Sink> {
  const target = floor === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
  return {
    sinkOf,
    judge(protocol, sink) {
      if (sink.kind !== 'protocol' || !/^(?:HTTPS|TLS)$/i.test(protocol)) return undefined;
      return {
        message: `${protocol} listener without ssl_policy: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; set ssl_policy = "${target}".`,
        fix: sink.fix(target),
      };
    },
    judgeNull(sink) {
      if (sink.kind !== 'policy') return undefined;
      return { message: `ssl_policy is null on ${/^h/i.test(sink.protocol) ? 'an' : 'a'} ${sink.protocol} listener: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; set ssl_policy = "${target}".` };
    },
  };
}

export default defineRule({
  id: 'terraform/lb-ssl-policy-missing',
  fileKind: 'terraform',
  severity: 'warning',
  kind: 'default',
  title: 'HTTPS/TLS load balancer listener without ssl_policy (defaults to TLS 1.0)',
  description:
    'An `aws_lb_listener`/`aws_alb_listener` with protocol HTTPS or TLS sets no `ssl_policy` (or sets it to null, often through a variable whose default is null), so AWS applies its API default, `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1.',
  help: `**Why it matters.** Only the AWS console picks a modern policy for new listeners. Listeners
created through the API, CloudFormation, the CDK or Terraform without \`ssl_policy\` get
\`ELBSecurityPolicy-2016-08\`, whose floor is TLS 1.0. A module variable \`ssl_policy\` whose default is
\`null\` does the same for every caller that does not pass a policy.

**How to fix it.** Name the policy:

\`\`\`hcl
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
\`\`\`

The fix adds that line after \`protocol\`.`,
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  triggers: ['aws_lb_listener', 'aws_alb_listener', ...MODULE_TRIGGERS],
  fixable: true,
  query: settingQuery(['protocol', 'ssl_policy']),
  check(ctx) {
    checkSetting(ctx, setting(ctx.settings.minTlsVersion));
  },
});
