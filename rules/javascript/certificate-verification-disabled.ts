import { defineRule, type TsContext } from '../../src/rule.js';
import type * as TsMorph from 'ts-morph';
import { constantValue, inFailureExpectation, tsMorph } from './ast.js';
import { settingSites } from './settings.js';

/** True when a function can only return undefined (no `return x` with a value). */
function returnsNothing(fn: TsMorph.Node): boolean {
  const m = tsMorph();
  if (!(m.Node.isArrowFunction(fn) || m.Node.isFunctionExpression(fn) || m.Node.isFunctionDeclaration(fn) || m.Node.isMethodDeclaration(fn))) return false;
  const body = fn.getBody();
  if (!body) return false;
  if (!m.Node.isBlock(body)) return m.Node.isIdentifier(body) ? body.getText() === 'undefined' : m.Node.isVoidExpression(body);
  let returnsValue = false;
  body.forEachDescendant((n, traversal) => {
    if (m.Node.isFunctionLikeDeclaration(n) || m.Node.isArrowFunction(n) || m.Node.isClassDeclaration(n)) return traversal.skip();
    if (m.Node.isThrowStatement(n)) returnsValue = true;
    if (m.Node.isReturnStatement(n)) {
      const e = n.getExpression();
      if (e && e.getText() !== 'undefined' && e.getText() !== 'null') returnsValue = true;
    }
    return undefined;
  });
  return !returnsValue;
}

function check(ctx: TsContext): void {
  const m = tsMorph();
  for (const s of settingSites(ctx.tsSource)) {
    let message: string | undefined;
    if (s.name === 'rejectUnauthorized' || s.name === 'strictSSL') {
      if (constantValue(s.value) !== false) continue;
      message = `${s.name}: false accepts any certificate, so anyone on the network path can impersonate the server; remove it and pass the private CA with \`ca\` (or NODE_EXTRA_CA_CERTS) instead.`;
    } else if (s.name === 'NODE_TLS_REJECT_UNAUTHORIZED') {
      // process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0' (or 0)
      if (!/process\.env/.test(s.site.getText())) continue;
      const v = constantValue(s.value);
      if (v !== '0' && v !== 0) continue;
      message = 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = \'0\' turns off certificate verification for every TLS connection of the process; remove it and add the private CA with NODE_EXTRA_CA_CERTS.';
    } else if (s.name === 'checkServerIdentity') {
      let fn: TsMorph.Node | undefined = s.value;
      if (m.Node.isIdentifier(fn)) fn = fn.getSymbol()?.getDeclarations()[0];
      if (fn && m.Node.isVariableDeclaration(fn)) fn = fn.getInitializer();
      if (!fn || !returnsNothing(fn)) continue;
      message = 'checkServerIdentity never returns an error, so certificates issued for any host are accepted; remove it (the default checks the host name) or return tls.checkServerIdentity(host, cert) after your own checks.';
    } else continue;
    if (inFailureExpectation(s.value)) continue;
    ctx.report({ start: s.value.getStart(), end: s.value.getEnd(), message });
  }
}

export default defineRule({
  id: 'javascript/certificate-verification-disabled',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'certificate',
  title: 'rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED = 0 or an empty checkServerIdentity',
  description:
    '`rejectUnauthorized: false` (and request\'s `strictSSL: false`) in TLS/HTTPS options, agents and client configs (axios, got, undici, database drivers), `process.env.NODE_TLS_REJECT_UNAUTHORIZED = \'0\'`, or a `checkServerIdentity` that never returns an error.',
  help: `**Why it matters.** With \`rejectUnauthorized: false\` Node accepts any certificate: expired,
self-signed, or issued for another host. Anyone on the network path can read and change the
traffic; TLS version settings no longer matter. \`NODE_TLS_REJECT_UNAUTHORIZED=0\` does it for the
whole process, and a \`checkServerIdentity\` that returns nothing accepts any host name.

**How to fix it.** Remove the setting and trust the CA that signed the server's certificate:

\`\`\`js
https.request(url, { ca: fs.readFileSync('internal-ca.pem') });
\`\`\`

or start Node with \`NODE_EXTRA_CA_CERTS=/path/internal-ca.pem\`.`,
  remedy: 'Remove it and pass the private CA with `ca` or NODE_EXTRA_CA_CERTS.',
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['rejectUnauthorized', 'strictSSL', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity'],
  files: { javascript: { check }, typescript: { check } },
});
