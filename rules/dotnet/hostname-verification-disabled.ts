import type { Flow, Guard } from '../../src/lang/model.js';
import { flowReport, guardText, isSwitch } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { runCallback, SSL_POLICY_ERRORS } from './policy-errors.js';
import { assignmentQuery, CERTIFICATE_CALLBACKS } from './util.js';

const NAME_MISMATCH = SSL_POLICY_ERRORS.RemoteCertificateNameMismatch!;
const CHAIN_ERRORS = SSL_POLICY_ERRORS.RemoteCertificateChainErrors!;

/** What a callback answers for one error value: always true, true only behind a switch, or anything else. */
type Answer = { kind: 'always' } | { kind: 'switch'; guard: Guard } | undefined;

function answer(ctx: MatchContext, fn: Flow, errors: number): Answer {
  if (fn.value.type !== 'function') return undefined;
  const sem = ctx.lang.open(fn.src.path);
  const paths = sem && runCallback(sem, fn.value.node, errors);
  if (!paths || paths.length === 0) return undefined;
  if (paths.every((p) => p.result === true)) return { kind: 'always' };
  // true only where a configuration switch was assumed on; false wherever no switch decides
  const switchOf = (p: (typeof paths)[number]) => p.assumed.find((g) => isSwitch(g));
  const accepting = paths.filter((p) => p.result === true);
  if (accepting.length && accepting.every((p) => switchOf(p)) && paths.every((p) => p.result === true || p.result === false || switchOf(p))) {
    if (paths.filter((p) => !switchOf(p)).every((p) => p.result === false)) return { kind: 'switch', guard: switchOf(accepting[0]!)! };
  }
  return undefined;
}

/** True when every return of the callback is the literal `true`: dotnet/certificate-validation-disabled reports it. */
function literallyTrue(ctx: MatchContext, fn: Flow): boolean {
  if (fn.value.type !== 'function') return false;
  const returns = ctx.lang.returnsOf(fn.value.node, fn.src);
  return returns.length > 0 && returns.every((r) => r.value.type === 'bool' && r.value.value);
}

/** Reports each callback among the values of `value` that accepts a certificate whose name does not match the host. */
function judge(ctx: MatchContext, value: SyntaxNode, sinkName: string): void {
  for (const flow of ctx.lang.values(value)) {
    if (flow.value.type !== 'function' || literallyTrue(ctx, flow)) continue;
    const name = answer(ctx, flow, NAME_MISMATCH);
    if (!name) continue;
    const chain = answer(ctx, flow, CHAIN_ERRORS);
    // accepting everything behind the same kind of switch is dotnet/certificate-validation-disabled's note
    if (name.kind === 'switch' && chain) continue;
    const who = flow.value.name ? `\`${flow.value.name}\`` : 'this callback';
    const also = chain?.kind === 'always' ? ' (and RemoteCertificateChainErrors too)' : '';
    // a method group's value is its declaration: the finding stays where the callback is installed
    const within = flow.src === ctx.file && flow.node.startIndex >= value.startIndex && flow.node.endIndex <= value.endIndex;
    const f = flow.steps.length === 0 && !within ? { ...flow, node: value } : flow;
    const fix = 'accept only SslPolicyErrors.None (a private CA or a pinned certificate can be checked on the chain without ignoring the name)';
    if (name.kind === 'always') {
      ctx.report(flowReport(ctx, f, { sink: value, sinkName, message: `${sinkName}: ${who} accepts SslPolicyErrors.RemoteCertificateNameMismatch${also}, so a valid certificate issued for any other host is accepted; ${fix}.` }));
    } else {
      const r = flowReport(ctx, f, { sink: value, sinkName, message: `${sinkName}: ${who} accepts SslPolicyErrors.RemoteCertificateNameMismatch ${guardText(name.guard)}, so a certificate issued for any other host is accepted then.` });
      ctx.report({ ...r, severity: 'note', message: `${r.message} A deliberate, configurable setting; make sure it cannot be turned on in production.` });
    }
  }
}

export default defineRule({
  id: 'dotnet/hostname-verification-disabled',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'certificate',
  title: 'Certificate validation callback that ignores a host name mismatch',
  description:
    'A server certificate validation callback (`ServicePointManager.ServerCertificateValidationCallback`, `HttpClientHandler.ServerCertificateCustomValidationCallback`, `SslClientAuthenticationOptions.RemoteCertificateValidationCallback`, `SslStream`) that returns true when `SslPolicyErrors.RemoteCertificateNameMismatch` is reported: `errors == None || errors == RemoteCertificateNameMismatch`, `(errors & ~RemoteCertificateNameMismatch) == None`, `errors != RemoteCertificateChainErrors`, `!errors.HasFlag(RemoteCertificateChainErrors)`, `is`-patterns, switches and `errors &= ~...` before the check; lambdas, anonymous methods, method groups (also of other files), delegates in locals and fields, and helper call sites. Behind a configuration switch it is a note. Callbacks that accept everything are dotnet/certificate-validation-disabled.',
  help: `**Why it matters.** A certificate proves who the server is only when its name matches the host
the client meant to reach. A callback that lets \`SslPolicyErrors.RemoteCertificateNameMismatch\`
through accepts any valid certificate, one an attacker obtained for their own domain included, so
anyone on the network path can impersonate the server (CWE-297). Checking only for
\`RemoteCertificateChainErrors\` is the usual way this happens.

**How to fix it.** Accept the connection only when there is no error at all; for a private CA or a
pinned certificate, check the chain yourself and keep the name check:

\`\`\`csharp
handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) =>
    errors == SslPolicyErrors.None
    || (errors == SslPolicyErrors.RemoteCertificateChainErrors && IsIssuedByInternalCa(chain));
\`\`\`

Connect by the name on the certificate (not an IP address), or add the name to the certificate's
subject alternative names, instead of ignoring the mismatch.`,
  remedy: 'Accept only SslPolicyErrors.None; never let RemoteCertificateNameMismatch through.',
  cwe: ['CWE-297'],
  precision: 'high',
  triggers: ['CertificateValidationCallback', 'CertificateCustomValidationCallback', 'SslStream'],
  query: `
${assignmentQuery(CERTIFICATE_CALLBACKS)}
(object_creation_expression type: (_) @type (#match? @type "SslStream$") arguments: (argument_list) @args) @create
`,
  check(ctx) {
    const { prop, right, op, create } = ctx.captures;
    if (create) {
      // new SslStream(inner, leaveOpen, userCertificateValidationCallback, ...)
      const s = ctx.lang.shape(create);
      if (s.t !== 'new') return;
      const callback = s.args.find((a) => a.name === 'userCertificateValidationCallback') ?? s.args.filter((a) => !a.name)[2];
      if (callback) judge(ctx, callback.node, 'SslStream');
      return;
    }
    if (!prop || !right || !op || (op.text !== '=' && op.text !== '+=')) return;
    judge(ctx, right, prop.text);
  },
});
