import path from 'node:path';
import { defineRule, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { goAtLeast, goModVersion, type GoVersion } from './gomod.js';
import { isTlsConfigType, literalFields, tlsPackageNames } from './util.js';

type Role = 'client' | 'server';

const SERVER_FIELDS = ['ClientAuth', 'ClientCAs', 'GetCertificate', 'GetConfigForClient'];
const SERVER_CALLS = new Set(['Listen', 'NewListener', 'Server']);

/** Strips `&` and parentheses around a literal to reach the expression that holds it. */
function holder(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && (n.parent.type === 'unary_expression' || n.parent.type === 'parenthesized_expression' || n.parent.type === 'literal_element')) {
    n = n.parent;
  }
  return n;
}

/** The name code uses later to reach this config (`cfg`, `tr.TLSClientConfig`), if any. */
function bindingOf(literal: SyntaxNode): string | undefined {
  const h = holder(literal);
  const parent = h.parent;
  if (!parent) return undefined;
  if (parent.type === 'expression_list') {
    const stmt = parent.parent;
    if (!stmt || parent.id !== stmt.childForFieldName('right')?.id) return undefined;
    if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') {
      const index = parent.namedChildren.findIndex((c) => c.id === h.id);
      return stmt.childForFieldName('left')?.namedChildren[index]?.text.replace(/\s+/g, '');
    }
    if (stmt.type === 'var_spec') {
      const index = parent.namedChildren.findIndex((c) => c.id === h.id);
      return stmt.childrenForFieldName('name')[index]?.text;
    }
  }
  if (parent.type === 'keyed_element' && parent.childForFieldName('value')?.id === h.id) {
    // TLSClientConfig: &tls.Config{...} inside an outer literal bound to a name
    const outerLiteral = parent.parent?.parent;
    const field = parent.childForFieldName('key')?.text;
    if (outerLiteral?.type === 'composite_literal' && field) {
      const outer = bindingOf(outerLiteral);
      return outer ? `${outer}.${field}` : undefined;
    }
  }
  return undefined;
}

function scopeOf(node: SyntaxNode, root: SyntaxNode): SyntaxNode {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return n;
  }
  return root;
}

/** True when `<binding>.MinVersion = ...` is assigned in the scope after the literal. */
function minVersionSetLater(binding: string, after: number, scope: SyntaxNode): boolean {
  for (const stmt of scope.descendantsOfType('assignment_statement')) {
    if (stmt.startIndex < after) continue;
    for (const left of stmt.childForFieldName('left')?.namedChildren ?? []) {
      if (left.type !== 'selector_expression' || left.childForFieldName('field')?.text !== 'MinVersion') continue;
      if (left.childForFieldName('operand')?.text.replace(/\s+/g, '') === binding) return true;
    }
  }
  return false;
}

/** Whether the config serves connections (a listener or http.Server) or dials them. */
function roleOf(literal: SyntaxNode, fields: Map<string, unknown>, binding: string | undefined, scope: SyntaxNode, tlsNames: Set<string>): Role {
  if (SERVER_FIELDS.some((f) => fields.has(f))) return 'server';
  const h = holder(literal);
  const parent = h.parent;
  // TLSConfig: &tls.Config{} inside http.Server{...}
  if (parent?.type === 'keyed_element') {
    const outerType = parent.parent?.parent?.childForFieldName('type')?.text ?? '';
    if (/Server$/.test(outerType)) return 'server';
  }
  const uses: SyntaxNode[] = [h];
  if (binding && !binding.includes('.')) {
    for (const id of scope.descendantsOfType('identifier')) if (id.text === binding && id.startIndex > literal.endIndex) uses.push(id);
  }
  for (const use of uses) {
    const args = use.parent;
    const call = args?.type === 'argument_list' ? args.parent : undefined;
    if (call?.type === 'call_expression') {
      const fn = call.childForFieldName('function');
      if (fn?.type === 'selector_expression' && tlsNames.has(fn.childForFieldName('operand')?.text ?? '') && SERVER_CALLS.has(fn.childForFieldName('field')?.text ?? '')) {
        return 'server';
      }
    }
    // srv.TLSConfig = cfg, where srv names a server
    if (args?.type === 'expression_list' && args.parent?.type === 'assignment_statement') {
      const target = args.parent.childForFieldName('left')?.namedChildren[0];
      if (target?.type === 'selector_expression' && target.childForFieldName('field')?.text === 'TLSConfig' && /s(?:rv|erver)/i.test(target.childForFieldName('operand')?.text ?? '')) {
        return 'server';
      }
    }
    if (args?.type === 'literal_element' && args.parent?.type === 'keyed_element') {
      const outerType = args.parent.parent?.parent?.childForFieldName('type')?.text ?? '';
      if (/Server$/.test(outerType)) return 'server';
    }
  }
  return 'client';
}

/** Why the default floor is too low for this role and Go version, or undefined when it is fine. */
function defaultFloorProblem(role: Role, go: { value: GoVersion; path: string } | undefined, policy: '1.2' | '1.3'): string | undefined {
  const since = role === 'client' ? '1.18' : '1.22';
  const [maj, min] = since.split('.').map(Number) as [number, number];
  if (policy === '1.3') return `the ${role} default floor is TLS 1.2 at best, below the TLS 1.3 policy`;
  if (!go) return `without a go.mod the Go version is unknown; before Go ${since} a ${role} config without MinVersion accepts TLS 1.0`;
  if (goAtLeast(go.value, maj, min)) return undefined;
  return `${path.basename(go.path)} says go ${go.value.text}, and before Go ${since} the ${role} default floor is TLS 1.0`;
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
\`ClientCAs\`) or dials. A later \`cfg.MinVersion = ...\` in the same function settles it. Without a
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
  fixable: true,
  query: `
(composite_literal type: (qualified_type) @type body: (literal_value) @body) @config
(call_expression
  function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
  arguments: (argument_list (nil) @nil .)
  (#match? @fn "^(Dial|DialWithDialer)$")) @dial
(call_expression
  function: (identifier) @new
  arguments: (argument_list . (qualified_type) @type .)
  (#eq? @new "new")) @config`,
  check(ctx) {
    const tlsNames = tlsPackageNames(ctx.root);
    if (tlsNames.size === 0) return;
    const go = ctx.project.nearest(goModVersion);
    const constant = ctx.settings.minTlsVersion === '1.3' ? 'VersionTLS13' : 'VersionTLS12';
    const { config, type, body, dial, nil, pkg } = ctx.captures;

    if (dial && nil && pkg) {
      if (!tlsNames.has(pkg.text)) return;
      const problem = defaultFloorProblem('client', go, ctx.settings.minTlsVersion);
      if (!problem) return;
      const fixed = `&${pkg.text}.Config{MinVersion: ${pkg.text}.${constant}}`;
      ctx.report({
        node: nil,
        message: `${dial.childForFieldName('function')?.text}(..., nil) uses the default config: ${problem}. Pass ${fixed}.`,
        fix: { description: `pass ${fixed}`, edits: [{ start: nil.startIndex, end: nil.endIndex, text: fixed }] },
      });
      return;
    }
    if (!config || !type || !isTlsConfigType(type, tlsNames)) return;
    const fields = body ? literalFields(body) : new Map<string, unknown>();
    if (fields.has('MinVersion')) return;
    const binding = bindingOf(config);
    const scope = scopeOf(config, ctx.root);
    if (binding && minVersionSetLater(binding, config.endIndex, scope)) return;
    const role = roleOf(config, fields, binding, scope, tlsNames);
    const problem = defaultFloorProblem(role, go, ctx.settings.minTlsVersion);
    if (!problem) return;
    const tlsName = type.childForFieldName('package')!.text;
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
