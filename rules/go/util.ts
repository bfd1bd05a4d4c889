/** Helpers shared by the Go rules: import aliases, same-file value resolution, TLS versions. */
import type { SyntaxNode } from '../../src/rule.js';

export type TlsVersion = 'SSLv3' | 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

export const VERSION_RANK: Record<TlsVersion, number> = { SSLv3: 0, 'TLS1.0': 1, 'TLS1.1': 2, 'TLS1.2': 3, 'TLS1.3': 4 };

const VERSION_CONSTANTS: Record<string, TlsVersion> = {
  VersionSSL30: 'SSLv3',
  VersionTLS10: 'TLS1.0',
  VersionTLS11: 'TLS1.1',
  VersionTLS12: 'TLS1.2',
  VersionTLS13: 'TLS1.3',
};

const VERSION_NUMBERS: Record<number, TlsVersion> = { 0x0300: 'SSLv3', 0x0301: 'TLS1.0', 0x0302: 'TLS1.1', 0x0303: 'TLS1.2', 0x0304: 'TLS1.3' };

/** The Go constant name for a version (for fixes and messages). */
export function versionConstant(version: TlsVersion): string {
  return Object.entries(VERSION_CONSTANTS).find(([, v]) => v === version)![0];
}

/** Local names under which a file imports `crypto/tls` (usually just `tls`). */
export function tlsPackageNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const decl of root.namedChildren) {
    if (decl.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      const pathNode = spec.childForFieldName('path');
      if (!pathNode || stringValue(pathNode) !== 'crypto/tls') continue;
      const alias = spec.childForFieldName('name');
      names.add(alias && alias.type === 'package_identifier' ? alias.text : 'tls');
    }
  }
  return names;
}

/** The value of a Go string literal node, or undefined. */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  if (node.type === 'interpreted_string_literal') {
    return node.text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return undefined;
}

/** Strips parentheses, `&` and `*` and single-argument conversions like `uint16(x)`. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (;;) {
    if (current.type === 'literal_element' || current.type === 'parenthesized_expression') {
      const inner = current.firstNamedChild;
      if (!inner) return current;
      current = inner;
    } else if (current.type === 'unary_expression' && current.childForFieldName('operator')?.text === '&') {
      current = current.childForFieldName('operand') ?? current;
      return current;
    } else if (current.type === 'call_expression' && /^u?int(?:16|32|64)?$/.test(current.childForFieldName('function')?.text ?? '')) {
      const args = current.childForFieldName('arguments')?.namedChildren ?? [];
      if (args.length !== 1) return current;
      current = args[0]!;
    } else if (current.type === 'type_conversion_expression') {
      current = current.childForFieldName('operand') ?? current;
    } else {
      return current;
    }
  }
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return n;
  }
  return undefined;
}

/** For `a, b := x, y` and `var a, b = x, y`: the value expression paired with identifier `name`. */
function pairedValue(names: SyntaxNode[], values: SyntaxNode[], name: string): SyntaxNode | undefined {
  const index = names.findIndex((n) => n.type === 'identifier' && n.text === name);
  if (index === -1) return undefined;
  return values.length === names.length ? values[index] : undefined;
}

function declaredValue(decl: SyntaxNode, name: string): SyntaxNode | undefined {
  switch (decl.type) {
    case 'short_var_declaration':
    case 'assignment_statement': {
      if (decl.type === 'assignment_statement' && decl.childForFieldName('operator')?.text !== '=') return undefined;
      const left = decl.childForFieldName('left')?.namedChildren ?? [];
      const right = decl.childForFieldName('right')?.namedChildren ?? [];
      return pairedValue(left, right, name);
    }
    case 'var_spec':
    case 'const_spec': {
      const names = decl.childrenForFieldName('name');
      const values = decl.childForFieldName('value')?.namedChildren ?? [];
      return pairedValue(names, values, name);
    }
    default:
      return undefined;
  }
}

const DECL_TYPES = ['short_var_declaration', 'assignment_statement', 'var_spec', 'const_spec'];

/**
 * Follows an identifier to the value it holds at `use`: the last assignment or declaration
 * before it in the same function, else a package-level const or var of the file. Returns the
 * node itself when it is not a plain identifier or cannot be resolved.
 */
export function resolveValue(node: SyntaxNode, root: SyntaxNode, depth = 0): SyntaxNode {
  const value = unwrap(node);
  if (value.type !== 'identifier' || depth > 8) return value;
  const name = value.text;
  const fn = enclosingFunction(value);
  if (fn) {
    let best: SyntaxNode | undefined;
    for (const decl of fn.descendantsOfType(DECL_TYPES)) {
      if (decl.startIndex >= value.startIndex) break;
      if (enclosingFunction(decl)?.id !== fn.id) continue;
      const v = declaredValue(decl, name);
      if (v) best = v;
    }
    if (best) return resolveValue(best, root, depth + 1);
  }
  for (const top of root.namedChildren) {
    if (top.type !== 'const_declaration' && top.type !== 'var_declaration') continue;
    for (const spec of top.descendantsOfType(['const_spec', 'var_spec'])) {
      const v = declaredValue(spec, name);
      if (v) return resolveValue(v, root, depth + 1);
    }
  }
  return value;
}

/** The TLS version a Go expression denotes, following same-file constants and variables. */
export function tlsVersionOf(node: SyntaxNode, root: SyntaxNode, tlsNames: Set<string>): TlsVersion | undefined {
  const value = resolveValue(node, root);
  if (value.type === 'selector_expression') {
    const operand = value.childForFieldName('operand');
    const field = value.childForFieldName('field')?.text ?? '';
    if (operand && operand.type === 'identifier' && tlsNames.has(operand.text)) return VERSION_CONSTANTS[field];
    return undefined;
  }
  if (value.type === 'int_literal') {
    const n = Number(value.text.replace(/_/g, '').replace(/^0o/i, '0o'));
    return Number.isFinite(n) ? VERSION_NUMBERS[n] : undefined;
  }
  return undefined;
}

/** Display name of a version: `TLS 1.0`, `SSL 3.0`. */
export function versionLabel(version: TlsVersion): string {
  return version === 'SSLv3' ? 'SSL 3.0' : version.replace('TLS', 'TLS ');
}

/** True when `node` is `<tlsName>.Config` (a qualified type). */
export function isTlsConfigType(type: SyntaxNode | null | undefined, tlsNames: Set<string>): boolean {
  if (!type || type.type !== 'qualified_type') return false;
  return tlsNames.has(type.childForFieldName('package')?.text ?? '') && type.childForFieldName('name')?.text === 'Config';
}

/** The keyed elements of a composite literal body as key name -> value node. */
export function literalFields(body: SyntaxNode): Map<string, { key: SyntaxNode; value: SyntaxNode; element: SyntaxNode }> {
  const fields = new Map<string, { key: SyntaxNode; value: SyntaxNode; element: SyntaxNode }>();
  for (const element of body.namedChildren) {
    if (element.type !== 'keyed_element') continue;
    const key = element.childForFieldName('key');
    const value = element.childForFieldName('value');
    if (key && value) fields.set(key.text, { key, value, element });
  }
  return fields;
}

/**
 * Tree-sitter query for a tls.Config field being set: `Field: value` in a composite literal or
 * `x.Field = value`. Captures @site (the element or assignment) and @value.
 */
export function fieldQuery(field: string): string {
  return `
(keyed_element
  key: (literal_element (identifier) @key)
  value: (literal_element) @value
  (#eq? @key "${field}")) @site
(assignment_statement
  left: (expression_list (selector_expression field: (field_identifier) @key))
  right: (expression_list . (_) @value)
  (#eq? @key "${field}")) @site`;
}
