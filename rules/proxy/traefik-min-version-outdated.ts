import { scalarOf } from '../../src/formats/data-tree.js';
import { belowFloor, protocolLabel, protocolOfName, PROTOCOL_RANK, type Policy } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type FileContext, type MatchContext, type Report } from '../../src/rule.js';
import { dataCheckers, entriesWhere } from '../kubernetes/util.js';

/** Traefik's TLS options take Go's constant names: `VersionTLS10`..`VersionTLS13`. */
const VALUE = /^VersionTLS1[0-3]$/;

function judge(key: string, value: string, floor: Policy): Omit<Report, 'node' | 'start' | 'end'> & { replacement?: string } | undefined {
  if (!VALUE.test(value)) return undefined;
  const v = protocolOfName(value);
  if (!v) return undefined;
  const target = floor === '1.3' ? 'VersionTLS13' : 'VersionTLS12';
  if (key === 'minVersion' && belowFloor(v, floor)) return { message: `Traefik minVersion ${value} accepts ${protocolLabel(v)}; use ${target} (Traefik's default).`, replacement: target };
  if (key === 'maxVersion' && PROTOCOL_RANK[v] < PROTOCOL_RANK['TLS1.2']) return { message: `Traefik maxVersion ${value} caps connections at ${protocolLabel(v)}, so TLS 1.2 and 1.3 are never used; remove it.` };
  return undefined;
}

/** YAML dynamic configuration (`tls.options.<name>`) and `TLSOption` resources (`spec`). */
function checkYaml(ctx: MatchContext): void {
  for (const e of entriesWhere(ctx.root, (k) => k === 'minVersion' || k === 'maxVersion')) {
    const s = scalarOf(e.value);
    const verdict = s && judge(e.key, s.value, ctx.settings.minTlsVersion);
    if (!s || !verdict) continue;
    const { replacement, ...report } = verdict;
    ctx.report({ node: s.node, ...report, ...(replacement ? { fix: replaceFix(`use ${replacement}`, s.start, s.end, replacement) } : {}) });
  }
}

/** TOML (`[tls.options.default]` then `minVersion = "VersionTLS10"`), read line by line. */
function checkToml(ctx: FileContext): void {
  const text = ctx.file.text;
  for (const m of text.matchAll(/^[ \t]*(minVersion|maxVersion)[ \t]*=[ \t]*(["'])(VersionTLS1[0-3])\2/gm)) {
    const verdict = judge(m[1]!, m[3]!, ctx.settings.minTlsVersion);
    if (!verdict) continue;
    const start = m.index + m[0].length - m[3]!.length - 1;
    const end = start + m[3]!.length;
    const { replacement, ...report } = verdict;
    ctx.report({ start, end, ...report, ...(replacement ? { fix: replaceFix(`use ${replacement}`, start, end, replacement) } : {}) });
  }
}

export default defineRule({
  id: 'proxy/traefik-min-version-outdated',
  fileKind: 'toml',
  severity: 'error',
  kind: 'protocol',
  title: 'Traefik TLS option minVersion below VersionTLS12',
  description:
    'A Traefik TLS option (`tls.options.<name>` in TOML or YAML dynamic configuration, or a `TLSOption` resource) sets `minVersion = "VersionTLS10"`/`"VersionTLS11"`, or caps `maxVersion` below TLS 1.2.',
  help: `**Why it matters.** TLS options are the floor of the routers that use them (\`default\` applies
to every router without its own). Traefik defaults to \`VersionTLS12\`; \`VersionTLS10\`/\`VersionTLS11\`
bring back protocols deprecated by RFC 8996.

**How to fix it.**

\`\`\`toml
[tls.options.default]
  minVersion = "VersionTLS12"
\`\`\`

\`\`\`yaml
apiVersion: traefik.io/v1alpha1
kind: TLSOption
metadata:
  name: default
spec:
  minVersion: VersionTLS12
\`\`\``,
  remedy: 'Set minVersion = "VersionTLS12" in Traefik TLS options.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['VersionTLS10', 'VersionTLS11'],
  fixable: true,
  files: { toml: { check: checkToml }, ...dataCheckers(checkYaml) },
});
