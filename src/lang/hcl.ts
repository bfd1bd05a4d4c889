/**
 * The HCL adapter of the semantic layer (@tree-sitter-grammars/tree-sitter-hcl), for Terraform.
 *
 * HCL has no functions or classes; Terraform's concepts map onto the layer's vocabulary so:
 * - `var.x` is a module-level name bound by `variable "x" { default = ... }`, and set from outside
 *   by the folder's auto-loaded `terraform.tfvars` and `*.auto.tfvars` (`crossFile.inputs`: when
 *   they set `x`, the default is not used);
 * - `local.x` is a module-level name bound by `locals { x = ... }`;
 * - a Terraform module is a folder: names come from the other `*.tf` files of the same folder
 *   (`crossFile.forName`), so `variables.tf`, `locals.tf` and `main.tf` read as one;
 * - each top-level block (resource, data, module, output...) and each local's value is a scope of
 *   its own (an `@fn`), so a name is looked up in the whole module whatever the order of blocks;
 * - `count`/`for_each` with a conditional make their block conditional (`@branch`): a setting in a
 *   resource created only `when var.legacy` is guarded by that condition;
 * - expressions: literals, `cond ? a : b` (a ternary), `try(a, b)`/`coalesce(a, b)` (any of them),
 *   `lookup(m, "k")` and `m["k"]`/`m.k` (map entries), lists and maps; templates with
 *   interpolation stay unknown.
 * - a `module "m" { source = "./child" ... }` block is a call of the child folder: `moduleInputs`
 *   follows each argument to the sinks that the child's `var.<argument>` reaches, and
 *   `module.m.x` reads the child's `output "x" { value = ... }` (`crossFile.forMember`; the
 *   output is evaluated with the child's own defaults, not the call's arguments).
 */
import fs from 'node:fs';
import path from 'node:path';
import type Parser from 'tree-sitter';
import { fileKindById } from '../languages.js';
import { grammarFor, queryLimits, treeSitter } from '../parsers.js';
import type { SyntaxNode } from '../rule.js';
import type { Semantics } from './evaluate.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';
import type { Flow, Step } from './model.js';

const FACTS = `
(config_file (body (block . (identifier) @_kw (#not-any-of? @_kw "locals" "variable" "output")) @fn))
(config_file (body (block . (identifier) @_kw (#any-of? @_kw "locals" "output") (body (attribute (expression) @fn)))))

(config_file (body (block . (identifier) @_kw (#eq? @_kw "locals") (body (attribute (identifier) @decl.target (expression) @decl.value) @decl))))
(config_file (body (block . (identifier) @_kw (#eq? @_kw "variable") . [(string_lit) (identifier)] @decl.target
  (body (attribute (identifier) @_d (#eq? @_d "default") (expression) @decl.value))) @decl))
(config_file (body (block . (identifier) @_kw (#eq? @_kw "output") . [(string_lit) (identifier)] @decl.target
  (body (attribute (identifier) @_v (#eq? @_v "value") (expression) @decl.value))) @decl))
(config_file (body (attribute (identifier) @decl.target (expression) @decl.value) @decl))
(block (body (attribute (identifier) @decl.target (#eq? @decl.target "for_each") (expression)) @decl @decl.value))

(block (body (attribute (identifier) @_c (#any-of? @_c "count" "for_each")
  (expression (conditional . (expression) @branch.cond . (expression) @_then (#not-match? @_then "^(0|\\\\[\\\\s*\\\\]|\\\\{\\\\s*\\\\}|null)$")))))) @branch
(block (body (attribute (identifier) @_c (#any-of? @_c "count" "for_each")
  (expression (conditional . (expression) @branch.cond . (expression) @_then (#match? @_then "^(0|\\\\[\\\\s*\\\\]|\\\\{\\\\s*\\\\}|null)$")))))) @branch.else
`;

/** Nodes that continue an expression chain: `.name`, `[key]`, splats. */
const POSTFIX = new Set(['get_attr', 'index', 'splat', 'legacy_index']);

function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c) => c.type !== 'comment');
}

/** The text of a string literal (`"..."`), with HCL's escapes decoded; undefined for anything else. */
export function hclString(node: SyntaxNode): string | undefined {
  if (node.type !== 'string_lit') return undefined;
  const parts = node.namedChildren.filter((c) => c.type === 'template_literal');
  return unescape(parts.map((p) => p.text).join(''));
}

function unescape(s: string): string {
  return s.replace(/\\(["\\nrt])|\$\$\{|%%\{/g, (m, c: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    return c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c!;
  });
}

/** The offsets of a string literal's content (inside the quotes), for fixes that rewrite it. */
export function stringContent(node: SyntaxNode): { start: number; end: number } | undefined {
  if (node.type !== 'string_lit') return undefined;
  return { start: node.startIndex + 1, end: node.endIndex - 1 };
}

/** A template without interpolation or directives (`"a"`, a heredoc) is a plain string. */
function templateString(node: SyntaxNode): string | undefined {
  const t = node.namedChildren[0];
  if (!t || (t.type !== 'quoted_template' && t.type !== 'heredoc_template')) return undefined;
  let out = '';
  for (const c of t.namedChildren) {
    if (c.type === 'template_literal') out += c.text;
    else if (c.type === 'template_interpolation' || c.type === 'template_directive') return undefined;
  }
  return t.type === 'heredoc_template' ? out.trim() : unescape(out);
}

/** A map key: a bare identifier or a string. */
function keyOf(expr: SyntaxNode | null): string | undefined {
  if (!expr) return undefined;
  let n: SyntaxNode | undefined = expr;
  while (n && (n.type === 'expression' || n.type === 'literal_value') && named(n).length === 1) n = named(n)[0];
  if (!n) return undefined;
  if (n.type === 'variable_expr') return n.text;
  return hclString(n);
}

/** The constant key of `[key]`. */
function indexKey(index: SyntaxNode): string | undefined {
  const inner = index.type === 'index' ? named(index)[0] : index;
  if (!inner) return undefined;
  if (inner.type === 'legacy_index') return inner.text.replace(/^\./, '');
  const expr = named(inner)[0];
  if (!expr) return undefined;
  const s = keyOf(expr);
  if (s !== undefined && expr.text.trim().startsWith('"')) return s;
  const n = /^\s*(\d+)\s*$/.exec(expr.text);
  return n ? n[1] : undefined;
}

/**
 * The shape of the chain `parts[0..end]` (`var.policies["legacy"]`, `local.cfg.tls`): a postfix
 * node stands for the chain up to it, so `object` of an entry is the node before it.
 */
function chainShape(parts: SyntaxNode[], end: number): Shape {
  const last = parts[end]!;
  if (!POSTFIX.has(last.type)) return end === 0 ? hcl.shape(last) : { t: 'other' };
  if (end === 0) return { t: 'other' };
  const prev = parts[end - 1]!;
  if (last.type === 'get_attr') {
    const name = named(last)[0]?.text;
    if (!name) return { t: 'other' };
    // var.x and local.x: names of the module; each.value and <dynamic block>.value: the element of for_each
    if (end === 1 && prev.type === 'variable_expr' && (prev.text === 'var' || prev.text === 'local' || name === 'value')) return { t: 'name', name: `${prev.text}.${name}` };
    // an attribute of a value (a map or object) is its entry; of a resource, data source or module, a member
    return valueChain(parts) ? { t: 'index', object: prev, key: name } : { t: 'member', object: prev, name };
  }
  if (last.type === 'index') {
    const key = indexKey(last);
    return key !== undefined ? { t: 'index', object: prev, key } : { t: 'other' };
  }
  return { t: 'other' };
}

/** True when a chain holds a value (`var.`, `local.`, a literal, a call), not a resource, data source or module address. */
function valueChain(parts: SyntaxNode[]): boolean {
  const head = parts[0]!;
  if (head.type !== 'variable_expr' || head.text === 'var' || head.text === 'local') return true;
  const second = parts[1];
  return second?.type === 'get_attr' && named(second)[0]?.text === 'value';
}

/** The parts of the chain a node belongs to, and its index there. */
function chainOf(node: SyntaxNode): { parts: SyntaxNode[]; index: number } | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  const siblings = named(parent);
  const i = siblings.findIndex((c) => c.id === node.id);
  if (i < 0) return undefined;
  // the chain starts after the last non-postfix node before the first postfix run
  let start = i;
  while (start > 0 && POSTFIX.has(siblings[start]!.type)) start--;
  return { parts: siblings.slice(start, i + 1), index: i - start };
}

/** The operator token of an operation, and the operands around it (each the last node of its chain). */
function operation(node: SyntaxNode): { op: string; left?: SyntaxNode; right: SyntaxNode } | undefined {
  let opIndex = -1;
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    if (!c.isNamed && c.type !== '(' && c.type !== ')') {
      opIndex = i;
      if (node.type === 'binary_operation') break;
    }
  }
  if (opIndex < 0) return undefined;
  const op = node.child(opIndex)!.type;
  let left: SyntaxNode | undefined;
  for (let i = opIndex - 1; i >= 0; i--) {
    const c = node.child(i)!;
    if (c.isNamed && c.type !== 'comment') {
      left = c;
      break;
    }
  }
  let right: SyntaxNode | undefined;
  for (let i = node.childCount - 1; i > opIndex; i--) {
    const c = node.child(i)!;
    if (c.isNamed && c.type !== 'comment') {
      right = c;
      break;
    }
  }
  return right ? { op, left, right } : undefined;
}

function callArgs(call: SyntaxNode): Arg[] {
  const list = call.namedChildren.find((c) => c.type === 'function_arguments');
  if (!list) return [];
  const out: Arg[] = named(list)
    .filter((c) => c.type === 'expression')
    .map((node) => ({ node }));
  // `f(xs...)`: the last argument is spread
  if (list.namedChildren.some((c) => c.type === 'ellipsis') && out.length) out[out.length - 1] = { node: out[out.length - 1]!.node, spread: true };
  return out;
}

/** Functions that give back one of their arguments. */
const EITHER = new Set(['try', 'coalesce', 'coalescelist']);
/** Conversions that keep the value. */
const KEEP = new Set(['tostring', 'tolist', 'toset', 'tomap', 'sensitive', 'nonsensitive', 'one']);

function callShape(node: SyntaxNode): Shape {
  const name = node.namedChildren.find((c) => c.type === 'identifier')?.text ?? '';
  const args = callArgs(node);
  const plain = args.every((a) => !a.spread);
  if (EITHER.has(name) && plain && args.length) return { t: 'either', options: args.map((a) => a.node), ...(name.startsWith('coalesce') ? { nonNull: true } : {}) };
  if (KEEP.has(name) && plain && args.length === 1) return { t: 'wrap', inner: args[0]!.node };
  if (name === 'lookup' && plain && args.length >= 2) {
    const key = keyOf(args[1]!.node);
    if (key === undefined || !args[1]!.node.text.trim().startsWith('"')) return args[2] ? { t: 'wrap', inner: args[2].node } : { t: 'other' };
    // the entry, or the default when the map has none (a map only known at apply time)
    const entry: Shape = { t: 'index', object: args[0]!.node, key };
    return args[2] ? { t: 'either', options: [lookupEntry(node), args[2].node] } : entry;
  }
  if (name === 'concat') return { t: 'list', items: [], spread: args.map((a) => a.node) };
  return { t: 'call', callee: node, name, args };
}

/**
 * `lookup(m, "k", default)` needs a node that means `m["k"]`: the call's identifier stands for it
 * (shape of a `function_call`'s name identifier).
 */
function lookupEntry(call: SyntaxNode): SyntaxNode {
  return call.namedChildren.find((c) => c.type === 'identifier')!;
}

export const hcl: Grammar = {
  // `var.x` is declared as `variable "x"` and `local.x` inside `locals {}`
  namesSpelledAsDeclared: false,
  id: 'hcl',
  kinds: ['terraform', 'tfvars'],
  factsQuery: FACTS,

  isConst() {
    return true;
  },

  shape(node): Shape {
    switch (node.type) {
      case 'expression': {
        const parts = named(node);
        if (parts.length === 0) return { t: 'other' };
        if (parts.length === 1) return { t: 'wrap', inner: parts[0]! };
        return chainShape(parts, parts.length - 1);
      }
      case 'get_attr':
      case 'index':
      case 'splat':
      case 'legacy_index': {
        const chain = chainOf(node);
        return chain ? chainShape(chain.parts, chain.index) : { t: 'other' };
      }
      case 'literal_value':
      case 'collection_value':
      case 'operation':
        return named(node)[0] ? { t: 'wrap', inner: named(node)[0]! } : { t: 'other' };
      case 'string_lit': {
        const v = hclString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'template_expr': {
        const v = templateString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'numeric_lit': {
        const n = Number(node.text);
        return Number.isFinite(n) ? { t: 'number', value: n } : { t: 'other' };
      }
      case 'bool_lit':
        return { t: 'bool', value: node.text === 'true' };
      case 'null_lit':
        return { t: 'null' };
      case 'variable_expr':
        return { t: 'name', name: node.text };
      case 'identifier': {
        // the name of `lookup(m, "k", default)`: stands for `m["k"]`
        const call = node.parent;
        if (call?.type === 'function_call' && node.text === 'lookup') {
          const args = callArgs(call);
          const key = args[1] ? keyOf(args[1].node) : undefined;
          if (args[0] && key !== undefined) return { t: 'index', object: args[0].node, key };
        }
        return { t: 'other' };
      }
      case 'conditional': {
        const [cond, then, other] = named(node);
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'binary_operation': {
        const o = operation(node);
        return o?.left ? { t: 'binary', op: o.op, left: o.left, right: o.right } : { t: 'other' };
      }
      case 'unary_operation': {
        const o = operation(node);
        return o ? { t: 'unary', op: o.op, operand: o.right } : { t: 'other' };
      }
      case 'tuple':
        return { t: 'list', items: named(node).filter((c) => c.type === 'expression') };
      case 'object': {
        const entries: Array<{ key: string; node: SyntaxNode }> = [];
        for (const e of named(node)) {
          if (e.type !== 'object_elem') continue;
          const key = keyOf(e.childForFieldName('key'));
          const val = e.childForFieldName('val');
          if (key !== undefined && val) entries.push({ key, node: val });
        }
        return { t: 'map', entries };
      }
      case 'function_call':
        return callShape(node);
      case 'attribute': {
        // `for_each = xs` binds each.value: one element of xs
        const value = attributeValue(node);
        return node.namedChildren[0]?.text === 'for_each' && value ? { t: 'element', of: value } : { t: 'other' };
      }
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    // variable "x" { ... } binds var.x; output "x" { ... } binds x, read by callers as module.<name>.x
    if (node.parent?.type === 'block' && (node.type === 'string_lit' || node.type === 'identifier')) {
      const block = node.parent;
      const label = node.type === 'string_lit' ? hclString(node) : node.text;
      if (!label || block.firstNamedChild?.id === node.id) return undefined;
      return { kind: 'name', name: blockType(block) === 'output' ? label : `var.${label}` };
    }
    if (node.type !== 'identifier') return undefined;
    const attribute = node.parent;
    const body = attribute?.parent;
    const owner = body?.parent;
    if (!owner) return undefined;
    // for_each binds each.value (in a dynamic block, `<label>.value` or `<iterator>.value`)
    if (node.text === 'for_each' && owner.type === 'block') return { kind: 'name', name: `${iteratorOf(owner)}.value` };
    // a top-level attribute: a value of a `.tfvars` file
    if (owner.type === 'config_file') return { kind: 'name', name: `var.${node.text}` };
    if (owner.type === 'block' && owner.namedChildren[0]?.text === 'locals') return { kind: 'name', name: `local.${node.text}` };
    return undefined;
  },

  crossFile: {
    forName(name, ctx) {
      const m = /^(var|local)\./.exec(name);
      if (!m) return [];
      // the module is the folder: its other .tf files, the likely definers first
      const dir = path.dirname(ctx.file);
      const files = ctx.list(dir).filter((f) => f.endsWith('.tf'));
      const likely = m[1] === 'var' ? /variables?|vars?|inputs?/i : /locals?/i;
      return [...files.filter((f) => likely.test(f)), ...files.filter((f) => !likely.test(f))].map((f) => path.join(dir, f));
    },
    forMember(qualifier, _name, ctx) {
      // module.<label>.<output>: the outputs of a local module called in this folder
      const m = /^module\.([\w-]+)$/.exec(qualifier);
      const folder = m ? moduleFolder(m[1]!, ctx) : undefined;
      if (!folder) return [];
      const files = ctx.list(folder).filter((f) => f.endsWith('.tf'));
      return [...files.filter((f) => /outputs?/i.test(f)), ...files.filter((f) => !/outputs?/i.test(f))].map((f) => path.join(folder, f));
    },
    inputs(name, ctx) {
      if (!name.startsWith('var.')) return [];
      // Terraform loads terraform.tfvars, then *.auto.tfvars in lexical order; a later file wins
      const dir = path.dirname(ctx.file);
      const files = ctx.list(dir);
      const auto = files.filter((f) => f.endsWith('.auto.tfvars')).reverse();
      return [...auto, ...files.filter((f) => f === 'terraform.tfvars')].map((f) => path.join(dir, f));
    },
  },
};

/** Module files read for a `module "<label>"` block's source (bytes). */
const MAX_SOURCE_SCAN = 512 * 1024;

/**
 * The folder of the local module `label` called by a `.tf` file of the asking file's folder. Read
 * from the files' text (a `module "label" {` block and its `source`), since the caller's folder is
 * not parsed for a member lookup.
 */
function moduleFolder(label: string, ctx: CrossFileContext): string | undefined {
  const dir = path.dirname(ctx.file);
  const block = new RegExp(`^\\s*module\\s+"?${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*\\{`, 'm');
  for (const f of ctx.list(dir)) {
    if (!f.endsWith('.tf')) continue;
    let text: string;
    try {
      const file = path.join(dir, f);
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size > MAX_SOURCE_SCAN) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const at = block.exec(text);
    if (!at) continue;
    const source = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/m.exec(text.slice(at.index + at[0].length, at.index + at[0].length + 4000).split(/^\s*\}\s*$/m)[0]!);
    return source ? path.resolve(dir, source[1]!) : undefined;
  }
  return undefined;
}

/** The iterator name of a block with `for_each`: `each`, or a dynamic block's label or `iterator`. */
function iteratorOf(block: SyntaxNode): string {
  if (blockType(block) !== 'dynamic') return 'each';
  const it = blockAttributes(block).get('iterator');
  const value = it && attributeValue(it);
  return value?.text.trim() || blockLabels(block)[0] || 'each';
}

// --- Terraform modules --------------------------------------------------------------------------

/** The labels of a block (`resource "aws_lb_listener" "front"` gives the two strings). */
export function blockLabels(block: SyntaxNode): string[] {
  // `resource "type" "name"`, or the older unquoted `resource type "name"`
  return block.namedChildren
    .slice(1)
    .filter((c) => c.type === 'string_lit' || c.type === 'identifier')
    .map((c) => (c.type === 'identifier' ? c.text : (hclString(c) ?? '')));
}

/** The block type (`resource`, `module`, `locals`...). */
export function blockType(block: SyntaxNode): string {
  const first = block.firstNamedChild;
  return first?.type === 'identifier' ? first.text : '';
}

/** `name = expr` attributes directly in a block: name -> the attribute node. */
export function blockAttributes(block: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const body = block.namedChildren.find((c) => c.type === 'body');
  for (const a of body?.namedChildren ?? []) {
    if (a.type !== 'attribute') continue;
    const name = a.namedChildren[0];
    if (name && a.namedChildren.some((c) => c.type === 'expression')) out.set(name.text, a);
  }
  return out;
}

/** The value expression of an attribute. */
export function attributeValue(attribute: SyntaxNode): SyntaxNode | undefined {
  return attribute.namedChildren.find((c) => c.type === 'expression');
}

/** Module arguments that are Terraform's own, not inputs of the child. */
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** The folder a module block's `source` names, when it is a local path (`./x`, `../x`). */
export function localModuleFolder(sem: Semantics, module: SyntaxNode): string | undefined {
  const source = localSource(sem, module);
  return source === undefined ? undefined : path.resolve(path.dirname(sem.src.path), source);
}

function localSource(sem: Semantics, module: SyntaxNode): string | undefined {
  const source = blockAttributes(module).get('source');
  const value = source && attributeValue(source);
  if (!value) return undefined;
  const s = sem.values(value).find((f) => f.value.type === 'string');
  return s && s.value.type === 'string' && /^\.\.?\//.test(s.value.value) ? s.value.value : undefined;
}

let useQuery: Parser.Query | undefined;
const usesMemo = new WeakMap<object, Map<string, SyntaxNode[]>>();

/** The uses of `var.<name>` and `local.<name>` in a file, by full name (one query run per tree, memoised). */
function variableUses(sem: Semantics): Map<string, SyntaxNode[]> {
  let uses = usesMemo.get(sem.root.tree);
  if (uses) return uses;
  if (!useQuery) {
    const language = grammarFor(fileKindById('terraform')!).language;
    useQuery = new (treeSitter().Query)(language, '(_ (variable_expr (identifier) @head (#any-of? @head "var" "local")) . (get_attr (identifier) @name) @use)');
  }
  const q = useQuery;
  uses = new Map();
  for (const m of q.matches(sem.root, queryLimits())) {
    const head = m.captures.find((c) => c.name === 'head')?.node.text;
    const last = m.captures.find((c) => c.name === 'name')?.node.text;
    const use = m.captures.find((c) => c.name === 'use')?.node;
    if (!head || !last || !use) continue;
    const name = `${head}.${last}`;
    let list = uses.get(name);
    if (!list) uses.set(name, (list = []));
    list.push(use);
  }
  usesMemo.set(sem.root.tree, uses);
  return uses;
}

/** The attribute an expression node is part of. */
function enclosingAttribute(node: SyntaxNode): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'attribute') return n;
    if (n.type === 'block' || n.type === 'config_file') return undefined;
  }
  return undefined;
}

/** Files of a module folder read for module inputs. */
const MAX_MODULE_FILES = 40;

export interface ModuleInputFlow<S> {
  /** The module argument (attribute) in the caller. */
  argument: SyntaxNode;
  /** The module's `source` (`./modules/lb`). */
  source: string;
  /** What the rule said of the sink. */
  sink: S;
  /** The sink's value expression, in the child module. */
  sinkValue: SyntaxNode;
  sinkSem: Semantics;
  /**
   * The possibilities of the argument (evaluated in the caller) that reach the sink through the
   * child's `var.<argument>`, each with the call-site step (at the argument) and the child's path.
   */
  flows: Flow[];
}

/**
 * A `module` block with a local `source` is a call of the child folder: each argument is the value
 * of the child's `var.<argument>`. For every argument whose variable reaches an attribute that
 * `sinkOf` accepts in the child's `*.tf` files, the argument's possibilities that reach it there
 * (through the variable itself, a local or a conditional; not through an entry of a map).
 */
export function moduleInputs<S>(sem: Semantics, module: SyntaxNode, sinkOf: (attribute: SyntaxNode, sem: Semantics) => S | undefined): Array<ModuleInputFlow<S>> {
  return inputsOf(sem, module, sinkOf, 0);
}

/** Module calls followed below the caller (a module argument passed on to a grandchild's module is the second). */
const MAX_MODULE_LEVELS = 2;
/** Names followed from a variable to a setting in the child: the variable and the locals built on it (`local.a = var.x`, `local.b = local.a`). */
const MAX_NAMES = 8;

/** Where a module argument is read in the child: an attribute that uses the variable (or a local built on it), or a grandchild module's argument. */
interface Reach {
  name: string;
  argument: SyntaxNode;
  value: SyntaxNode;
  child: Semantics;
  use: SyntaxNode;
  attribute: SyntaxNode;
  /** The attribute is an argument of this module block of the child. */
  module?: SyntaxNode;
}

interface ModuleCall {
  source: string;
  folder: string;
  label: string;
  reaches: Reach[];
}

/** Per tree: module block id -> what its arguments reach (the same for every rule, so computed once). */
const callMemo = new WeakMap<object, Map<number, ModuleCall | null>>();

function moduleCall(sem: Semantics, module: SyntaxNode): ModuleCall | undefined {
  let byId = callMemo.get(sem.root.tree);
  if (!byId) callMemo.set(sem.root.tree, (byId = new Map()));
  const hit = byId.get(module.id);
  if (hit !== undefined) return hit ?? undefined;
  const call = readModuleCall(sem, module);
  byId.set(module.id, call ?? null);
  return call;
}

function readModuleCall(sem: Semantics, module: SyntaxNode): ModuleCall | undefined {
  const source = localSource(sem, module);
  const ctx = sem.crossFile();
  if (source === undefined || !ctx) return undefined;
  const folder = path.resolve(path.dirname(sem.src.path), source);
  const label = blockLabels(module)[0] ?? '';
  const children = ctx
    .list(folder)
    .filter((f) => f.endsWith('.tf'))
    .slice(0, MAX_MODULE_FILES)
    .map((f) => sem.open(path.join(folder, f)))
    .filter((s): s is Semantics => !!s && s !== sem);
  const reaches: Reach[] = [];
  for (const [name, argument] of blockAttributes(module)) {
    if (META_ARGUMENTS.has(name)) continue;
    const value = attributeValue(argument);
    if (!value) continue;
    // the attributes of the child that read the variable, directly or through its locals
    const names = [`var.${name}`];
    const seen = new Set(names);
    for (let i = 0; i < names.length && i < MAX_NAMES; i++) {
      for (const child of children) {
        for (const use of variableUses(child).get(names[i]!) ?? []) {
          const attribute = enclosingAttribute(use);
          const owner = attribute?.parent?.parent;
          if (!attribute || owner?.type !== 'block') continue;
          const type = blockType(owner);
          if (type === 'locals') {
            const local = `local.${attribute.firstNamedChild?.text ?? ''}`;
            if (!seen.has(local)) {
              seen.add(local);
              names.push(local);
            }
            continue;
          }
          const nested = type === 'module' && owner.parent?.parent?.type === 'config_file';
          reaches.push({ name, argument, value, child, use, attribute, ...(nested ? { module: owner } : {}) });
        }
      }
    }
  }
  return { source, folder, label, reaches };
}

function inputsOf<S>(sem: Semantics, module: SyntaxNode, sinkOf: (attribute: SyntaxNode, sem: Semantics) => S | undefined, level: number, only?: string): Array<ModuleInputFlow<S>> {
  const call = moduleCall(sem, module);
  if (!call) return [];
  const { source, folder, label } = call;
  const out: Array<ModuleInputFlow<S>> = [];
  for (const r of call.reaches) {
    if (only !== undefined && r.name !== only) continue;
    const variable = `var.${r.name}`;
    const callSite: Step = { via: 'call-site', name: `module.${label}`, node: r.value, src: sem.src };
    const parameter: Step = { via: 'parameter', name: r.name, node: r.use, src: r.child.src };
    if (r.module) {
      // passed on to a grandchild module: its findings, with this caller's argument in place of the variable
      if (level + 1 >= MAX_MODULE_LEVELS) continue;
      for (const inner of inputsOf(r.child, r.module, sinkOf, level + 1, r.attribute.firstNamedChild?.text)) {
        const flows = substitute(inner.flows, variable, folder, sem.values(r.value), callSite, parameter);
        const shown = `./${path.relative(path.dirname(sem.src.path), path.dirname(inner.sinkSem.src.path)).split(path.sep).join('/')}`;
        if (flows.length) out.push({ ...inner, argument: r.argument, source: shown, flows });
      }
      continue;
    }
    const sink = sinkOf(r.attribute, r.child);
    const sinkValue = sink === undefined ? undefined : attributeValue(r.attribute);
    if (sink === undefined || !sinkValue) continue;
    const flows = substitute(r.child.values(sinkValue), variable, folder, sem.values(r.value), callSite, parameter);
    if (flows.length) out.push({ argument: r.argument, source, sink, sinkValue, sinkSem: r.child, flows });
  }
  return out;
}

/**
 * The child's possibilities that came through `variable` (a step of that name in the child's
 * folder, or the variable itself when it has no value), with the caller's possibilities in place
 * of what the child knows of the variable.
 */
function substitute(childFlows: Flow[], variable: string, folder: string, given: Flow[], callSite: Step, parameter: Step): Flow[] {
  const out: Flow[] = [];
  const seen = new Set<string>();
  for (const f of childFlows) {
    const i = f.steps.findIndex((s) => s.name === variable && path.dirname(s.src.path) === folder);
    let before: Step[];
    if (i >= 0) {
      // an entry of the variable's map, a concatenation... are not the argument itself
      if (f.steps.slice(i).some((s) => s.via === 'element')) continue;
      before = f.steps.slice(0, i);
    } else if (f.value.type === 'symbol' && f.value.name === variable) {
      before = f.steps;
    } else continue;
    const key = before.map((s) => `${s.src.path}:${s.node.id}`).join('|') + `#${f.guard?.node.id ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const g of given) out.push({ ...g, steps: [...before, parameter, callSite, ...g.steps], guard: g.guard ?? f.guard });
  }
  return out;
}
