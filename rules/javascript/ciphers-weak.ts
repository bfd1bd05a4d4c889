import { weakCiphers, weakCipherList, withoutWeakCiphers, type WeakCipher } from '../../src/formats/ciphers.js';
import { elementsOf, type Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { defineRule, replaceFix, type FileContext, type TsContext } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';
import { flagSinks, inCommentLine } from './node-flags.js';
import { conditionWords, inFailureExpectation, literalContent, replacedLater, reportedAtOrigin, settingSites } from './settings.js';

const NAMES = new Set(['ciphers', 'DEFAULT_CIPHERS']);
/** `--tls-cipher-list=LIST` (or `--tls-cipher-list LIST`), the list optionally quoted. */
const FLAG = /--tls-cipher-list(?:=|[ \t]+)(["']?)([^\s"'\\]+)\1/g;
const GROUPS = /^(?:ALL|MEDIUM|COMPLEMENTOFDEFAULT)$/;

/** What to do about the weak entries of a list: remove them (when the fix can), add the exclusions a wide group needs, or list strong suites. */
function advice(weak: WeakCipher[], fixed: string | undefined): string {
  const them = weak.length === 1 ? 'it' : 'them';
  if (fixed) return `remove ${them}`;
  return weak.some((w) => GROUPS.test(w.token)) ? 'add the exclusions' : "list strong suites instead ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256')";
}

/** `--tls-cipher-list=...` in package.json scripts, Dockerfiles, .env files, scripts and YAML. */
function scan(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(FLAG)) {
    if (inCommentLine(ctx, m.index)) continue;
    const list = m[2]!;
    const weak = weakCiphers(list);
    if (weak.length === 0) continue;
    const start = m.index + m[0].length - m[1]!.length - list.length;
    const fixed = withoutWeakCiphers(list);
    ctx.report({
      start,
      end: start + list.length,
      message: `--tls-cipher-list enables weak ciphers for the whole Node process: ${weakCipherList(weak)}; ${advice(weak, fixed)}, or drop the flag to keep Node's default list.`,
      ...(fixed ? { fix: replaceFix('remove the weak ciphers', start, start + list.length, fixed) } : {}),
    });
  }
}

/** A fix on a string literal that spells `list` exactly: the list without its weak entries. */
function literalFix(flow: Flow<TsNode>, list: string, fixed: string | undefined): Fix | undefined {
  const content = fixed ? literalContent(flow.node) : undefined;
  if (!content || flow.node.text.slice(1, -1) !== list) return undefined;
  return replaceFix('remove the weak ciphers', content.start, content.end, fixed!);
}

/** `ciphers` options and `tls.DEFAULT_CIPHERS`, and the cipher-list flag where code starts Node. */
function code(ctx: TsContext): void {
  for (const s of settingSites(ctx.root, NAMES)) {
    // `tls.DEFAULT_CIPHERS = ...` only on the tls module; `ciphers` in any options object
    if (s.name === 'DEFAULT_CIPHERS' && !(s.assignment && ctx.lang.qualify(s.object) === 'tls')) continue;
    if (inFailureExpectation(s.site)) continue;
    const weakOf = (f: Flow<TsNode>) => (f.value.type === 'string' ? weakCiphers(f.value.value) : []);
    const flows = ctx.lang.values(s.value).filter((f) => weakOf(f).length > 0);
    if (flows.length === 0 || replacedLater(ctx, s, (later) => later.some((f) => weakOf(f).length > 0))) continue;
    const sinkName = s.assignment ? `${s.object.text}.${s.name}` : s.name;
    const keep = s.name === 'DEFAULT_CIPHERS' ? "remove the assignment to keep Node's default list" : `leave ${s.name} out to keep Node's default list`;
    for (const flow of flows) {
      // (a list joined at the setting is written here, whatever path its items took)
      const atSetting = flow.src === ctx.file && flow.node.startIndex >= s.value.startIndex && flow.node.endIndex <= s.value.endIndex;
      if ((!atSetting && reportedAtOrigin(flow, NAMES)) || flow.value.type !== 'string') continue;
      const list = flow.value.value;
      const weak = weakOf(flow);
      const fixed = withoutWeakCiphers(list);
      const report = flowReport(ctx, flow, {
        sink: s.value,
        sinkName,
        message: `${sinkName} enables weak ciphers: ${weakCipherList(weak)}${conditionWords(flow)}; ${advice(weak, fixed)}, or ${keep}.`,
        fix: literalFix(flow, list, fixed),
      });
      if (report.node && inFailureExpectation(report.node)) continue;
      ctx.report(report);
    }
  }
  for (const sink of flagSinks(ctx)) {
    for (const flow of elementsOf(ctx.lang.values(sink.node))) {
      if (flow.value.type !== 'string') continue;
      for (const m of flow.value.value.matchAll(FLAG)) {
        const list = m[2]!;
        const weak = weakCiphers(list);
        if (weak.length === 0) continue;
        const fixed = withoutWeakCiphers(list);
        // the fix edits the list inside the literal, when the literal spells it once, as is
        const at = flow.node.text.indexOf(list);
        const fix = fixed && at > 0 && flow.node.text.indexOf(list, at + 1) === -1 ? replaceFix('remove the weak ciphers', flow.node.startIndex + at, flow.node.startIndex + at + list.length, fixed) : undefined;
        const report = flowReport(ctx, flow, {
          sink: sink.node,
          sinkName: sink.name,
          message: `--tls-cipher-list enables weak ciphers for the Node process started here: ${weakCipherList(weak)}; ${advice(weak, fixed)}, or drop the flag to keep Node's default list.`,
          fix,
        });
        if (report.node && inFailureExpectation(report.node)) continue;
        ctx.report(report);
      }
    }
  }
}

export default defineRule({
  id: 'javascript/ciphers-weak',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'cipher',
  title: 'ciphers, tls.DEFAULT_CIPHERS or --tls-cipher-list enables RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites',
  description:
    'A `ciphers` option (tls.connect, tls.createServer, https.Agent, https.createServer, tls.createSecureContext, database and HTTP clients\' TLS options), `tls.DEFAULT_CIPHERS`, or Node\'s `--tls-cipher-list` flag (package.json scripts, `NODE_OPTIONS`, Dockerfiles, `spawn`/`fork` arguments and `execArgv` in code) names RC4, DES/3DES, NULL, EXPORT, anonymous or MD5 suites, `LOW`, `ALL`/`MEDIUM` without exclusions, or `@SECLEVEL=0`. Values are followed through locals, fields, spreads, `[...].join(\':\')`, other modules, parameters and their call sites, and factories; a list chosen by a switch is a note. Lists that only add strong suites or exclude weak ones (`!RC4`) are not reported.',
  help: `**Why it matters.** Node's default cipher list is safe; a \`ciphers\` string replaces it for that
socket, server, agent or secure context, \`tls.DEFAULT_CIPHERS\` and \`--tls-cipher-list\` for the whole
process. RC4 is broken (RFC 7465), 3DES has a 64-bit block (Sweet32), NULL and anonymous suites give
no encryption or no authentication, EXPORT suites are the deliberately weakened ciphers behind
FREAK and Logjam, and \`@SECLEVEL=0\` lets OpenSSL accept TLS 1.0/1.1, SHA-1 and tiny keys again.

**How to fix it.** Remove the weak entries (exclusions such as \`!RC4\` are fine), or drop the option
to keep Node's default list:

\`\`\`js
tls.createServer({
  key, cert,
  ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305',
});
\`\`\`

TLS 1.3 suites are configured with the \`TLS_...\` names and are all strong. The offered fix removes
the weak entries from the literal (or the flag's list) when something else remains.`,
  remedy: "Remove the weak entries from the cipher list, or drop the option to keep Node's default list.",
  cwe: ['CWE-327'],
  precision: 'high',
  triggers: ['ciphers', 'DEFAULT_CIPHERS', '--tls-cipher-list'],
  fixable: true,
  files: {
    'package-json': { check: scan, triggers: ['--tls-cipher-list'] },
    dockerfile: { check: scan, triggers: ['--tls-cipher-list'] },
    env: { check: scan, triggers: ['--tls-cipher-list'] },
    shell: { check: scan, triggers: ['--tls-cipher-list'] },
    yaml: { check: scan, triggers: ['--tls-cipher-list'] },
    javascript: { check: code },
    typescript: { check: code },
  },
});
