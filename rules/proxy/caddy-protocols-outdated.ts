import { scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, parseProtocol, protocolLabel, PROTOCOL_RANK, type Policy, type ProtocolVersion } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type FileContext, type MatchContext } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from '../kubernetes/util.js';

/** Caddy's protocol names: `tls1.0`..`tls1.3`. */
function version(token: string): ProtocolVersion | undefined {
  return /^tls1\.[0-3]$/.test(token) ? parseProtocol(token) : undefined;
}

function target(floor: Policy): string {
  return floor === '1.3' ? 'tls1.3' : 'tls1.2';
}

/** Caddyfile: `protocols <min> [<max>]` inside a `tls` block, one directive per line. */
function checkCaddyfile(ctx: FileContext): void {
  const floor = ctx.settings.minTlsVersion;
  const text = ctx.file.text;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const words: Array<{ text: string; start: number }> = [];
    for (const m of line.matchAll(/[^\s{}]+/g)) {
      if (m[0].startsWith('#')) break;
      words.push({ text: m[0], start: lineStart + m.index });
    }
    if (words[0]?.text !== 'protocols') continue;
    const [, min, max] = words;
    const vmin = min && version(min.text);
    if (min && vmin && belowFloor(vmin, floor)) {
      const t = target(floor);
      ctx.report({ start: min.start, end: min.start + min.text.length, message: `protocols ${min.text} accepts ${protocolLabel(vmin)}; use ${t} (Caddy's default).`, fix: replaceFix(`use ${t}`, min.start, min.start + min.text.length, t) });
    }
    const vmax = max && version(max.text);
    if (max && vmax && PROTOCOL_RANK[vmax] < PROTOCOL_RANK['TLS1.2']) {
      ctx.report({ start: max.start, end: max.start + max.text.length, message: `protocols maximum ${max.text} caps connections at ${protocolLabel(vmax)}, so TLS 1.2 and 1.3 are never used; remove it.` });
    }
  }
}

/** Caddy's JSON configuration: connection policies' `protocol_min` / `protocol_max`. */
function checkJson(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const e of entriesWhere(ctx.root, (k) => k === 'protocol_min' || k === 'protocol_max')) {
    const s = scalarOf(e.value);
    const v = s && version(s.value);
    if (!s || !v) continue;
    if (e.key === 'protocol_min' && belowFloor(v, floor)) {
      const t = target(floor);
      ctx.report({ node: s.node, message: `protocol_min "${s.value}" accepts ${protocolLabel(v)}; use "${t}" (Caddy's default).`, fix: replaceFix(`use ${t}`, s.start, s.end, t) });
    } else if (e.key === 'protocol_max' && PROTOCOL_RANK[v] < PROTOCOL_RANK['TLS1.2']) {
      ctx.report({ node: s.node, message: `protocol_max "${s.value}" caps connections at ${protocolLabel(v)}, so TLS 1.2 and 1.3 are never used; remove it.` });
    }
  }
}

export default defineRule({
  id: 'proxy/caddy-protocols-outdated',
  fileKind: 'caddyfile',
  severity: 'error',
  kind: 'protocol',
  title: 'Caddy TLS protocols below TLS 1.2',
  description:
    'A Caddyfile `tls` block sets `protocols tls1.0` or `tls1.1` as the minimum (or a maximum below TLS 1.2), or Caddy\'s JSON configuration sets `protocol_min` to `tls1.0`/`tls1.1`.',
  help: `**Why it matters.** \`protocols <min> <max>\` bounds the TLS versions of a site. Caddy defaults to
TLS 1.2 as the minimum; \`tls1.0\`/\`tls1.1\` bring back protocols deprecated by RFC 8996 (older Caddy
releases accept them).

**How to fix it.** Remove the directive, or:

\`\`\`
example.com {
    tls {
        protocols tls1.2 tls1.3
    }
}
\`\`\`

In JSON: \`"protocol_min": "tls1.2"\`.`,
  remedy: 'Use protocols tls1.2 tls1.3 (or drop the directive).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['tls1.0', 'tls1.1'],
  fixable: true,
  files: { caddyfile: { check: checkCaddyfile }, ...dataCheckers(checkJson, ['json']) },
});
