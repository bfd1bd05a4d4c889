import { defineRule, replaceFix } from '../../src/rule.js';
import { importsOf, positionalArgs, qualifiedName } from './util.js';

const OLD: Record<string, string> = {
  SSLVERSION_SSLv2: 'pins SSL 2.0',
  SSLVERSION_SSLv3: 'pins SSL 3.0',
  SSLVERSION_TLSv1: 'allows TLS 1.0 and 1.1',
  SSLVERSION_TLSv1_0: 'allows TLS 1.0 and 1.1',
  SSLVERSION_TLSv1_1: 'allows TLS 1.1',
};

/** The pycurl name an argument refers to: `pycurl.X`, `c.X` on a Curl handle, or `X` imported from pycurl. */
function pycurlName(node: import('../../src/rule.js').SyntaxNode, imports: Map<string, string>): string | undefined {
  const q = qualifiedName(node, imports);
  if (q?.startsWith('pycurl.')) return q.slice('pycurl.'.length);
  // Curl handles carry the constants too: `c.setopt(c.SSLVERSION, c.SSLVERSION_TLSv1)`.
  if (node.type === 'attribute' && [...imports.values()].some((m) => m === 'pycurl' || m.startsWith('pycurl.'))) return node.childForFieldName('attribute')?.text;
  return undefined;
}

export default defineRule({
  id: 'python/pycurl-sslversion-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'pycurl SSLVERSION set to SSLv2, SSLv3, TLSv1.0 or TLSv1.1',
  description:
    'setopt(pycurl.SSLVERSION, ...) with SSLVERSION_SSLv2, SSLv3, TLSv1, TLSv1_0 or TLSv1_1 lets libcurl use (or pins it to) a deprecated protocol version.',
  help: `**Why it matters.** \`pycurl.SSLVERSION\` maps to libcurl's \`CURLOPT_SSLVERSION\`. With libcurl
7.54+ the value is a floor: \`SSLVERSION_TLSv1\` means "TLS 1.0 or later" and \`SSLVERSION_TLSv1_0\`
and \`_1_1\` allow those deprecated versions; the SSL values select protocols broken for years.
On older libcurl the value pins one version, which fails against TLS-1.2-only servers.

**How to fix it.**

\`\`\`python
c.setopt(pycurl.SSLVERSION, pycurl.SSLVERSION_TLSv1_2)
\`\`\`

or leave the option unset on a current libcurl, whose default floor is TLS 1.2. The offered fix
sets \`SSLVERSION_TLSv1_2\` (\`SSLVERSION_TLSv1_3\` under a TLS 1.3 policy).`,
  remedy: 'Set SSLVERSION to SSLVERSION_TLSv1_2, or leave it unset on a current libcurl.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['SSLVERSION_'],
  fixable: true,
  query: `(call function: (attribute attribute: (identifier) @method (#eq? @method "setopt")) arguments: (argument_list)) @call`,
  check(ctx) {
    const imports = importsOf(ctx.root);
    const [option, value] = positionalArgs(ctx.captures.call!);
    if (!option || !value || pycurlName(option, imports) !== 'SSLVERSION') return;
    const name = pycurlName(value, imports);
    const what = name ? OLD[name] : undefined;
    if (!what || !name) return;
    const target = ctx.settings.minTlsVersion === '1.3' ? 'SSLVERSION_TLSv1_3' : 'SSLVERSION_TLSv1_2';
    const nameNode = value.type === 'attribute' ? value.childForFieldName('attribute')! : value;
    ctx.report({
      node: value,
      message: `SSLVERSION ${value.text} ${what}; set ${value.text.slice(0, value.text.length - name.length)}${target}.`,
      fix: value.type === 'attribute' ? replaceFix(`use ${target}`, nameNode.startIndex, nameNode.endIndex, target) : undefined,
    });
  },
});
