import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { policyFloor, protocolLabel } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { expectedToFail, methodReplacement, methodVersion, reportedWhereWritten, respell, restrictedLater, settingOf, SETTING_QUERY, shown, strings, weak, type Setting } from './util.js';

/** The settings that pin a protocol: `ssl_version` anywhere, Faraday's `ssl: { version: }`. */
function isSink(s: Setting): boolean {
  return s.name === 'ssl_version' || (s.name === 'version' && s.parentKey === 'ssl');
}

/**
 * Reports each possibility of `value` that names a protocol below the floor. `what` names the
 * setting; `left` is where it is written (for code that restricts the connection afterwards).
 */
function judge(ctx: MatchContext, value: SyntaxNode, what: string, left: SyntaxNode | undefined): void {
  const floor = ctx.settings.minTlsVersion;
  for (const flow of strings(ctx.lang.values(value))) {
    const version = methodVersion(flow);
    if (!weak(version, floor) || reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
    if (left && restrictedLater(ctx, left, policyFloor(floor), ['min_version', 'ssl_version'])) return;
    const replacement = methodReplacement(flow, floor);
    ctx.report(
      flowReport(ctx, flow, {
        sink: value,
        sinkName: what,
        message: `${what} ${shown(flow)} pins ${protocolLabel(version)}, deprecated by RFC 8996 and refused by TLS-1.2-only servers; use ${flow.value.symbol ? ':' : ''}${replacement} or, better, min_version = OpenSSL::SSL::TLS1_2_VERSION.`,
        fix: respell(flow, replacement, `use ${replacement}`),
      }),
    );
  }
}

export default defineRule({
  id: 'ruby/ssl-version-outdated',
  fileKind: 'ruby',
  severity: 'error',
  kind: 'protocol',
  title: 'ssl_version or SSLContext.new pins SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'An `ssl_version` setting (Net::HTTP, OpenSSL::SSL::SSLContext, Excon, RestClient, HTTParty, `DEFAULT_PARAMS`), Faraday\'s `ssl: { version: ... }` or `OpenSSL::SSL::SSLContext.new(:TLSv1)` selects SSLv3, TLSv1 or TLSv1_1, written there or reaching it through locals, instance variables, constants (also of other files), parameter defaults, call sites, methods that return it and `||` defaults; a `min_version` of TLS 1.2 set later on the same object silences it.',
  help: `**Why it matters.** \`ssl_version=\` fixes the connection to exactly one protocol version.
\`:TLSv1\`, \`:TLSv1_1\` and \`:SSLv3\` are deprecated (RFC 8996) and broken (POODLE, BEAST); servers
that accept only TLS 1.2 and later refuse the handshake, so the pin is both a weakness and an
outage waiting for the next server upgrade.

**How to fix it.** Prefer a floor to a pin (Ruby 2.5+):

\`\`\`ruby
http = Net::HTTP.new(host, 443)
http.use_ssl = true
http.min_version = OpenSSL::SSL::TLS1_2_VERSION
\`\`\`

On older Rubies use \`ssl_version = :TLSv1_2\` (Ruby >= 2.0 linked against OpenSSL >= 1.0.1 speaks
TLS 1.2; Ruby 1.9 and OpenSSL 0.9.8 cannot). Faraday: \`ssl: { min_version: :TLS1_2 }\`. The offered
fix rewrites the pinned version to \`TLSv1_2\` (\`TLSv1_3\` under a TLS 1.3 policy).`,
  remedy: 'Set min_version = OpenSSL::SSL::TLS1_2_VERSION (Ruby 2.5+), or ssl_version = :TLSv1_2 on older Rubies.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['ssl_version', 'SSLContext', 'version:', ':version'],
  fixable: true,
  files: {
    ruby: {
      query: `${SETTING_QUERY}
        (call receiver: (_) @recv method: (identifier) @new (#eq? @new "new") arguments: (argument_list . (_) @arg)) @ctxnew`,
      check(ctx) {
        const { left, value, recv, arg, ctxnew } = ctx.captures;
        if (recv && arg && ctxnew) {
          if (/(?:^|::)SSLContext$/.test(recv.text)) judge(ctx, arg, 'SSLContext.new', assignedTo(ctxnew));
          return;
        }
        if (!left || !value) return;
        const setting = settingOf(left);
        if (!setting || !isSink(setting)) return;
        judge(ctx, value, setting.name === 'ssl_version' ? 'ssl_version' : 'ssl: { version: }', left);
      },
    },
  },
});

/** `ctx = OpenSSL::SSL::SSLContext.new(:TLSv1)`: the setter-like target the context is stored in, for later restrictions. */
function assignedTo(call: SyntaxNode): SyntaxNode | undefined {
  const p = call.parent;
  if (p?.type !== 'assignment' || p.childForFieldName('right')?.id !== call.id) return undefined;
  return p.childForFieldName('left') ?? undefined;
}
