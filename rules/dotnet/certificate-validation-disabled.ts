import { defineRule } from '../../src/rule.js';
import { alwaysReturnsTrue, lastName, operatorOf } from './util.js';

const CALLBACKS = new Set(['ServerCertificateValidationCallback', 'ServerCertificateCustomValidationCallback', 'RemoteCertificateValidationCallback', 'CertificateValidationCallback']);

export default defineRule({
  id: 'dotnet/certificate-validation-disabled',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'certificate',
  title: 'Server certificate validation callback that accepts everything',
  description:
    '`ServicePointManager.ServerCertificateValidationCallback`, `HttpClientHandler.ServerCertificateCustomValidationCallback`, `SslClientAuthenticationOptions.RemoteCertificateValidationCallback` or an `SslStream` callback that always returns true (lambda, anonymous method, method group), or `HttpClientHandler.DangerousAcceptAnyServerCertificateValidator`.',
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
  triggers: ['CertificateValidationCallback', 'CertificateCustomValidationCallback', 'DangerousAcceptAnyServerCertificateValidator', 'SslStream'],
  query: `
(assignment_expression left: (_) @left right: (_) @right) @assign
(member_access_expression name: (identifier) @danger (#eq? @danger "DangerousAcceptAnyServerCertificateValidator")) @access
(object_creation_expression type: (_) @type (#match? @type "SslStream$") arguments: (argument_list) @args)
`,
  check(ctx) {
    const { left, right, assign, access, type, args } = ctx.captures;
    if (access) {
      ctx.report({ node: access, message: 'DangerousAcceptAnyServerCertificateValidator accepts any server certificate; remove it and trust the needed CA instead.' });
      return;
    }
    if (type && args) {
      // new SslStream(inner, leaveOpen, userCertificateValidationCallback, ...)
      const callback = args.namedChildren[2]?.namedChildren[0];
      if (callback && alwaysReturnsTrue(callback, ctx.root)) {
        ctx.report({ node: callback, message: 'This SslStream validation callback always returns true and accepts any certificate; remove it (the default validation checks chain and host name).' });
      }
      return;
    }
    if (!left || !right || !assign || !CALLBACKS.has(lastName(left))) return;
    const op = operatorOf(assign);
    if ((op !== '=' && op !== '+=') || !alwaysReturnsTrue(right, ctx.root)) return;
    ctx.report({
      node: right,
      message: `${lastName(left)} always returns true, so any certificate is accepted${lastName(left) === 'ServerCertificateValidationCallback' ? ' by every connection of the AppDomain' : ''}; remove it and trust the needed CA instead.`,
    });
  },
});
