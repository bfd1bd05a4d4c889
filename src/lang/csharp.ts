/** The C# adapter of the semantic layer (tree-sitter-c-sharp). */
import fs from 'node:fs';
import path from 'node:path';
import { detach } from '../source.js';
import type { SyntaxNode } from '../rule.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';

const FACTS = `
(method_declaration name: (identifier) @fn.name body: (_)? @fn.expr) @fn
(local_function_statement name: (identifier) @fn.name body: (_)? @fn.expr) @fn
(constructor_declaration name: (identifier) @fn.name) @fn
(destructor_declaration) @fn
(operator_declaration) @fn
(conversion_operator_declaration) @fn
(accessor_declaration body: (_)? @fn.expr) @fn
(lambda_expression body: (_) @fn.expr) @fn
(anonymous_method_expression) @fn

(class_declaration name: (identifier) @class.name) @class
(struct_declaration name: (identifier) @class.name) @class
(interface_declaration name: (identifier) @class.name) @class
(record_declaration name: (identifier) @class.name) @class
(enum_declaration name: (identifier) @class.name) @class

(parameter name: (identifier) @param.name . (_)? @param.default) @param
(parameter_list "params" name: (identifier) @param @param.name @param.rest)
(lambda_expression parameters: (implicit_parameter) @param @param.name)

(variable_declarator name: (identifier) @decl.target . (_)? @decl.value) @decl
(property_declaration name: (identifier) @decl.target value: (_) @decl.value) @decl
(property_declaration name: (identifier) @decl.target accessors: (accessor_list (accessor_declaration name: "get" body: (arrow_expression_clause) @decl.value))) @decl
(property_declaration name: (identifier) @decl.target accessors: (accessor_list (accessor_declaration name: "get" body: (block (return_statement (_) @decl.value))))) @decl
(enum_member_declaration name: (identifier) @decl.target value: (_)? @decl.value) @decl
(record_declaration (parameter_list (parameter name: (identifier) @decl.target) @decl))
(foreach_statement left: (identifier) @decl.target) @decl
(catch_declaration name: (identifier) @decl.target) @decl
(declaration_expression name: (identifier) @decl.target) @decl
(declaration_pattern name: (identifier) @decl.target) @decl

(assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign

(invocation_expression) @call
(object_creation_expression) @call

(return_statement (_) @return.value) @return

(if_statement condition: (_) @branch.cond consequence: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (_) @branch.else)
(preproc_if condition: (_) @branch.cond) @branch
(preproc_if condition: (_) @branch.cond alternative: (_) @branch.else)
(preproc_elif condition: (_) @branch.cond) @branch
(preproc_elif condition: (_) @branch.cond alternative: (_) @branch.else)
(switch_section) @branch
(catch_clause) @branch
(for_statement body: (_) @branch)
(foreach_statement body: (_) @branch)
(while_statement body: (_) @branch)
(do_statement body: (_) @branch)

(using_directive name: (identifier) @import.name (qualified_name) @import.path) @import
(using_directive "static" @import.name (qualified_name) @import.path) @import
(using_directive !name (qualified_name) @import.path) @import
(using_directive !name (identifier) @import.path) @import
(namespace_declaration name: (_) @package.name) @package
(file_scoped_namespace_declaration name: (_) @package.name) @package
`;

/** The decoded content of a C# string literal (regular, verbatim, raw); undefined for interpolations and escapes we do not model. */
export function csharpString(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'string_literal': {
      let out = '';
      for (const c of node.namedChildren) {
        if (c.type === 'string_literal_content') out += c.text;
        else if (c.type === 'escape_sequence') out += ESCAPES[c.text] ?? c.text;
        else if (c.type !== 'string_literal_encoding') return undefined;
      }
      return out;
    }
    case 'verbatim_string_literal':
      return node.text.replace(/^@"|"$/g, '').replace(/""/g, '"');
    case 'raw_string_literal':
      return node.namedChildren.find((c) => c.type === 'raw_string_content')?.text ?? '';
    case 'interpolated_string_expression':
      // `$"..."` without holes is a plain string
      if (node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
      return node.namedChildren.filter((c) => c.type === 'string_content').map((c) => c.text).join('');
    default:
      return undefined;
  }
}

const ESCAPES: Record<string, string> = { '\\"': '"', "\\'": "'", '\\\\': '\\', '\\n': '\n', '\\t': '\t', '\\r': '\r', '\\0': '\0' };

function csharpNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '').replace(/(?:[uU][lL]?|[lL][uU]?)$/, '');
  const n = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function args(list: SyntaxNode | null | undefined): Arg[] {
  const out: Arg[] = [];
  for (const a of list?.namedChildren ?? []) {
    if (a.type !== 'argument') continue;
    const node = a.lastNamedChild;
    if (!node) continue;
    const name = a.childForFieldName('name');
    out.push(name && name.id !== node.id ? { name: name.text, node } : { node });
  }
  return out;
}

/** The name a callee or type spells, without type arguments (`M<T>` -> `M`). */
function bareName(node: SyntaxNode): string {
  if (node.type === 'generic_name') return node.namedChildren[0]?.text ?? node.text;
  if (node.type === 'member_access_expression' || node.type === 'qualified_name') {
    const name = node.childForFieldName('name');
    return name ? bareName(name) : node.text;
  }
  return node.text;
}

/** Framework enums: `SslProtocols.Tls` is their member even inside a class with a property named `SslProtocols`. */
const ENUM_TYPES = new Set(['SecurityProtocolType', 'SslProtocols', 'SslPolicyErrors', 'X509ChainStatusFlags', 'TlsCipherSuite']);

/** Delegate types whose construction wraps a method group or lambda (`new RemoteCertificateValidationCallback(M)`). */
const DELEGATE_TYPES = /(?:Callback|^Func|^Action|^Predicate|Delegate)$/;
/** Collection types whose collection initializer or single argument are the items. */
const COLLECTION_TYPES = /^(?:List|HashSet|SortedSet|Collection|ReadOnlyCollection|LinkedList|Queue|Stack|ImmutableArray|ImmutableList)$/;
/** Calls that keep the items of their receiver (`.ToArray()`) or fold flags (`.Aggregate((a, b) => a | b)`). */
const KEEP_ITEMS = /^(?:ToArray|ToList|ToHashSet|AsEnumerable|AsReadOnly|ToImmutableArray|ToImmutableList|Aggregate)$/;

/** The text of the object an object initializer writes to: the declared variable, the outer property, or the creation itself. */
function initializerOwner(init: SyntaxNode): string {
  const owner = init.parent;
  if (!owner) return init.text;
  // `SslOptions = { EnabledSslProtocols = ... }` inside an outer initializer
  if (owner.type === 'assignment_expression' && owner.parent?.type === 'initializer_expression') {
    const left = owner.childForFieldName('left');
    return `${initializerOwner(owner.parent)}.${left?.text ?? ''}`;
  }
  const holder = owner.parent;
  if (holder?.type === 'variable_declarator') return holder.childForFieldName('name')?.text ?? owner.text;
  if (holder?.type === 'assignment_expression' && holder.childForFieldName('right')?.id === owner.id) return normal(holder.childForFieldName('left')?.text ?? owner.text);
  const type = owner.childForFieldName('type');
  return `new ${type ? bareName(type) : ''}`;
}

/** The key under which a `using static` directive is kept among the imports (never a C# name). */
const STATIC_IMPORT = 'static ';

/** A call or creation shape whose `args` are read on first use. */
function lazyArgs<T extends { t: 'call' | 'new' }>(shape: T, read: () => Arg[]): T & { args: Arg[] } {
  let list: Arg[] | undefined;
  return Object.defineProperty(shape, 'args', { enumerable: true, get: () => (list ??= read()) }) as T & { args: Arg[] };
}

function normal(text: string): string {
  return text.replace(/\s+/g, '');
}

export const csharp: Grammar = {
  id: 'csharp',
  kinds: ['csharp'],
  factsQuery: FACTS,
  blockTypes: ['block'],

  nameOf(node) {
    // `using static A.B.Defaults;` binds no name: its members are used bare (see crossFile.forName)
    if (node.type === 'static') return `${STATIC_IMPORT}${normal(node.parent?.namedChildren.find((c) => c.type === 'qualified_name' || c.type === 'identifier')?.text ?? '')}`;
    return node.text;
  },

  isConst(decl) {
    if (decl.type === 'enum_member_declaration') return true;
    if (decl.type === 'property_declaration') {
      // `X => value` and `X { get => value; }` cannot be assigned
      return decl.childForFieldName('value')?.type === 'arrow_expression_clause' || !/\bset\b|\binit\b/.test(decl.childForFieldName('accessors')?.text ?? '');
    }
    if (decl.type !== 'variable_declarator') return false;
    const holder = decl.parent?.parent;
    if (!holder || (holder.type !== 'field_declaration' && holder.type !== 'local_declaration_statement')) return false;
    return holder.namedChildren.some((c) => c.type === 'modifier' && (c.text === 'const' || c.text === 'readonly'));
  },

  shape(node): Shape {
    switch (node.type) {
      case 'string_literal':
      case 'verbatim_string_literal':
      case 'raw_string_literal':
      case 'interpolated_string_expression': {
        const v = csharpString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'character_literal':
        return { t: 'string', value: node.text.slice(1, -1) };
      case 'integer_literal': {
        const n = csharpNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'boolean_literal':
        return { t: 'bool', value: node.text === 'true' };
      case 'null_literal':
        return { t: 'null' };
      case 'identifier':
        return { t: 'name', name: node.text };
      case 'this':
      case 'base':
        return { t: 'self' };
      case 'member_access_expression':
      case 'qualified_name': {
        const expr = node.childForFieldName('expression') ?? node.childForFieldName('qualifier');
        // `SslProtocols.Tls` names the enum member even where a property is called `SslProtocols` (C#'s "Color Color" rule)
        if (expr?.type === 'identifier' && ENUM_TYPES.has(expr.text)) return { t: 'name', name: normal(node.text) };
        const object = node.childForFieldName('expression') ?? node.childForFieldName('qualifier');
        const name = node.childForFieldName('name');
        return object && name ? { t: 'member', object, name: bareName(name) } : { t: 'other' };
      }
      case 'alias_qualified_name': {
        // `global::System.Net.SecurityProtocolType`
        const name = node.childForFieldName('name');
        return name ? { t: 'name', name: bareName(name) } : { t: 'other' };
      }
      case 'parenthesized_expression':
      case 'checked_expression':
      case 'await_expression':
      case 'arrow_expression_clause':
        return node.namedChildren[0] ? { t: 'wrap', inner: node.namedChildren[node.namedChildren.length - 1]! } : { t: 'other' };
      case 'postfix_unary_expression': {
        // `x!` (null-forgiving) keeps the value; `x++` does not
        const operand = node.namedChildren[0];
        return operand && node.lastChild?.type === '!' ? { t: 'wrap', inner: operand } : { t: 'other' };
      }
      case 'cast_expression': {
        const value = node.childForFieldName('value');
        const type = node.childForFieldName('type');
        return value ? { t: 'cast', type: type ? bareName(type) : '', inner: value } : { t: 'other' };
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        return left && right && op ? { t: 'binary', op, left, right } : { t: 'other' };
      }
      case 'prefix_unary_expression': {
        const operand = node.namedChildren[0];
        const op = node.child(0)?.text;
        return operand && op ? { t: 'unary', op, operand } : { t: 'other' };
      }
      case 'conditional_expression': {
        const cond = node.childForFieldName('condition');
        const then = node.childForFieldName('consequence');
        const other = node.childForFieldName('alternative');
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'array_creation_expression':
      case 'implicit_array_creation_expression':
      case 'stackalloc_expression': {
        const init = node.namedChildren.find((c) => c.type === 'initializer_expression');
        return init ? { t: 'wrap', inner: init } : { t: 'other' };
      }
      case 'initializer_expression':
        return { t: 'list', items: node.namedChildren.filter((c) => !c.type.endsWith('comment')) };
      case 'element_binding_expression':
        // `[a, b]`: a collection expression
        return { t: 'list', items: args(node).map((a) => a.node) };
      case 'invocation_expression': {
        const fn = node.childForFieldName('function');
        if (!fn) return { t: 'other' };
        const receiver = fn.type === 'member_access_expression' ? (fn.childForFieldName('expression') ?? undefined) : undefined;
        const name = bareName(fn);
        if (receiver && KEEP_ITEMS.test(name) && args(node.childForFieldName('arguments')).length <= 1) return { t: 'wrap', inner: receiver };
        // the facts index asks every call for its name only: the arguments are read when used
        return lazyArgs({ t: 'call', callee: fn, name, receiver }, () => args(node.childForFieldName('arguments')));
      }
      case 'object_creation_expression': {
        const typeNode = node.childForFieldName('type');
        const type = typeNode ? bareName(typeNode) : '';
        const a = () => args(node.childForFieldName('arguments'));
        if (DELEGATE_TYPES.test(type) || COLLECTION_TYPES.test(type)) {
          const init = node.childForFieldName('initializer');
          const list = a();
          // `new RemoteCertificateValidationCallback(AcceptAll)`: the method group itself
          if (DELEGATE_TYPES.test(type) && list.length === 1 && !init) return { t: 'wrap', inner: list[0]!.node };
          if (init && !init.namedChildren.some((c) => c.type === 'assignment_expression')) return { t: 'wrap', inner: init };
          if (!init && list.length === 1) return { t: 'wrap', inner: list[0]!.node };
        }
        return lazyArgs({ t: 'new', type: typeNode ? normal(typeNode.text).replace(/<.*>$/s, '') : '' }, a);
      }
      case 'implicit_object_creation_expression':
        return lazyArgs({ t: 'new', type: '' }, () => args(node.namedChildren.find((c) => c.type === 'argument_list')));
      case 'lambda_expression':
      case 'anonymous_method_expression':
        return { t: 'function', node };
      case 'element_access_expression': {
        const object = node.childForFieldName('expression');
        const key = node.childForFieldName('subscript')?.namedChildren;
        const k = key?.length === 1 ? key[0]!.lastNamedChild : undefined;
        const s = k ? csharpString(k) : undefined;
        return object && s !== undefined ? { t: 'index', object, key: s } : { t: 'other' };
      }
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    if (node.type === 'identifier') {
      // `new HttpClientHandler { SslProtocols = ... }`: a property of the created object
      const init = node.parent?.parent;
      if (node.parent?.type === 'assignment_expression' && init?.type === 'initializer_expression') {
        return { kind: 'member', object: initializerOwner(init), name: node.text, objectNode: init };
      }
      return { kind: 'name', name: node.text };
    }
    if (node.type === 'member_access_expression') {
      const object = node.childForFieldName('expression');
      const name = node.childForFieldName('name');
      if (!object || !name) return undefined;
      if (object.type === 'this') return { kind: 'field', name: bareName(name) };
      return { kind: 'member', object: normal(object.text), name: bareName(name), objectNode: object };
    }
    if (node.type === 'element_access_expression') {
      const object = node.childForFieldName('expression');
      const index = node.childForFieldName('subscript');
      if (!object || !index) return undefined;
      return { kind: 'element', object: normal(object.text), name: index.text.replace(/^\[|\]$/g, ''), objectNode: object };
    }
    return undefined;
  },

  listCall(call) {
    // `Enumerable.Concat(a, b)`, `ImmutableArray.Create(a, b)`, `new[] {...}.Concat(...)`
    if (call.name === 'Create' && call.receiver && /(?:^|\.)(?:ImmutableArray|ImmutableList|ImmutableHashSet)$/.test(call.receiver.text)) {
      return { t: 'list', items: call.args.map((a) => a.node) };
    }
    if (call.name === 'Concat' && call.receiver) return { t: 'list', items: [], spread: [call.receiver, ...call.args.map((a) => a.node)] };
    return undefined;
  },

  crossFile: {
    forMember(qualifier, _name, ctx) {
      return classFiles(qualifier, ctx);
    },
    forName(name, ctx) {
      if (name.includes('.')) return [];
      // `using static Company.Net.TlsDefaults;`: its constants are used by their bare names
      const statics = [...ctx.imports.keys()].filter((k) => k.startsWith(STATIC_IMPORT)).map((k) => k.slice(STATIC_IMPORT.length));
      return statics.flatMap((q) => classFiles(q, ctx).map((p) => ({ path: p, scope: q.slice(q.lastIndexOf('.') + 1) }))).slice(0, MAX_CANDIDATES);
    },
    scopeName(qualifier) {
      return qualifier.slice(qualifier.lastIndexOf('.') + 1) || undefined;
    },
  },
};

// --- other files of the project --------------------------------------------------------------

/**
 * Types of the framework and of common libraries that never live in the project: looking them up
 * would only cost a walk of the project.
 */
const FRAMEWORK_TYPES = new Set([
  'SecurityProtocolType', 'SslProtocols', 'ServicePointManager', 'SslPolicyErrors', 'HttpClientHandler', 'SocketsHttpHandler', 'WebRequestHandler',
  'HttpWebRequest', 'WebRequest', 'WebClient', 'HttpClient', 'SslStream', 'SslClientAuthenticationOptions', 'SslServerAuthenticationOptions',
  'X509Certificate', 'X509Certificate2', 'X509Chain', 'X509ChainStatusFlags', 'AppContext', 'Environment', 'Console', 'Convert', 'Encoding',
  'String', 'string', 'Math', 'Enum', 'Task', 'TimeSpan', 'DateTime', 'Guid', 'Path', 'File', 'Directory', 'ConfigurationManager', 'Debug',
  'Trace', 'TlsCipherSuite', 'CipherSuitesPolicy', 'RemoteCertificateValidationCallback', 'StringComparison', 'Uri', 'UriKind', 'int', 'bool',
  'Int32', 'Boolean', 'object', 'Object', 'Array', 'Enumerable', 'Activator', 'Assembly', 'Type', 'GC', 'Thread', 'Interlocked', 'Volatile',
]);

/** Candidate files returned for one qualifier (each is parsed when asked). */
const MAX_CANDIDATES = 6;
/** Files and bytes read to index the type declarations of one project. */
const MAX_INDEX_FILES = 3000;
const MAX_INDEX_BYTES = 32 * 1024 * 1024;
const MAX_FILE_BYTES = 1024 * 1024;
/** Folders looked at above a file for its project (`*.csproj`). */
const MAX_UP = 8;

const isCsFile = (name: string) => name.endsWith('.cs');
const isProjectFile = (name: string) => /\.csproj$/i.test(name);
const DECLARES = /\b(?:class|struct|record|interface|enum)\s+(?:class\s+|struct\s+)?([A-Za-z_]\w*)/g;

/** Type name -> files declaring it, per project root, for one scan (keyed on the scan's cached walk). */
const indexes = new WeakMap<string[], Map<string, string[]>>();
/** Type declarations of a folder's files (for files outside any project), per scan listing. */
const folderIndexes = new WeakMap<string[], Map<string, string[]>>();

/** The folder of the nearest `*.csproj` above `dir`, if any. */
function projectRoot(dir: string, ctx: CrossFileContext): string | undefined {
  for (let d = dir, i = 0; i < MAX_UP; i++) {
    const names = ctx.list(d);
    if (names.some(isProjectFile)) return d;
    if (names.includes('.git')) break;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

function indexFiles(files: string[], budget: { files: number; bytes: number }): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const file of files) {
    if (budget.files-- <= 0 || budget.bytes <= 0) break;
    let text: string;
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      budget.bytes -= stat.size;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(DECLARES)) {
      let list = index.get(m[1]!);
      if (!list) index.set(detach(m[1]!), (list = []));
      if (!list.includes(file)) list.push(file);
    }
  }
  return index;
}

/**
 * The files that may declare class `qualifier` (its last segment) for code in `ctx.file`: files of
 * the same folder first, then the files of the project (below the nearest folder with a
 * `*.csproj`) whose text declares the type. Bounded: one indexing pass per project and scan.
 */
function classFiles(qualifier: string, ctx: CrossFileContext): string[] {
  const name = qualifier.slice(qualifier.lastIndexOf('.') + 1);
  if (!/^[A-Z_]\w*$/.test(name) || FRAMEWORK_TYPES.has(name) || /^(?:System|Microsoft)(?:\.|$)/.test(qualifier)) return [];
  const dir = path.dirname(ctx.file);
  const out: string[] = [];
  // the same folder: the conventional file name, then any file declaring the type
  const here = ctx.list(dir);
  const conventional = here.filter((f) => f === `${name}.cs` || (f.startsWith(`${name}.`) && isCsFile(f)));
  out.push(...conventional.map((f) => path.join(dir, f)));
  const root = projectRoot(dir, ctx);
  if (root) {
    const all = ctx.below(root, isCsFile);
    let index = indexes.get(all);
    if (!index) {
      // same folder first, then the rest of the project
      const near = all.filter((f) => path.dirname(f) === dir);
      const far = all.filter((f) => path.dirname(f) !== dir);
      indexes.set(all, (index = indexFiles([...near, ...far], { files: MAX_INDEX_FILES, bytes: MAX_INDEX_BYTES })));
    }
    const found = index.get(name) ?? [];
    out.push(...found.filter((f) => path.dirname(f) === dir), ...found.filter((f) => path.dirname(f) !== dir));
  } else {
    const files = here.filter(isCsFile);
    let index = folderIndexes.get(here);
    if (!index) folderIndexes.set(here, (index = indexFiles(files.map((f) => path.join(dir, f)), { files: 200, bytes: 8 * 1024 * 1024 })));
    out.push(...(index.get(name) ?? []));
  }
  return [...new Set(out)].filter((f) => f !== ctx.file).slice(0, MAX_CANDIDATES);
}
