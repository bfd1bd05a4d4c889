/**
 * Kubernetes manifests, kubeconfigs and Helm values as data (src/formats/data-tree.ts): every
 * mapping entry of every document of a YAML stream (or a JSON file), with its key path.
 */
import { documents, walkEntries, type Entry } from '../../src/formats/data-tree.js';
import type { MatchContext, SyntaxNode, TreeChecker } from '../../src/rule.js';

/** Every mapping entry whose key passes `accept`, in every document of the file. */
export function* entriesWhere(root: SyntaxNode, accept: (key: string) => boolean): Generator<Entry & { path: string[] }> {
  for (const doc of documents(root)) for (const e of walkEntries(doc)) if (accept(e.key)) yield e;
}

/** The tree checkers of a rule over YAML (and JSON) files: one match per file. */
export function dataCheckers(check: (ctx: MatchContext) => void, kinds: Array<'yaml' | 'json'> = ['yaml']): Record<string, TreeChecker> {
  const out: Record<string, TreeChecker> = {};
  if (kinds.includes('yaml')) out.yaml = { query: '(stream) @root', check };
  if (kinds.includes('json')) out.json = { query: '(document) @root', check };
  return out;
}
