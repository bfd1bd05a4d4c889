/** C# string constants: literals, verbatim strings, `const string` fields and locals of the same file. */
import type { SyntaxNode } from '../../src/rule.js';
import { definitionOf } from './util.js';

export function literalOf(node: SyntaxNode, root: SyntaxNode, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  if (node.type === 'string_literal' || node.type === 'verbatim_string_literal') {
    if (node.namedChildren.some((c) => c.type !== 'string_literal_content')) return undefined;
    if (node.type === 'verbatim_string_literal') return node.text.slice(2, -1);
    return node.namedChildren.map((c) => c.text).join('');
  }
  if (node.type === 'identifier') {
    const def = definitionOf(node.text, node, root);
    return def ? literalOf(def, root, depth + 1) : undefined;
  }
  return undefined;
}
