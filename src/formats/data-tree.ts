/**
 * Reading YAML and JSON trees (tree-sitter-yaml, tree-sitter-json) as data, the same way for both:
 * mappings and their entries, sequences and their items, scalars with their offsets. YAML's
 * wrappers (`block_node`, `flow_node`, anchors) are looked through; a tag (`!Ref`) is reported so
 * that readers of tagged formats (CloudFormation) can interpret it. Used by the infrastructure
 * packs (CloudFormation, Kubernetes, proxies, Azure, GCP) and the CloudFormation adapter of the
 * semantic layer. Every walk is iterative or bounded by the tree's depth, and every loop advances.
 */
import type { SyntaxNode } from '../rule.js';

/** A mapping entry: its key (unquoted), the key node and the value node (undefined for `key:` with nothing). */
export interface Entry {
  key: string;
  keyNode: SyntaxNode;
  value: SyntaxNode | undefined;
  /** The pair node (`block_mapping_pair`, `flow_pair`, `pair`). */
  pair: SyntaxNode;
}

export interface Scalar {
  /** The value, quotes removed and escapes decoded. */
  value: string;
  /** What YAML or JSON says it is. */
  type: 'string' | 'number' | 'bool' | 'null';
  node: SyntaxNode;
  /** Offsets of the value's text inside its quotes (for fixes that rewrite it). */
  start: number;
  end: number;
  /** True when the scalar is quoted. */
  quoted: boolean;
}

const WRAPPERS = new Set(['block_node', 'flow_node', 'document']);
const PAIRS = new Set(['block_mapping_pair', 'flow_pair', 'pair']);

/** The content node of a YAML wrapper (`block_node`, `flow_node`) and its tag (`!Ref`), anchors skipped. */
export function unwrapNode(node: SyntaxNode): { node: SyntaxNode; tag?: string } {
  let n = node;
  let tag: string | undefined;
  for (let i = 0; i < 64 && WRAPPERS.has(n.type); i++) {
    let inner: SyntaxNode | undefined;
    for (const c of n.namedChildren) {
      if (c.type === 'tag') tag ??= c.text;
      else if (c.type !== 'anchor' && c.type !== 'comment') inner = c;
    }
    if (!inner) break;
    n = inner;
  }
  return tag === undefined ? { node: n } : { node: n, tag };
}

/** True for a mapping node (after unwrapping): `block_mapping`, `flow_mapping`, a JSON `object`. */
export function isMapping(node: SyntaxNode): boolean {
  const t = unwrapNode(node).node.type;
  return t === 'block_mapping' || t === 'flow_mapping' || t === 'object';
}

/** True for a sequence node (after unwrapping). */
export function isSequence(node: SyntaxNode): boolean {
  const t = unwrapNode(node).node.type;
  return t === 'block_sequence' || t === 'flow_sequence' || t === 'array';
}

/** The entries of a mapping node (empty for anything else), in source order. */
export function entries(node: SyntaxNode | undefined): Entry[] {
  if (!node) return [];
  const m = unwrapNode(node).node;
  if (m.type !== 'block_mapping' && m.type !== 'flow_mapping' && m.type !== 'object') return [];
  const out: Entry[] = [];
  for (const pair of m.namedChildren) {
    if (!PAIRS.has(pair.type)) continue;
    const keyNode = pair.childForFieldName('key');
    if (!keyNode) continue;
    const key = scalarOf(keyNode)?.value ?? keyNode.text;
    out.push({ key, keyNode, value: pair.childForFieldName('value') ?? undefined, pair });
  }
  return out;
}

/** The value of the last entry named `key` (YAML and JSON keep the last duplicate). */
export function entry(node: SyntaxNode | undefined, key: string): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const e of entries(node)) if (e.key === key) found = e.value;
  return found;
}

/** The entry named `key` of a mapping, with its key node. */
export function entryOf(node: SyntaxNode | undefined, key: string): Entry | undefined {
  let found: Entry | undefined;
  for (const e of entries(node)) if (e.key === key) found = e;
  return found;
}

/** The items of a sequence node (empty for anything else). */
export function items(node: SyntaxNode | undefined): SyntaxNode[] {
  if (!node) return [];
  const s = unwrapNode(node).node;
  if (s.type === 'block_sequence') return s.namedChildren.filter((c) => c.type === 'block_sequence_item').flatMap((c) => c.namedChildren.filter((x) => x.type !== 'comment').slice(0, 1));
  if (s.type === 'flow_sequence' || s.type === 'array') return s.namedChildren.filter((c) => c.type !== 'comment');
  return [];
}

/** A scalar node's value (plain, quoted, JSON), or undefined for mappings, sequences, block scalars and tagged nodes. */
export function scalarOf(node: SyntaxNode | undefined): Scalar | undefined {
  if (!node) return undefined;
  const { node: n, tag } = unwrapNode(node);
  if (tag !== undefined && !/^!!(?:str|int|bool|float)$/.test(tag)) return undefined;
  switch (n.type) {
    case 'plain_scalar': {
      const inner = n.namedChildren[0]?.type ?? 'string_scalar';
      const type = inner === 'integer_scalar' ? 'number' : inner === 'boolean_scalar' ? 'bool' : inner === 'null_scalar' ? 'null' : 'string';
      return { value: n.text, type, node: n, start: n.startIndex, end: n.endIndex, quoted: false };
    }
    case 'double_quote_scalar':
      return { value: decodeDoubleQuoted(n.text.slice(1, -1)), type: 'string', node: n, start: n.startIndex + 1, end: Math.max(n.startIndex + 1, n.endIndex - 1), quoted: true };
    case 'single_quote_scalar':
      return { value: n.text.slice(1, -1).replace(/''/g, "'"), type: 'string', node: n, start: n.startIndex + 1, end: Math.max(n.startIndex + 1, n.endIndex - 1), quoted: true };
    case 'string': {
      // JSON
      let value: string;
      try {
        value = JSON.parse(n.text) as string;
      } catch {
        value = n.text.slice(1, -1);
      }
      return { value, type: 'string', node: n, start: n.startIndex + 1, end: Math.max(n.startIndex + 1, n.endIndex - 1), quoted: true };
    }
    case 'number':
      return { value: n.text, type: 'number', node: n, start: n.startIndex, end: n.endIndex, quoted: false };
    case 'true':
    case 'false':
      return { value: n.type, type: 'bool', node: n, start: n.startIndex, end: n.endIndex, quoted: false };
    case 'null':
      return { value: 'null', type: 'null', node: n, start: n.startIndex, end: n.endIndex, quoted: false };
    default:
      return undefined;
  }
}

/** YAML double-quoted escapes (the common ones; others are kept as written). */
function decodeDoubleQuoted(s: string): string {
  return s.replace(/\\(["\\/nrt0 ]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_m, c: string) => {
    if (c.length > 1) return String.fromCharCode(parseInt(c.slice(1), 16));
    return c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '0' ? '\0' : c;
  });
}

/** The documents of a YAML stream (one for JSON): each document's content node. */
export function documents(root: SyntaxNode): SyntaxNode[] {
  if (root.type === 'document') {
    // JSON: the document holds one value
    const v = root.namedChildren.find((c) => c.type !== 'comment');
    return v ? [v] : [];
  }
  if (root.type !== 'stream') return [];
  const out: SyntaxNode[] = [];
  for (const d of root.namedChildren) {
    if (d.type !== 'document') continue;
    const content = d.namedChildren.find((c) => c.type !== 'comment');
    if (content) out.push(content);
  }
  return out;
}

/** Every mapping entry below `node` (depth first, in source order), with the keys of the mappings around it. */
export function* walkEntries(node: SyntaxNode): Generator<Entry & { path: string[] }> {
  const stack: Array<{ node: SyntaxNode; path: string[] }> = [{ node, path: [] }];
  while (stack.length) {
    const { node: n, path } = stack.pop()!;
    const later: Array<{ node: SyntaxNode; path: string[] }> = [];
    if (isMapping(n)) {
      for (const e of entries(n)) {
        const p = [...path, e.key];
        yield { ...e, path: p };
        if (e.value && path.length < 64) later.push({ node: e.value, path: p });
      }
    } else if (isSequence(n)) {
      for (const item of items(n)) if (path.length < 64) later.push({ node: item, path });
    }
    for (let i = later.length - 1; i >= 0; i--) stack.push(later[i]!);
  }
}

/** The scalars of a value: the scalar itself, or the scalar items of a sequence. */
export function scalarsOf(node: SyntaxNode | undefined): Scalar[] {
  const s = scalarOf(node);
  if (s) return [s];
  return items(node)
    .map((i) => scalarOf(i))
    .filter((x): x is Scalar => !!x);
}
