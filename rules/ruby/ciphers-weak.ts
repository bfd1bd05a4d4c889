import { weakCiphers, weakCipherList, withoutWeakCiphers, type WeakCipher } from '../../src/formats/ciphers.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { configuredObject, expectedToFail, reportedWhereWritten, settingOf, SETTING_QUERY, type Setting } from './util.js';

/** SSLContext/Net::HTTP `ciphers`, Excon and RestClient `ssl_ciphers`, Typhoeus/Ethon `ssl_cipher_list`. */
const NAMES = new Set(['ciphers', 'ssl_ciphers', 'ssl_cipher_list']);
const isSink = (s: Setting) => NAMES.has(s.name);
const GROUPS = /^(?:ALL|MEDIUM|COMPLEMENTOFDEFAULT)$/;

/**
 * The cipher list a possibility holds: a string (`"HIGH:!aNULL"`), or an array of suite names
 * (`%w[AES128-SHA RC4-SHA]`, which SSLContext#ciphers= also takes) joined as OpenSSL would read it.
 */
function listOf(flow: Flow): string | undefined {
  if (flow.value.type === 'string') return flow.value.value;
  if (flow.value.type !== 'list') return undefined;
  const names = flow.value.items.map((i) => (i.value.type === 'string' ? i.value.value : undefined));
  return names.length && names.every((n) => n !== undefined) ? names.join(':') : undefined;
}

/** A fix on a plain string literal (`'HIGH:RC4-SHA'`, `"..."` without interpolation or escapes) that spells `list`. */
function literalFix(ctx: MatchContext, node: SyntaxNode, list: string, fixed: string | undefined): Fix | undefined {
  if (!fixed || node.type !== 'string' || node.namedChildren.length !== 1) return undefined;
  const content = node.namedChildren[0]!;
  if (content.type !== 'string_content' || ctx.file.text.slice(content.startIndex, content.endIndex) !== list) return undefined;
  return replaceFix('remove the weak ciphers', content.startIndex, content.endIndex, fixed);
}

function advice(weak: WeakCipher[], fixed: string | undefined, added: boolean): string {
  const them = weak.length === 1 ? 'it' : 'them';
  if (added) return `do not add ${them}`;
  if (fixed) return `remove ${them}`;
  return weak.some((w) => GROUPS.test(w.token)) ? 'add the exclusions' : "list strong suites instead ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256')";
}

/** True when a later `x.ciphers = ...` on the same object, in the same method, sets a list without weak entries. */
function replacedLater(ctx: MatchContext, left: SyntaxNode, name: string): boolean {
  const target = configuredObject(left);
  if (!target || left.parent?.type === 'pair') return false;
  return ctx.lang.laterOnObject(target.object, target.statement.endIndex, target.statement).some((u) => {
    if (u.kind !== 'write' || u.name !== name || u.op !== '=' || !u.value || ctx.lang.guardOf(u.node)) return false;
    const flows = ctx.lang.values(u.value);
    return flows.length > 0 && flows.every((f) => {
      const list = listOf(f);
      return list !== undefined && weakCiphers(list).length === 0;
    });
  });
}

export default defineRule({
  id: 'ruby/ciphers-weak',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'cipher',
  title: 'ciphers enables RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites',
  description:
    'A cipher list given to `OpenSSL::SSL::SSLContext#ciphers=` (also `set_params(ciphers:)` and `SSLContext::DEFAULT_PARAMS[:ciphers]`), Net::HTTP `ciphers=`, Faraday `ssl: { ciphers: }`, Excon or RestClient `ssl_ciphers:`, HTTPClient `ssl_config.ciphers=`, or Typhoeus `ssl_cipher_list:` names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`; strings and arrays of suite names, followed through locals, constants of other files, parameters and their call sites, and methods. Lists that only add strong suites or exclude weak ones (`!RC4`) are not reported.',
  help: `**Why it matters.** Ruby's OpenSSL binding starts from a safe list
(\`SSLContext::DEFAULT_PARAMS\`); an explicit \`ciphers\` replaces it. RC4 is broken (RFC 7465), 3DES has a
64-bit block (Sweet32), NULL and anonymous suites give no encryption or no authentication, EXPORT
suites are the deliberately weakened ciphers behind FREAK and Logjam, and \`@SECLEVEL=0\` lets OpenSSL 3
accept TLS 1.0/1.1, SHA-1 and tiny keys again.

**How to fix it.** Remove the weak entries (exclusions such as \`!RC4\` are fine), or leave \`ciphers\`
unset:

\`\`\`ruby
ctx = OpenSSL::SSL::SSLContext.new
ctx.set_params(verify_mode: OpenSSL::SSL::VERIFY_PEER)   # DEFAULT_PARAMS ciphers
http.ciphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256'
Faraday.new(url, ssl: { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })
\`\`\`

The offered fix removes the weak entries from a string literal when something else remains.`,
  remedy: 'Remove the weak entries from the cipher list, or leave ciphers unset.',
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['ciphers', 'ssl_cipher_list'],
  fixable: true,
  files: {
    ruby: {
      query: SETTING_QUERY,
      check(ctx) {
        const { left, value } = ctx.captures;
        if (!left || !value) return;
        const setting = settingOf(left);
        if (!setting || !isSink(setting)) return;
        // `DEFAULT_PARAMS[:ciphers] += ':RC4-SHA'`: only the added part is written here
        const added = value.parent?.type === 'operator_assignment';
        if (replacedLater(ctx, left, setting.name)) return;
        for (const flow of ctx.lang.values(value)) {
          const list = listOf(flow);
          const weak = list === undefined ? [] : weakCiphers(list);
          if (weak.length === 0 || reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
          const fixed = added ? undefined : withoutWeakCiphers(list!);
          ctx.report(
            flowReport(ctx, flow, {
              sink: value,
              sinkName: setting.name,
              message: `${setting.name} enables weak ciphers: ${weakCipherList(weak)}; ${advice(weak, fixed, added)}, or leave ${setting.name} unset to keep the default list.`,
              fix: literalFix(ctx, flow.node, list!, fixed),
            }),
          );
        }
      },
    },
  },
});
