import type { Flow } from '../../src/lang/model.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { configName, fieldQuery, laterWrites, literalKeys, literalOf, runsWith, settledAtSite } from './util.js';

/** Callbacks that do the verification themselves (pinning, a custom CA): with one, skipping the default check is deliberate. */
const CALLBACKS = new Set(['VerifyPeerCertificate', 'VerifyConnection']);

/** True when the config set at `site` gets a verification callback on the same object in the function (its own literal is checked first). */
function verifiedByCallback(ctx: MatchContext, site: SyntaxNode, object: SyntaxNode | undefined): boolean {
  const sem = ctx.lang;
  // `cfg.InsecureSkipVerify = true` on a config whose literal has the callback
  if (object && sem.values(object).some((f) => f.value.type === 'map' && f.value.entries.some((e) => CALLBACKS.has(e.key)))) return true;
  const bound = configName(site, object);
  if (!bound) return false;
  const fn = sem.functionOf(site);
  return sem.laterOnObject(bound, fn ? fn.start : 0, site).some((l) => l.kind === 'write' && CALLBACKS.has(l.name) && runsWith(sem, l.node, site));
}

/** A value that comes from a setting (`opts.Insecure`, `insecureFlag`, `cfg.SkipVerify()`): its name or text reads like a switch. */
function switchOf(flow: Flow): string | undefined {
  if (flow.value.type !== 'unknown') return undefined;
  return isSwitchName(flow.value.name) || isSwitchName(flow.node.text) ? flow.node.text : undefined;
}

export default defineRule({
  id: 'go/tls-insecure-skip-verify',
  fileKind: 'go',
  severity: 'error',
  kind: 'certificate',
  title: 'InsecureSkipVerify turns off certificate verification',
  description:
    'A crypto/tls configuration sets InsecureSkipVerify to true: the client accepts any certificate for any host name, so anyone on the network path can impersonate the server.',
  help: `**Why it matters.** With \`InsecureSkipVerify: true\` a Go TLS client accepts any certificate
chain and any host name. The connection is still encrypted, but to whoever answers: a machine in
the middle can read and change everything, including credentials. Whatever TLS version is
negotiated, the connection offers no authentication.

**How to fix it.** Remove the setting. For a private CA, trust it explicitly instead:

\`\`\`go
pool := x509.NewCertPool()
pool.AppendCertsFromPEM(caPEM)
cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
\`\`\`

For certificate pinning or other custom checks, keep \`InsecureSkipVerify\` only together with a
\`VerifyPeerCertificate\` or \`VerifyConnection\` callback that does the verification; this rule does
not flag that combination (in the literal, or set on the same config in the function), and
go/hostname-verification-disabled reports a callback that accepts everything or never checks the
host name.

A value that an option decides (\`InsecureSkipVerify: opts.Insecure\`, or \`true\` inside
\`if cfg.Insecure {...}\`) is reported as a note naming the switch: make sure it cannot be turned on
in production. A \`true\` that reaches the field through a constant, a helper's parameter or a
factory is an error where it is written or passed.`,
  cwe: ['CWE-295'],
  precision: 'very-high',
  securitySeverity: 8.1,
  triggers: ['InsecureSkipVerify'],
  // every match spans its trigger: the engine queries only around the triggers
  query: fieldQuery('InsecureSkipVerify'),
  check(ctx) {
    const { site, value, object } = ctx.captures;
    if (!site || !value) return;
    const inner = value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value;
    if (inner.type === 'false') return;
    const literal = site.type === 'keyed_element' ? literalOf(site) : undefined;
    if (literal && [...literalKeys(literal.childForFieldName('body'))].some((k) => CALLBACKS.has(k))) return;
    const message = (inline: boolean) => `InsecureSkipVerify${inline ? '' : ` (${inner.text} is true)`} disables certificate and host name verification; remove it and trust a private CA through RootCAs instead.`;
    // `InsecureSkipVerify: true` in no condition, no callback in sight, not set again: as it stands
    if (inner.type === 'true' && settledAtSite(site, object, 'InsecureSkipVerify', [...CALLBACKS])) {
      ctx.report({ node: inner, message: message(true) });
      return;
    }
    const flows = ctx.lang.values(inner);
    const skips = flows.filter((f) => f.value.type === 'bool' && f.value.value);
    const switches = flows.map(switchOf).filter((s): s is string => !!s);
    if (skips.length === 0 && switches.length === 0) return;
    if (verifiedByCallback(ctx, site, object)) return;
    // turned off again later in the function, whenever this site runs
    const name = configName(site, object);
    if (name && laterWrites(ctx.lang, name, site, 'InsecureSkipVerify').length) return;
    for (const flow of skips) {
      ctx.report(flowReport(ctx, flow, { sink: inner, sinkName: 'tls.Config InsecureSkipVerify', message: message(flow.steps.length === 0 && flow.node.id === inner.id) }));
    }
    if (switches.length) {
      const names = [...new Set(switches)].map((s) => `\`${s}\``).join(', ');
      ctx.report({
        node: inner,
        severity: 'note',
        message: `InsecureSkipVerify follows ${names}, a configurable switch: when it is on, certificate and host name verification is off for these connections. Make sure it cannot be turned on in production; for a private CA, trust it through RootCAs instead.`,
      });
    }
  },
});
