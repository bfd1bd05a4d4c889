import { defineRule, replaceFix, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { importsOf, isExpectedFailureOrComparison, keywordArg, positionalArgs, pyBefore, pythonVersion, qualifiedName, scopeOf } from './util.js';

const OLD: Record<string, string> = {
  PROTOCOL_SSLv2: 'SSL 2.0',
  PROTOCOL_SSLv3: 'SSL 3.0',
  PROTOCOL_TLSv1: 'TLS 1.0',
  PROTOCOL_TLSv1_1: 'TLS 1.1',
};
const NAMES = '^PROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1)$';

/** Describes where the constant is used, for the message. */
function usage(node: SyntaxNode): string {
  const parent = node.parent;
  if (parent?.type === 'keyword_argument') return `${parent.childForFieldName('name')?.text}=`;
  const call = parent?.type === 'argument_list' ? parent.parent : undefined;
  if (call?.type === 'call') return `${call.childForFieldName('function')?.text.split('.').pop()}(...)`;
  return '';
}

/** Code in the same function that serves or turns verification off: there PROTOCOL_TLS_CLIENT would change behaviour. */
const NOT_A_VERIFYING_CLIENT = /verify_mode|check_hostname|CERT_NONE|server_side|load_cert_chain|PROTOCOL_TLS_SERVER/;

/**
 * The safe rewrite for `ssl.SSLContext(ssl.PROTOCOL_TLSv1)` in client code: PROTOCOL_TLS_CLIENT
 * negotiates the best version and verifies certificates and host names. Offered only when the
 * function does not turn verification off or act as a server, and Python is 3.6+ (or unstated).
 */
function clientContextFix(ref: SyntaxNode, imports: Map<string, string>, olderThan36: boolean): Fix | undefined {
  if (olderThan36) return undefined;
  const args = ref.parent?.type === 'keyword_argument' ? ref.parent.parent : ref.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  if (!call || call.type !== 'call') return undefined;
  if (qualifiedName(call.childForFieldName('function')!, imports) !== 'ssl.SSLContext') return undefined;
  if ((positionalArgs(call)[0] ?? keywordArg(call, 'protocol'))?.id !== ref.id) return undefined;
  if (NOT_A_VERIFYING_CLIENT.test(scopeOf(call).text)) return undefined;
  const name = ref.type === 'attribute' ? ref.childForFieldName('attribute')! : ref;
  if (ref.type === 'identifier') return undefined; // `from ssl import PROTOCOL_TLSv1`: the new name is not imported
  return replaceFix('use PROTOCOL_TLS_CLIENT (negotiates TLS 1.2+, verifies certificates and host names)', name.startIndex, name.endIndex, 'PROTOCOL_TLS_CLIENT');
}

export default defineRule({
  id: 'python/ssl-protocol-outdated',
  fileKind: 'python',
  severity: 'error',
  kind: 'protocol',
  title: 'ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1 pins a deprecated protocol',
  description:
    'Code chooses ssl.PROTOCOL_SSLv2, PROTOCOL_SSLv3, PROTOCOL_TLSv1 or PROTOCOL_TLSv1_1 (for an SSLContext, wrap_socket, a urllib3/requests adapter, ftplib/smtplib/imaplib contexts), so its connections use exactly that deprecated protocol and fail against servers that require TLS 1.2.',
  help: `**Why it matters.** The \`PROTOCOL_TLSv1\` family does not set a floor, it pins one version:
a context made with \`ssl.PROTOCOL_TLSv1\` speaks TLS 1.0 and nothing else. Such code is both
weak (TLS 1.0/1.1 and SSL are deprecated by RFC 8996) and brittle: it breaks as soon as the server
turns the old version off. The "TLSv1 adapter" idiom for requests (an \`HTTPAdapter\` subclass
that passes \`ssl_version=ssl.PROTOCOL_TLSv1\` to urllib3's \`PoolManager\`) is the common form.

**How to fix it.** Let Python negotiate the best version and set the floor explicitly:

\`\`\`python
import ssl
ctx = ssl.create_default_context()          # verifies certificates and host names
ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # Python 3.7+
\`\`\`

For requests, drop the custom adapter (requests and urllib3 already negotiate TLS 1.2+), or pass
\`ssl_context=ctx\` to \`init_poolmanager\`. On Python 2.7.9+ without \`minimum_version\`, use
\`ssl.PROTOCOL_SSLv23\` with \`ctx.options |= ssl.OP_NO_SSLv2 | ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\`.
Python before 2.7.9 cannot do this well at all: upgrade it (see \`python/runtime-outdated\`).

For \`ssl.SSLContext(ssl.PROTOCOL_TLSv1)\` in client code tlslint offers a fix to
\`ssl.PROTOCOL_TLS_CLIENT\` (Python 3.6+), which negotiates the best version and also verifies
certificates and host names. It is not offered where the same function turns verification off or
serves connections, since there the switch would change what the code accepts.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['PROTOCOL_SSLv2', 'PROTOCOL_SSLv3', 'PROTOCOL_TLSv1'],
  fixable: true,
  query: `
((attribute attribute: (identifier) @name) @ref (#match? @name "${NAMES}"))
((identifier) @ref (#match? @ref "${NAMES}"))`,
  check(ctx) {
    const ref = ctx.captures.ref!;
    if (ref.type === 'identifier' && ref.parent?.type === 'attribute') return; // the attribute pattern handles it
    const parentType = ref.parent?.type;
    if (parentType === 'import_from_statement' || parentType === 'dotted_name' || parentType === 'aliased_import') return;
    if (parentType === 'assignment' && ref.parent!.childForFieldName('left')?.id === ref.id) return;
    // Translation tables (`{ssl.PROTOCOL_TLSv1: SSL.TLSv1_METHOD}`, `table[ssl.PROTOCOL_TLSv1] = ...`) map names, they choose nothing.
    if (parentType === 'pair' && ref.parent!.childForFieldName('key')?.id === ref.id) return;
    if (parentType === 'subscript' && ref.parent!.childrenForFieldName('subscript').some((n) => n.id === ref.id)) return;
    const name = ref.type === 'attribute' ? ref.childForFieldName('attribute')!.text : ref.text;
    const imports = importsOf(ctx.root);
    const q = qualifiedName(ref, imports);
    if (!q || !/^(?:ssl|urllib3\.util\.ssl_|requests\.packages\.urllib3\.util\.ssl_)\.PROTOCOL_/.test(q)) return;
    if (isExpectedFailureOrComparison(ref)) return; // tests asserting the old protocol is refused
    const where = usage(ref);
    const py = ctx.project.nearest(pythonVersion)?.value;
    const fix = clientContextFix(ref, imports, py ? pyBefore(py, 3, 6) : false);
    ctx.report({
      fix,
      node: ref,
      message: `${ref.text}${where ? ` passed as ${where}` : ''} pins ${OLD[name]}; use ssl.create_default_context() and set minimum_version = ssl.TLSVersion.TLSv1_2 so TLS 1.2 and 1.3 are negotiated.`,
    });
  },
});
