import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';
import { cachedConf, walkConf } from '../../src/formats/serverconf.js';
import { belowFloor, parseProtocol, PROTOCOL_RANK, protocolLabel } from '../../src/formats/tls-names.js';

/** `ssl_protocols` and its upstream variants (`proxy_`, `grpc_`, `uwsgi_`, `zone_sync_`). */
const DIRECTIVE = /^(?:(?:proxy|grpc|uwsgi|zone_sync)_)?ssl_protocols$/;

function check(ctx: FileContext): void {
  const { file, settings } = ctx;
  for (const d of walkConf(cachedConf(file))) {
    if (!DIRECTIVE.test(d.name) || d.args.length === 0) continue;
    const versions = d.args.map((a) => parseProtocol(a.text));
    if (versions.some((v) => v === undefined)) continue; // variables or typos: not ours to judge
    const old = d.args.filter((_a, i) => belowFloor(versions[i]!, settings.minTlsVersion));
    if (old.length === 0) continue;
    const kept = d.args.filter((_a, i) => !belowFloor(versions[i]!, settings.minTlsVersion)).map((a) => a.text);
    const replacement = kept.length > 0 ? kept : settings.minTlsVersion === '1.3' ? ['TLSv1.3'] : ['TLSv1.2', 'TLSv1.3'];
    const first = d.args[0]!;
    const last = d.args[d.args.length - 1]!;
    const terminated = file.text[d.end - 1] === ';';
    const oldVersions = old.map((a) => parseProtocol(a.text)!).sort((a, b) => PROTOCOL_RANK[a] - PROTOCOL_RANK[b]);
    ctx.report({
      start: old[0]!.start,
      end: old[old.length - 1]!.end,
      message: `${d.name} enables ${old.map((a) => a.text).join(', ')} (${oldVersions.map(protocolLabel).join(', ')}, deprecated by RFC 8996); use \`${d.name} ${replacement.join(' ')};\`.`,
      ...(terminated ? { fix: replaceFix(`${d.name} ${replacement.join(' ')}`, first.start, last.end, replacement.join(' ')) } : {}),
    });
  }
}

export default defineRule({
  id: 'nginx/ssl-protocols-outdated',
  fileKind: 'nginx',
  severity: 'error',
  kind: 'protocol',
  title: 'nginx ssl_protocols enables SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'An nginx `ssl_protocols` (or `proxy_ssl_protocols`, `grpc_ssl_protocols`...) directive lists SSLv3, TLSv1 or TLSv1.1, so clients (or, for the proxy variants, upstreams) can negotiate a deprecated protocol.',
  help: `**Why it matters.** SSL 3.0, TLS 1.0 and TLS 1.1 are deprecated (RFC 8996): POODLE, BEAST and
SHA-1/MD5 handshake weaknesses affect them, and PCI DSS and current browser policies forbid them.
Every protocol listed in \`ssl_protocols\` can be negotiated by a client that asks for it, or by an
attacker who strips the better offers.

**How to fix it.** List only TLS 1.2 and TLS 1.3 (nginx 1.13+ with OpenSSL 1.1.1+ for 1.3):

\`\`\`nginx
ssl_protocols TLSv1.2 TLSv1.3;
\`\`\`

Since nginx 1.23.4 this is also the default, so removing the directive works on current
releases. The \`proxy_ssl_protocols\` family governs connections to upstreams: raise it the same
way once the upstreams speak TLS 1.2. The fix removes the old entries and keeps the rest; when
nothing else is left it writes \`TLSv1.2 TLSv1.3\`.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl_protocols'],
  fixable: true,
  files: { nginx: { check }, serverconf: { check } },
});
