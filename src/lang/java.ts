/** The Java adapter of the semantic layer (tree-sitter-java). */
import path from 'node:path';
import type { SyntaxNode } from '../rule.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';

const FACTS = `
(method_declaration name: (identifier) @fn.name) @fn
(constructor_declaration name: (identifier) @fn.name) @fn
(compact_constructor_declaration name: (identifier) @fn.name) @fn
(lambda_expression body: (_) @fn.expr) @fn
(static_initializer) @fn

(class_declaration name: (identifier) @class.name) @class
(interface_declaration name: (identifier) @class.name) @class
(enum_declaration name: (identifier) @class.name) @class
(record_declaration name: (identifier) @class.name) @class
(annotation_type_declaration name: (identifier) @class.name) @class
(object_creation_expression (class_body) @class)
(enum_constant (class_body) @class)

(formal_parameter name: (identifier) @param.name) @param
(spread_parameter (variable_declarator name: (identifier) @param.name)) @param @param.rest
(lambda_expression parameters: (identifier) @param.name @param)
(inferred_parameters (identifier) @param.name @param)
(record_declaration parameters: (formal_parameters (formal_parameter name: (identifier) @decl.target) @decl))

(local_variable_declaration declarator: (variable_declarator name: (identifier) @decl.target value: (_)? @decl.value)) @decl
(field_declaration declarator: (variable_declarator name: (identifier) @decl.target value: (_)? @decl.value)) @decl
(constant_declaration declarator: (variable_declarator name: (identifier) @decl.target value: (_)? @decl.value)) @decl
(enum_constant name: (identifier) @decl.target) @decl
(enhanced_for_statement name: (identifier) @decl.target) @decl
(catch_formal_parameter name: (identifier) @decl.target) @decl
(resource name: (identifier) @decl.target value: (_) @decl.value) @decl

(assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign

(method_invocation name: (identifier) @call.name) @call
(object_creation_expression type: (type_identifier) @call.name) @call
(object_creation_expression type: (generic_type (type_identifier) @call.name)) @call
(object_creation_expression type: (scoped_type_identifier (type_identifier) @call.name .)) @call

(return_statement (_) @return.value) @return

(if_statement condition: (_) @branch.cond consequence: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (_) @branch.else)
(switch_block_statement_group) @branch
(switch_rule) @branch
(catch_clause) @branch
(for_statement body: (_) @branch)
(enhanced_for_statement body: (_) @branch)
(while_statement body: (_) @branch)
(do_statement body: (_) @branch)

(import_declaration (scoped_identifier name: (identifier) @import.name) @import.path .) @import
(import_declaration (scoped_identifier) @import.path (asterisk)) @import
(package_declaration (_) @package.name) @package
`;

/** The decoded content of a string literal; undefined for text blocks with escapes we do not model. */
export function javaString(node: SyntaxNode): string | undefined {
  if (node.type !== 'string_literal') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_fragment' || c.type === 'multiline_string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text === '\\"' ? '"' : c.text === '\\\\' ? '\\' : c.text === '\\n' ? '\n' : c.text === '\\t' ? '\t' : c.text;
    else return undefined;
  }
  return out;
}

function javaNumber(text: string): number | undefined {
  const t = text.replace(/[_lL]/g, '');
  const n = /^0[0-7]+$/.test(t) ? parseInt(t, 8) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function args(list: SyntaxNode | null): Arg[] {
  return (list?.namedChildren ?? []).filter((a) => a.type !== 'line_comment' && a.type !== 'block_comment').map((node) => ({ node }));
}

/** Collection factories whose arguments are the items: `Arrays.asList`, `List.of`, Guava, streams. */
const LIST_FACTORIES = /^(?:asList|of|copyOf|ofNullable|newArrayList|newHashSet|newLinkedHashSet|singletonList|singleton|unmodifiableList|unmodifiableSet|unmodifiableCollection|concat)$/;
const LIST_OWNERS = /(?:^|\.)(?:Arrays|List|Set|Collections|ImmutableList|ImmutableSet|Lists|Sets|Stream|EnumSet|Iterables)$/;
const COLLECTION_TYPES = /^(?:ArrayList|LinkedList|HashSet|LinkedHashSet|TreeSet|Vector|CopyOnWriteArrayList)(?:<.*>)?$/s;

export const java: Grammar = {
  id: 'java',
  kinds: ['java'],
  factsQuery: FACTS,
  blockTypes: ['block'],

  isConst(decl) {
    if (decl.type === 'constant_declaration' || decl.type === 'enum_constant') return true;
    // the modifiers come first: reading every child of a declaration of thousands of declarators,
    // once per declarator, was quadratic
    const first = decl.firstNamedChild;
    const mods = first?.type === 'modifiers' ? first : undefined;
    return !!mods && /\bfinal\b/.test(mods.text);
  },

  shape(node): Shape {
    switch (node.type) {
      case 'string_literal': {
        const v = javaString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'character_literal':
        return { t: 'string', value: node.text.slice(1, -1) };
      case 'decimal_integer_literal':
      case 'hex_integer_literal':
      case 'octal_integer_literal':
      case 'binary_integer_literal': {
        const n = javaNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'true':
        return { t: 'bool', value: true };
      case 'false':
        return { t: 'bool', value: false };
      case 'null_literal':
        return { t: 'null' };
      case 'identifier':
        return { t: 'name', name: node.text };
      case 'this':
        return { t: 'self' };
      case 'field_access': {
        const object = node.childForFieldName('object');
        const field = node.childForFieldName('field');
        return object && field ? { t: 'member', object, name: field.text } : { t: 'other' };
      }
      case 'scoped_identifier': {
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name');
        return scope && name ? { t: 'member', object: scope, name: name.text } : { t: 'other' };
      }
      case 'method_reference': {
        // `this::accept`, `Verifiers::acceptAll`: the method, as a function value
        const parts = node.namedChildren;
        const object = parts[0];
        const name = parts[parts.length - 1];
        if (!object || !name || name.type !== 'identifier') return { t: 'other' };
        return { t: 'member', object, name: name.text };
      }
      case 'parenthesized_expression':
        return node.namedChildren[0] ? { t: 'wrap', inner: node.namedChildren[0] } : { t: 'other' };
      case 'cast_expression': {
        const value = node.childForFieldName('value');
        return value ? { t: 'cast', type: node.childForFieldName('type')?.text ?? '', inner: value } : { t: 'other' };
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        return left && right && op ? { t: 'binary', op, left, right } : { t: 'other' };
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('operand');
        const op = node.childForFieldName('operator')?.text;
        return operand && op ? { t: 'unary', op, operand } : { t: 'other' };
      }
      case 'ternary_expression': {
        const cond = node.childForFieldName('condition');
        const then = node.childForFieldName('consequence');
        const other = node.childForFieldName('alternative');
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'array_creation_expression': {
        const init = node.childForFieldName('value');
        return init ? { t: 'wrap', inner: init } : { t: 'other' };
      }
      case 'array_initializer':
        return { t: 'list', items: node.namedChildren.filter((c) => !c.type.endsWith('comment')) };
      case 'method_invocation': {
        const name = node.childForFieldName('name')?.text ?? '';
        const receiver = node.childForFieldName('object') ?? undefined;
        // `list.toArray(new String[0])`, `x.clone()`: the same items
        if (receiver && (name === 'toArray' || name === 'clone' || name === 'toList')) return { t: 'wrap', inner: receiver };
        return { t: 'call', callee: node, name, receiver, args: args(node.childForFieldName('arguments')) };
      }
      case 'object_creation_expression': {
        const type = node.childForFieldName('type')?.text ?? '';
        const a = args(node.childForFieldName('arguments'));
        // `new ArrayList<>(Arrays.asList(...))`: the same items
        if (COLLECTION_TYPES.test(type) && a.length === 1) return { t: 'wrap', inner: a[0]!.node };
        const body = node.namedChildren.find((c) => c.type === 'class_body');
        return { t: 'new', type: type.replace(/<.*>$/s, ''), args: a, body };
      }
      case 'lambda_expression':
        return { t: 'function', node };
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    if (node.type === 'identifier') return { kind: 'name', name: node.text };
    if (node.type === 'field_access') {
      const object = node.childForFieldName('object');
      const field = node.childForFieldName('field')?.text;
      if (!object || !field) return undefined;
      if (object.type === 'this') return { kind: 'field', name: field };
      return { kind: 'member', object: object.text.replace(/\s+/g, ''), name: field, objectNode: object };
    }
    if (node.type === 'array_access') {
      const array = node.childForFieldName('array');
      const index = node.childForFieldName('index');
      if (!array || !index) return undefined;
      return { kind: 'element', object: array.text.replace(/\s+/g, ''), name: index.text, objectNode: array };
    }
    return undefined;
  },

  listCall(call) {
    if (!LIST_FACTORIES.test(call.name)) return undefined;
    if (call.receiver && !LIST_OWNERS.test(call.receiver.text)) return undefined;
    if (!call.receiver && call.name !== 'asList' && call.name !== 'newArrayList') return undefined;
    return { t: 'list', items: [], spread: call.args.map((a) => a.node) };
  },

  crossFile: {
    forMember(qualifier, _name, ctx) {
      return classFiles(qualifier, ctx);
    },
    forImport(importPath, ctx) {
      // `import static a.b.Defaults.LEGACY`: the class is everything before the last dot
      return classFiles(importPath.slice(0, importPath.lastIndexOf('.')), ctx);
    },
    forName(_name, ctx) {
      // `import static a.b.Defaults.*`
      return ctx.wildcards.filter((w) => /(?:^|\.)[A-Z]\w*$/.test(w)).flatMap((w) => classFiles(w, ctx));
    },
    scopeName(qualifier) {
      return qualifier.slice(qualifier.lastIndexOf('.') + 1) || undefined;
    },
  },
};

/** The source root of a file: its folder without the package path. */
function sourceRoot(ctx: CrossFileContext): string | undefined {
  const dir = path.dirname(ctx.file);
  if (!ctx.packageName) return dir;
  const rel = ctx.packageName.split('.').join(path.sep);
  return dir.endsWith(path.sep + rel) ? dir.slice(0, -rel.length - 1) : undefined;
}

/** The files that may hold class `qualifier` (simple or qualified name) for code in `ctx.file`. */
function classFiles(qualifier: string, ctx: CrossFileContext): string[] {
  const out: string[] = [];
  const root = sourceRoot(ctx);
  const dir = path.dirname(ctx.file);
  if (qualifier.includes('.')) {
    // a qualified name: under the source root; `Outer.Inner` nested classes live in Outer's file
    const parts = qualifier.split('.');
    for (let i = parts.length; i >= 1; i--) {
      if (!/^[A-Z]/.test(parts[i - 1]!)) continue;
      if (root) out.push(path.join(root, ...parts.slice(0, i)) + '.java');
    }
  } else {
    // a simple name: the same package, then single-type and wildcard imports
    out.push(path.join(dir, `${qualifier}.java`));
    const imported = ctx.imports.get(qualifier);
    if (imported && root) out.push(path.join(root, ...imported.split('.')) + '.java');
    for (const w of ctx.wildcards) if (root && !/\.[A-Z]\w*$/.test(w)) out.push(path.join(root, ...w.split('.'), `${qualifier}.java`));
  }
  return [...new Set(out)].filter((p) => ctx.list(path.dirname(p)).includes(path.basename(p)));
}
