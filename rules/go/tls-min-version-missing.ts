import type { Located } from '../../src/context.js';
import { policyFloor, spellVersion } from '../../src/formats/tls-names.js';
import { boundName, holder } from '../../src/lang/go.js';
import { flowReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { goAtLeast, goModVersion, type GoVersion } from './gomod.js';
import { isTlsConfigType, laterWrites, literalKeys, tlsAlias, tlsMember } from './util.js';

type Role = 'client' | 'server';

const SERVER_FIELDS = ['ClientAuth', 'ClientCAs', 'GetCertificate', 'GetConfigForClient'];
const SERVER_CALLS = ['Listen', 'NewListener', 'Server'];

/** True when `call` is `tls.Listen`, `tls.NewListener` or `tls.Server` (any alias). */
function isServerCall(ctx: MatchContext, call: SyntaxNode | null | undefined): boolean {
  if (!call || call.type !== 'call_expression') return false;
  const s = ctx.lang.shape(call);
  if (s.t !== 'call' || !SERVER_CALLS.includes(s.name) || !s.receiver) return false;
  return tlsMember(ctx.lang, { value: { type: 'symbol', name: `${ctx.lang.qualify(s.receiver) ?? ''}.${s.name}` }, node: call, src: ctx.file, steps: [] }) !== undefined;
}

/**
 * Whether the config serves connections (a listener, tls.Server, http.Server) or dials them:
 * server-only fields, an outer `*Server` literal, or the config (or the name it is bound to)
 * handed to tls.Listen/NewListener/Server or set as a server's TLSConfig in the same function.
 * Asked of the per-tree call and write indexes, never by walking the function.
 */
function roleOf(ctx: MatchContext, literal: SyntaxNode, keys: Set<string>, binding: string | undefined): Role {
  if (SERVER_FIELDS.some((f) => keys.has(f))) return 'server';
  const h = holder(literal);
  const parent = h.parent;
  // TLSConfig: &tls.Config{} inside http.Server{...}
  if (parent?.type === 'keyed_element' && /Server$/.test(parent.parent?.parent?.childForFieldName('type')?.text ?? '')) return 'server';
  if (parent?.type === 'argument_list' && isServerCall(ctx, parent.parent)) return 'server';
  if (!binding) return 'client';
  const fn = ctx.lang.functionOf(literal);
  const inFn = (n: SyntaxNode) => n.startIndex > literal.endIndex && ctx.lang.functionOf(n) === fn;
  for (const name of SERVER_CALLS) {
    for (const site of ctx.lang.facts.calls.get(name) ?? []) {
      if (!inFn(site.node) || !isServerCall(ctx, site.node)) continue;
      const s = ctx.lang.shape(site.node);
      if (s.t === 'call' && s.args.some((a) => a.node.text.replace(/\s+/g, '') === binding)) return 'server';
    }
  }
  // srv.TLSConfig = cfg
  for (const w of ctx.lang.facts.memberWrites) if (w.target.name === 'TLSConfig' && w.value?.text.replace(/\s+/g, '') === binding && inFn(w.node)) return 'server';
  return 'client';
}

/** True when `MinVersion` is set on `binding` later in the function, whenever the literal's statement runs. */
function minVersionSetLater(ctx: MatchContext, binding: string, after: SyntaxNode): boolean {
  return laterWrites(ctx.lang, binding, after, 'MinVersion').length > 0;
}

/**
 * A factory that returns the literal (`func base() *tls.Config { return &tls.Config{...} }`) whose
 * every caller in the file sets MinVersion on the result: restricted after a weak default.
 */
function restrictedByCallers(ctx: MatchContext, literal: SyntaxNode): boolean {
  const h = holder(literal);
  if (h.parent?.type !== 'expression_list' || h.parent.parent?.type !== 'return_statement') return false;
  const fn = ctx.lang.functionOf(literal);
  if (!fn?.name) return false;
  const sites = (ctx.lang.facts.calls.get(fn.name) ?? []).filter((c) => !(c.node.startIndex >= fn.start && c.node.endIndex <= fn.end));
  if (sites.length === 0) return false;
  return sites.every((c) => {
    const name = boundName(c.node);
    return !!name && minVersionSetLater(ctx, name, c.node);
  });
}

/** Why the default floor is too low for this role and Go version, or undefined when it is fine. */
function defaultFloorProblem(role: Role, go: Located<GoVersion> | undefined, policy: '1.2' | '1.3'): string | undefined {
  const since = role === 'client' ? '1.18' : '1.22';
  const [maj, min] = since.split('.').map(Number) as [number, number];
  if (policy === '1.3') return `the ${role} default floor is TLS 1.2 at best, below the TLS 1.3 policy`;
  if (!go) return `without a go.mod the Go version is unknown; before Go ${since} a ${role} config without MinVersion accepts TLS 1.0`;
  if (goAtLeast(go.value, maj, min)) return undefined;
  return `${go.name} says go ${go.value.text}, and before Go ${since} the ${role} default floor is TLS 1.0`;
}

function insertMinVersion(ctx: MatchContext, body: SyntaxNode, tlsName: string, constant: string) {
  const text = ctx.file.text;
  const open = body.startIndex; // the `{`
  const first = body.namedChildren[0];
  const setting = `MinVersion: ${tlsName}.${constant}`;
  if (!first) return { start: open + 1, end: body.endIndex - 1, text: setting };
  const between = text.slice(open + 1, first.startIndex);
  if (between.includes('\n')) {
    const indent = between.slice(between.lastIndexOf('\n') + 1);
    return { start: first.startIndex, end: first.startIndex, text: `${setting},\n${indent}` };
  }
  return { start: first.startIndex, end: first.startIndex, text: `${setting}, ` };
}

export default defineRule({
  id: 'go/tls-min-version-missing',
  fileKind: 'go',
  severity: 'warning',
  kind: 'default',
  title: 'tls.Config leaves the protocol floor to an old Go default',
  description:
    'A crypto/tls configuration has no MinVersion, so its floor is the Go default, which accepts TLS 1.0 for clients before Go 1.18 and for servers before Go 1.22 (the go directive of go.mod decides).',
  help: `**Why it matters.** A \`tls.Config\` without \`MinVersion\` takes the floor of the Go release
the module targets. Clients accept TLS 1.0 and 1.1 before Go 1.18, servers before Go 1.22 (and the
\`go\` line of go.mod selects these defaults, even when built by a newer toolchain). On those
versions the code silently negotiates deprecated protocols with any peer that offers them.

tlslint reads the \`go\` directive of the nearest go.mod; it decides whether the config serves
(\`tls.Listen\`, \`tls.NewListener\`, \`tls.Server\`, \`http.Server{TLSConfig}\`, \`GetCertificate\`,
\`ClientCAs\`, \`srv.TLSConfig = cfg\`) or dials. A later \`cfg.MinVersion = ...\` in the same function
settles it, and so does one in every caller of a function that returns the config. Without a
go.mod it reports, because the floor then depends on the Go version that builds the code.

**How to fix it.** State the floor, which also documents the intent:

\`\`\`go
cfg := &tls.Config{MinVersion: tls.VersionTLS12}
\`\`\`

or raise the module's \`go\` directive to 1.22 or later.`,
  cwe: ['CWE-327', 'CWE-1188'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['crypto/tls'],
  // a module whose Go version has safe client and server defaults: nothing to parse the file for
  applies: (project, settings) => {
    const go = project.nearest(goModVersion);
    return defaultFloorProblem('client', go, settings.minTlsVersion) !== undefined || defaultFloorProblem('server', go, settings.minTlsVersion) !== undefined;
  },
  fixable: true,
  query: `
(composite_literal type: (qualified_type) @type body: (literal_value) @body) @config
(call_expression
  function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
  arguments: (argument_list (_) @conf .)
  (#match? @fn "^(Dial|DialWithDialer)$")) @dial
(call_expression
  function: (identifier) @new
  arguments: (argument_list . (qualified_type) @type .)
  (#eq? @new "new")) @config`,
  check(ctx) {
    const go = ctx.project.nearest(goModVersion);
    const policy = ctx.settings.minTlsVersion;
    // a module whose defaults are fine for clients and servers: nothing to ask the semantic layer
    if (!defaultFloorProblem('client', go, policy) && !defaultFloorProblem('server', go, policy)) return;
    const target = policyFloor(policy);
    const constant = spellVersion(target, 'go');
    const { config, type, body, dial, conf, pkg } = ctx.captures;

    if (dial && conf && pkg) {
      const problem = defaultFloorProblem('client', go, policy);
      if (!problem) return;
      const sem = ctx.lang;
      if (!/^(?:crypto\/tls|tls)$/.test(sem.qualify(pkg) ?? '')) return;
      const alias = pkg.text;
      const fixed = `&${alias}.Config{MinVersion: ${alias}.${constant}}`;
      const fn = dial.childForFieldName('function')?.text;
      // nil written here, or reaching the argument (a parameter's call site, a local)
      for (const flow of sem.values(conf).filter((f) => f.value.type === 'null')) {
        ctx.report(
          flowReport(ctx, flow, {
            sink: conf,
            sinkName: `${fn}(...)`,
            message: `${fn}(..., nil) uses the default config: ${problem}. Pass ${fixed}.`,
            fix: { description: `pass ${fixed}`, edits: [{ start: flow.node.startIndex, end: flow.node.endIndex, text: fixed }] },
          }),
        );
      }
      return;
    }
    if (!config || !type || type.childForFieldName('name')?.text !== 'Config') return;
    const keys = literalKeys(body);
    // `MinVersion: 0` is the zero value: the same default floor as no MinVersion at all
    const zero = body?.namedChildren.find((e) => e.type === 'keyed_element' && e.childForFieldName('key')?.text === 'MinVersion' && e.childForFieldName('value')?.text === '0')?.childForFieldName('value') ?? undefined;
    if (keys.has('MinVersion') && !zero) return;
    const sem = ctx.lang;
    if (!isTlsConfigType(sem, type)) return;
    const binding = boundName(config);
    if (binding && minVersionSetLater(ctx, binding, config)) return;
    if (restrictedByCallers(ctx, config)) return;
    const role = roleOf(ctx, config, keys, binding);
    const problem = defaultFloorProblem(role, go, policy);
    if (!problem) return;
    const tlsName = type.childForFieldName('package')?.text ?? tlsAlias(sem);
    if (zero) {
      ctx.report({
        node: zero,
        message: `MinVersion: 0 is the zero value, Go's default floor: ${problem}. Set MinVersion: ${tlsName}.${constant}.`,
        fix: { description: `set MinVersion: ${tlsName}.${constant}`, edits: [{ start: zero.startIndex, end: zero.endIndex, text: `${tlsName}.${constant}` }] },
      });
      return;
    }
    const edit = body
      ? insertMinVersion(ctx, body, tlsName, constant)
      : { start: config.startIndex, end: config.endIndex, text: `&${tlsName}.Config{MinVersion: ${tlsName}.${constant}}` };
    ctx.report({
      node: body ? type : config,
      message: `${body ? type.text : config.text} without MinVersion: ${problem}. Add MinVersion: ${tlsName}.${constant}.`,
      fix: { description: `add MinVersion: ${tlsName}.${constant}`, edits: [edit] },
    });
  },
});
