import type * as TsMorph from 'ts-morph';
import type { Flow } from '../../src/lang/model.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { tsMorph } from '../../src/parsers.js';
import { defineRule, type Report, type TsContext } from '../../src/rule.js';
import { conditionWords, inFailureExpectation, replacedLater, reportedAtOrigin, settingSites, type SettingSite } from './settings.js';

const NAMES = new Set(['rejectUnauthorized', 'strictSSL', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity']);

/** True when a function body can throw (a `throw` outside nested functions): it may reject. */
function canThrow(fn: TsNode): boolean {
  const t = tsMorph().ts;
  const body = (fn.ts as TsMorph.ts.FunctionLikeDeclaration).body;
  if (!body) return true;
  const stack: TsMorph.ts.Node[] = [body];
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

/** A value that is not known here and comes from configuration: a switch-like name, or the environment. */
function configurable(s: SettingSite, flows: Flow<TsNode>[]): string | undefined {
  const unknowns = flows.filter((f) => f.value.type === 'unknown' || f.value.type === 'symbol');
  if (unknowns.length === 0) return undefined;
  for (const f of unknowns) {
    const name = f.value.type === 'unknown' || f.value.type === 'symbol' ? f.value.name : undefined;
    if (isSwitchName(name) || /process\.env/.test(f.node.text)) return f.node.text;
  }
  const text = s.value.text;
  return isSwitchName(text) || /process\.env/.test(text) ? text : undefined;
}

function check(ctx: TsContext): void {
  for (const s of settingSites(ctx.root, NAMES)) {
    if (inFailureExpectation(s.site)) continue;
    const flows = ctx.lang.values(s.value);
    const reports: Report<TsNode>[] = [];
    if (s.name === 'rejectUnauthorized' || s.name === 'strictSSL') {
      const off = flows.filter((f) => f.value.type === 'bool' && !f.value.value);
      if (off.length && replacedLater(ctx, s, (later) => later.some((f) => f.value.type === 'bool' && !f.value.value))) continue;
      for (const flow of off) {
        if (reportedAtOrigin(flow, NAMES)) continue;
        reports.push(
          flowReport(ctx, flow, {
            sink: s.value,
            sinkName: s.name,
            message: `${s.name}: false accepts any certificate, so anyone on the network path can impersonate the server${conditionWords(flow)}; remove it and pass the private CA with \`ca\` (or NODE_EXTRA_CA_CERTS) instead.`,
          }),
        );
      }
      const source = off.length ? undefined : configurable(s, flows);
      if (source) {
        reports.push({
          node: s.value,
          severity: 'note',
          message: `${s.name} comes from \`${source}\`: certificate verification is off whenever that is false. This is a deliberate, configurable setting; make sure it cannot be turned off in production, and trust a private CA with \`ca\` instead.`,
        });
      }
    } else if (s.name === 'NODE_TLS_REJECT_UNAUTHORIZED') {
      // process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0', or an environment object for a child process
      if (s.assignment && ctx.lang.qualify(s.object) !== 'process.env') continue;
      for (const flow of flows) {
        if (!((flow.value.type === 'string' && flow.value.value === '0') || (flow.value.type === 'number' && flow.value.value === 0))) continue;
        if (reportedAtOrigin(flow, NAMES)) continue;
        reports.push(
          flowReport(ctx, flow, {
            sink: s.value,
            sinkName: 'NODE_TLS_REJECT_UNAUTHORIZED',
            message: `NODE_TLS_REJECT_UNAUTHORIZED = '0' turns off certificate verification for every TLS connection of the ${s.assignment ? 'process' : 'process started with this environment'}${conditionWords(flow)}; remove it and add the private CA with NODE_EXTRA_CA_CERTS.`,
          }),
        );
      }
    } else {
      // checkServerIdentity: a function (inline, a local, a field, a named function) that never returns an error
      for (const flow of flows) {
        if (flow.value.type !== 'function' || !acceptsAnyHost(ctx, flow)) continue;
        if (reportedAtOrigin(flow, NAMES)) continue;
        reports.push(
          flowReport(ctx, flow, {
            sink: s.value,
            sinkName: 'checkServerIdentity',
            message: `checkServerIdentity${flow.value.name ? ` (\`${flow.value.name}\`)` : ''} never returns an error, so certificates issued for any host are accepted${conditionWords(flow)}; remove it (the default checks the host name) or return tls.checkServerIdentity(host, cert) after your own checks.`,
          }),
        );
      }
    }
    for (const r of reports) if (!(r.node && inFailureExpectation(r.node))) ctx.report(r);
  }
}

export default defineRule({
  id: 'javascript/certificate-verification-disabled',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'certificate',
  title: 'rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED = 0 or an empty checkServerIdentity',
  description:
    '`rejectUnauthorized: false` (and request\'s `strictSSL: false`) in TLS/HTTPS options, agents and client configs (axios, got, undici, database drivers), `process.env.NODE_TLS_REJECT_UNAUTHORIZED = \'0\'`, or a `checkServerIdentity` that never returns an error (inline, in a local or field, a method or another module\'s function). Values are followed through locals, fields, spreads, modules, parameters and factories; a setting behind a switch or taken from configuration (`rejectUnauthorized: config.verify`, `!process.env.INSECURE`) is a note.',
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
