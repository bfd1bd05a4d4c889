/**
 * The semantic layer's entry point: which adapter reads which file kind, and one `Semantics` per
 * tree, built on the first question a rule asks about the file.
 */
import type Parser from 'tree-sitter';
import type { SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';
import { Semantics } from './evaluate.js';
import type { Grammar } from './grammar.js';
import { java } from './java.js';
import { python } from './python.js';
import type { ProjectIndex } from './project.js';

const ADAPTERS: Grammar[] = [java, python];

const byKind = new Map<string, Grammar>();
for (const g of ADAPTERS) for (const k of g.kinds) byKind.set(k, g);

/** The adapter for a file kind, if the layer reads it. */
export function grammarForKind(kind: string): Grammar | undefined {
  return byKind.get(kind);
}

const memo = new WeakMap<object, Semantics>();

/** The semantics of a parsed file (memoised on its tree). */
export function semanticsOf(src: SourceFile, root: SyntaxNode, language: Parser.Language, project: ProjectIndex): Semantics {
  let sem = memo.get(root.tree);
  if (!sem) {
    const grammar = grammarForKind(src.kind);
    if (!grammar) throw new Error(`the semantic layer does not read ${src.kind} files`);
    sem = new Semantics(grammar, src, root, language, project);
    memo.set(root.tree, sem);
  }
  return sem;
}

export { Semantics } from './evaluate.js';
export type { Flow, Guard, Step, Value } from './model.js';
