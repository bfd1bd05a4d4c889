import { scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, OLD_PROTOCOL_TOKEN, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from './util.js';

/** ConfigMap keys, Helm `controller.config` keys and annotations (`nginx.ingress.kubernetes.io/...`, `nginx.org/...`). */
const KEY = /^(?:(?:nginx\.ingress\.kubernetes\.io|nginx\.org|ingress\.kubernetes\.io)\/)?(?:proxy-)?ssl-protocols$/;

function check(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const e of entriesWhere(ctx.root, (k) => KEY.test(k))) {
    const s = scalarOf(e.value);
    if (!s || s.type !== 'string') continue;
    const tokens = [...s.value.matchAll(/\S+/g)].map((m) => ({ text: m[0], version: parseProtocol(m[0]) }));
    const old = tokens.filter((t) => t.version && belowFloor(t.version, floor));
    if (old.length === 0) continue;
    const kept = tokens.filter((t) => !old.includes(t)).map((t) => t.text);
    const fixable = kept.length > 0 && s.value === ctx.file.text.slice(s.start, s.end);
    const backend = e.key.includes('proxy-ssl') ? ' to the backends' : '';
    ctx.report({
      node: s.node,
      message: `${e.key} "${s.value}" enables ${old.map((t) => protocolLabel(t.version!)).join(' and ')}${backend}; keep ${kept.length ? `"${kept.join(' ')}"` : '"TLSv1.2 TLSv1.3"'} only.`,
      ...(fixable ? { fix: replaceFix(`keep ${kept.join(' ')}`, s.start, s.end, kept.join(' ')) } : {}),
    });
  }
}

export default defineRule({
  id: 'kubernetes/ingress-nginx-ssl-protocols-outdated',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'protocol',
  title: 'ingress-nginx ssl-protocols enables TLS 1.0/1.1 or SSLv3',
  description:
    'The ingress-nginx ConfigMap key `ssl-protocols` (also in Helm values under `controller.config`), the `proxy-ssl-protocols` setting or an `nginx.ingress.kubernetes.io/...ssl-protocols` annotation lists `TLSv1`, `TLSv1.1`, `SSLv3` or `SSLv2`.',
  help: `**Why it matters.** ingress-nginx writes this list into nginx's \`ssl_protocols\` for every
server it generates (or \`proxy_ssl_protocols\` for connections to the backends). Its default is
\`TLSv1.2 TLSv1.3\`; adding \`TLSv1\`/\`TLSv1.1\` re-enables protocols deprecated by RFC 8996, usually for
one old client, for every host of the controller.

**How to fix it.** Drop the old versions (or the key, to get the default):

\`\`\`yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
data:
  ssl-protocols: "TLSv1.2 TLSv1.3"
\`\`\`

In Helm values: \`controller.config.ssl-protocols: "TLSv1.2 TLSv1.3"\`. The fix removes the old entries
when a newer one remains.`,
  remedy: 'Set ssl-protocols to "TLSv1.2 TLSv1.3" (or remove it).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl-protocols'],
  requires: [OLD_PROTOCOL_TOKEN],
  fixable: true,
  files: dataCheckers(check),
});
