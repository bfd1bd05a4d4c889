/**
 * The PHP adapter of the semantic layer (tree-sitter-php).
 *
 * PHP in the layer's words: functions, methods, closures and arrow functions are scopes; classes,
 * interfaces and traits are class-like scopes. Variables keep their `$` (`$opts`), so they never
 * meet constants (`CURLOPT_SSLVERSION`): an assignment declares a variable in the innermost
 * function; `const X = ...` (in a file or a class) and `define('X', ...)` declare constants;
 * properties (`private $verify = false;`) are fields, read as `$this->verify`, and class constants
 * are read as `self::X`, `static::X` or `Client::X`. `array(...)` and `[...]` are lists, or maps of
 * their keyed elements (keys are string contents, integers, or the names of constants such as
 * `CURLOPT_SSL_VERIFYPEER`); `.` concatenates. Namespaces are dotted (`App.Http.Client`) so
 * `use` imports qualify names like every other grammar's.
 *
 * Other files: constants of files pulled in with `require`/`include` (a literal path, or
 * `__DIR__ . '/config.php'`), and class constants of an imported class in the file its PSR-4 path
 * names (`App\Config\Tls` in `.../Config/Tls.php` below the nearest composer.json).
 */
import path from 'node:path';
import type { SyntaxNode } from '../rule.js';
import { lazyCall, type Arg, type CrossFileContext, type Grammar, type Shape, type Target } from './grammar.js';

const FACTS = `
(function_definition name: (name) @fn.name) @fn
(method_declaration name: (name) @fn.name) @fn
(anonymous_function) @fn
(arrow_function body: (_) @fn.expr) @fn

(class_declaration name: (name) @class.name) @class
(interface_declaration name: (name) @class.name) @class
(trait_declaration name: (name) @class.name) @class

(simple_parameter name: (variable_name) @param.name default_value: (_) @param.default) @param
(simple_parameter name: (variable_name) @param.name !default_value) @param
(property_promotion_parameter name: (variable_name) @param.name default_value: (_) @param.default) @param
(property_promotion_parameter name: (variable_name) @param.name !default_value) @param
(variadic_parameter name: (variable_name) @param.name) @param @param.rest

(assignment_expression left: (_) @decl.target right: (_) @decl.value) @decl
(const_element . (name) @decl.target . (_) @decl.value .) @decl @decl.const
(property_element name: (variable_name) @decl.target default_value: (_) @decl.value) @decl
(property_element name: (variable_name) @decl.target !default_value) @decl
(static_variable_declaration name: (variable_name) @decl.target value: (_) @decl.value) @decl
(function_call_expression function: [(name) (qualified_name)] @_define (#match? @_define "^\\\\\\\\?define$") arguments: (arguments . (argument [(string) (encapsed_string)] @decl.target) . (argument (_) @decl.value))) @decl @decl.const
(foreach_statement . (_) . [(variable_name) (pair (_) (variable_name))] @decl.target) @decl

(augmented_assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign

(function_call_expression function: (name) @call.name) @call
(function_call_expression function: (qualified_name (name) @call.name .)) @call
(member_call_expression name: (name) @call.name) @call
(nullsafe_member_call_expression name: (name) @call.name) @call
(scoped_call_expression name: (name) @call.name) @call

(return_statement (_) @return.value) @return

(if_statement condition: (_) @branch.cond body: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (else_clause body: (_) @branch.else))
(else_if_clause condition: (_) @branch.cond body: (_) @branch)
(case_statement value: (_) @branch.cond) @branch
(case_statement !value) @branch
(default_statement) @branch
(foreach_statement body: (_) @branch)
(for_statement body: (_) @branch)
(while_statement condition: (_) @branch.cond body: (_) @branch)
(do_statement body: (_) @branch)
(catch_clause) @branch

(namespace_use_clause [(name) (qualified_name)] @import.path alias: (name) @import.name) @import
(namespace_use_clause . [(name) (qualified_name)] @import.path @import.name !alias) @import
(require_expression (_) @import.path) @import
(require_once_expression (_) @import.path) @import
(include_expression (_) @import.path) @import
(include_once_expression (_) @import.path) @import
(namespace_definition name: (namespace_name) @package.name) @package
`;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', e: '\x1b', f: '\f', '\\': '\\', $: '$', '"': '"', '0': '\0' };

/**
 * The content of a PHP string literal: single-quoted (only `\'` and `\\` are escapes), or
 * double-quoted without interpolation; undefined for interpolated strings.
 */
export function phpString(node: SyntaxNode): string | undefined {
  if (node.type === 'string') {
    // `'...'` (b'...' too): the grammar keeps the escapes in the content
    if (!/^[bB]?'/.test(node.text)) return doubleQuoted(node);
    return node.text.replace(/^[bB]?'|'$/g, '').replace(/\\(['\\])/g, '$1');
  }
  if (node.type === 'encapsed_string') return doubleQuoted(node);
  if (node.type === 'nowdoc') return node.childForFieldName('value')?.text.replace(/\r?\n$/, '') ?? '';
  return undefined;
}

function doubleQuoted(node: SyntaxNode): string | undefined {
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_content' || c.type === 'string_value') out += c.text;
    else if (c.type === 'escape_sequence') {
      const e = c.text.slice(1);
      if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else if (/^x[0-9a-fA-F]{1,2}$/.test(e)) out += String.fromCharCode(parseInt(e.slice(1), 16));
      else if (/^[0-7]{1,3}$/.test(e)) out += String.fromCharCode(parseInt(e, 8));
      else if (/^u\{[0-9a-fA-F]+\}$/.test(e)) out += String.fromCodePoint(parseInt(e.slice(2, -1), 16));
      else out += c.text;
    } else return undefined;
  }
  return out;
}

function phpNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[oO]/.test(t)) n = parseInt(t.slice(2), 8);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t, 8);
  else n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function isComment(n: SyntaxNode): boolean {
  return n.type === 'comment';
}

/** The last segment of a possibly qualified name (`\CURLOPT_SSLVERSION`, `Foo\BAR`). */
function lastName(node: SyntaxNode): string {
  return node.text.slice(node.text.lastIndexOf('\\') + 1).trim();
}

/** A key of an array element or subscript: a string's content, an integer, or a constant's name. */
export function phpKey(node: SyntaxNode): string | undefined {
  const s = phpString(node);
  if (s !== undefined) return s;
  if (node.type === 'integer') return String(phpNumber(node.text) ?? node.text);
  if (node.type === 'name' || node.type === 'qualified_name') return lastName(node);
  if (node.type === 'class_constant_access_expression') return node.text.replace(/\s+/g, '');
  return undefined;
}

function args(list: SyntaxNode | null): Arg[] {
  const out: Arg[] = [];
  for (const a of list?.namedChildren ?? []) {
    if (a.type !== 'argument') continue;
    const value = a.namedChildren.filter((c) => !isComment(c) && c.id !== a.childForFieldName('name')?.id).pop();
    if (!value) continue;
    const name = a.childForFieldName('name')?.text;
    if (value.type === 'variadic_unpacking') {
      const inner = value.namedChildren.find((c) => !isComment(c));
      if (inner) out.push({ node: inner, spread: true });
    } else out.push({ ...(name ? { name: `$${name}` } : {}), node: value });
  }
  return out;
}

function arrayShape(node: SyntaxNode): Shape {
  const items: SyntaxNode[] = [];
  const spread: SyntaxNode[] = [];
  const entries: Array<{ key: string; node: SyntaxNode }> = [];
  let keyed = false;
  for (const e of node.namedChildren) {
    if (e.type !== 'array_element_initializer') continue;
    const parts = e.namedChildren.filter((c) => !isComment(c) && c.type !== 'by_ref');
    if (parts.length === 2) {
      keyed = true;
      const key = phpKey(parts[0]!);
      if (key !== undefined) entries.push({ key, node: parts[1]! });
    } else if (parts.length === 1) {
      if (parts[0]!.type === 'variadic_unpacking') {
        const inner = parts[0]!.namedChildren.find((c) => !isComment(c));
        if (inner) spread.push(inner);
      } else items.push(parts[0]!);
    }
  }
  if (keyed) return { t: 'map', entries, ...(spread.length ? { spread } : {}) };
  return spread.length ? { t: 'list', items, spread } : { t: 'list', items };
}

/** A call shape whose arguments are read on first use. */
/** `__DIR__ . '/config.php'`, `dirname(__FILE__) . '/x.php'`, `'lib/x.php'`: the path relative to the file's folder. */
function includePath(node: SyntaxNode): string {
  const inner = node.type === 'parenthesized_expression' ? node.namedChildren.find((c) => !isComment(c)) : node;
  if (!inner) return '';
  const s = phpString(inner);
  if (s !== undefined) return s;
  if (inner.type === 'binary_expression' && inner.childForFieldName('operator')?.text === '.') {
    const left = inner.childForFieldName('left');
    const right = inner.childForFieldName('right');
    const tail = right ? phpString(right) : undefined;
    if (left && tail !== undefined && /^(?:__DIR__|dirname\(\s*__FILE__\s*\))$/.test(left.text)) return tail.replace(/^\/+/, '');
  }
  return '';
}

export const php: Grammar = {
  id: 'php',
  kinds: ['php'],
  factsQuery: FACTS,
  blockTypes: ['compound_statement'],
  wildcardsQualify: false,

  nameOf(node) {
    if (node.type === 'variable_name') return node.text.replace(/\s+/g, '');
    // `use App\Config\Tls;` binds `Tls`
    if (node.type === 'qualified_name') return lastName(node);
    return node.text;
  },

  importPathOf(node) {
    if (node.type === 'name' || node.type === 'qualified_name') return node.text.replace(/^\\/, '').replace(/\\/g, '.');
    return includePath(node);
  },

  shape(node): Shape {
    switch (node.type) {
      case 'string':
      case 'encapsed_string':
      case 'nowdoc': {
        const v = phpString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'integer':
      case 'float': {
        const n = phpNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'boolean':
        return { t: 'bool', value: node.text.toLowerCase() === 'true' };
      case 'null':
        return { t: 'null' };
      case 'name':
      case 'qualified_name': {
        const name = lastName(node);
        if (/^true$/i.test(name)) return { t: 'bool', value: true };
        if (/^false$/i.test(name)) return { t: 'bool', value: false };
        if (/^null$/i.test(name)) return { t: 'null' };
        return { t: 'name', name };
      }
      case 'variable_name':
        return node.text === '$this' ? { t: 'self' } : { t: 'name', name: node.text.replace(/\s+/g, '') };
      case 'relative_scope':
        return /^(?:self|static)$/i.test(node.text) ? { t: 'self' } : { t: 'other' };
      case 'member_access_expression':
      case 'nullsafe_member_access_expression': {
        const object = node.childForFieldName('object');
        const name = node.childForFieldName('name');
        return object && name?.type === 'name' ? { t: 'member', object, name: name.text } : { t: 'other' };
      }
      case 'class_constant_access_expression': {
        const [scope, name] = node.namedChildren.filter((c) => !isComment(c));
        return scope && name?.type === 'name' && name.text !== 'class' ? { t: 'member', object: scope, name: name.text } : { t: 'other' };
      }
      case 'scoped_property_access_expression': {
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name');
        return scope && name?.type === 'variable_name' ? { t: 'member', object: scope, name: name.text.replace(/^\$/, '') } : { t: 'other' };
      }
      case 'subscript_expression': {
        const [object, index] = node.namedChildren.filter((c) => !isComment(c));
        const key = index ? phpKey(index) : undefined;
        return object && key !== undefined ? { t: 'index', object, key } : { t: 'other' };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.filter((c) => !isComment(c));
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'cast_expression': {
        const inner = node.childForFieldName('value');
        const type = node.childForFieldName('type')?.text ?? '';
        return inner ? { t: 'cast', type, inner } : { t: 'other' };
      }
      case 'unary_op_expression': {
        const operand = node.childForFieldName('argument') ?? node.namedChildren.find((c) => !isComment(c));
        const op = node.childForFieldName('operator')?.text ?? node.child(0)?.text;
        return operand && op ? { t: 'unary', op, operand } : { t: 'other' };
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text.toLowerCase();
        if (!left || !right || !op) return { t: 'other' };
        // `.` concatenates strings: the layer's string `+`
        return { t: 'binary', op: op === '.' ? '+' : op, left, right };
      }
      case 'conditional_expression': {
        const cond = node.childForFieldName('condition');
        const then = node.childForFieldName('body');
        const other = node.childForFieldName('alternative');
        if (cond && other && !then) return { t: 'binary', op: '||', left: cond, right: other };
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'array_creation_expression':
        return arrayShape(node);
      case 'anonymous_function':
      case 'arrow_function':
        return { t: 'function', node };
      case 'assignment_expression': {
        const right = node.childForFieldName('right');
        return right ? { t: 'wrap', inner: right } : { t: 'other' };
      }
      case 'function_call_expression': {
        const fn = node.childForFieldName('function');
        if (!fn) return { t: 'other' };
        const list = node.childForFieldName('arguments');
        if (fn.type === 'name' || fn.type === 'qualified_name') {
          const name = lastName(fn);
          // `constant('NAME')`: the constant it names
          if (/^constant$/i.test(name)) {
            const a = args(list);
            const named = a.length === 1 ? phpString(a[0]!.node) : undefined;
            if (named && /^\w+$/.test(named)) return { t: 'name', name: named };
          }
          return lazyCall(fn, name, undefined, () => args(list));
        }
        return lazyCall(fn, '', undefined, () => args(list));
      }
      case 'member_call_expression':
      case 'nullsafe_member_call_expression': {
        const object = node.childForFieldName('object') ?? undefined;
        const name = node.childForFieldName('name');
        return name ? lazyCall(name, name.text, object, () => args(node.childForFieldName('arguments'))) : { t: 'other' };
      }
      case 'scoped_call_expression': {
        const scope = node.childForFieldName('scope') ?? undefined;
        const name = node.childForFieldName('name');
        return name ? lazyCall(name, name.text, scope, () => args(node.childForFieldName('arguments'))) : { t: 'other' };
      }
      case 'object_creation_expression': {
        const type = node.namedChildren.find((c) => c.type === 'name' || c.type === 'qualified_name');
        return { t: 'new', type: type ? type.text.replace(/^\\/, '').replace(/\\/g, '.') : '', args: args(node.namedChildren.find((c) => c.type === 'arguments') ?? null) };
      }
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    switch (node.type) {
      case 'variable_name':
        // a property's declaration is a field of the class (`$this->verify` reads it)
        if (node.parent?.type === 'property_element') return { kind: 'field', name: node.text.replace(/^\$/, '') };
        return node.text === '$this' ? undefined : { kind: 'name', name: node.text.replace(/\s+/g, '') };
      case 'name':
        return { kind: 'name', name: node.text };
      case 'string':
      case 'encapsed_string': {
        // define('NAME', ...)
        const s = phpString(node);
        return s && /^\\?[A-Za-z_]\w*$/.test(s) ? { kind: 'name', name: s.replace(/^\\/, '') } : undefined;
      }
      case 'member_access_expression': {
        const object = node.childForFieldName('object');
        const name = node.childForFieldName('name');
        if (!object || name?.type !== 'name') return undefined;
        if (object.text === '$this') return { kind: 'field', name: name.text };
        return { kind: 'member', object: object.text.replace(/\s+/g, ''), name: name.text, objectNode: object };
      }
      case 'scoped_property_access_expression': {
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name');
        if (!scope || name?.type !== 'variable_name') return undefined;
        return /^(?:self|static)$/i.test(scope.text) ? { kind: 'field', name: name.text.replace(/^\$/, '') } : undefined;
      }
      case 'subscript_expression': {
        const [object, index] = node.namedChildren.filter((c) => !isComment(c));
        if (!object) return undefined;
        return { kind: 'element', object: object.text.replace(/\s+/g, ''), name: index ? (phpKey(index) ?? index.text) : '', objectNode: object };
      }
      case 'pair': {
        // `foreach ($xs as $k => $v)`: the value
        const value = node.namedChildren.filter((c) => !isComment(c)).pop();
        return value ? php.target(value) : undefined;
      }
      default:
        return undefined;
    }
  },

  crossFile: {
    forName(_name, ctx) {
      // constants of the files this file requires or includes
      const dir = path.dirname(ctx.file);
      return [...new Set(ctx.wildcards.filter((w) => w && !path.isAbsolute(w)).map((w) => path.normalize(path.join(dir, w))))].filter((f) => ctx.list(path.dirname(f)).includes(path.basename(f)));
    },
    forMember(qualifier, _name, ctx) {
      // `Tls::VERSION` of an imported (or same-namespace) class: its PSR-4 file
      return classFiles(qualifier, ctx);
    },
    scopeName(qualifier) {
      return qualifier.slice(qualifier.lastIndexOf('.') + 1);
    },
  },
};

/** Folders above a file searched for the composer.json that roots its PSR-4 paths. */
const MAX_UP = 8;

/** The files that may define class `qualifier` (`App.Config.Tls`): `Tls.php` beside the file, or below the project root with the namespace's folders. */
function classFiles(qualifier: string, ctx: CrossFileContext): string[] {
  const parts = qualifier.split('.').filter(Boolean);
  const cls = parts[parts.length - 1];
  if (!cls || !/^[A-Za-z_]\w*$/.test(cls)) return [];
  const dir = path.dirname(ctx.file);
  const beside = path.join(dir, `${cls}.php`);
  if (beside !== ctx.file && ctx.list(dir).includes(`${cls}.php`)) return [beside];
  let root: string | undefined;
  for (let d = dir, i = 0; i < MAX_UP; i++) {
    if (ctx.list(d).includes('composer.json')) {
      root = d;
      break;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  if (!root || parts.length < 2) return [];
  // the namespace's last folders must match the file's (`Config/Tls.php` for `App\Config\Tls`)
  const tail = parts.slice(-2).join('/');
  return ctx.below(root, (name) => name === `${cls}.php`).filter((f) => f.split(path.sep).join('/').endsWith(`/${tail}.php`));
}
