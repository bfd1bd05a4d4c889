/**
 * Helpers shared by the .NET rules: protocol enum values (`SecurityProtocolType`, `SslProtocols`)
 * through unions, numeric casts, locals and same-file constants; and always-true validation callbacks.
 */
import { perTree, type SyntaxNode } from '../../src/rule.js';

/** Bits of SecurityProtocolType and SslProtocols (the two enums share the values). */
export const BITS: Record<string, number> = {
  SystemDefault: 0,
  None: 0,
  Ssl2: 12,
  Ssl3: 48,
  Tls: 192,
  Default: 240,
  Tls11: 768,
  Tls12: 3072,
  Tls13: 12288,
};

export const OLD_MEMBERS = new Set(['Ssl2', 'Ssl3', 'Tls', 'Tls11', 'Default']);
export const MODERN_MEMBERS = new Set(['Tls12', 'Tls13', 'SystemDefault', 'None']);

export const LABEL: Record<string, string> = {
  Ssl2: 'SSL 2.0',
  Ssl3: 'SSL 3.0',
  Tls: 'TLS 1.0',
  Tls11: 'TLS 1.1',
  Default: 'SSL 3.0 and TLS 1.0',
  Tls12: 'TLS 1.2',
  Tls13: 'TLS 1.3',
};

/** One enum member in a value, with the node that spells it. */
export interface Member {
  name: string;
  node: SyntaxNode;
  /** The member is written where the value is used (not read through a local or constant). */
  inline: boolean;
  /** Spelled as a numeric cast (`(SecurityProtocolType)192`). */
  numeric?: boolean;
}

export interface EnumValue {
  members: Member[];
  /** Parts of the value that are not understood (method calls, parameters): the value may hold more. */
  unknown: boolean;
  /** The local or constant the value was read through. */
  via?: string;
}

/** The members a number stands for: 3264 -> Tls, Tls12. */
function membersOfNumber(n: number): string[] {
  if (n === 0) return ['SystemDefault'];
  const out: string[] = [];
  for (const name of ['Ssl2', 'Ssl3', 'Tls', 'Tls11', 'Tls12', 'Tls13']) if ((n & BITS[name]!) === BITS[name]) out.push(name);
  return out;
}

/** The method, accessor, lambda or class a node belongs to. */
export function scopeOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode | null = node.parent;
  while (n && !['method_declaration', 'constructor_declaration', 'accessor_declaration', 'local_function_statement', 'lambda_expression', 'compilation_unit'].includes(n.type)) n = n.parent;
  return n ?? node.tree.rootNode;
}

/** The initializer of a variable declarator (`x = value`). */
export function declaratorValue(d: SyntaxNode): SyntaxNode | undefined {
  const name = d.childForFieldName('name') ?? d.namedChildren[0];
  const last = d.lastNamedChild;
  if (!last || last.id === name?.id) return undefined;
  return last.type === 'equals_value_clause' ? (last.lastNamedChild ?? undefined) : last;
}

/** Fields and constants of the file by name. */
export const fieldsOf = perTree((root): Map<string, SyntaxNode> => {
  const map = new Map<string, SyntaxNode>();
  for (const f of root.descendantsOfType('field_declaration')) {
    for (const d of f.descendantsOfType('variable_declarator')) {
      const name = (d.childForFieldName('name') ?? d.namedChildren[0])?.text;
      const value = declaratorValue(d);
      if (name && value) map.set(name, value);
    }
  }
  return map;
});

/** What a name holds at `use`: the last local declaration/assignment before it in the scope, else a field. */
export function definitionOf(name: string, use: SyntaxNode, root: SyntaxNode): SyntaxNode | undefined {
  const scope = scopeOf(use);
  let best: SyntaxNode | undefined;
  let at = -1;
  if (scope.type !== 'compilation_unit') {
    for (const d of scope.descendantsOfType('variable_declarator')) {
      if (d.startIndex >= use.startIndex || (d.childForFieldName('name') ?? d.namedChildren[0])?.text !== name) continue;
      const value = declaratorValue(d);
      if (value && d.startIndex > at) {
        best = value;
        at = d.startIndex;
      }
    }
    for (const a of scope.descendantsOfType('assignment_expression')) {
      if (a.startIndex >= use.startIndex || a.childForFieldName('left')?.text !== name || operatorOf(a) !== '=') continue;
      const value = a.childForFieldName('right');
      if (value && a.startIndex > at) {
        best = value;
        at = a.startIndex;
      }
    }
  }
  return best ?? fieldsOf(root).get(name);
}

/** `=`, `|=`, `&=`, `+=`... of an assignment expression. */
export function operatorOf(assignment: SyntaxNode): string {
  const op = assignment.childForFieldName('operator');
  if (op) return op.text;
  const left = assignment.childForFieldName('left');
  for (let i = 0; i < assignment.childCount; i++) {
    const c = assignment.child(i)!;
    if (!c.isNamed && c.startIndex >= (left?.endIndex ?? 0)) return c.text;
  }
  return '=';
}

/**
 * The enum members an expression holds: `SecurityProtocolType.Tls | SecurityProtocolType.Tls11`,
 * `(SecurityProtocolType)768`, `(SslProtocols)(192 | 768)`, locals and same-file constants.
 * `enumName` is `SecurityProtocolType` or `SslProtocols`.
 */
export function enumValue(node: SyntaxNode, root: SyntaxNode, enumName: string, depth = 0, inline = true): EnumValue {
  const none: EnumValue = { members: [], unknown: true };
  if (depth > 5) return none;
  switch (node.type) {
    case 'member_access_expression': {
      const name = node.childForFieldName('name')?.text ?? '';
      const expr = node.childForFieldName('expression')?.text ?? '';
      if ((expr === enumName || expr.endsWith(`.${enumName}`)) && name in BITS) return { members: [{ name, node, inline }], unknown: false };
      return none;
    }
    case 'parenthesized_expression':
      return node.namedChildren[0] ? enumValue(node.namedChildren[0], root, enumName, depth + 1, inline) : none;
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      if (op !== '|' && op !== '+') return none;
      const l = enumValue(node.childForFieldName('left')!, root, enumName, depth + 1, inline);
      const r = enumValue(node.childForFieldName('right')!, root, enumName, depth + 1, inline);
      return { members: [...l.members, ...r.members], unknown: l.unknown || r.unknown, via: l.via ?? r.via };
    }
    case 'cast_expression': {
      const type = node.childForFieldName('type')?.text ?? '';
      const value = node.childForFieldName('value');
      if (!value || !(type === enumName || type.endsWith(`.${enumName}`))) return none;
      const n = numberOf(value);
      if (n === undefined) return enumValue(value, root, enumName, depth + 1, inline);
      return { members: membersOfNumber(n).map((name) => ({ name, node, inline, numeric: true })), unknown: false };
    }
    case 'identifier': {
      const def = definitionOf(node.text, node, root);
      if (!def) return none;
      const v = enumValue(def, root, enumName, depth + 1, false);
      return { ...v, via: node.text };
    }
    default:
      return none;
  }
}

/** The value of an integer literal or a `|` of them (`192 | 768`, `0xC00`). */
function numberOf(node: SyntaxNode): number | undefined {
  if (node.type === 'integer_literal') {
    const n = Number(node.text.replace(/[uUlL_]/g, ''));
    return Number.isInteger(n) ? n : undefined;
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return numberOf(node.namedChildren[0]);
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '|') {
    const l = numberOf(node.childForFieldName('left')!);
    const r = numberOf(node.childForFieldName('right')!);
    return l !== undefined && r !== undefined ? l | r : undefined;
  }
  return undefined;
}

/** The last identifier of a name (`ServicePointManager.SecurityProtocol` -> `SecurityProtocol`). */
export function lastName(node: SyntaxNode): string {
  if (node.type === 'member_access_expression') return node.childForFieldName('name')?.text ?? '';
  return node.text.slice(node.text.lastIndexOf('.') + 1);
}

/** True when a lambda/anonymous method/method body can only return true. */
export function alwaysReturnsTrue(fn: SyntaxNode, root: SyntaxNode, depth = 0): boolean {
  if (depth > 3) return false;
  switch (fn.type) {
    case 'lambda_expression': {
      const body = fn.childForFieldName('body');
      return !!body && (body.type === 'block' ? blockReturnsTrue(body) : body.type === 'boolean_literal' && body.text === 'true');
    }
    case 'anonymous_method_expression': {
      const body = fn.namedChildren.find((c) => c.type === 'block');
      return !!body && blockReturnsTrue(body);
    }
    case 'object_creation_expression': {
      // new RemoteCertificateValidationCallback(Method)
      const arg = fn.childForFieldName('arguments')?.namedChildren[0]?.namedChildren[0];
      return !!arg && alwaysReturnsTrue(arg, root, depth + 1);
    }
    case 'identifier':
    case 'member_access_expression': {
      // a method group: a method of this file with that name
      const name = lastName(fn);
      const methods = root.descendantsOfType(['method_declaration', 'local_function_statement']).filter((m) => m.childForFieldName('name')?.text === name);
      if (methods.length === 0) {
        // or a local/field holding a lambda
        const def = fn.type === 'identifier' ? definitionOf(name, fn, root) : undefined;
        return !!def && alwaysReturnsTrue(def, root, depth + 1);
      }
      return methods.every((m) => {
        const body = m.childForFieldName('body');
        if (body?.type === 'block') return blockReturnsTrue(body);
        // expression-bodied: `=> true`
        const arrow = body?.type === 'arrow_expression_clause' ? body : m.namedChildren.find((c) => c.type === 'arrow_expression_clause');
        return arrow?.namedChildren[0]?.type === 'boolean_literal' && arrow.namedChildren[0].text === 'true';
      });
    }
    default:
      return false;
  }
}

function blockReturnsTrue(block: SyntaxNode): boolean {
  const returns = block.descendantsOfType('return_statement').filter((r) => {
    for (let n = r.parent; n && n.id !== block.id; n = n.parent) if (n.type === 'lambda_expression' || n.type === 'anonymous_method_expression' || n.type === 'local_function_statement') return false;
    return true;
  });
  return returns.length > 0 && returns.every((r) => r.namedChildren[0]?.type === 'boolean_literal' && r.namedChildren[0].text === 'true');
}
