/**
 * The Python adapter of the semantic layer (tree-sitter-python).
 *
 * Python declares by assigning: a plain `x = ...` binds `x` in the innermost function, class or
 * module (a local, a class attribute, a module constant); `self.x = ...` writes a field of the
 * enclosing class. Imports bind local names to dotted paths (`from ssl import PROTOCOL_TLSv1 as P`
 * binds `P` to `ssl.PROTOCOL_TLSv1`); relative imports keep their leading dots and are resolved
 * against the importing file's folder, absolute ones by looking upward from it.
 */
import path from 'node:path';
import type { SyntaxNode } from '../rule.js';
import { lazyCall, type Arg, type CrossFileContext, type Grammar, type Shape, type Target } from './grammar.js';

const FACTS = `
(function_definition name: (identifier) @fn.name) @fn
(lambda body: (_) @fn.expr) @fn

(class_definition name: (identifier) @class.name) @class

(parameters (identifier) @param.name @param)
(lambda_parameters (identifier) @param.name @param)
(default_parameter name: (identifier) @param.name value: (_) @param.default) @param
(typed_parameter . (identifier) @param.name) @param
(typed_default_parameter name: (identifier) @param.name value: (_) @param.default) @param
(parameters (list_splat_pattern (identifier) @param.name) @param @param.rest)
(lambda_parameters (list_splat_pattern (identifier) @param.name) @param @param.rest)
(typed_parameter (list_splat_pattern (identifier) @param.name)) @param @param.rest
(parameters (dictionary_splat_pattern (identifier) @param.name) @param)
(lambda_parameters (dictionary_splat_pattern (identifier) @param.name) @param)
(typed_parameter (dictionary_splat_pattern (identifier) @param.name)) @param

(assignment left: (_) @decl.target right: (_)? @decl.value) @decl
(assignment left: (pattern_list ((_) @decl.target) ("," (_) @decl.target)*) right: (expression_list ((_) @decl.value) ("," (_) @decl.value)*)) @decl
(assignment left: (tuple_pattern ((_) @decl.target) ("," (_) @decl.target)*) right: (tuple ((_) @decl.value) ("," (_) @decl.value)*)) @decl
(assignment left: [(pattern_list ((_) @decl.target) ("," (_) @decl.target)*) (tuple_pattern ((_) @decl.target) ("," (_) @decl.target)*)] right: [(call) (identifier) (attribute) (subscript) (await) (list) (list_comprehension) (generator_expression) (parenthesized_expression) (conditional_expression)] @decl.value) @decl
(named_expression name: (identifier) @decl.target value: (_) @decl.value) @decl
(for_statement left: (identifier) @decl.target) @decl
(for_statement left: (pattern_list (identifier) @decl.target)) @decl
(with_item value: (as_pattern . (_) @decl.value alias: (as_pattern_target (identifier) @decl.target)) @decl)

(augmented_assignment left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign

(call function: (identifier) @call.name) @call
(call function: (attribute attribute: (identifier) @call.name)) @call

(return_statement (_) @return.value) @return

(if_statement condition: (_) @branch.cond consequence: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (else_clause body: (_) @branch.else))
(if_statement condition: (_) @branch.cond alternative: (elif_clause) @branch.else)
(elif_clause condition: (_) @branch.cond consequence: (_) @branch)
(case_clause) @branch
(except_clause) @branch
(for_statement body: (_) @branch)
(while_statement condition: (_) @branch.cond body: (_) @branch)

(import_statement name: (dotted_name . (identifier) @import.name @import.path)) @import
(import_statement name: (aliased_import name: (dotted_name) @import.path alias: (identifier) @import.name)) @import
(import_from_statement name: (dotted_name) @import.name @import.path) @import
(import_from_statement name: (aliased_import name: (dotted_name) @import.path alias: (identifier) @import.name)) @import
(import_from_statement module_name: (_) @import.path (wildcard_import)) @import
(assignment left: (identifier) @import.name right: (call function: [(identifier) (attribute)] @_loader arguments: (argument_list . (string) @import.path .)) (#match? @_loader "(^|\\.)(import_module|importorskip|__import__)$")) @import
`;

/** The content of a string literal (prefixes, quotes and simple escapes handled); undefined for f-strings with expressions. */
export function pythonString(node: SyntaxNode): string | undefined {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      if (part.type === 'comment') continue;
      const s = pythonString(part);
      if (s === undefined) return undefined;
      out += s;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  const start = node.namedChildren.find((c) => c.type === 'string_start')?.text ?? '';
  const raw = /r/i.test(start);
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += raw ? c.text : unescape(c.text);
  }
  return out;
}

function unescape(t: string): string {
  return t.replace(/\\(\r?\n|[\\'"abfnrtv0])/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'a':
      case 'b':
      case 'f':
      case 'v':
        return '';
      default:
        return c.startsWith('\n') || c.startsWith('\r') ? '' : c;
    }
  });
}

function pythonNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(t)) return undefined;
  const n = /^0[oO]/.test(t) ? parseInt(t.slice(2), 8) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The arguments of a call: positional, keyword (`protocol=...`), and `*xs` spreads. `**kw` spreads are left out. */
function args(list: SyntaxNode | null): Arg[] {
  if (!list) return [];
  if (list.type === 'generator_expression') return [{ node: list }];
  const out: Arg[] = [];
  for (const a of list.namedChildren) {
    if (a.type === 'comment' || a.type === 'dictionary_splat') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) out.push({ name, node: value });
    } else if (a.type === 'list_splat') {
      const inner = a.namedChildren.find((c) => c.type !== 'comment');
      if (inner) out.push({ node: inner, spread: true });
    } else {
      out.push({ node: a });
    }
  }
  return out;
}

/** Builtins whose shape depends on their arguments: `getattr`, `dict`, and those that copy a collection. */
const SPECIAL_CALLS = /^(?:getattr|dict|list|tuple|set|frozenset|sorted)$/;

/** A call shape whose arguments are read on first use (the facts index asks only for names). */
/** The items of a list, tuple, set or bare `a, b`: plain items and `*spread` ones. */
function listShape(node: SyntaxNode): Shape {
  const items: SyntaxNode[] = [];
  const spread: SyntaxNode[] = [];
  for (const c of node.namedChildren) {
    if (c.type === 'comment') continue;
    if (c.type === 'list_splat') {
      const inner = c.namedChildren.find((x) => x.type !== 'comment');
      if (inner) spread.push(inner);
    } else items.push(c);
  }
  return spread.length ? { t: 'list', items, spread } : { t: 'list', items };
}

/** The constant key of a subscript or dict entry: a string's content or a number's text. */
function keyOf(node: SyntaxNode): string | undefined {
  const s = pythonString(node);
  if (s !== undefined) return s;
  if (node.type === 'integer') return node.text;
  return undefined;
}

/** The class a method is defined in (through decorators), if `fn` is a method. */
function methodClass(fn: SyntaxNode): SyntaxNode | undefined {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type !== 'block') return undefined;
  return p.parent?.type === 'class_definition' ? p.parent : undefined;
}

function decorators(fn: SyntaxNode): string[] {
  const d = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  return d ? d.namedChildren.filter((c) => c.type === 'decorator').map((c) => c.text.replace(/^@\s*/, '')) : [];
}

export const python: Grammar = {
  id: 'python',
  kinds: ['python'],
  factsQuery: FACTS,
  blockTypes: ['block'],

  nameOf(node) {
    // `__init__` runs when the class is called: `Client(verify=False)` is a call site of it
    const text = node.text;
    if (text !== '__init__') return text;
    const fn = node.parent;
    if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.id === node.id) {
      const cls = methodClass(fn);
      const name = cls?.childForFieldName('name')?.text;
      if (name) return name;
    }
    return text;
  },

  importPathOf(node) {
    // `ssl = importlib.import_module("ssl")`, `ssl = pytest.importorskip("ssl")`
    if (node.type === 'string') return pythonString(node) ?? node.text;
    const text = node.text.replace(/\s+/g, '');
    let stmt: SyntaxNode | null = node.parent;
    if (stmt?.type === 'aliased_import') stmt = stmt.parent;
    if (stmt?.type !== 'import_from_statement') return text;
    const module = stmt.childForFieldName('module_name');
    if (!module || module.id === node.id) return text;
    const m = module.text.replace(/\s+/g, '');
    return m.endsWith('.') ? m + text : `${m}.${text}`;
  },

  implicitParams(fn, params, call) {
    // a method's `self`/`cls` is passed by the call's receiver (`obj.connect(x)`, `Client(x)`)
    const cls = methodClass(fn);
    if (!cls || params.length === 0) return 0;
    const decos = decorators(fn);
    if (decos.some((d) => /^staticmethod\b/.test(d))) return 0;
    const className = cls.childForFieldName('name')?.text;
    // `Base.connect(self, x)`: the instance is passed explicitly
    if (call.receiver && !decos.some((d) => /^classmethod\b/.test(d)) && call.receiver.text === className && fn.childForFieldName('name')?.text !== '__init__') return 0;
    return 1;
  },

  shape(node): Shape {
    switch (node.type) {
      case 'string':
      case 'concatenated_string': {
        const v = pythonString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'integer':
      case 'float': {
        const n = pythonNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'true':
        return { t: 'bool', value: true };
      case 'false':
        return { t: 'bool', value: false };
      case 'none':
        return { t: 'null' };
      case 'identifier':
        return node.text === 'self' || node.text === 'cls' ? { t: 'self' } : { t: 'name', name: node.text };
      case 'attribute': {
        const object = node.childForFieldName('object');
        const name = node.childForFieldName('attribute');
        return object && name ? { t: 'member', object, name: name.text } : { t: 'other' };
      }
      case 'subscript': {
        const object = node.childForFieldName('value');
        const keys = node.childrenForFieldName('subscript');
        const key = keys.length === 1 ? keyOf(keys[0]!) : undefined;
        return object && key !== undefined ? { t: 'index', object, key } : { t: 'other' };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        return inner ? { t: 'wrap', inner } : { t: 'other' };
      }
      case 'assignment': {
        // `a = b = value`: the inner assignment's value
        const right = node.childForFieldName('right');
        return right ? { t: 'wrap', inner: right } : { t: 'other' };
      }
      case 'named_expression': {
        const value = node.childForFieldName('value');
        return value ? { t: 'wrap', inner: value } : { t: 'other' };
      }
      case 'binary_operator':
      case 'boolean_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        return left && right && op ? { t: 'binary', op, left, right } : { t: 'other' };
      }
      case 'not_operator': {
        const operand = node.childForFieldName('argument');
        return operand ? { t: 'unary', op: 'not', operand } : { t: 'other' };
      }
      case 'unary_operator': {
        const operand = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text ?? node.child(0)?.text;
        return operand && op ? { t: 'unary', op, operand } : { t: 'other' };
      }
      case 'conditional_expression': {
        const [then, cond, other] = node.namedChildren.filter((c) => c.type !== 'comment');
        return then && cond && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return listShape(node);
      case 'dictionary': {
        const entries: Array<{ key: string; node: SyntaxNode }> = [];
        for (const p of node.namedChildren) {
          if (p.type !== 'pair') continue;
          const k = p.childForFieldName('key');
          const v = p.childForFieldName('value');
          const key = k ? keyOf(k) : undefined;
          if (key !== undefined && v) entries.push({ key, node: v });
        }
        return { t: 'map', entries };
      }
      case 'lambda':
        return { t: 'function', node };
      case 'call': {
        const callee = node.childForFieldName('function');
        if (!callee) return { t: 'other' };
        const argList = node.childForFieldName('arguments');
        if (callee.type === 'identifier') {
          const name = callee.text;
          // most calls are indexed by name only: their arguments are read when asked for
          if (!SPECIAL_CALLS.test(name)) return lazyCall(callee, name, undefined, () => args(argList));
          const a = args(argList);
          // `getattr(ssl, "PROTOCOL_TLSv1")`: the member it names
          if (name === 'getattr' && a.length >= 2 && !a[0]!.name && !a[0]!.spread) {
            const member = pythonString(a[1]!.node);
            if (member !== undefined && /^\w+$/.test(member)) return { t: 'member', object: a[0]!.node, name: member };
          }
          // `dict(verify=False)`: a map
          if (name === 'dict' && a.length > 0 && a.every((x) => x.name)) return { t: 'map', entries: a.map((x) => ({ key: x.name!, node: x.node })) };
          // `list(x)`, `tuple(x)`: the same items
          if (name !== 'getattr' && name !== 'dict' && a.length === 1 && !a[0]!.name && !a[0]!.spread) return { t: 'wrap', inner: a[0]!.node };
          return { t: 'call', callee, name, args: a };
        }
        if (callee.type === 'attribute') {
          const receiver = callee.childForFieldName('object') ?? undefined;
          const name = callee.childForFieldName('attribute')?.text ?? '';
          // `x.copy()`: the same value
          if (receiver && name === 'copy' && (argList?.namedChildCount ?? 0) === 0) return { t: 'wrap', inner: receiver };
          return lazyCall(callee, name, receiver, () => args(argList));
        }
        return lazyCall(callee, '', undefined, () => args(argList));
      }
      default:
        return { t: 'other' };
    }
  },

  joinCall(call) {
    // `":".join(CIPHERS)`: the receiver is the separator
    if (call.name !== 'join' || !call.receiver || call.args.length !== 1 || call.args[0]!.name || call.args[0]!.spread) return undefined;
    return { list: call.args[0]!.node, separator: call.receiver, fallback: '' };
  },

  target(node): Target | undefined {
    if (node.type === 'identifier') return { kind: 'name', name: node.text };
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const name = node.childForFieldName('attribute')?.text;
      if (!object || !name) return undefined;
      if (object.type === 'identifier' && (object.text === 'self' || object.text === 'cls')) return { kind: 'field', name };
      return { kind: 'member', object: object.text.replace(/\s+/g, ''), name, objectNode: object };
    }
    if (node.type === 'subscript') {
      const object = node.childForFieldName('value');
      const keys = node.childrenForFieldName('subscript');
      if (!object || keys.length !== 1) return undefined;
      return { kind: 'element', object: object.text.replace(/\s+/g, ''), name: keyOf(keys[0]!) ?? keys[0]!.text, objectNode: object };
    }
    return undefined;
  },

  crossFile: {
    forImport(importPath, ctx) {
      // `from .settings import PROTOCOL` (`.settings.PROTOCOL`): the module before the imported name
      const dot = importPath.lastIndexOf('.');
      if (dot === -1) return [];
      return moduleFiles(importPath.slice(0, dot + (/^\.+$/.test(importPath.slice(0, dot + 1)) ? 1 : 0)), ctx);
    },
    forMember(qualifier, _name, ctx) {
      // `settings.PROTOCOL` (a module), `Settings.PROTOCOL` imported from `.config` (a class in a module)
      const out = moduleFiles(qualifier, ctx);
      const last = qualifier.slice(qualifier.lastIndexOf('.') + 1);
      if (isClassName(last)) {
        const dot = qualifier.lastIndexOf('.');
        if (dot > 0) out.push(...moduleFiles(qualifier.slice(0, dot + (/^\.+$/.test(qualifier.slice(0, dot + 1)) ? 1 : 0)), ctx));
      }
      return [...new Set(out)];
    },
    forName(_name, ctx) {
      // `from .defaults import *`
      return [...new Set(ctx.wildcards.flatMap((w) => moduleFiles(w, ctx)))];
    },
    scopeName(qualifier) {
      const last = qualifier.slice(qualifier.lastIndexOf('.') + 1);
      return isClassName(last) ? last : undefined;
    },
  },
};

/** `Settings`, `TlsDefaults`: a class by Python's naming convention (not a module, not an ALL_CAPS constant). */
function isClassName(name: string): boolean {
  return /^_?[A-Z]\w*$/.test(name) && /[a-z]/.test(name);
}

/** Modules that never live in the project: looking them up on disk would find nothing. */
const EXTERNAL = new Set(['ssl', 'socket', 'os', 'sys', 'OpenSSL', 'pyOpenSSL', 'requests', 'httpx', 'urllib3', 'urllib', 'http', 'pycurl', 'aiohttp', 'typing', 'collections', 'logging', 'json', 're', 'io', 'functools', 'asyncio', 'twisted', 'tornado', 'django', 'flask']);

/** Folders above a file searched for the first segment of an absolute import. */
const MAX_UP = 8;

/**
 * The files that may define module `module` for code in `ctx.file`: `settings.py` or
 * `settings/__init__.py`, relative to the file's package for `.settings`/`..settings`, else found
 * by looking upward from the file's folder (a bounded number of levels).
 */
function moduleFiles(module: string, ctx: CrossFileContext): string[] {
  const m = /^(\.*)(.*)$/.exec(module)!;
  const dots = m[1]!.length;
  const parts = m[2] ? m[2].split('.') : [];
  const found = (base: string): string | undefined => {
    if (parts.length === 0) return exists(path.join(base, '__init__.py'), ctx);
    const file = path.join(base, ...parts.slice(0, -1), `${parts[parts.length - 1]}.py`);
    return exists(file, ctx) ?? exists(path.join(base, ...parts, '__init__.py'), ctx);
  };
  let dir = path.dirname(ctx.file);
  if (dots > 0) {
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    const f = found(dir);
    return f ? [f] : [];
  }
  if (parts.length === 0 || EXTERNAL.has(parts[0]!)) return [];
  for (let i = 0; i < MAX_UP; i++) {
    const f = found(dir);
    if (f) return [f];
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [];
}

function exists(file: string, ctx: CrossFileContext): string | undefined {
  return ctx.list(path.dirname(file)).includes(path.basename(file)) ? file : undefined;
}
