import { isCommentLine } from '../../src/formats/comments.js';
import { scalarOf } from '../../src/formats/data-tree.js';
import { defineRule, type FileContext, type MatchContext } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from './util.js';

/** kubeconfig clusters (`insecure-skip-tls-verify`) and APIService specs (`insecureSkipTLSVerify`). */
const KEYS = new Set(['insecure-skip-tls-verify', 'insecureSkipTLSVerify']);

/** `kubectl ... --insecure-skip-tls-verify` (and `=true`), `helm ... --insecure-skip-tls-verify`: in scripts, Dockerfiles and CI YAML. */
function checkFlags(ctx: FileContext): void {
  const text = ctx.file.text;
  for (const m of text.matchAll(/(?<![\w-])--insecure-skip-tls-verify(?:=(\w+))?(?![\w-])/g)) {
    if (m[1] !== undefined && !/^true$/i.test(m[1])) continue;
    if (isCommentLine(ctx.file.lineText(ctx.file.lineOf(m.index)))) continue;
    ctx.report({ start: m.index, end: m.index + m[0].length, message: `${m[0]} turns off verification of the server's certificate (the API server for kubectl, the chart repository or registry for helm), so anyone on the path can impersonate it and read the credentials sent; pass the CA (--certificate-authority, --ca-file) instead.` });
  }
}

function check(ctx: MatchContext): void {
  checkFlags(ctx);
  for (const e of entriesWhere(ctx.root, (k) => KEYS.has(k))) {
    const s = scalarOf(e.value);
    if (!s || !(s.type === 'bool' || s.type === 'string') || !/^true$/i.test(s.value)) continue;
    const where = e.key === 'insecureSkipTLSVerify' ? 'the API server does not verify the certificate of this aggregated API service' : 'kubectl and other clients do not verify the API server\'s certificate for this cluster';
    ctx.report({
      node: s.node,
      message: `${e.key}: true: ${where}, so anyone on the path can impersonate it and read or alter the traffic (credentials included); provide the CA (${e.key === 'insecureSkipTLSVerify' ? 'caBundle' : 'certificate-authority-data'}) instead.`,
    });
  }
}

export default defineRule({
  id: 'kubernetes/insecure-skip-tls-verify',
  fileKind: 'kubeconfig',
  severity: 'error',
  kind: 'certificate',
  title: 'Kubernetes TLS verification turned off (insecure-skip-tls-verify)',
  description:
    'A kubeconfig cluster sets `insecure-skip-tls-verify: true`, or an `APIService` (aggregated API) sets `spec.insecureSkipTLSVerify: true`, in a kubeconfig, a manifest or Helm values; or `kubectl`/`helm` run with `--insecure-skip-tls-verify` in a script, Dockerfile or CI YAML.',
  help: `**Why it matters.** With verification off, the client accepts any certificate for the API
server (or the API server accepts any certificate for an aggregated API such as metrics-server).
A man in the middle then sees bearer tokens and client credentials and can change what the
cluster does.

**How to fix it.** Trust the right CA instead:

\`\`\`yaml
clusters:
- name: prod
  cluster:
    server: https://api.prod.example.com:6443
    certificate-authority-data: LS0tLS1CRUdJTi...
\`\`\`

For an \`APIService\`, set \`spec.caBundle\` (cert-manager's CA injector can fill it) and remove
\`insecureSkipTLSVerify\`.`,
  remedy: 'Remove insecure-skip-tls-verify / insecureSkipTLSVerify and provide the CA bundle.',
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['insecure-skip-tls-verify', 'insecureSkipTLSVerify'],
  files: { ...dataCheckers(check, ['yaml', 'json']), shell: { check: checkFlags }, dockerfile: { check: checkFlags } },
});
