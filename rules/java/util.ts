/**
 * Helpers shared by the Java rules: string values through locals and same-file constants, protocol
 * lists (array literals, `Arrays.asList`, `List.of`, varargs), scopes, and protocol-list fixes.
 */
import { belowFloor, parseProtocol, type ProtocolVersion } from '../../src/formats/tls-names.js';
import { perTree, type SyntaxNode } from '../../src/rule.js';
import type { TextEdit } from '../../src/types.js';

/** The method, constructor, lambda or initializer a node belongs to (or the program). */
export function scopeOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode | null = node.parent;
  while (n && !['method_declaration', 'constructor_declaration', 'lambda_expression', 'static_initializer', 'program'].includes(n.type)) n = n.parent;
  return n ?? node.tree.rootNode;
}

/** The decoded content of a string literal (`"TLSv1"` -> `TLSv1`); undefined for text blocks with escapes we do not model. */
export function literalText(node: SyntaxNode): string | undefined {
  if (node.type !== 'string_literal') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text === '\\"' ? '"' : c.text === '\\\\' ? '\\' : c.text;
    else return undefined;
  }
  return out;
}

/** Field initializers of the file by name (`static final String P = "TLSv1"`), including interface constants. */
export const fieldsOf = perTree((root): Map<string, SyntaxNode> => {
  const map = new Map<string, SyntaxNode>();
  for (const f of root.descendantsOfType(['field_declaration', 'constant_declaration'])) {
    for (const d of f.childrenForFieldName('declarator')) {
      const name = d.childForFieldName('name')?.text;
      const value = d.childForFieldName('value');
      if (name && value) map.set(name, value);
    }
  }
  return map;
});

/**
 * The expression a name holds at `use`: the last local declaration or assignment of that name in
 * the same scope before the use, else a field of the file. Undefined when unknown (a parameter).
 */
export function definitionOf(name: string, use: SyntaxNode, root: SyntaxNode): SyntaxNode | undefined {
  const scope = scopeOf(use);
  let best: SyntaxNode | undefined;
  let bestAt = -1;
  if (scope.type !== 'program') {
    for (const d of scope.descendantsOfType('variable_declarator')) {
      if (d.startIndex >= use.startIndex || d.childForFieldName('name')?.text !== name) continue;
      const value = d.childForFieldName('value');
      if (value && d.startIndex > bestAt) {
        best = value;
        bestAt = d.startIndex;
      }
    }
    for (const a of scope.descendantsOfType('assignment_expression')) {
      if (a.startIndex >= use.startIndex || a.childForFieldName('left')?.text !== name) continue;
      if (a.childForFieldName('operator')?.text !== '=' && a.child(1)?.text !== '=') continue;
      const value = a.childForFieldName('right');
      if (value && a.startIndex > bestAt) {
        best = value;
        bestAt = a.startIndex;
      }
    }
    // a parameter of the scope hides fields of the same name
    if (!best && scope.childForFieldName('parameters')?.descendantsOfType('identifier').some((i) => i.text === name)) return undefined;
  }
  return best ?? fieldsOf(root).get(name);
}

/** A string expression's value: literals, concatenations, locals and same-file constants. */
export function stringValue(node: SyntaxNode, root: SyntaxNode, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  switch (node.type) {
    case 'string_literal':
      return literalText(node);
    case 'parenthesized_expression':
      return node.namedChildren[0] ? stringValue(node.namedChildren[0], root, depth + 1) : undefined;
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.text !== '+') return undefined;
      const l = stringValue(node.childForFieldName('left')!, root, depth + 1);
      const r = stringValue(node.childForFieldName('right')!, root, depth + 1);
      return l !== undefined && r !== undefined ? l + r : undefined;
    }
    case 'identifier': {
      const def = definitionOf(node.text, node, root);
      return def ? stringValue(def, root, depth + 1) : undefined;
    }
    case 'field_access': {
      // `Constants.PROTOCOL`, `this.protocol`: a field of this file with that name
      const field = node.childForFieldName('field')?.text;
      const def = field ? fieldsOf(root).get(field) : undefined;
      return def ? stringValue(def, root, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** One protocol named in a list, with the node that spells it when it is a literal. */
export interface ListItem {
  text: string;
  node: SyntaxNode;
  /** True when `node` is a string literal or enum constant written where the list is built. */
  literal: boolean;
}

export interface ProtocolList {
  items: ListItem[];
  /** The literal list node the items sit in (array initializer, argument list), for fixes. */
  container?: SyntaxNode;
  /** The name the list was read through (a local or constant), when it was. */
  via?: string;
}

const LIST_FACTORIES = new Set(['asList', 'of', 'newArrayList', 'copyOf']);

/**
 * The protocols an expression lists: `new String[]{...}`, `{...}`, `Arrays.asList(...)`,
 * `List.of(...)`, a single string, or a local/constant holding one of those. Items that are not
 * strings keep their source text (`TlsVersion.TLS_1_0` -> `TlsVersion.TLS_1_0`).
 */
export function protocolList(node: SyntaxNode, root: SyntaxNode, depth = 0): ProtocolList | undefined {
  if (depth > 4) return undefined;
  switch (node.type) {
    case 'array_creation_expression': {
      const init = node.childForFieldName('value');
      return init ? protocolList(init, root, depth + 1) : undefined;
    }
    case 'array_initializer':
      return { items: node.namedChildren.map((c) => item(c, root)), container: node };
    case 'method_invocation': {
      const name = node.childForFieldName('name')?.text;
      const args = node.childForFieldName('arguments');
      // `Arrays.asList(...).toArray(new String[0])`
      const obj = node.childForFieldName('object');
      if (name === 'toArray' && obj) {
        return protocolList(obj, root, depth + 1);
      }
      if (!name || !args || !LIST_FACTORIES.has(name)) return undefined;
      if (args.namedChildCount === 1 && args.namedChildren[0]!.type !== 'string_literal') {
        return protocolList(args.namedChildren[0]!, root, depth + 1);
      }
      return { items: args.namedChildren.map((c) => item(c, root)), container: args };
    }
    case 'identifier':
    case 'field_access': {
      const name = node.type === 'identifier' ? node.text : node.childForFieldName('field')?.text;
      const def = name ? (node.type === 'identifier' ? definitionOf(name, node, root) : fieldsOf(root).get(name)) : undefined;
      if (!def) return undefined;
      const inner = protocolList(def, root, depth + 1);
      if (inner) return { items: inner.items.map((i) => ({ ...i, literal: false })), via: name };
      const s = stringValue(def, root, depth + 1);
      return s !== undefined ? { items: [{ text: s, node, literal: false }], via: name } : undefined;
    }
    default: {
      const s = stringValue(node, root, depth + 1);
      return s !== undefined ? { items: [{ text: s, node, literal: node.type === 'string_literal' }] } : undefined;
    }
  }
}

function item(node: SyntaxNode, root: SyntaxNode): ListItem {
  const s = stringValue(node, root);
  return s !== undefined ? { text: s, node, literal: node.type === 'string_literal' } : { text: node.text, node, literal: node.type === 'field_access' || node.type === 'identifier' };
}

/**
 * The protocol a list item names: strings (`TLSv1.1`, `SSLv3`) and the enum constants of OkHttp
 * (`TlsVersion.TLS_1_0`, `SSL_3_0`) and HttpClient 5 (`TLS.V_1_1`).
 */
export function itemVersion(text: string): ProtocolVersion | undefined {
  const last = text.slice(text.lastIndexOf('.') + 1);
  if (text.includes('.') && /^(?:TLS_1_[0-3]|SSL_3_0|V_1_[0-3])$/.test(last)) {
    if (last === 'SSL_3_0') return 'SSLv3';
    return (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[Number(last.slice(-1))];
  }
  // comma-separated strings are handled by the caller; here one token
  return parseProtocol(text);
}

/** Each protocol token of a list item (`"TLSv1,TLSv1.1"` holds two). */
export function tokensOf(text: string): string[] {
  return text.includes(',') ? text.split(',').map((t) => t.trim()).filter(Boolean) : [text.trim()];
}

export interface ListVerdict {
  /** Items naming a version below the floor. */
  old: ListItem[];
  /** Items naming the floor or above. */
  modern: ListItem[];
  /** Items naming something else (`SSLv2Hello`, unknown names). */
  other: ListItem[];
}

export function judgeList(list: ProtocolList, floor: '1.2' | '1.3'): ListVerdict {
  const v: ListVerdict = { old: [], modern: [], other: [] };
  for (const i of list.items) {
    const versions = tokensOf(i.text).map(itemVersion);
    if (versions.some((x) => x && belowFloor(x, floor))) v.old.push(i);
    else if (versions.some((x) => x)) v.modern.push(i);
    else v.other.push(i);
  }
  return v;
}

/**
 * Edits that remove `drop` from a literal list (array initializer or argument list) and keep the
 * rest with their formatting; when nothing modern would remain, the first dropped item becomes
 * `replacement` instead. Undefined when the list is not one literal at the site.
 */
export function listFix(list: ProtocolList, verdict: ListVerdict, replacement: string): TextEdit[] | undefined {
  if (!list.container || list.via || verdict.old.some((i) => !i.literal || (i.node.type !== 'string_literal' && i.node.type !== 'field_access'))) return undefined;
  if (verdict.old.some((i) => tokensOf(i.text).length > 1)) return undefined;
  const elements = list.items.map((i) => i.node);
  const dropSet = new Set(verdict.old.map((i) => i.node.id));
  if (verdict.modern.length === 0) {
    // the first old item becomes the replacement; the others go
    const first = verdict.old[0]!;
    dropSet.delete(first.node.id);
    return [{ start: first.node.startIndex, end: first.node.endIndex, text: replacement }, ...removals(elements, dropSet)];
  }
  return removals(elements, dropSet);
}

/** Deletions of the elements in `drop`, with their separators, never overlapping. */
function removals(elements: SyntaxNode[], drop: Set<number>): TextEdit[] {
  const edits: TextEdit[] = [];
  let lastKept = -1;
  for (let i = 0; i < elements.length; i++) if (!drop.has(elements[i]!.id)) lastKept = i;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (!drop.has(e.id)) continue;
    if (i < lastKept) {
      edits.push({ start: e.startIndex, end: elements[i + 1]!.startIndex, text: '' });
    } else {
      // everything after the last kept element goes in one edit
      const from = lastKept >= 0 ? elements[lastKept]!.endIndex : e.startIndex;
      edits.push({ start: from, end: elements[elements.length - 1]!.endIndex, text: '' });
      break;
    }
  }
  return edits;
}

/** How a list item should be spelled when it replaces `like`: a string literal or an enum constant. */
export function modernSpelling(like: ListItem, floor: '1.2' | '1.3'): string {
  const t = like.node.text;
  if (like.node.type === 'string_literal') return floor === '1.3' ? '"TLSv1.3"' : '"TLSv1.2"';
  const prefix = t.slice(0, t.lastIndexOf('.') + 1);
  const last = t.slice(t.lastIndexOf('.') + 1);
  const minor = floor === '1.3' ? '3' : '2';
  return last.startsWith('V_') ? `${prefix}V_1_${minor}` : `${prefix}TLS_1_${minor}`;
}

/** True when the node sits in code that checks that something fails (`assertThrows`, `expected =`, `fail(...)` after). */
export function inFailureExpectation(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'method_invocation') {
      const name = n.childForFieldName('name')?.text ?? '';
      if (/^(?:assertThrows|assertThatThrownBy|assertThatExceptionOfType|expectThrows|shouldFail)$/.test(name)) return true;
    }
    if (n.type === 'method_declaration') {
      // JUnit 4: @Test(expected = SSLHandshakeException.class)
      const mods = n.namedChildren.find((c) => c.type === 'modifiers');
      if (mods && /@Test\s*\(\s*expected\s*=\s*\w*(?:SSL|Handshake|IllegalArgument)\w*Exception/.test(mods.text)) return true;
      // a test whose name says the old version is refused
      const name = n.childForFieldName('name')?.text ?? '';
      if (mods && /@(?:Test|ParameterizedTest)\b/.test(mods.text) && /(?:reject|refuse|fail|disabled|notSupported|unsupported)/i.test(name)) return true;
      break;
    }
  }
  return false;
}
