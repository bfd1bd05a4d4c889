/**
 * The CloudFormation adapter of the semantic layer, over the YAML and JSON trees of a template
 * (one adapter for both: it reads them through src/formats/data-tree.ts).
 *
 * A template has no functions or variables; its intrinsic functions map onto the layer's shapes:
 * - `Ref: P` / `!Ref P` is the name `P`, bound by the parameter's `Default` (`Parameters: P:
 *   Default: ...`); pseudo parameters (`AWS::Region`) and resources stay unknown symbols;
 * - `Fn::If: [Cond, a, b]` / `!If` is a ternary on the condition's name, so a value chosen by a
 *   condition carries it as its guard (a switch-like name such as `UseLegacyTls` makes a note);
 * - `Fn::FindInMap: [Map, k1, k2]` / `!FindInMap` is the entry of the `Mappings` section (every
 *   top-level key's entry when `k1` is not a literal, as with `!Ref AWS::Region`);
 * - `Fn::Sub` of a string without `${...}` is that string;
 * - mappings are maps and sequences lists; scalars are strings (numbers and booleans as such).
 * The `Resources`, `Outputs` and `Conditions` sections are scopes of their own (an `@fn`), so a
 * parameter is found wherever it is declared in the file.
 */
import { FILE_KINDS } from '../languages.js';
import type { SyntaxNode } from '../rule.js';
import { documents, entries, entry, items, scalarOf, unwrapNode } from '../formats/data-tree.js';
import type { Grammar, Shape, Target } from './grammar.js';

/** The top-level mapping of a template (the first document), if the file is a mapping. */
export function templateRoot(root: SyntaxNode): SyntaxNode | undefined {
  const doc = documents(root)[0];
  if (!doc) return undefined;
  const t = unwrapNode(doc).node.type;
  return t === 'block_mapping' || t === 'flow_mapping' || t === 'object' ? doc : undefined;
}

/** The root of the tree a node is in. */
function rootOf(node: SyntaxNode): SyntaxNode {
  return node.tree.rootNode;
}

/** An intrinsic function a node spells (`!If [...]`, `{ "Fn::If": [...] }`), with its argument node. */
export function intrinsic(node: SyntaxNode): { name: string; arg: SyntaxNode } | undefined {
  const { node: inner, tag } = unwrapNode(node);
  if (tag !== undefined) {
    const name = tag === '!Ref' ? 'Ref' : `Fn::${tag.slice(1)}`;
    return { name, arg: inner };
  }
  const es = entries(inner);
  if (es.length !== 1) return undefined;
  const e = es[0]!;
  if (!e.value || !(e.key === 'Ref' || e.key.startsWith('Fn::'))) return undefined;
  return { name: e.key, arg: e.value };
}

/** `Fn::FindInMap`: the `Mappings` entries it may read. */
function findInMap(node: SyntaxNode, arg: SyntaxNode): SyntaxNode[] | undefined {
  const [mapName, first, second] = items(arg);
  const name = mapName && scalarOf(mapName)?.value;
  const k2 = second && scalarOf(second)?.value;
  if (!name || !k2 || !first) return undefined;
  const top = templateRoot(rootOf(node));
  const map = entry(entry(top, 'Mappings'), name);
  if (!map) return undefined;
  const k1 = scalarOf(first)?.value;
  const rows = k1 !== undefined ? [entry(map, k1)] : entries(map).map((e) => e.value);
  const out = rows.map((r) => entry(r, k2)).filter((v): v is SyntaxNode => !!v);
  return out.length ? out : undefined;
}

/** The node that spells a condition's name without quotes (guards name it). */
function conditionName(node: SyntaxNode): SyntaxNode {
  const { node: inner } = unwrapNode(node);
  if (inner.type === 'string') return inner.namedChildren.find((c) => c.type === 'string_content') ?? inner;
  return inner;
}

function shape(node: SyntaxNode): Shape {
  const fn = intrinsic(node);
  if (fn) {
    switch (fn.name) {
      case 'Ref': {
        const name = scalarOf(fn.arg)?.value;
        return name ? { t: 'name', name } : { t: 'other' };
      }
      case 'Fn::If': {
        const [cond, then, otherwise] = items(fn.arg);
        return cond && then && otherwise ? { t: 'ternary', cond: conditionName(cond), then, else: otherwise } : { t: 'other' };
      }
      case 'Fn::FindInMap': {
        const options = findInMap(node, fn.arg);
        if (!options) return { t: 'other' };
        return options.length === 1 ? { t: 'wrap', inner: options[0]! } : { t: 'either', options };
      }
      case 'Fn::Sub': {
        const s = scalarOf(fn.arg);
        return s && !s.value.includes('${') ? { t: 'string', value: s.value } : { t: 'other' };
      }
      default:
        return { t: 'other' };
    }
  }
  const { node: inner } = unwrapNode(node);
  if (inner.id !== node.id) return { t: 'wrap', inner };
  const s = scalarOf(node);
  if (s) {
    if (s.type === 'bool') return { t: 'bool', value: /^(?:true|yes|on)$/i.test(s.value) };
    if (s.type === 'null') return { t: 'null' };
    if (s.type === 'number' && /^-?\d+$/.test(s.value)) return { t: 'number', value: Number(s.value) };
    return { t: 'string', value: s.value };
  }
  switch (node.type) {
    case 'block_mapping':
    case 'flow_mapping':
    case 'object':
      return { t: 'map', entries: entries(node).flatMap((e) => (e.value ? [{ key: e.key, node: e.value }] : [])) };
    case 'block_sequence':
    case 'flow_sequence':
    case 'array':
      return { t: 'list', items: items(node) };
    default:
      return { t: 'other' };
  }
}

function target(node: SyntaxNode): Target | undefined {
  const s = scalarOf(node);
  return s ? { kind: 'name', name: s.value } : undefined;
}

type Capture = { name: string; node: SyntaxNode };

function collect(root: SyntaxNode): Capture[][] {
  const out: Capture[][] = [];
  const top = templateRoot(root);
  for (const section of entries(top)) {
    if (!section.value) continue;
    if (section.key === 'Parameters') {
      for (const p of entries(section.value)) {
        const def = entry(p.value, 'Default');
        if (def) out.push([{ name: 'decl', node: p.pair }, { name: 'decl.target', node: p.keyNode }, { name: 'decl.value', node: def }]);
      }
    } else if (section.key === 'Resources' || section.key === 'Outputs' || section.key === 'Conditions') {
      out.push([{ name: 'fn', node: section.value }]);
    }
  }
  return out;
}

/** The YAML and JSON kinds, and every kind read like them. */
const KINDS = FILE_KINDS.filter((k) => k.lineage.includes('yaml') || k.lineage.includes('json')).map((k) => k.id);

export const cloudformation: Grammar = {
  id: 'cloudformation',
  kinds: KINDS,
  collect,
  shape,
  target,
};
