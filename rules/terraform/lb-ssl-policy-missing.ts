import { defineRule, fixOf } from '../../src/rule.js';
import { RECOMMENDED_POLICY, RECOMMENDED_POLICY_TLS13 } from './elb-policies.js';
import { attributes, labels, stringValue } from './util.js';

export default defineRule({
  id: 'terraform/lb-ssl-policy-missing',
  fileKind: 'terraform',
  severity: 'warning',
  kind: 'default',
  title: 'HTTPS/TLS load balancer listener without ssl_policy (defaults to TLS 1.0)',
  description:
    'An `aws_lb_listener`/`aws_alb_listener` with protocol HTTPS or TLS sets no `ssl_policy`, so AWS applies its API default, `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1.',
  help: `**Why it matters.** Only the AWS console picks a modern policy for new listeners. Listeners
created through the API, CloudFormation, the CDK or Terraform without \`ssl_policy\` get
\`ELBSecurityPolicy-2016-08\`, whose floor is TLS 1.0.

**How to fix it.** Name the policy:

\`\`\`hcl
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
\`\`\`

The fix adds that line after \`protocol\`.`,
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  triggers: ['aws_lb_listener', 'aws_alb_listener'],
  fixable: true,
  query: '(block (identifier) @type (#eq? @type "resource")) @resource',
  check(ctx) {
    const block = ctx.captures.resource;
    if (!block || block.parent?.parent?.type !== 'config_file') return;
    const kind = labels(block)[0];
    if (kind !== 'aws_lb_listener' && kind !== 'aws_alb_listener') return;
    const attrs = attributes(block);
    if (attrs.has('ssl_policy')) return;
    const protocolExpr = attrs.get('protocol');
    const protocol = protocolExpr && stringValue(protocolExpr, ctx.root);
    if (!protocolExpr || !protocol || !/^(?:HTTPS|TLS)$/i.test(protocol.value)) return;
    const target = ctx.settings.minTlsVersion === '1.3' ? RECOMMENDED_POLICY_TLS13 : RECOMMENDED_POLICY;
    const attribute = protocolExpr.parent!;
    const lineStart = ctx.file.lineStarts[ctx.file.lineOf(attribute.startIndex)]!;
    const indent = /^[ \t]*/.exec(ctx.file.text.slice(lineStart, attribute.startIndex))![0];
    const eol = ctx.file.text.indexOf('\n', attribute.endIndex);
    const at = eol === -1 ? ctx.file.text.length : eol;
    ctx.report({
      node: attribute,
      message: `${protocol.value} listener without ssl_policy: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; set ssl_policy = "${target}".`,
      ...(indent === ctx.file.text.slice(lineStart, attribute.startIndex) ? { fix: fixOf(`add ssl_policy = "${target}"`, [{ start: at, end: at, text: `\n${indent}ssl_policy = "${target}"` }]) } : {}),
    });
  },
});
