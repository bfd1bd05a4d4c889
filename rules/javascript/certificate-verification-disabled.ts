import type { Flow } from '../../src/lang/model.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { defineRule, type Report, type TsContext } from '../../src/rule.js';
import { conditionWords, inFailureExpectation, replacedLater, reportedAtOrigin, settingSites, type SettingSite } from './settings.js';

const NAMES = new Set(['rejectUnauthorized', 'strictSSL', 'NODE_TLS_REJECT_UNAUTHORIZED']);

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
    } else {
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
    }
    for (const r of reports) if (!(r.node && inFailureExpectation(r.node))) ctx.report(r);
  }
}

export default defineRule({
  id: 'javascript/certificate-verification-disabled',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'certificate',
  title: 'rejectUnauthorized: false or NODE_TLS_REJECT_UNAUTHORIZED = 0',
  description:
    '`rejectUnauthorized: false` (and request\'s `strictSSL: false`) in TLS/HTTPS options, agents and client configs (axios, got, undici, database drivers), or `process.env.NODE_TLS_REJECT_UNAUTHORIZED = \'0\'`. Values are followed through locals, fields, spreads, modules, parameters and factories; a setting behind a switch or taken from configuration (`rejectUnauthorized: config.verify`, `!process.env.INSECURE`) is a note.',
  help: `**Why it matters.** With \`rejectUnauthorized: false\` Node accepts any certificate: expired,
self-signed, or issued for another host. Anyone on the network path can read and change the
traffic; TLS version settings no longer matter. \`NODE_TLS_REJECT_UNAUTHORIZED=0\` does it for the
whole process. (A \`checkServerIdentity\` that returns nothing, which accepts any host name, is
javascript/hostname-verification-disabled.)

**How to fix it.** Remove the setting and trust the CA that signed the server's certificate:

\`\`\`js
https.request(url, { ca: fs.readFileSync('internal-ca.pem') });
\`\`\`

or start Node with \`NODE_EXTRA_CA_CERTS=/path/internal-ca.pem\`.`,
  remedy: 'Remove it and pass the private CA with `ca` or NODE_EXTRA_CA_CERTS.',
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['rejectUnauthorized', 'strictSSL', 'NODE_TLS_REJECT_UNAUTHORIZED'],
  files: { javascript: { check }, typescript: { check } },
});
