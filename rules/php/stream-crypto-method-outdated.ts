import { labelUpToFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import { unionParts } from '../../src/lang/model.js';
import { flowReport, guardedReport, isTranslation } from '../../src/lang/report.js';
import { defineRule, replaceFix, type MatchContext } from '../../src/rule.js';
import { constantName, constantSpan, contextOptionQuery, projectPhp, type PhpVersion } from './util.js';

const before = (v: PhpVersion | undefined, major: number, minor: number) => !!v && (v.major < major || (v.major === major && v.minor < minor));

interface Verdict {
  what: string;
  /** The constant to write instead, where one constant can replace it. */
  fix?: string;
}

/** What a `STREAM_CRYPTO_METHOD_*` constant allows, when that is below the floor (TLS_* only where the project's PHP is before 7.2). */
function judge(name: string, floor: Policy, php: PhpVersion | undefined): Verdict | undefined {
  const m = /^STREAM_CRYPTO_METHOD_(SSLv2|SSLv3|SSLv23|TLSv1_0|TLSv1_1|TLSv1_2|TLSv1_3|TLS|ANY)_(CLIENT|SERVER)$/.exec(name);
  if (!m) return undefined;
  const side = m[2]!;
  const target = `STREAM_CRYPTO_METHOD_${floor === '1.3' ? 'TLSv1_3' : 'TLSv1_2'}_${side}`;
  switch (m[1]) {
    case 'SSLv2':
    case 'SSLv3':
      return { what: `enables ${protocolLabel(m[1] === 'SSLv2' ? 'SSLv2' : 'SSLv3')}`, fix: target };
    case 'TLSv1_0':
      return { what: `enables ${protocolLabel('TLS1.0')}`, fix: target };
    case 'TLSv1_1':
      return { what: `enables ${protocolLabel('TLS1.1')}`, fix: target };
    case 'TLSv1_2':
      return floor === '1.3' ? { what: 'enables TLS 1.2, below the TLS 1.3 policy', fix: target } : undefined;
    case 'SSLv23':
      return { what: `negotiates ${labelUpToFloor('TLS1.0', floor)} too (and SSL 3.0 before PHP 5.6)`, fix: target };
    case 'ANY':
      return { what: `negotiates ${labelUpToFloor('TLS1.0', floor)} too`, fix: target };
    case 'TLS':
      return before(php, 7, 2) ? { what: `means TLS 1.0 only on PHP ${php!.text} (before 7.2)`, fix: target } : undefined;
    default:
      return undefined;
  }
}

function check(ctx: MatchContext): void {
  const { value, transport, _fn: fn } = ctx.captures;
  const floor = ctx.settings.minTlsVersion;
  if (transport) {
    transportString(ctx, transport);
    return;
  }
  if (!value) return;
  const php = projectPhp(ctx);
  const sinkName = fn ? `${fn.text}()` : "'crypto_method'";
  const flows = ctx.lang.values(value);
  const weak = (f: (typeof flows)[number]) => {
    const n = constantName(f);
    return !!n && judge(n, floor, php) !== undefined;
  };
  for (const flow of flows) {
    const parts = unionParts(flow);
    for (const part of parts) {
      const name = constantName(part);
      const verdict = name ? judge(name, floor, php) : undefined;
      if (!verdict || isTranslation(ctx, part, flows, weak)) continue;
      const span = part === flow ? constantSpan(part.node) : undefined;
      ctx.report(
        flowReport(ctx, part, {
          sink: value,
          sinkName,
          message: `${name} ${verdict.what}; use ${verdict.fix ?? `STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT`}${parts.length > 1 ? ' alone (with TLSv1_3 where PHP 7.4+ has it)' : ''}.`,
          fix: span && verdict.fix ? replaceFix(`use ${verdict.fix}`, span.start, span.end, verdict.fix) : undefined,
        }),
      );
    }
  }
}

/** `sslv3://host:443`, `tlsv1.0://...`; `tls://` before PHP 7.2 (TLS 1.0 only). */
function transportString(ctx: MatchContext, node: MatchContext['root']): void {
  const text = node.text.replace(/^[bB]?["']/, '');
  const m = /^(sslv2|sslv3|tlsv1\.0|tlsv1\.1|tls):\/\//i.exec(text);
  if (!m) return;
  const scheme = m[1]!.toLowerCase();
  const php = projectPhp(ctx);
  const floor = ctx.settings.minTlsVersion;
  const target = floor === '1.3' ? 'tlsv1.3' : 'tlsv1.2';
  let what: string | undefined;
  if (scheme === 'sslv2' || scheme === 'sslv3') what = `speaks only ${scheme === 'sslv2' ? 'SSL 2.0' : 'SSL 3.0'}`;
  else if (scheme === 'tlsv1.0' || scheme === 'tlsv1.1') what = `speaks only TLS ${scheme.slice(-3)}`;
  else if (scheme === 'tls' && before(php, 7, 2)) what = `speaks only TLS 1.0 on PHP ${php!.text} (before 7.2)`;
  if (!what) return;
  const start = node.startIndex + (node.text.length - text.length);
  ctx.report(
    guardedReport(ctx, {
      node,
      message: `The stream transport ${m[1]}:// ${what}; use ${target}:// (or tls:// on PHP 7.2 and later with 'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT).`,
      fix: replaceFix(`use ${target}://`, start, start + m[1]!.length, target),
    }),
  );
}

export default defineRule({
  id: 'php/stream-crypto-method-outdated',
  fileKind: 'php',
  severity: 'error',
  kind: 'protocol',
  title: 'PHP stream crypto method or transport allows SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'A stream context\'s `crypto_method` (`stream_context_create([\'ssl\' => [\'crypto_method\' => ...]])` with `array()` or `[]`, `stream_context_set_option()`, `$opts[\'ssl\'][\'crypto_method\'] = ...`) or `stream_socket_enable_crypto()` uses `STREAM_CRYPTO_METHOD_SSLv3_*`, `TLSv1_0_*`, `TLSv1_1_*`, `SSLv23_*`, `ANY_*` (or `TLS_*` where the project\'s PHP is before 7.2), or a stream URL uses the `sslv3://`, `tlsv1.0://` or `tlsv1.1://` transport (`tls://` before PHP 7.2); values are followed through constants and variables.',
  help: `**Why it matters.** PHP's stream crypto methods are bit flags of the versions a connection may
use: \`STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT\` and \`_TLSv1_1_CLIENT\` enable deprecated versions (RFC
8996), \`SSLv3\` a broken one, and \`SSLv23\`/\`ANY\` negotiate down to TLS 1.0. Before PHP 7.2,
\`STREAM_CRYPTO_METHOD_TLS_CLIENT\` and the \`tls://\` transport meant TLS 1.0 only; \`tlsv1.0://\` and
\`sslv3://\` pin one version whatever PHP runs.

**How to fix it.** As the vendors' guidance says:

\`\`\`php
$ctx = stream_context_create(['ssl' => [
    'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT,   // | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT on PHP 7.4+
]]);
stream_socket_enable_crypto($fp, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT);
$fp = stream_socket_client('tlsv1.2://example.org:443');
\`\`\`

The fix replaces a single constant (or a transport) where it is written with its TLS 1.2 form.`,
  remedy: 'Use STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT (and tlsv1.2:// for transports).',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'high',
  securitySeverity: 7.4,
  triggers: ['crypto_method', 'stream_socket_enable_crypto', 'sslv3://', 'sslv2://', 'tlsv1.0://', 'tlsv1.1://', 'tls://'],
  fixable: true,
  query: `${contextOptionQuery('crypto_method')}
(function_call_expression function: [(name) (qualified_name)] @_fn (#match? @_fn "(^|[^A-Za-z0-9_])stream_socket_enable_crypto$") arguments: (arguments (argument) . (argument) . (argument . (_) @value .))) @sink
([(string) (encapsed_string)] @transport (#match? @transport "^[bB]?[\\"'](sslv[23]|tlsv1\\\\.[01]|tls)://"))`,
  check,
});
