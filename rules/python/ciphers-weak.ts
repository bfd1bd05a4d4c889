import { weakCiphers, weakCipherList, withoutWeakCiphers } from '../../src/formats/ciphers.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { argumentOf, isExpectedFailureOrComparison } from './util.js';

/**
 * The content of a plain string literal (`"HIGH:RC4-SHA"`, `b"..."`), as offsets into the file,
 * when it spells `value` exactly (no escapes, no concatenation): where a fix can rewrite it.
 */
function verbatimContent(ctx: MatchContext, node: SyntaxNode, value: string): { start: number; end: number } | undefined {
  if (node.type !== 'string') return undefined;
  const open = node.namedChildren.find((c) => c.type === 'string_start');
  const close = node.namedChildren.find((c) => c.type === 'string_end');
  if (!open || !close) return undefined;
  return ctx.file.text.slice(open.endIndex, close.startIndex) === value ? { start: open.endIndex, end: close.startIndex } : undefined;
}

/**
 * Judges every string a cipher setting may hold: weak entries are a finding, at the literal when it
 * is written at the setting (with a fix that removes them), else where the value travelled from.
 * `keep`: how to keep the library's default list instead; `added`: the value is appended to a list
 * set elsewhere (`DEFAULT_CIPHERS += ":RC4-SHA"`).
 */
function judge(ctx: MatchContext, value: SyntaxNode, sinkName: string, keep: string, added = false): void {
  if (isExpectedFailureOrComparison(value)) return;
  for (const flow of ctx.lang.values(value)) {
    if (flow.value.type !== 'string') continue;
    const list = flow.value.value;
    const weak = weakCiphers(list);
    if (weak.length === 0) continue;
    const fixed = added ? undefined : withoutWeakCiphers(list);
    const content = fixed ? verbatimContent(ctx, flow.node, list) : undefined;
    const fix: Fix | undefined = fixed && content ? replaceFix('remove the weak ciphers', content.start, content.end, fixed) : undefined;
    const them = weak.length === 1 ? 'it' : 'them';
    // a wide group's reason already names the exclusions it needs
    const advice = added ? `do not add ${them}` : fixed ? `remove ${them}` : weak.some((w) => GROUPS.test(w.token)) ? 'add the exclusions' : 'list strong suites instead (ECDHE+AESGCM:ECDHE+CHACHA20)';
    ctx.report(
      flowReport(ctx, flow, {
        sink: value,
        sinkName,
        message: `${sinkName} enables weak ciphers: ${weakCipherList(weak)}; ${advice}, or ${keep}.`,
        fix,
      }),
    );
  }
}

const GROUPS = /^(?:ALL|MEDIUM|COMPLEMENTOFDEFAULT)$/;

/** True when a later `set_ciphers(...)` on the same context, in the same function, sets a list with no weak entry. */
function replacedLater(ctx: MatchContext, call: SyntaxNode, method: string): boolean {
  const object = call.childForFieldName('function')?.childForFieldName('object');
  if (!object) return false;
  return ctx.lang.laterOnObject(object.text, call.endIndex, call).some((u) => {
    if (u.kind !== 'call' || u.name !== method || !u.args[0] || ctx.lang.guardOf(u.node)) return false;
    const flows = ctx.lang.values(u.args[0].node);
    return flows.length > 0 && flows.every((f) => f.value.type === 'string' && weakCiphers(f.value.value).length === 0);
  });
}

/** Modules whose `DEFAULT_CIPHERS` every context they create uses: urllib3's `ssl_` (also vendored by requests and pip), the ssl module's `_DEFAULT_CIPHERS`. */
const DEFAULTS_HOLDER = /(?:^|\.)(?:ssl_?|util|urllib3)$/;

export default defineRule({
  id: 'python/ciphers-weak',
  fileKind: 'python',
  severity: 'error',
  kind: 'cipher',
  title: 'Cipher string enables RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites',
  description:
    'An OpenSSL cipher string given to `SSLContext.set_ciphers`, pyOpenSSL `Context.set_cipher_list`, a `ciphers=` argument (urllib3 `create_urllib3_context`, `ssl.wrap_socket`, `ssl_ciphers=` of database and queue clients), a `"ciphers"` option entry, or urllib3\'s `DEFAULT_CIPHERS` names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`; values are followed through locals, constants of other modules, parameters and their call sites, and factories. Strings that only add strong suites or remove weak ones (`!RC4`) are not reported.',
  help: `**Why it matters.** Python's \`ssl\` module (and urllib3, requests, pyOpenSSL) start from a safe
cipher list; an explicit string replaces it. RC4 is broken (RFC 7465), 3DES has a 64-bit block
(Sweet32), NULL and anonymous suites give no encryption or no authentication, EXPORT suites are the
deliberately weakened ciphers behind FREAK and Logjam, and \`@SECLEVEL=0\` lets OpenSSL 3 accept
TLS 1.0/1.1, SHA-1 and tiny keys again.

**How to fix it.** Remove the weak entries (exclusions such as \`!RC4\` or \`!3DES\` are fine), or drop
the call and keep the default list:

\`\`\`python
ctx = ssl.create_default_context()
ctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5")   # or no set_ciphers at all
\`\`\`

For urllib3 and requests, pass the context (\`create_urllib3_context()\` without \`ciphers=\`) instead of
appending to \`DEFAULT_CIPHERS\`. The offered fix removes the weak entries from the literal when
something else remains.`,
  remedy: 'Remove the weak entries from the cipher string, or keep the default cipher list.',
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['set_ciphers', 'set_cipher_list', 'ciphers=', 'ciphers =', 'CIPHERS', 'ciphers"', "ciphers'"],
  fixable: true,
  query: `
(call function: (attribute attribute: (identifier) @method (#any-of? @method "set_ciphers" "set_cipher_list"))) @call
(keyword_argument name: (identifier) @kw (#any-of? @kw "ciphers" "ssl_ciphers") value: (_) @value)
(pair key: (string (string_content) @pkey (#any-of? @pkey "ciphers" "ssl_ciphers")) value: (_) @value)
(assignment left: (subscript subscript: (string (string_content) @key (#any-of? @key "ciphers" "ssl_ciphers"))) right: (_) @value)
(assignment left: (attribute object: (_) @holder attribute: (identifier) @field (#any-of? @field "DEFAULT_CIPHERS" "_DEFAULT_CIPHERS")) right: (_) @value)
(augmented_assignment left: (attribute object: (_) @holder attribute: (identifier) @field (#any-of? @field "DEFAULT_CIPHERS" "_DEFAULT_CIPHERS")) right: (_) @added)`,
  check(ctx) {
    const { call, method, kw, pkey, key, holder, field, value, added } = ctx.captures;
    if (call && method) {
      const arg = argumentOf(ctx.lang, call, 0, method.text === 'set_ciphers' ? 'cipherlist' : 'cipher_list');
      if (!arg || replacedLater(ctx, call, method.text)) return;
      judge(ctx, arg, `${method.text}()`, method.text === 'set_ciphers' ? 'drop the call to keep the default list of ssl.create_default_context()' : "drop the call to keep OpenSSL's default list");
    } else if (kw && value) {
      const fn = value.parent?.parent?.parent?.childForFieldName('function');
      judge(ctx, value, `${kw.text}= on ${fn?.text ?? 'this call'}()`, `leave ${kw.text}= out to keep the library's default list`);
    } else if ((pkey || key) && value) {
      judge(ctx, value, `"${(pkey ?? key)!.text}"`, 'leave the entry out to keep the default list');
    } else if (holder && field && (value || added)) {
      // `ssl_.DEFAULT_CIPHERS`, `requests.packages.urllib3.util.ssl_.DEFAULT_CIPHERS`, `ssl._DEFAULT_CIPHERS`
      const module = ctx.lang.qualify(holder) ?? holder.text;
      if (!DEFAULTS_HOLDER.test(module)) return;
      judge(ctx, (value ?? added)!, `${holder.text}.${field.text}`, `leave ${field.text} at the library's own list`, !!added);
    }
  },
});
