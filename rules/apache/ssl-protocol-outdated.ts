import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';
import { cachedConf, walkConf } from '../../src/formats/serverconf.js';
import { belowFloor, parseProtocol, PROTOCOL_RANK, protocolLabel, type ProtocolVersion } from '../../src/formats/tls-names.js';

const DIRECTIVE = /^SSL(?:Proxy)?Protocol$/i;

/** What `all` means in Apache 2.4 (SSLv3 only where OpenSSL still has it). */
const ALL: ProtocolVersion[] = ['SSLv3', 'TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'];

/** Apache's spelling of a version. */
const NAME: Record<ProtocolVersion, string> = { SSLv2: 'SSLv2', SSLv3: 'SSLv3', 'TLS1.0': 'TLSv1', 'TLS1.1': 'TLSv1.1', 'TLS1.2': 'TLSv1.2', 'TLS1.3': 'TLSv1.3' };

/**
 * The protocol set an SSLProtocol line leaves enabled, following mod_ssl: `+X` adds, `-X` removes,
 * a bare word replaces the set. Undefined when a word is not a protocol name (a variable...).
 */
export function effectiveProtocols(words: string[]): Set<ProtocolVersion> | undefined {
  let set = new Set<ProtocolVersion>();
  for (const word of words) {
    const action = word[0] === '+' || word[0] === '-' ? word[0] : '';
    const name = action ? word.slice(1) : word;
    let these: ProtocolVersion[];
    if (/^all$/i.test(name)) these = ALL;
    else if (/^(?:SSLv[23]|TLSv1(?:\.[0-3])?)$/i.test(name)) these = [parseProtocol(name)!];
    else return undefined;
    if (action === '-') for (const v of these) set.delete(v);
    else if (action === '+') for (const v of these) set.add(v);
    else set = new Set(these);
  }
  return set;
}

function check(ctx: FileContext): void {
  const { file, settings } = ctx;
  const floor = settings.minTlsVersion;
  for (const d of walkConf(cachedConf(file))) {
    if (d.section || !DIRECTIVE.test(d.name) || d.args.length === 0) continue;
    const set = effectiveProtocols(d.args.map((a) => a.text));
    if (!set) continue;
    const old = [...set].filter((v) => belowFloor(v, floor)).sort((a, b) => PROTOCOL_RANK[a] - PROTOCOL_RANK[b]);
    if (old.length === 0) continue;
    const remaining = [...set].filter((v) => !belowFloor(v, floor)).sort((a, b) => PROTOCOL_RANK[a] - PROTOCOL_RANK[b]);
    const first = d.args[0]!;
    const last = d.args[d.args.length - 1]!;
    const written = file.text.slice(first.start, last.end);
    let replacement: string;
    if (remaining.length > 0 && d.args.some((a) => /^\+?all$/i.test(a.text))) {
      replacement = `${written} ${old.map((v) => `-${NAME[v]}`).join(' ')}`;
    } else {
      const keep = remaining.length > 0 ? remaining : [floor === '1.3' ? 'TLS1.3' : 'TLS1.2'] as ProtocolVersion[];
      replacement = `-all ${keep.map((v) => `+${NAME[v]}`).join(' ')}`;
    }
    const how = d.args.length > 1 || /^[+-]?all$/i.test(first.text) ? `the effective set still includes ${old.map((v) => NAME[v]).join(', ')}` : `it enables ${old.map((v) => NAME[v]).join(', ')}`;
    ctx.report({
      start: first.start,
      end: last.end,
      message: `${d.name} ${written}: ${how} (${old.map(protocolLabel).join(', ')}, deprecated by RFC 8996); use \`${d.name} ${replacement}\`.`,
      fix: replaceFix(`${d.name} ${replacement}`, first.start, last.end, replacement),
    });
  }
}

export default defineRule({
  id: 'apache/ssl-protocol-outdated',
  fileKind: 'apache',
  severity: 'error',
  kind: 'protocol',
  title: 'Apache SSLProtocol leaves SSLv3, TLS 1.0 or TLS 1.1 enabled',
  description:
    'An Apache httpd `SSLProtocol` or `SSLProxyProtocol` line whose effective protocol set (after `all`, `+X` and `-X`) still contains SSLv3, TLSv1 or TLSv1.1; `all -SSLv3` is the classic case.',
  help: `**Why it matters.** mod_ssl evaluates \`SSLProtocol\` left to right: \`all\` enables every
protocol the OpenSSL build supports, \`-X\` removes one, \`+X\` adds one, and a bare name replaces the
set. \`SSLProtocol all -SSLv3\`, recommended after POODLE in 2014, therefore still enables TLS 1.0
and TLS 1.1, which RFC 8996 deprecates and PCI DSS forbids.

**How to fix it.** Remove the old protocols explicitly, which keeps TLS 1.3 on builds that have it:

\`\`\`apache
SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1
\`\`\`

or list what you allow: \`SSLProtocol -all +TLSv1.2 +TLSv1.3\` (TLSv1.3 needs httpd 2.4.36+ with
OpenSSL 1.1.1+). \`SSLProxyProtocol\` does the same for connections to back ends. The fix appends
the missing removals to an \`all\` line, and otherwise writes \`-all\` plus the versions that were
allowed and are still acceptable (or \`+TLSv1.2\`).`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['SSLProtocol', 'SSLProxyProtocol', 'sslprotocol', 'SSLPROTOCOL'],
  fixable: true,
  files: { apache: { check }, serverconf: { check } },
});
