/** Helpers shared by the Terraform rules: string values, same-file locals/variables, resources. */
import type { SyntaxNode } from '../../src/rule.js';

export interface StringValue {
  value: string;
  /** Offsets of the string's content (inside the quotes) in the file text. */
  start: number;
  end: number;
  /** The literal the value came from (the attribute's own, or a local's or variable default's). */
  node: SyntaxNode;
  /** True when the value is written in the attribute itself (a fix may edit it there). */
  inline: boolean;
}

/** The plain string of an `expression` (or `literal_value`/`string_lit`) node, without interpolation. */
function literalString(node: SyntaxNode): { value: string; start: number; end: number; node: SyntaxNode } | undefined {
  let n: SyntaxNode | null = node;
  while (n && (n.type === 'expression' || n.type === 'literal_value')) n = n.firstNamedChild;
  if (!n || n.type !== 'string_lit') return undefined;
  const parts = n.namedChildren.filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
  if (parts.length === 0) return { value: '', start: n.startIndex + 1, end: n.startIndex + 1, node: n };
  if (parts.length !== 1 || parts[0]!.type !== 'template_literal') return undefined;
  return { value: parts[0]!.text, start: parts[0]!.startIndex, end: parts[0]!.endIndex, node: n };
}

function topBlocks(root: SyntaxNode, type: string): SyntaxNode[] {
  const body = root.namedChildren.find((c) => c.type === 'body');
  return (body?.namedChildren ?? []).filter((b) => b.type === 'block' && b.namedChildren[0]?.text === type);
}

function blockBody(block: SyntaxNode): SyntaxNode | undefined {
  return block.namedChildren.find((c) => c.type === 'body');
}

/** `name = expr` attributes directly in a block. */
export function attributes(block: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const a of blockBody(block)?.namedChildren ?? []) {
    if (a.type !== 'attribute') continue;
    const name = a.namedChildren[0];
    const value = a.namedChildren.find((c) => c.type === 'expression');
    if (name && value) out.set(name.text, value);
  }
  return out;
}

/** The labels of a block (`resource "aws_lb_listener" "front"` gives the two strings). */
export function labels(block: SyntaxNode): string[] {
  return block.namedChildren.filter((c) => c.type === 'string_lit').map((c) => literalString(c)?.value ?? '');
}

/** The `resource "type" "name"` block around a node, with its type. */
export function enclosingResource(node: SyntaxNode): { block: SyntaxNode; type: string } | undefined {
  let last: SyntaxNode | undefined;
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) if (n.type === 'block') last = n;
  if (!last || last.namedChildren[0]?.text !== 'resource') return undefined;
  return { block: last, type: labels(last)[0] ?? '' };
}

/**
 * The string an expression denotes: a literal, or `local.x` / `var.x` defined in the same file
 * (a `locals` entry or a variable's `default`).
 */
export function stringValue(expression: SyntaxNode, root: SyntaxNode): StringValue | undefined {
  const direct = literalString(expression);
  if (direct) return { ...direct, inline: true };
  const m = /^(local|var)\.([A-Za-z_][\w-]*)$/.exec(expression.text.trim());
  if (!m) return undefined;
  if (m[1] === 'local') {
    for (const block of topBlocks(root, 'locals')) {
      const v = attributes(block).get(m[2]!);
      const s = v && literalString(v);
      if (s) return { ...s, inline: false };
    }
  } else {
    for (const block of topBlocks(root, 'variable')) {
      if (labels(block)[0] !== m[2]) continue;
      const v = attributes(block).get('default');
      const s = v && literalString(v);
      if (s) return { ...s, inline: false };
    }
  }
  return undefined;
}

/** The query every Terraform rule uses: attributes with one of the given names. */
export function attributeQuery(names: string[]): string {
  return `((attribute (identifier) @name (expression) @value) (#any-of? @name ${names.map((n) => JSON.stringify(n)).join(' ')}))`;
}
