import { defineRule, type FileContext, type MatchContext } from '../../src/rule.js';
import { envCheckers } from '../../src/formats/env.js';

/** GODEBUG settings that bring back weak TLS behaviour, and what each does. */
const INSECURE_SETTINGS: Record<string, { value: string; effect: string }> = {
  tls10server: { value: '1', effect: 'servers accept TLS 1.0 and 1.1 again' },
  tlsrsakex: { value: '1', effect: 'RSA key exchange (no forward secrecy) is offered again' },
  tls3des: { value: '1', effect: '3DES cipher suites are offered again' },
  tlsunsafeekm: { value: '1', effect: 'ExportKeyingMaterial works without Extended Master Secret' },
  x509sha1: { value: '1', effect: 'certificates signed with SHA-1 are accepted' },
};

const SETTING = /([a-z0-9]+)=([^\s,"']*)/g;

/** Reports insecure `key=value` pairs in a GODEBUG-style list starting at `offset`. */
function checkSettings(ctx: FileContext, list: string, offset: number, where: string): void {
  for (const m of list.matchAll(SETTING)) {
    const spec = INSECURE_SETTINGS[m[1]!];
    if (!spec || m[2] !== spec.value) continue;
    ctx.report({
      start: offset + m.index,
      end: offset + m.index + m[0].length,
      message: `${where} sets ${m[0]}: ${spec.effect}. Remove it (fix the peer that needs it, or isolate that connection) instead of weakening every connection of the program.`,
    });
  }
}


const GOMOD_GODEBUG = /^[ \t]*godebug[ \t]+(?:\(([^)]*)\)|([^\n]*))/gm;

/** `godebug` lines and blocks of go.mod and go.work. */
function checkGodebugDirectives(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(GOMOD_GODEBUG)) {
    const list = m[1] ?? m[2] ?? '';
    const start = m.index + m[0].indexOf(list, 'godebug'.length);
    // strip // comments inside the block
    checkSettings(ctx, list.replace(/\/\/[^\n]*/g, (c) => ' '.repeat(c.length)), start, 'go.mod godebug');
  }
}

export default defineRule({
  id: 'go/godebug-insecure-tls',
  fileKind: 'go',
  severity: 'error',
  kind: 'protocol',
  title: 'GODEBUG setting re-enables weak TLS behaviour',
  description:
    'A GODEBUG setting (in go.mod, a //go:debug directive, a Dockerfile or an env file) turns an insecure crypto/tls default back on: TLS 1.0 servers, RSA key exchange, 3DES, or SHA-1 certificates.',
  help: `**Why it matters.** Each Go release hardens crypto/tls defaults and keeps a GODEBUG switch
to undo the change for a while. \`tls10server=1\` lets servers accept TLS 1.0/1.1, \`tlsrsakex=1\`
and \`tls3des=1\` bring back RSA key exchange and 3DES, \`tlsunsafeekm=1\` and \`x509sha1=1\` undo
further fixes. Set in go.mod (\`godebug\` lines), a \`//go:debug\` directive or the \`GODEBUG\`
environment variable, they weaken every TLS connection of the program, not just the one that
needed it.

**How to fix it.** Remove the setting. If one old peer needs it, give that connection its own
\`tls.Config\` (for example an explicit \`CipherSuites\` list) and document the exception; better,
upgrade the peer.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: Object.keys(INSECURE_SETTINGS),
  files: {
    go: {
      query: '(comment) @comment',
      check(ctx: MatchContext) {
        const comment = ctx.captures.comment!;
        const m = /^\/\/go:debug[ \t]+(.*)$/.exec(comment.text);
        if (!m) return;
        checkSettings(ctx, m[1]!, comment.startIndex + comment.text.indexOf(m[1]!, 10), '//go:debug');
      },
    },
    gomod: { check: checkGodebugDirectives },
    gowork: { check: checkGodebugDirectives },
    ...envCheckers(['GODEBUG'], (ctx, a) => checkSettings(ctx, a.value, a.valueStart, 'GODEBUG')),
  },
});
