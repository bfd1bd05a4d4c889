import { weakCiphers, withoutWeakCiphers } from '../../src/formats/ciphers.js';
import { scalarOf } from '../../src/formats/data-tree.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from './util.js';

const KEY = /^(?:(?:nginx\.ingress\.kubernetes\.io|nginx\.org|ingress\.kubernetes\.io)\/)?(?:proxy-)?ssl-ciphers$/;

function check(ctx: MatchContext): void {
  for (const e of entriesWhere(ctx.root, (k) => KEY.test(k))) {
    const s = scalarOf(e.value);
    if (!s || s.type !== 'string') continue;
    const weak = weakCiphers(s.value);
    if (weak.length === 0) continue;
    // offsets map onto the file only when the value is written without escapes
    const verbatim = s.value === ctx.file.text.slice(s.start, s.end);
    const fixed = verbatim ? withoutWeakCiphers(s.value) : undefined;
    const reasons = [...new Set(weak.map((w) => w.reason))].join('; ');
    ctx.report({
      ...(verbatim ? { start: s.start + weak[0]!.start, end: s.start + weak[weak.length - 1]!.end } : { node: s.node }),
      message: `${e.key} enables weak ciphers: ${weak.map((w) => w.token).join(', ')} (${reasons}); remove them${fixed ? '' : ' or exclude them with !'}.`,
      ...(fixed ? { fix: replaceFix('remove the weak ciphers', s.start, s.end, fixed) } : {}),
    });
  }
}

export default defineRule({
  id: 'kubernetes/ingress-nginx-ssl-ciphers-weak',
  fileKind: 'yaml',
  severity: 'error',
  kind: 'cipher',
  title: 'ingress-nginx ssl-ciphers enables weak ciphers',
  description:
    'The ingress-nginx ConfigMap key `ssl-ciphers` (also in Helm values under `controller.config`), `proxy-ssl-ciphers`, or an `nginx.ingress.kubernetes.io/ssl-ciphers` annotation names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`.',
  help: `**Why it matters.** The value becomes nginx's \`ssl_ciphers\` (an OpenSSL cipher string) for
the controller's servers, or for one ingress with the annotation. Broken or deliberately weakened
suites let an attacker decrypt or tamper with traffic (Sweet32, RC4 biases, FREAK/Logjam).

**How to fix it.** Remove the weak entries, or leave the key out to get ingress-nginx's modern
default:

\`\`\`yaml
metadata:
  annotations:
    nginx.ingress.kubernetes.io/ssl-ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
\`\`\`

The fix removes the weak entries when something else remains; exclusions such as \`!RC4\` are fine.`,
  remedy: 'Remove the weak entries from ssl-ciphers (or drop the key to use the default).',
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['ssl-ciphers'],
  fixable: true,
  files: dataCheckers(check),
});
