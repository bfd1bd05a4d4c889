import { haproxyDirectives, tlsOptionWords } from '../../src/formats/haproxy.js';
import { belowFloor, parseProtocol, protocolLabel, PROTOCOL_RANK } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';

const FORCE = /^force-(sslv3|tlsv1[0-3])$/;

function check(ctx: FileContext): void {
  const floor = ctx.settings.minTlsVersion;
  const target = floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  for (const d of haproxyDirectives(ctx.file)) {
    const words = tlsOptionWords(d);
    const side = d.name.includes('server') ? 'to the servers' : 'from clients';
    const where = d.name === 'bind' || d.name === 'server' ? `${d.name} line${d.block ? ` in ${d.block}` : ''}` : d.name;
    const disabled = new Set(words.map((w) => w.text).filter((t) => /^no-(?:sslv3|tlsv1[0-3])$/.test(t)));
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if ((w.text === 'ssl-min-ver' || w.text === 'ssl-max-ver') && words[i + 1]) {
        const arg = words[i + 1]!;
        const v = parseProtocol(arg.text);
        if (!v) continue;
        if (w.text === 'ssl-min-ver' && belowFloor(v, floor)) {
          ctx.report({ start: arg.start, end: arg.end, message: `${where}: ssl-min-ver ${arg.text} accepts ${protocolLabel(v)} ${side}; use ssl-min-ver ${target}.`, fix: replaceFix(`use ${target}`, arg.start, arg.end, target) });
        } else if (w.text === 'ssl-max-ver' && PROTOCOL_RANK[v] < PROTOCOL_RANK['TLS1.2']) {
          ctx.report({ start: arg.start, end: arg.end, message: `${where}: ssl-max-ver ${arg.text} caps connections ${side} at ${protocolLabel(v)}, so TLS 1.2 and 1.3 are never used; remove it.` });
        }
        continue;
      }
      const force = FORCE.exec(w.text);
      const fv = force ? parseProtocol(force[1]!.replace(/^tlsv1(\d)$/, 'TLSv1.$1')) : undefined;
      if (fv && belowFloor(fv, floor)) {
        ctx.report({ start: w.start, end: w.end, message: `${where}: ${w.text} forces ${protocolLabel(fv)} ${side}; use ssl-min-ver ${target} instead.`, fix: replaceFix(`use ssl-min-ver ${target}`, w.start, w.end, `ssl-min-ver ${target}`) });
      }
    }
    // `no-tlsv12 no-tlsv13` leaves only the old versions
    if (disabled.has('no-tlsv12') && disabled.has('no-tlsv13')) {
      const w = words.find((x) => x.text === 'no-tlsv12')!;
      ctx.report({ start: w.start, end: w.end, message: `${where}: no-tlsv12 with no-tlsv13 leaves only TLS 1.1 and older ${side}; remove them and set ssl-min-ver ${target}.` });
    }
  }
}

export default defineRule({
  id: 'proxy/haproxy-ssl-min-ver-outdated',
  fileKind: 'haproxy',
  severity: 'error',
  kind: 'protocol',
  title: 'HAProxy accepts SSLv3, TLS 1.0 or TLS 1.1 (ssl-min-ver, force-*, no-tlsv12)',
  description:
    '`ssl-default-bind-options`/`ssl-default-server-options`, a `bind` or `server`/`default-server` line sets `ssl-min-ver` below TLSv1.2, forces an old version (`force-tlsv10`, `force-sslv3`), caps it with `ssl-max-ver TLSv1.1`, or disables both TLS 1.2 and 1.3.',
  help: `**Why it matters.** \`ssl-min-ver\` is the floor of HAProxy's TLS listeners (\`bind\`) and of its
connections to servers. HAProxy 2.2+ defaults to TLSv1.2; an explicit \`ssl-min-ver TLSv1.0\` (or the
older \`force-tlsv10\`) brings back protocols deprecated by RFC 8996 for every frontend that inherits
it.

**How to fix it.**

\`\`\`
global
    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
    ssl-default-server-options ssl-min-ver TLSv1.2

frontend web
    bind :443 ssl crt /etc/haproxy/certs/site.pem alpn h2,http/1.1
\`\`\`

The fix raises \`ssl-min-ver\` (or replaces \`force-tlsv10\`) to \`TLSv1.2\`.`,
  remedy: 'Set ssl-min-ver TLSv1.2 in ssl-default-bind-options and ssl-default-server-options.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl-min-ver', 'ssl-max-ver', 'force-sslv3', 'force-tlsv1', 'no-tlsv12'],
  fixable: true,
  check,
});
