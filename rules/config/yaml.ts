/** YAML helpers for the configuration rules: dotted key paths and scalar values with offsets. */
import type { SyntaxNode } from '../../src/rule.js';

export interface YamlScalar {
  value: string;
  /** Offsets of the value inside its quotes. */
  start: number;
  end: number;
  /** True for a plain or quoted scalar (not an item of a sequence). */
  single: boolean;
}

/** The text of a YAML key or scalar node, unquoted. */
export function scalarText(node: SyntaxNode): { value: string; start: number; end: number } | undefined {
  let n: SyntaxNode | null = node;
  while (n && (n.type === 'flow_node' || n.type === 'block_node') && n.namedChildCount === 1) n = n.firstNamedChild;
  if (!n) return undefined;
  if (n.type === 'plain_scalar') return { value: n.text, start: n.startIndex, end: n.endIndex };
  if (n.type === 'double_quote_scalar' || n.type === 'single_quote_scalar') return { value: n.text.slice(1, -1), start: n.startIndex + 1, end: n.endIndex - 1 };
  return undefined;
}

/** `spring.kafka.ssl.protocol` for the innermost pair of nested mappings. */
export function keyPath(pair: SyntaxNode): string {
  const parts: string[] = [];
  for (let n: SyntaxNode | null = pair; n; n = n.parent) {
    if (n.type !== 'block_mapping_pair' && n.type !== 'flow_pair') continue;
    const key = n.childForFieldName('key');
    parts.unshift(key ? (scalarText(key)?.value ?? key.text) : '');
  }
  return parts.join('.');
}

/** The scalars of a pair's value: one scalar, or the items of a block or flow sequence. */
export function valueScalars(value: SyntaxNode): YamlScalar[] {
  const single = scalarText(value);
  if (single) return [{ ...single, single: true }];
  const out: YamlScalar[] = [];
  let seq: SyntaxNode | null = value;
  while (seq && (seq.type === 'flow_node' || seq.type === 'block_node') && seq.namedChildCount === 1) seq = seq.firstNamedChild;
  if (!seq || (seq.type !== 'block_sequence' && seq.type !== 'flow_sequence')) return out;
  for (const item of seq.namedChildren) {
    const inner = item.type === 'block_sequence_item' ? item.firstNamedChild : item;
    const s = inner && scalarText(inner);
    if (s) out.push({ ...s, single: false });
  }
  return out;
}

export const YAML_PAIR_QUERY = '[(block_mapping_pair key: (_) value: (_) @value) (flow_pair key: (_) value: (_) @value)] @pair';
