import type { Flow } from '../../src/lang/model.js';
import { flowReport, guardedReport, guardText, isSwitch, isSwitchName } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { callbackParts } from './policy-errors.js';
import { assignmentQuery, CERTIFICATE_CALLBACKS } from './util.js';

const CALLBACKS = new Set(CERTIFICATE_CALLBACKS);
const ACCEPT_ANY = 'DangerousAcceptAnyServerCertificateValidator';

/** Code in a callback's body that checks the certificate by throwing or by calling a validator. */
const CHECKS = /\bthrow\b|\b(?:Validate|Verify|Check|Ensure|Assert)\w*\s*\(/;

/** Setting names that say a certificate is accepted anyway (`SkipCertificateValidation`, `IgnoreSslErrors`, `AllowInvalidCertificates`). */
const ACCEPT_ANYWAY = /skip|ignore|insecure|disable|accept|trust|allow|danger|bypass|unsafe|no.?verif|dont/i;

/** What a validation callback decides: always true, true only behind a switch, or a real check. */
type Verdict = { kind: 'always' } | { kind: 'switch'; guard: NonNullable<Flow['guard']> } | undefined;

/** The verdict of a function value: every return is `true`, or a `return true` sits behind a deliberate switch. */
function verdictOf(ctx: MatchContext, fn: Flow): Verdict {
  if (fn.value.type !== 'function') return undefined;
  const returns = ctx.lang.returnsOf(fn.value.node, fn.src);
  if (returns.length === 0) return undefined;
  const isTrue = (r: Flow) => r.value.type === 'bool' && r.value.value;
  // a callback that validates by throwing (`ValidateToken(...)` throws, the callback returns true) is a check
  if (returns.every(isTrue)) {
    const body = fn.value.node.childForFieldName('body') ?? fn.value.node.lastNamedChild;
    return body && CHECKS.test(body.text) ? undefined : { kind: 'always' };
  }
  // `=> options.SkipCertificateValidation`: returns a setting that says "accept anyway"
  const setting = (r: Flow) => r.value.type === 'unknown' && (r.value.why === 'field' || r.value.why === 'parameter') && isSwitchName(r.value.name) && ACCEPT_ANYWAY.test(r.value.name ?? '');
  const switched = returns.find(setting);
  if (switched && returns.every((r) => isTrue(r) || setting(r)) && switched.value.type === 'unknown') {
    return { kind: 'switch', guard: { text: switched.node.text, node: switched.node, negated: false } };
  }
  // `if (config.IgnoreCertErrors) return true;` before a real check (guards are known in this file only)
  if (fn.src !== ctx.file) return undefined;
  // a switch that also tests the errors (`if (allowMismatch && errors == NameMismatch)`) lets some errors through, not all
  const errors = callbackParts(fn.value.node)?.params[3];
  for (const r of returns) {
    if (!isTrue(r)) continue;
    const guard = r.guard ?? (r.src === ctx.file ? ctx.lang.guardOf(r.node) : undefined);
    if (isSwitch(guard) && !(errors && new RegExp(`(?<![\\w@])@?${errors}(?!\\w)`).test(guard.text))) return { kind: 'switch', guard };
  }
  return undefined;
}

/** Class names that say they accept every certificate (`TrustAllCertificatePolicy`), for policies defined outside this file. */
const TRUST_ALL_NAME = /^(?:TrustAll|AcceptAll|TrustEvery|AcceptEvery|Insecure|NoCheck|NoValidation|Dangerous|Naive|Permissive)\w*Polic(?:y|ies)$/i;

/**
 * `ServicePointManager.CertificatePolicy = new TrustAllCertificatePolicy()`: an `ICertificatePolicy`
 * whose `CheckValidationResult` always returns true (defined in this file), or one named so.
 */
function judgePolicy(ctx: MatchContext, value: SyntaxNode): void {
  for (const flow of ctx.lang.values(value)) {
    if (flow.value.type !== 'object') continue;
    const className = flow.value.className.slice(flow.value.className.lastIndexOf('.') + 1);
    const classes = ctx.lang.facts.classes.get(className) ?? [];
    const checks = (ctx.lang.facts.functions.get('CheckValidationResult') ?? []).filter((f) => classes.includes(f.parent!));
    const always = checks.length
      ? checks.every((m) => {
          const returns = ctx.lang.returnsOf(m.node);
          return returns.length > 0 && returns.every((r) => r.value.type === 'bool' && r.value.value);
        })
      : classes.length === 0 && TRUST_ALL_NAME.test(className);
    if (!always) continue;
    const f = flow.steps.length === 0 ? { ...flow, node: value } : flow;
    ctx.report(flowReport(ctx, f, { sink: value, sinkName: 'ServicePointManager.CertificatePolicy', message: `ServicePointManager.CertificatePolicy: \`${className}.CheckValidationResult\` accepts every certificate for every connection of the AppDomain; remove the policy (and the obsolete ICertificatePolicy) and trust the needed CA instead.` }));
  }
}

/** Reports each callback among the values of `value` that accepts every certificate. */
function judge(ctx: MatchContext, value: SyntaxNode, sinkName: string, consequence: string): void {
  for (const flow of ctx.lang.values(value)) {
    const verdict = verdictOf(ctx, flow);
    if (!verdict) continue;
    const name = flow.value.type === 'function' && flow.value.name ? `\`${flow.value.name}\`` : 'This callback';
    // a method group's value is its declaration: the finding stays where the callback is installed
    const within = flow.src === ctx.file && flow.node.startIndex >= value.startIndex && flow.node.endIndex <= value.endIndex;
    const f = flow.steps.length === 0 && !within ? { ...flow, node: value } : flow;
    if (verdict.kind === 'always') {
      ctx.report(flowReport(ctx, f, { sink: value, sinkName, message: `${sinkName}: ${name} always returns true, so any certificate is accepted${consequence}; remove it and trust the needed CA instead.` }));
    } else {
      const r = flowReport(ctx, f, { sink: value, sinkName, message: `${sinkName}: ${name} returns true without checking the certificate ${guardText(verdict.guard)}, so any certificate is accepted then${consequence}.` });
      ctx.report({ ...r, severity: 'note', message: `${r.message} A deliberate, configurable setting; make sure it cannot be turned on in production.` });
    }
  }
}

export default defineRule({
  id: 'dotnet/certificate-validation-disabled',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'certificate',
  title: 'Server certificate validation callback that accepts everything',
  description:
    '`ServicePointManager.ServerCertificateValidationCallback`, `HttpClientHandler.ServerCertificateCustomValidationCallback`, `SslClientAuthenticationOptions.RemoteCertificateValidationCallback` (also in object initializers) or an `SslStream` callback that always returns true: lambdas, anonymous methods, method groups (also of other files), `new RemoteCertificateValidationCallback(M)`, delegates held in locals and fields, factories that return one; `HttpClientHandler.DangerousAcceptAnyServerCertificateValidator`; or a `ServicePointManager.CertificatePolicy` whose `CheckValidationResult` always returns true. A callback installed behind a configuration switch, one that returns true only when a switch is set, or one that returns such a setting (`=> options.SkipCertificateValidation`) is a note naming the switch; a callback that validates by throwing is not reported.',
  help: `**Why it matters.** A validation callback that returns \`true\` accepts any certificate, expired,
self-signed or issued for another host: anyone on the network path can impersonate the server.
\`ServicePointManager.ServerCertificateValidationCallback\` does so for the whole AppDomain.

**How to fix it.** Remove the callback; the default validation checks the chain and the host name.
For a private CA, install it in the machine's trust store, or check the chain against it and keep
the default verdict otherwise:

\`\`\`csharp
handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
    errors == SslPolicyErrors.None || IsPinnedInternalCa(cert, chain);
\`\`\``,
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['CertificateValidationCallback', 'CertificateCustomValidationCallback', 'DangerousAcceptAnyServerCertificateValidator', 'SslStream', 'CertificatePolicy'],
  query: `
${assignmentQuery([...CALLBACKS, 'CertificatePolicy'])}
(member_access_expression name: (identifier) @danger (#eq? @danger "${ACCEPT_ANY}")) @access
(object_creation_expression type: (_) @type (#match? @type "SslStream$") arguments: (argument_list) @args) @create
`,
  check(ctx) {
    const { prop, right, op, access, create } = ctx.captures;
    if (access) {
      ctx.report(guardedReport(ctx, { node: access, message: `${ACCEPT_ANY} accepts any server certificate; remove it and trust the needed CA instead.` }));
      return;
    }
    if (create) {
      // new SslStream(inner, leaveOpen, userCertificateValidationCallback, ...)
      const s = ctx.lang.shape(create);
      if (s.t !== 'new') return;
      const callback = s.args.find((a) => a.name === 'userCertificateValidationCallback') ?? s.args.filter((a) => !a.name)[2];
      if (callback) judge(ctx, callback.node, 'SslStream', '');
      return;
    }
    if (!prop || !right || !op || (op.text !== '=' && op.text !== '+=')) return;
    const property = prop.text;
    if (property === 'CertificatePolicy') return op.text === '=' ? judgePolicy(ctx, right) : undefined;
    judge(ctx, right, property, property === 'ServerCertificateValidationCallback' ? ' by every connection of the AppDomain' : '');
  },
});
