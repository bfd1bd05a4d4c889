import type * as ts from 'typescript';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { typeScript } from '../../src/parsers.js';
import { defineRule, type TsContext } from '../../src/rule.js';
import { conditionWords, inFailureExpectation, replacedLater, reportedAtOrigin, settingSites } from './settings.js';

const NAMES = new Set(['checkServerIdentity']);

/** True when a function body can throw (a `throw` outside nested functions): it may reject. */
function canThrow(fn: TsNode): boolean {
  const t = typeScript();
  const body = (fn.ts as ts.FunctionLikeDeclaration).body;
  if (!body) return true;
  const stack: ts.Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (t.isThrowStatement(n)) return true;
    if (n !== body && (t.isFunctionLike(n) || t.isClassLike(n))) continue;
    t.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return false;
}

/** True when a function (of this file or another) can only return nothing (`undefined`, `null`, no return): it never reports an error. */
function acceptsAnyHost(ctx: TsContext, fn: Flow<TsNode>): boolean {
  if (fn.value.type !== 'function' || canThrow(fn.value.node)) return false;
  return ctx.lang.returnsOf(fn.value.node, fn.src).every((r) => r.value.type === 'null');
}

function check(ctx: TsContext): void {
  for (const s of settingSites(ctx.root, NAMES)) {
    if (inFailureExpectation(s.site)) continue;
    // `tls.checkServerIdentity = () => undefined` replaces Node's own check for the whole process
    const global = s.assignment && ctx.lang.qualify(s.object) === 'tls';
    const sinkName = global ? 'tls.checkServerIdentity' : 'checkServerIdentity';
    const acceptsAll = (flows: Flow<TsNode>[]) => flows.some((f) => f.value.type === 'function' && acceptsAnyHost(ctx, f));
    // replaced later on the same options object by a callback that checks
    if (replacedLater(ctx, s, acceptsAll)) continue;
    // a function (inline, a local, a field, a method, another module's function) that never returns an error
    for (const flow of ctx.lang.values(s.value)) {
      if (flow.value.type !== 'function' || !acceptsAnyHost(ctx, flow) || reportedAtOrigin(flow, NAMES)) continue;
      const report = flowReport(ctx, flow, {
        sink: s.value,
        sinkName,
        message: `${sinkName}${flow.value.name ? ` (\`${flow.value.name}\`)` : ''} never returns an error, so ${global ? 'every connection of the process accepts' : 'the connection accepts'} a valid certificate issued for any other host${conditionWords(flow)}; remove it (Node's default checks the host name) or return tls.checkServerIdentity(host, cert) after your own checks.`,
      });
      if (report.node && inFailureExpectation(report.node)) continue;
      ctx.report(report);
    }
  }
}

export default defineRule({
  id: 'javascript/hostname-verification-disabled',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'certificate',
  title: 'checkServerIdentity that accepts any host name',
  description:
    'A `checkServerIdentity` option (tls.connect, https.request, https.Agent, undici, ws, got, database drivers) or a replaced `tls.checkServerIdentity` that never returns an error: an arrow function returning `undefined`, an empty `function () {}`, a method, a field or another module\'s function that only logs. The certificate chain is still verified, but a valid certificate issued for any other host is accepted. Values are followed through locals, fields, modules, parameters and factories; a callback chosen by a switch is a note.',
  help: `**Why it matters.** Node calls \`checkServerIdentity(host, cert)\` after verifying the chain and
treats a returned \`Error\` as a mismatch. A function that returns nothing accepts a certificate that a
public CA issued to anyone for any name (an attacker's own domain included), so whoever sits on the
network path can read and change the traffic (CWE-297).

**How to fix it.** Remove the option (Node's default checks the host name), or keep Node's check and
add yours:

\`\`\`js
const tls = require('tls');
https.request(url, {
  checkServerIdentity(host, cert) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    if (cert.fingerprint256 !== PINNED) return new Error('certificate is not the pinned one');
    return undefined;
  },
});
\`\`\`

When a server's certificate lacks the name clients use, issue a correct one (or connect with
\`servername\` set to a name it has) instead of turning the check off.`,
  remedy: 'Remove the checkServerIdentity override, or return tls.checkServerIdentity(host, cert) after your own checks.',
  cwe: ['CWE-297'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['checkServerIdentity'],
  files: { javascript: { check }, typescript: { check } },
});
