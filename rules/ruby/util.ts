/**
 * Helpers shared by the Ruby rules: which setting a value is given to (`x.ssl_version = v`,
 * `ssl_version: v`, `:ssl_version => v`, `PARAMS[:ssl_version] = v`, Faraday's `ssl: { version: v }`),
 * and what a value names (symbols, strings, `OpenSSL::SSL::...` constants, same-file constants).
 */
import { perTree, type SyntaxNode } from '../../src/rule.js';

/**
 * Every place a value is handed to a named setting. `@left` is the setter call, hash key or element
 * reference; `@value` the value. Three top-level patterns: other patterns can follow them in a
 * checker's query (tree-sitter drops some matches of an alternation nested in another).
 */
export const SETTING_QUERY = `
(assignment left: [(call) (element_reference)] @left right: (_) @value)
(operator_assignment left: [(call) (element_reference)] @left right: (_) @value)
(pair key: (_) @left value: (_) @value)
`;

/** The name of a symbol, string or hash key node without its sigils: `:ssl_version` -> `ssl_version`. */
export function nameOf(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'hash_key_symbol':
    case 'identifier':
    case 'constant':
      return node.text;
    case 'simple_symbol':
      return node.text.slice(1);
    case 'string':
    case 'delimited_symbol': {
      // only plain strings: no interpolation
      if (node.namedChildren.some((c) => c.type !== 'string_content')) return undefined;
      return node.namedChildren.map((c) => c.text).join('');
    }
    default:
      return undefined;
  }
}

export interface Setting {
  /** `ssl_version`, `min_version`, `verify_mode`... */
  name: string;
  /** The key of the enclosing hash when the pair sits in `ssl: { ... }` (Faraday), else undefined. */
  parentKey?: string;
}

/** The setting a `@left` capture names, or undefined (`a.b.c = x` names `c`). */
export function settingOf(left: SyntaxNode): Setting | undefined {
  if (left.type === 'call') {
    const m = left.childForFieldName('method');
    return m ? { name: m.text } : undefined;
  }
  if (left.type === 'element_reference') {
    const key = left.namedChildren[1];
    const name = key && nameOf(key);
    return name ? { name } : undefined;
  }
  // a hash pair: `ssl_version: v`, `:ssl_version => v`, `"ssl_version" => v`
  const name = nameOf(left);
  if (!name) return undefined;
  const hash = left.parent?.parent;
  const outer = hash?.type === 'hash' ? hash.parent : null;
  const outerKey = outer?.type === 'pair' ? outer.childForFieldName('key') : null;
  return { name, parentKey: outerKey ? nameOf(outerKey) : undefined };
}

/** The constant assignments of a file: `VERSION = :TLSv1` at any depth (last one wins). */
export const constantsOf = perTree((root): Map<string, SyntaxNode> => {
  const map = new Map<string, SyntaxNode>();
  for (const a of root.descendantsOfType('assignment')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'constant' && right) map.set(left.text, right);
  }
  return map;
});

export interface ValueRef {
  /** What the value names: `TLSv1`, `TLS1_VERSION`, `VERIFY_NONE`, `false`, `0`. */
  text: string;
  /** The node to rewrite in a fix (the symbol, the string content, the last constant name). */
  target: SyntaxNode;
  /** How the fix must spell the replacement: `:X`, `X` inside quotes, or a constant name. */
  style: 'symbol' | 'string' | 'constant' | 'literal';
  /** The same-file constant the value was read through, when it was. */
  via?: string;
}

/**
 * What a value expression names. A bare constant (`VERSION`) that is assigned in the same file is
 * followed once to its value; `OpenSSL::SSL::TLS1_VERSION` names `TLS1_VERSION`.
 */
export function valueOf(node: SyntaxNode, root: SyntaxNode, depth = 0): ValueRef | undefined {
  switch (node.type) {
    case 'simple_symbol':
      return { text: node.text.slice(1), target: node, style: 'symbol' };
    case 'string': {
      const name = nameOf(node);
      const content = node.namedChildren[0];
      return name !== undefined && content ? { text: name, target: content, style: 'string' } : undefined;
    }
    case 'scope_resolution': {
      const n = node.childForFieldName('name');
      return n ? { text: n.text, target: n, style: 'constant' } : undefined;
    }
    case 'constant': {
      const def = depth === 0 ? constantsOf(root).get(node.text) : undefined;
      if (def) {
        const inner = valueOf(def, root, depth + 1);
        return inner ? { ...inner, via: node.text } : undefined;
      }
      return { text: node.text, target: node, style: 'constant' };
    }
    case 'false':
    case 'true':
    case 'integer':
    case 'nil':
      return { text: node.text, target: node, style: 'literal' };
    case 'parenthesized_statements':
      return node.namedChildCount === 1 ? valueOf(node.namedChildren[0]!, root, depth) : undefined;
    default:
      return undefined;
  }
}

/** The spelling of `name` in the style of the value it replaces. */
export function spell(style: ValueRef['style'], name: string): string {
  return style === 'symbol' ? `:${name}` : name;
}

/** True when a comment or string sits in a test that expects a failure (`assert_raises`, `expect { }.to raise_error`). */
export function inRaisesExpectation(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'call' || n.type === 'method_call') {
      const m = n.childForFieldName('method')?.text;
      if (m === 'assert_raises' || m === 'assert_raise' || m === 'raise_error') return true;
      // `expect { ... }.to raise_error(...)`
      const args = n.childForFieldName('arguments');
      if (m === 'to' && args && /\braise_error\b/.test(args.text)) return true;
    }
    if (n.type === 'method' || n.type === 'program') break;
  }
  return false;
}
