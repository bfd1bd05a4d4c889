/**
 * The Go adapter of the semantic layer (tree-sitter-go).
 *
 * Go in the layer's words: functions, methods (the receiver is an implicit first parameter that
 * takes the call's receiver) and function literals are scopes; there are no classes. `:=`, `var`
 * and `const` declare (paired by position, `a, b := x, y`; `cfg, err := f()` binds the first
 * result), `=` and `op=` assign. Imports bind their package name (or alias) to the import path,
 * so `stdtls.VersionTLS10` qualifies to `crypto/tls.VersionTLS10` under any alias. Composite
 * literals are lists (`[]uint16{...}`) or maps of their keyed elements (`tls.Config{MinVersion:
 * ...}`, which `cfg.MinVersion` reads back); `append` and `make` build lists; conversions
 * (`uint16(x)`), `&x`, `*x`, parentheses and type assertions keep the value. Go has no parameter
 * defaults and no ternary: conditional values come from `if`/`switch` branches.
 *
 * Other files: bare names come from the other files of the package (the same folder; `_test.go`
 * files only for a test), qualified names of an imported package of the same module from that
 * package's folder (the module path of the nearest go.mod). Candidate files are screened by a
 * cheap scan of their top-level declarations before any is parsed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detach } from '../source.js';
import type { SyntaxNode } from '../rule.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';

/** Statements with more targets than this are not paired (no binding). */
const MAX_PAIRED = 4;

function seq(n: number, capture: string, field = ''): string {
  return Array.from({ length: n }, () => `${field}(_) @${capture}`).join(' . ');
}

/** `a, b := x, y` paired by position; `a, b := f()` binds the first target to the call, the others to nothing. */
function pairedPatterns(stmt: string, kind: 'decl' | 'assign'): string {
  const op = kind === 'assign' ? ' operator: _ @assign.op' : '';
  const out: string[] = [];
  for (let n = 1; n <= MAX_PAIRED; n++) {
    out.push(`(${stmt} left: (expression_list . ${seq(n, `${kind}.target`)} .)${op} right: (expression_list . ${seq(n, `${kind}.value`)} .)) @${kind}`);
  }
  out.push(`(${stmt} left: (expression_list . (_) @${kind}.target . (_))${op} right: (expression_list . (_) @${kind}.value .)) @${kind}`);
  out.push(`(${stmt} left: (expression_list . (_) . (_)) @${kind}.others${op} right: (expression_list . (_) .)) @${kind}`);
  return out.join('\n');
}

/** `var a, b = x, y`, `const c uint16 = x`: names paired with values; `var a, b = f()` binds the first; `var x T` binds nothing. */
function specPatterns(spec: string, constant: boolean): string {
  const mark = constant ? ' @decl.const' : '';
  const out: string[] = [];
  for (let n = 1; n <= MAX_PAIRED; n++) {
    const names = Array.from({ length: n }, () => '(identifier) @decl.target').join(' . ');
    out.push(`(${spec} . ${names} value: (expression_list . ${seq(n, 'decl.value')} .)) @decl${mark}`);
  }
  out.push(`(${spec} . (identifier) . (identifier) value: (expression_list . (_) .)) @decl.others @decl${mark}`);
  out.push(`(${spec} name: (identifier) @decl.target !value) @decl${mark}`);
  return out.join('\n');
}

const PARAM_OWNERS = ['function_declaration', 'method_declaration', 'func_literal'];

const FACTS = `
(function_declaration name: (identifier) @fn.name) @fn
(method_declaration name: (field_identifier) @fn.name) @fn
(func_literal) @fn

${PARAM_OWNERS.map(
  (o) => `(${o} parameters: (parameter_list (parameter_declaration name: (identifier) @param.name @param)))
(${o} parameters: (parameter_list (variadic_parameter_declaration name: (identifier) @param.name @param) @param.rest))`,
).join('\n')}
(method_declaration receiver: (parameter_list (parameter_declaration name: (identifier) @param.name @param)))

${pairedPatterns('short_var_declaration', 'decl')}
${pairedPatterns('assignment_statement', 'assign')}
${specPatterns('var_spec', false)}
${specPatterns('const_spec', true)}
(range_clause left: (expression_list (identifier) @decl.target)) @decl

(call_expression function: (identifier) @call.name) @call
(call_expression function: (selector_expression field: (field_identifier) @call.name)) @call

(return_statement (expression_list . (_) @return.value)) @return

(if_statement condition: (_) @branch.cond consequence: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (_) @branch.else)
(expression_case) @branch
(default_case) @branch
(type_case) @branch
(communication_case) @branch
(for_statement body: (_) @branch)

(import_spec name: (package_identifier) @import.name path: (interpreted_string_literal (interpreted_string_literal_content) @import.path)) @import
(import_spec !name path: (interpreted_string_literal (interpreted_string_literal_content) @import.path @import.name)) @import
(import_spec name: (dot) path: (interpreted_string_literal (interpreted_string_literal_content) @import.path)) @import
(package_clause (package_identifier) @package.name) @package
`;

/** The package name an import path binds when it has no alias: its last element, without a `/vN` or `.vN` version. */
function packageNameOf(importPath: string): string {
  const parts = importPath.split('/').filter(Boolean);
  let last = parts[parts.length - 1] ?? importPath;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/[.-]go$/, '').replace(/[^\w]/g, '_');
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

/** The decoded content of a Go string literal, or undefined. */
export function goString(node: SyntaxNode): string | undefined {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1).replace(/\r/g, '');
  if (node.type !== 'interpreted_string_literal') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'interpreted_string_literal_content') out += c.text;
    else if (c.type === 'escape_sequence') {
      const e = c.text.slice(1);
      if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else if (/^(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})$/.test(e)) out += String.fromCodePoint(parseInt(e.slice(1), 16));
      else if (/^[0-7]{3}$/.test(e)) out += String.fromCharCode(parseInt(e, 8));
      else return undefined;
    }
  }
  return out;
}

function goNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[oO]/.test(t)) n = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t, 8);
  else n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Builtin types whose conversions keep the value: `uint16(tls.VersionTLS10)`. */
const CONVERSIONS = new Set(['uint16', 'uint32', 'uint64', 'uint8', 'uint', 'int', 'int8', 'int16', 'int32', 'int64', 'uintptr', 'byte', 'rune', 'string', 'bool', 'float32', 'float64']);
const LIST_TYPES = new Set(['slice_type', 'array_type', 'implicit_length_array_type']);

function isComment(n: SyntaxNode): boolean {
  return n.type === 'comment';
}

/** The expression inside a `literal_element` (or the node itself). */
function element(n: SyntaxNode): SyntaxNode {
  return n.type === 'literal_element' ? (n.namedChildren.find((c) => !isComment(c)) ?? n) : n;
}

function argsOf(list: SyntaxNode | null): Arg[] {
  return (list?.namedChildren ?? []).filter((a) => !isComment(a)).map((a) => (a.type === 'variadic_argument' && a.firstNamedChild ? { node: a.firstNamedChild, spread: true } : { node: a }));
}

/** The key of a keyed element as the map's key: a field name, a string's content, else its text. */
function keyOf(key: SyntaxNode): string {
  const k = element(key);
  return goString(k) ?? k.text;
}

/** A `{...}` body: a list of its elements, or a map of its keyed elements. */
function literalShape(body: SyntaxNode | null, asList: boolean): Shape {
  const elements = (body?.namedChildren ?? []).filter((c) => !isComment(c));
  if (asList) return { t: 'list', items: elements.map((e) => (e.type === 'keyed_element' ? element(e.childForFieldName('value') ?? e) : element(e))) };
  const entries: Array<{ key: string; node: SyntaxNode }> = [];
  for (const e of elements) {
    if (e.type !== 'keyed_element') continue;
    const key = e.childForFieldName('key');
    const value = e.childForFieldName('value');
    if (key && value) entries.push({ key: keyOf(key), node: element(value) });
  }
  return { t: 'map', entries };
}

export const go: Grammar = {
  id: 'go',
  kinds: ['go'],
  factsQuery: FACTS,

  isConst(decl) {
    return decl.type === 'const_spec';
  },

  nameOf(node) {
    return node.type === 'interpreted_string_literal_content' ? packageNameOf(node.text) : node.text;
  },

  implicitParams(fn) {
    // a method's named receiver is its first parameter; the call passes it before the dot
    if (fn.type !== 'method_declaration') return 0;
    return fn.childForFieldName('receiver')?.namedChildren.some((p) => p.childForFieldName('name')) ? 1 : 0;
  },

  shape(node): Shape {
    switch (node.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal': {
        const v = goString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'int_literal':
      case 'float_literal': {
        const n = goNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'true':
        return { t: 'bool', value: true };
      case 'false':
        return { t: 'bool', value: false };
      case 'nil':
        return { t: 'null' };
      case 'identifier':
        return node.text === '_' ? { t: 'other' } : { t: 'name', name: node.text };
      case 'package_identifier':
        return { t: 'name', name: node.text };
      case 'selector_expression': {
        const object = node.childForFieldName('operand');
        const field = node.childForFieldName('field');
        return object && field ? { t: 'member', object, name: field.text } : { t: 'other' };
      }
      case 'qualified_type': {
        const pkg = node.childForFieldName('package');
        const name = node.childForFieldName('name');
        return pkg && name ? { t: 'member', object: pkg, name: name.text } : { t: 'other' };
      }
      case 'index_expression': {
        const object = node.childForFieldName('operand');
        const index = node.childForFieldName('index');
        const key = index ? goString(index) : undefined;
        return object && key !== undefined ? { t: 'index', object, key } : { t: 'other' };
      }
      case 'parenthesized_expression':
      case 'literal_element':
      case 'expression_list': {
        const inner = node.namedChildren.filter((c) => !isComment(c));
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'type_assertion_expression':
      case 'type_conversion_expression': {
        const inner = node.childForFieldName('operand');
        return inner ? { t: 'wrap', inner } : { t: 'other' };
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('operand');
        const op = node.childForFieldName('operator')?.text;
        if (!operand || !op) return { t: 'other' };
        if (op === '&' || op === '*') return { t: 'wrap', inner: operand };
        return { t: 'unary', op: op === '^' ? '~' : op, operand };
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        // `flags &^ mask` clears bits: the layer's `&~`
        return left && right && op ? { t: 'binary', op: op === '&^' ? '&~' : op, left, right } : { t: 'other' };
      }
      case 'composite_literal': {
        const type = node.childForFieldName('type');
        return literalShape(node.childForFieldName('body'), !!type && LIST_TYPES.has(type.type));
      }
      case 'literal_value':
        return literalShape(node, !node.namedChildren.some((c) => c.type === 'keyed_element'));
      case 'func_literal':
        return { t: 'function', node };
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        if (!fn) return { t: 'other' };
        const list = node.childForFieldName('arguments');
        if ((fn.type === 'identifier' && (CONVERSIONS.has(fn.text) || fn.text === 'new')) || fn.type === 'parenthesized_expression') {
          const args = argsOf(list);
          if (args.length === 1 && !args[0]!.spread) return fn.type === 'identifier' && fn.text === 'new' ? { t: 'new', type: args[0]!.node.text, args: [] } : { t: 'wrap', inner: args[0]!.node };
        }
        // the arguments (and a selector's receiver) are read only when asked: the facts index needs only the name
        let args: Arg[] | undefined;
        let receiver: SyntaxNode | null | undefined;
        const selector = fn.type === 'selector_expression';
        const text = selector ? fn.text : '';
        return {
          t: 'call',
          callee: fn,
          name: selector ? text.slice(text.lastIndexOf('.') + 1).trim() : fn.type === 'identifier' ? fn.text : '',
          get args(): Arg[] {
            return (args ??= argsOf(list));
          },
          get receiver(): SyntaxNode | undefined {
            if (!selector) return undefined;
            if (receiver === undefined) receiver = fn.childForFieldName('operand');
            return receiver ?? undefined;
          },
        };
      }
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    switch (node.type) {
      case 'identifier':
        return node.text === '_' ? undefined : { kind: 'name', name: node.text };
      case 'selector_expression': {
        // `a.b.Field`: the field is the last segment (read from the text: the index needs no node for it)
        const text = node.text;
        const dot = text.lastIndexOf('.');
        if (dot <= 0) return undefined;
        let object: SyntaxNode | null | undefined;
        return {
          kind: 'member',
          object: text.slice(0, dot).replace(/\s+/g, ''),
          name: text.slice(dot + 1).trim(),
          get objectNode(): SyntaxNode {
            return (object ??= node.childForFieldName('operand'))!;
          },
        };
      }
      case 'index_expression': {
        const object = node.childForFieldName('operand');
        const index = node.childForFieldName('index');
        return object && index ? { kind: 'element', object: object.text.replace(/\s+/g, ''), name: index.text, objectNode: object } : undefined;
      }
      case 'parenthesized_expression':
        return node.firstNamedChild ? go.target(node.firstNamedChild) : undefined;
      default:
        return undefined;
    }
  },

  listCall(call) {
    if (call.receiver) return undefined;
    // append(base, a, b) / append(base, more...): base's items, then the new ones
    if (call.name === 'append' && call.args.length >= 1) {
      const [base, ...rest] = call.args;
      return { t: 'list', items: rest.filter((a) => !a.spread).map((a) => a.node), spread: [base!.node, ...rest.filter((a) => a.spread).map((a) => a.node)] };
    }
    // make([]uint16, 0, n): an empty list
    if (call.name === 'make' && call.args[0] && LIST_TYPES.has(call.args[0].node.type)) return { t: 'list', items: [] };
    return undefined;
  },

  crossFile: {
    forName(name, ctx) {
      const dir = path.dirname(ctx.file);
      const test = ctx.file.endsWith('_test.go');
      return goFiles(dir, ctx, test).filter((p) => p !== ctx.file && declares(p, name, ctx.packageName));
    },
    forMember(qualifier, name, ctx) {
      // `pkg.Name` of an imported package of the same module: that package's folder
      if (!qualifier.includes('/') && !qualifier.includes('.')) return [];
      const mod = moduleOf(path.dirname(ctx.file), ctx);
      if (!mod || (qualifier !== mod.path && !qualifier.startsWith(mod.path + '/'))) return [];
      const dir = path.join(mod.root, ...qualifier.slice(mod.path.length).split('/').filter(Boolean));
      return goFiles(dir, ctx, false).filter((p) => declares(p, name, undefined));
    },
  },
};

/** The Go files of a folder (tests only when asked). */
function goFiles(dir: string, ctx: CrossFileContext, withTests: boolean): string[] {
  return ctx
    .list(dir)
    .filter((f) => f.endsWith('.go') && (withTests || !f.endsWith('_test.go')))
    .map((f) => path.join(dir, f));
}

/** Files larger than this are not screened (nor opened by the project index). */
const MAX_SCREENED = 1024 * 1024;
/** Screened files remembered at once. */
const SCREEN_CACHE = 4096;

interface Screened {
  pkg?: string;
  names: Set<string>;
}

const screened = new Map<string, Screened | null>();

/**
 * The package and top-level names a Go file may declare, from a cheap scan of its text (a
 * superset: the parse decides). Cached per path for the scan.
 */
function screen(file: string): Screened | null {
  const hit = screened.get(file);
  if (hit !== undefined) return hit;
  let out: Screened | null = null;
  try {
    const stat = fs.lstatSync(file);
    if (stat.isFile() && stat.size <= MAX_SCREENED) {
      const text = fs.readFileSync(file, 'utf8');
      const names = new Set<string>();
      const add = (list: string) => {
        for (const n of list.split(',')) if (n.trim()) names.add(detach(n.trim()));
      };
      for (const m of text.matchAll(/^(?:const|var)[ \t]+(\w+(?:[ \t]*,[ \t]*\w+)*)/gm)) add(m[1]!);
      for (const m of text.matchAll(/^(?:const|var)[ \t]*\(([\s\S]*?)^\)/gm)) for (const l of m[1]!.matchAll(/^[ \t]*(\w+(?:[ \t]*,[ \t]*\w+)*)/gm)) add(l[1]!);
      for (const m of text.matchAll(/^func[ \t]+(\w+)/gm)) names.add(detach(m[1]!));
      const pkg = /^package[ \t]+(\w+)/m.exec(text)?.[1];
      out = { pkg: pkg === undefined ? undefined : detach(pkg), names };
    }
  } catch {
    out = null;
  }
  screened.set(file, out);
  if (screened.size > SCREEN_CACHE) screened.delete(screened.keys().next().value!);
  return out;
}

/** True when `file` may declare `name` at top level (in package `pkg`, when given). */
function declares(file: string, name: string, pkg: string | undefined): boolean {
  const s = screen(file);
  return !!s && s.names.has(name) && (pkg === undefined || s.pkg === undefined || s.pkg === pkg);
}

const modules = new Map<string, { root: string; path: string } | null>();

/** The nearest go.mod above `dir`: its folder and module path. */
function moduleOf(dir: string, ctx: CrossFileContext): { root: string; path: string } | undefined {
  const hit = modules.get(dir);
  if (hit !== undefined) return hit ?? undefined;
  let found: { root: string; path: string } | null = null;
  for (let d = dir, i = 0; i < 32; i++) {
    if (ctx.list(d).includes('go.mod')) {
      try {
        const text = fs.readFileSync(path.join(d, 'go.mod'), 'utf8');
        const m = /^[ \t]*module[ \t]+"?([^\s"]+)"?/m.exec(text);
        if (m) found = { root: d, path: m[1]! };
      } catch {
        // unreadable: no module
      }
      break;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  modules.set(dir, found);
  if (modules.size > SCREEN_CACHE) modules.delete(modules.keys().next().value!);
  return found ?? undefined;
}

/**
 * The expression code uses later to reach the value written at `node`: `cfg` for
 * `cfg := &tls.Config{...}` (or `var cfg = ...`, `cfg = ...`), `tr.TLSClientConfig` for a literal
 * in `tr := &http.Transport{TLSClientConfig: &tls.Config{...}}`; undefined otherwise.
 */
export function boundName(node: SyntaxNode): string | undefined {
  const h = holder(node);
  const parent = h.parent;
  if (!parent) return undefined;
  if (parent.type === 'expression_list') {
    const stmt = parent.parent;
    if (!stmt || parent.id !== stmt.childForFieldName('right')?.id && parent.id !== stmt.childForFieldName('value')?.id) return undefined;
    const index = parent.namedChildren.findIndex((c) => c.id === h.id);
    if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') return stmt.childForFieldName('left')?.namedChildren[index]?.text.replace(/\s+/g, '');
    if (stmt.type === 'var_spec') return stmt.childrenForFieldName('name')[index]?.text;
    return undefined;
  }
  if (parent.type === 'keyed_element' && parent.childForFieldName('value')?.id === h.id) {
    const outer = parent.parent?.parent;
    const field = parent.childForFieldName('key')?.text;
    if (outer?.type === 'composite_literal' && field) {
      const name = boundName(outer);
      return name ? `${name}.${field}` : undefined;
    }
  }
  return undefined;
}

/** The outermost expression that holds `node` unchanged (`&`, parentheses, a literal element). */
export function holder(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && ((n.parent.type === 'unary_expression' && n.parent.childForFieldName('operator')?.text === '&') || n.parent.type === 'parenthesized_expression' || n.parent.type === 'literal_element')) n = n.parent;
  return n;
}
