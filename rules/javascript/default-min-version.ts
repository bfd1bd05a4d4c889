import { defineRule, type TsContext } from '../../src/rule.js';
import type { ProjectFact } from '../../src/context.js';
import { tsMorph } from './ast.js';

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

function check(ctx: TsContext): void {
  const engine = ctx.project.nearest(nodeEngine)?.value;
  if (!engine) return;
  const [major = 0, minor = 0] = engine.version;
  if (major > 11 || (major === 11 && minor >= 4)) return;
  const m = tsMorph();
  const source = ctx.tsSource;
  for (const node of source.getDescendants()) {
    if (!(m.Node.isCallExpression(node) || m.Node.isNewExpression(node))) continue;
    const callee = node.getExpression().getText();
    if (!CALLS.test(callee)) continue;
    const options = (node.getArguments() ?? []).find((a) => m.Node.isObjectLiteralExpression(a));
    if (!options) continue;
    // spreads count: the checker knows the object's properties
    const type = options.getType();
    if (type.getProperty('minVersion') || type.getProperty('secureProtocol')) continue;
    ctx.report({
      start: node.getStart(),
      end: node.getExpression().getEnd(),
      message: `${callee}(...) sets no minVersion, and this package supports Node ${engine.text}, where the default floor is TLS 1.0 (before 11.4); add minVersion: 'TLSv1.2' or require Node >= 12.`,
    });
  }
}

export default defineRule({
  id: 'javascript/default-min-version',
  fileKind: 'javascript',
  severity: 'warning',
  kind: 'default',
  title: 'TLS options without minVersion in a package that supports Node before 11.4',
  description:
    'A `tls`, `https` or `http2` socket, server, context or agent created from an options object without `minVersion` (or `secureProtocol`), in a package whose `engines.node` allows Node versions before 11.4, where the default floor is TLS 1.0.',
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
