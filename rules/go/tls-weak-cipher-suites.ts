import { elementsOf } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule } from '../../src/rule.js';
import { suiteWeakness } from '../../src/formats/ciphers.js';
import { configName, fieldQuery, laterWrites, suiteOf } from './util.js';

export default defineRule({
  id: 'go/tls-weak-cipher-suites',
  fileKind: 'go',
  severity: 'error',
  kind: 'cipher',
  title: 'CipherSuites enables an insecure cipher suite',
  description:
    'A crypto/tls configuration lists a suite from tls.InsecureCipherSuites() (RC4, 3DES or CBC-SHA256) in CipherSuites, so the TLS 1.0-1.2 part of the connection can fall back to a broken cipher.',
  help: `**Why it matters.** RC4 is broken (RFC 7465 forbids it), 3DES has a 64-bit block that
Sweet32 attacks exploit, and Go's CBC-SHA256 suites lack the Lucky13 countermeasures. Go lists
them in \`tls.InsecureCipherSuites()\` and never enables them by default: only an explicit
\`CipherSuites\` list brings them back.

**How to fix it.** Drop the insecure entries, or drop \`CipherSuites\` altogether: Go's default
order is safe and TLS 1.3 suites are not configurable anyway.

\`\`\`go
cfg := &tls.Config{
    MinVersion: tls.VersionTLS12,
    CipherSuites: []uint16{
        tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    },
}
\`\`\`

\`PreferServerCipherSuites\` has had no effect since Go 1.17; tlslint does not flag it.`,
  cwe: ['CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['CipherSuites'],
  // every match spans its trigger: the engine queries only around the triggers
  query: fieldQuery('CipherSuites'),
  check(ctx) {
    const { site, value, object } = ctx.captures;
    if (!site || !value) return;
    const sem = ctx.lang;
    const inner = value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value;
    // the same config's list replaced later in the function, whenever this site runs
    // (`cfg.CipherSuites = append(cfg.CipherSuites, ...)` keeps it)
    const name = configName(site, object);
    if (name && laterWrites(sem, name, site, 'CipherSuites').some((l) => !l.value?.text.replace(/\s+/g, '').includes(`${name}.CipherSuites`))) return;
    const seen = new Set<string>();
    for (const flow of elementsOf(sem.values(inner))) {
      const suite = suiteOf(sem, flow);
      const weakness = suite ? suiteWeakness(suite, 'go') : undefined;
      if (!suite || !weakness) continue;
      const report = flowReport(ctx, flow, {
        sink: inner,
        sinkName: 'tls.Config CipherSuites',
        message: `CipherSuites enables weak ciphers: ${flow.node.text === suite || flow.node.text.endsWith(`.${suite}`) ? suite : `${flow.node.text} = ${suite}`} (${weakness}); remove it, or drop CipherSuites to keep Go's safe defaults.`,
      });
      // a suite written in a list of this file is reported where it is listed: that is where it is removed
      const listed = flow.src === ctx.file && !flow.steps.some((s) => s.via === 'call-site' || s.via === 'return' || s.via === 'parameter');
      const node = listed ? flow.node : report.node!;
      const key = `${node.startIndex}:${suite}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({ ...report, node, related: report.related?.filter((r) => r.src !== ctx.file || r.start !== node.startIndex || r.end !== node.endIndex) });
    }
  },
});
