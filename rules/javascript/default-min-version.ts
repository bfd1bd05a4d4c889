import { defineRule, type TsContext } from '../../src/rule.js';
import type { ProjectFact } from '../../src/context.js';
import type * as ts from 'typescript';

/** The lowest Node version `engines.node` of the nearest package.json allows (`>=8`, `^10.16.0`, `10.x`). */
export const nodeEngine: ProjectFact<{ version: number[]; text: string }> = {
  id: 'javascript#engines-node',
  fileNames: ['package.json'],
  parse(text) {
    try {
      const range = (JSON.parse(text) as { engines?: { node?: unknown } }).engines?.node;
      if (typeof range !== 'string') return undefined;
      const m = /(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(range);
      if (!m) return undefined;
      const n = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : 0);
      return { version: [n(m[1]), n(m[2]), n(m[3])], text: range };
    } catch {
      return undefined;
    }
  },
};

/** Calls that create TLS sockets, servers, contexts or agents from an options object. */
const CALLS = /^(?:tls\.(?:connect|createServer|createSecureContext)|https\.(?:request|get|createServer|Agent)|http2\.(?:connect|createSecureServer))$/;
const NAMES = ['connect', 'createServer', 'createSecureContext', 'request', 'get', 'Agent', 'createSecureServer'];

function check(ctx: TsContext): void {
  const engine = ctx.project.nearest(nodeEngine)?.value;
  if (!engine) return;
  const [major = 0, minor = 0] = engine.version;
  if (major > 11 || (major === 11 && minor >= 4)) return;
  const lang = ctx.lang;
  for (const name of NAMES) {
    for (const site of lang.facts.calls.get(name) ?? []) {
      const s = lang.shape(site.node);
      const callee = s.t === 'call' ? s.callee : s.t === 'new' ? site.node.wrap((site.node.ts as ts.NewExpression).expression) : undefined;
      const qualified = callee ? lang.qualify(callee) : undefined;
      if (!callee || !qualified || !CALLS.test(qualified) || (s.t !== 'call' && s.t !== 'new')) continue;
      // the options: every map an argument may be (written here, in a local, by a factory...)
      const maps = s.args.flatMap((a) => lang.values(a.node)).filter((f) => f.value.type === 'map');
      if (maps.length === 0) continue;
      // spreads count: an entry of a spread map is set; an unknown spread may set it
      const floorless = maps.filter((m) => lang.entryOf([m], 'minVersion').length === 0 && lang.entryOf([m], 'secureProtocol').length === 0);
      if (floorless.length === 0) continue;
      ctx.report({
        start: site.node.startIndex,
        end: callee.endIndex,
        message: `${qualified}(...) sets no minVersion, and this package supports Node ${engine.text}, where the default floor is TLS 1.0 (before 11.4); add minVersion: 'TLSv1.2' or require Node >= 12.`,
      });
    }
  }
}

export default defineRule({
  id: 'javascript/default-min-version',
  fileKind: 'javascript',
  severity: 'warning',
  kind: 'default',
  title: 'TLS options without minVersion in a package that supports Node before 11.4',
  description:
    'A `tls`, `https` or `http2` socket, server, context or agent created from an options object (written there, in a local, a field, another module or a factory; spreads count) without `minVersion` (or `secureProtocol`), in a package whose `engines.node` allows Node versions before 11.4, where the default floor is TLS 1.0.',
  help: `**Why it matters.** Node raised its default TLS floor to 1.2 in 11.4/12.0. A package that
declares support for older Node (\`engines.node\`) runs, there, with TLS 1.0 and 1.1 allowed unless
each connection sets a floor.

**How to fix it.** Set the floor, or require a current Node:

\`\`\`js
tls.connect({ host, port: 443, minVersion: 'TLSv1.2' });
\`\`\`

\`\`\`json
"engines": { "node": ">=18" }
\`\`\``,
  remedy: "Add minVersion: 'TLSv1.2', or raise engines.node to a current Node.",
  cwe: ['CWE-757'],
  precision: 'high',
  triggers: ['tls.', 'https.', 'http2.'],
  files: { javascript: { check }, typescript: { check } },
});
