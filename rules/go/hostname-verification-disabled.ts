import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { configName, fieldQuery, literalOf } from './util.js';

/** How much of the certificate a verification callback checks. */
type Verdict = 'accepts-all' | 'chain-only' | 'checks';

/** The body of a function value (a func literal, a function or method declaration). */
function bodyOf(fn: SyntaxNode): SyntaxNode | undefined {
  return fn.childForFieldName('body') ?? undefined;
}

/**
 * The code a callback runs: its body and the bodies of this file's functions it calls by name (one
 * level: `return verifyChain(raw, pool)`), so a helper's checks count as the callback's.
 */
function codeOf(sem: Semantics, fn: SyntaxNode): SyntaxNode[] {
  const body = bodyOf(fn);
  if (!body) return [];
  const out = [body];
  for (const call of body.descendantsOfType('call_expression')) {
    const callee = call.childForFieldName('function');
    const name = callee?.type === 'identifier' ? callee.text : callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
    for (const f of (name ? sem.facts.functions.get(name) : undefined) ?? []) {
      const b = bodyOf(f.node);
      if (b && b.id !== body.id) out.push(b);
    }
  }
  return out;
}

/**
 * What a VerifyPeerCertificate/VerifyConnection callback checks: nothing (every return is `nil`),
 * the chain only (`cert.Verify(x509.VerifyOptions{...})` with no `DNSName`, no `VerifyHostname`, and
 * no other identity of the peer read: SANs, URIs, the common name), or more (a pin, a host name,
 * something this rule cannot judge).
 */
function verdictOf(ctx: MatchContext, flow: Flow): Verdict | undefined {
  if (flow.value.type !== 'function') return undefined;
  // a function of another file of the package is read in that file
  const sem = flow.src === ctx.file ? ctx.lang : ctx.lang.open(flow.src.path);
  if (!sem) return undefined;
  const fn = flow.value.node;
  const returns = sem.returnsOf(fn);
  if (returns.length > 0 && returns.every((r) => r.value.type === 'null')) return 'accepts-all';
  const code = codeOf(sem, fn).map((b) => b.text).join('\n');
  // x509 chain verification (not a signature's `ed25519.Verify`): options and a Verify call
  const verifiesChain = /\bVerifyOptions\b/.test(code) && /\.Verify\s*\(/.test(code);
  // the host name, or another identity of the peer (a SPIFFE ID or other URI, a name or address it must carry)
  const checksHost = /\bDNSName\b|\.VerifyHostname\s*\(|\.(?:DNSNames|URIs|IPAddresses|EmailAddresses)\b|\bCommonName\b/.test(code);
  return verifiesChain && !checksHost ? 'chain-only' : 'checks';
}

/** True when a possibility is `true` (a literal, a constant, a local). */
const isTrue = (f: Flow) => f.value.type === 'bool' && f.value.value;

/**
 * True when the config whose callback is set at `site` also skips Go's own verification:
 * `InsecureSkipVerify: true` in its literal, or `cfg.InsecureSkipVerify = true` on it in the
 * same function (before or after).
 */
function skipsVerification(ctx: MatchContext, site: SyntaxNode, object: SyntaxNode | undefined): boolean {
  const sem = ctx.lang;
  const literal = site.type === 'keyed_element' ? literalOf(site) : undefined;
  for (const e of literal?.childForFieldName('body')?.namedChildren ?? []) {
    if (e.type !== 'keyed_element' || e.childForFieldName('key')?.text !== 'InsecureSkipVerify') continue;
    const v = e.childForFieldName('value');
    const inner = v?.type === 'literal_element' ? (v.firstNamedChild ?? v) : v;
    if (inner && sem.values(inner).some(isTrue)) return true;
  }
  // `cfg.VerifyPeerCertificate = f` on a config whose literal skips verification
  if (object && sem.entryOf(sem.values(object), 'InsecureSkipVerify').some(isTrue)) return true;
  const name = configName(site, object);
  if (!name) return false;
  return sem.usesOfObject(name, site).some((u) => u.kind === 'write' && u.name === 'InsecureSkipVerify' && !!u.value && sem.values(u.value).some(isTrue));
}

const FIX = 'verify in VerifyConnection with x509.VerifyOptions{DNSName: cs.ServerName, Roots: pool, Intermediates: ...} (it also runs on resumed sessions), or drop InsecureSkipVerify and trust the CA through RootCAs';

export default defineRule({
  id: 'go/hostname-verification-disabled',
  fileKind: 'go',
  severity: 'error',
  kind: 'certificate',
  title: 'Custom TLS verification that never checks the host name',
  description:
    'A crypto/tls configuration sets InsecureSkipVerify and does its own verification in a VerifyPeerCertificate or VerifyConnection callback (a func literal or a named function, set in the literal or later on the same config) that either accepts everything (returns nil on every path) or verifies the chain (`cert.Verify(opts)`) without a `DNSName` in the options or a `VerifyHostname` call: any certificate (or any certificate of the trusted CA) is accepted for any host. A plain InsecureSkipVerify without a callback is go/tls-insecure-skip-verify.',
  help: `**Why it matters.** \`InsecureSkipVerify: true\` turns off Go's chain and host name checks; code that
sets it to do its own verification must then do both. A callback that returns \`nil\` without checking
accepts every certificate; one that calls \`cert.Verify(x509.VerifyOptions{Roots: pool})\` without
\`DNSName\` accepts any certificate the CA issued, for any host, so whoever holds one can impersonate
the server (CWE-297). \`VerifyPeerCertificate\` is also not called on resumed sessions, while
\`VerifyConnection\` is, and receives the server name.

**How to fix it.** Drop \`InsecureSkipVerify\` and trust the CA (\`RootCAs: pool\`): Go then checks
both. When the verification must be custom, do it in \`VerifyConnection\` and include the name:

\`\`\`go
cfg := &tls.Config{
    MinVersion:         tls.VersionTLS12,
    InsecureSkipVerify: true, // verified below
    VerifyConnection: func(cs tls.ConnectionState) error {
        opts := x509.VerifyOptions{DNSName: cs.ServerName, Roots: pool, Intermediates: x509.NewCertPool()}
        for _, c := range cs.PeerCertificates[1:] {
            opts.Intermediates.AddCert(c)
        }
        _, err := cs.PeerCertificates[0].Verify(opts)
        return err
    },
}
\`\`\`

A callback that pins a certificate or key (compares the raw bytes or a hash) is not reported.`,
  remedy: 'Drop InsecureSkipVerify and trust the CA through RootCAs, or verify chain and host name in VerifyConnection (DNSName: cs.ServerName).',
  cwe: ['CWE-297'],
  precision: 'high',
  securitySeverity: 7.4,
  triggers: ['VerifyPeerCertificate', 'VerifyConnection'],
  query: `${fieldQuery('VerifyPeerCertificate')}\n${fieldQuery('VerifyConnection')}`,
  check(ctx) {
    const { site, value, object, key } = ctx.captures;
    if (!site || !value || !key) return;
    const inner = value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value;
    const field = key.text;
    const flows = ctx.lang.values(inner).map((f) => ({ flow: f, verdict: verdictOf(ctx, f) })).filter((v) => v.verdict === 'accepts-all' || v.verdict === 'chain-only');
    if (flows.length === 0 || !skipsVerification(ctx, site, object)) return;
    for (const { flow, verdict } of flows) {
      const name = flow.value.type === 'function' && flow.value.name ? ` (\`${flow.value.name}\`)` : '';
      const message =
        verdict === 'accepts-all'
          ? `${field}${name} returns nil without checking anything while InsecureSkipVerify is true: any certificate is accepted for any host; ${FIX}.`
          : `${field}${name} verifies the certificate chain but never the host name (no DNSName in x509.VerifyOptions, no VerifyHostname) while InsecureSkipVerify is true: a certificate the CA issued for any other host is accepted${field === 'VerifyPeerCertificate' ? ', and resumed sessions skip the callback' : ''}; ${FIX}.`;
      // a func literal written at the field: the finding is the field's value
      const at = flow.steps.length === 0 && flow.src === ctx.file ? { ...flow, node: inner } : flow;
      ctx.report(flowReport(ctx, at, { sink: inner, sinkName: `tls.Config ${field}`, message }));
    }
  },
});
