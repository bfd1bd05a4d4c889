/**
 * The semantic layer's entry point: which adapter reads which file kind, and one `Semantics` per
 * tree, built on the first question a rule asks about the file.
 */
import type Parser from 'tree-sitter';
import type { SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';
import { Semantics } from './evaluate.js';
import type { Grammar } from './grammar.js';
import { fileKindById } from '../languages.js';
import type { LangNode } from './model.js';
import { c } from './c.js';
import { cloudformation } from './cloudformation.js';
import { csharp } from './csharp.js';
import { hcl } from './hcl.js';
import { go } from './go.js';
import { java } from './java.js';
import { php } from './php.js';
import { python } from './python.js';
import { ruby } from './ruby.js';
import type { SourceIndex } from './project.js';
import { typescript } from './typescript.js';

const ADAPTERS: Grammar<LangNode>[] = [java, csharp, go, python, ruby, hcl, typescript, cloudformation, c, php];

const byKind = new Map<string, Grammar<LangNode>>();
for (const g of ADAPTERS) for (const k of g.kinds) byKind.set(k, g);

/** The adapter for a file kind, if the layer reads it. */
export function grammarForKind<N extends LangNode = SyntaxNode>(kind: string): Grammar<N> | undefined {
  // a special case of a format (a Gemfile is Ruby, setup.py Python) is read as that format
  const lineage = fileKindById(kind)?.lineage ?? [kind];
  for (const id of lineage) {
    const g = byKind.get(id);
    if (g) return g as Grammar<N>;
  }
  return undefined;
}

const memo = new WeakMap<object, Semantics<LangNode>>();

/**
 * The semantics of a parsed file (memoised on its tree: a tree-sitter tree, or the root node of
 * another parser). `language` is the tree-sitter language of a grammar with a facts query.
 */
export function semanticsOf<N extends LangNode = SyntaxNode>(src: SourceFile, root: N, language: Parser.Language | undefined, project: SourceIndex): Semantics<N> {
  const key = (root as { tree?: object }).tree ?? root;
  let sem = memo.get(key) as Semantics<N> | undefined;
  if (!sem) {
    const grammar = grammarForKind<N>(src.kind);
    if (!grammar) throw new Error(`the semantic layer does not read ${src.kind} files`);
    sem = new Semantics(grammar, src, root, language, project);
    memo.set(key, sem as unknown as Semantics<LangNode>);
  }
  return sem;
}

export { Semantics } from './evaluate.js';
export type { Flow, Guard, LangNode, Step, Value } from './model.js';
