/**
 * The Ruby adapter of the semantic layer (tree-sitter-ruby). Locals, instance variables (fields
 * of the class), constants at any nesting (`TlsDefaults::VERSION`), symbols and strings, hashes and
 * `opts[:key]`, positional and keyword parameters with defaults, bare method calls, blocks and
 * lambdas, `if`/`unless`/modifier branches, `x ||= default`, and constants of other files: the
 * files a `require_relative` names, and the file that defines a module or class (Ruby's naming
 * convention first, then a bounded look below the project's `lib/` and `app/` folders).
 */
import fs from 'node:fs';
import path from 'node:path';
import { detach } from '../source.js';
import type { SyntaxNode } from '../rule.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';

/**
 * Few patterns on purpose: compiling a query against the Ruby grammar costs far more per pattern
 * than against Java's, so assignments share one pattern (\`target\` tells a local from a field, a
 * setter or an element) and alternations of whole patterns stand for families (never an
 * alternation nested in another: tree-sitter then drops some matches).
 */
const FACTS = `
(method name: (_) @fn.name body: (_)? @fn.expr) @fn
(singleton_method name: (_) @fn.name body: (_)? @fn.expr) @fn
[(block) (do_block) (lambda)] @fn
(call method: (identifier) @_attr (#match? @_attr "^attr_(reader|accessor)$") arguments: (argument_list (simple_symbol) @fn @fn.name))
(call method: (identifier) @_attr (#match? @_attr "^attr_(reader|accessor)$") arguments: (argument_list (simple_symbol) @return @return.value))

[(class name: (_) @class.name) (module name: (_) @class.name) (singleton_class)] @class

(method_parameters (identifier) @param.name @param)
(lambda_parameters (identifier) @param.name @param)
(block_parameters (identifier) @param.name @param)
(optional_parameter name: (identifier) @param.name value: (_) @param.default) @param
(keyword_parameter name: (identifier) @param.name value: (_)? @param.default) @param @param.keyword
(splat_parameter name: (identifier) @param.name) @param @param.rest
[(hash_splat_parameter name: (identifier) @param.name) (block_parameter name: (identifier) @param.name)] @param @param.keyword

(assignment left: (_) @decl.target right: (_) @decl.value) @decl
(operator_assignment left: (_) @decl.target operator: "||=" right: (_) @decl.value) @decl
(operator_assignment left: (_) @assign.target operator: ["|=" "&=" "+=" "-=" "^=" "<<=" ">>="] @assign.op right: (_) @assign.value) @assign

(call arguments: (argument_list)) @call

(return (argument_list . (_) @return.value)) @return
(method body: (body_statement (_) @return.value .) @return)
(singleton_method body: (body_statement (_) @return.value .) @return)
(do_block body: (body_statement (_) @return.value .) @return)
(block body: (block_body (_) @return.value .) @return)

(if condition: (_) @branch.cond consequence: (_) @branch)
(if condition: (_) @branch.cond alternative: (_) @branch.else)
(elsif condition: (_) @branch.cond consequence: (_) @branch)
(elsif condition: (_) @branch.cond alternative: (_) @branch.else)
(unless condition: (_) @branch.cond consequence: (_) @branch.else)
(unless condition: (_) @branch.cond alternative: (_) @branch)
(if_modifier body: (_) @branch condition: (_) @branch.cond)
(unless_modifier body: (_) @branch.else condition: (_) @branch.cond)
(operator_assignment left: (_) @branch.cond operator: "||=") @branch.else
[(when) (rescue)] @branch
(case (else) @branch)
[(while body: (_) @branch) (until body: (_) @branch) (for body: (_) @branch) (while_modifier body: (_) @branch) (until_modifier body: (_) @branch) (rescue_modifier handler: (_) @branch)]

(call method: (identifier) @_req (#eq? @_req "require_relative") arguments: (argument_list . (string . (string_content) @import.path .))) @import
`;

/** The content of a string or symbol literal without interpolation; undefined otherwise. */
export function rubyString(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'simple_symbol':
      return node.text.slice(1);
    case 'hash_key_symbol':
      return node.text;
    case 'string':
    case 'delimited_symbol':
    case 'bare_string':
    case 'bare_symbol': {
      let out = '';
      for (const c of node.namedChildren) {
        if (c.type === 'string_content') out += c.text;
        else if (c.type === 'escape_sequence') out += c.text === '\\n' ? '\n' : c.text === '\\t' ? '\t' : c.text.slice(1);
        else return undefined;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function rubyNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  const n = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : /^0[oO]?[0-7]+$/.test(t) && t.length > 1 ? parseInt(t.replace(/^0[oO]?/, ''), 8) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** `A::B::C` as the layer's dotted name (`A.B.C`); `::A` is `A`. */
function dotted(text: string): string {
  return text.replace(/\s+/g, '').replace(/^::/, '').replace(/::/g, '.');
}

/** The key of a hash pair or argument pair as a plain name (`ssl_version:`, `:ssl_version =>`, `"ssl_version" =>`). */
export function pairKey(pair: SyntaxNode): string | undefined {
  const key = pair.childForFieldName('key');
  return key ? rubyString(key) : undefined;
}

const isComment = (n: SyntaxNode) => n.type === 'comment';

/** The arguments of a call: positional, `key: value` pairs as named ones, `*list` spread, and the pairs again as one trailing hash. */
function args(list: SyntaxNode | null): Arg[] {
  const out: Arg[] = [];
  let pairs = false;
  for (const a of list?.namedChildren ?? []) {
    if (isComment(a) || a.type === 'block_argument' || a.type === 'hash_splat_argument' || a.type === 'forward_argument') continue;
    if (a.type === 'pair') {
      const name = pairKey(a);
      const value = a.childForFieldName('value');
      if (name && value) out.push({ name, node: value });
      pairs = true;
    } else if (a.type === 'splat_argument') {
      if (a.namedChildren[0]) out.push({ node: a.namedChildren[0], spread: true });
    } else {
      out.push({ node: a });
    }
  }
  // `connect(host, ssl_version: :TLSv1)` passes the pairs as a trailing hash to a method without keyword parameters
  if (pairs && list) out.push({ node: list });
  return out;
}

/** The last statement of a body (`then`, `else`, `body_statement`, `block_body`), skipping trailing comments. */
function lastStatement(body: SyntaxNode | null): SyntaxNode | undefined {
  if (!body) return undefined;
  const kids = body.namedChildren;
  for (let i = kids.length - 1; i >= 0; i--) if (!isComment(kids[i]!)) return kids[i];
  return undefined;
}

/** Methods that return their receiver's value unchanged for the rules' purposes. */
const SAME_VALUE = /^(?:freeze|dup|clone|itself|to_sym|to_s|to_str|intern|to_a|to_ary|compact|uniq|flatten)$/;

/** The class or module a node sits in, by name (`initialize` is called as `Name.new`). */
function enclosingClassName(node: SyntaxNode): string | undefined {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'class' || n.type === 'module') {
      const name = n.childForFieldName('name');
      if (!name) return undefined;
      return name.type === 'scope_resolution' ? name.childForFieldName('name')?.text : name.text;
    }
  }
  return undefined;
}

/** An `if`/`unless`/modifier used as a value: the last statement of each branch, `nil` (unknown) when a branch is missing. */
function conditionalShape(node: SyntaxNode): Shape {
  const cond = node.childForFieldName('condition');
  if (!cond) return { t: 'other' };
  if (node.type === 'if_modifier' || node.type === 'unless_modifier') {
    const body = node.childForFieldName('body');
    const none = node.child(1); // the keyword: evaluates to nothing known
    if (!body || !none) return { t: 'other' };
    return node.type === 'if_modifier' ? { t: 'ternary', cond, then: body, else: none } : { t: 'ternary', cond, then: none, else: body };
  }
  const then = lastStatement(node.childForFieldName('consequence')) ?? node.child(0)!;
  const alt = node.childForFieldName('alternative');
  const other = (alt?.type === 'elsif' ? alt : lastStatement(alt)) ?? node.child(0)!;
  return node.type === 'unless' ? { t: 'ternary', cond, then: other, else: then } : { t: 'ternary', cond, then, else: other };
}

export const ruby: Grammar = {
  id: 'ruby',
  kinds: ['ruby'],
  factsQuery: FACTS,
  blockTypes: ['body_statement'],
  bareCalls: true,

  isConst(decl) {
    return decl.type === 'assignment' && decl.childForFieldName('left')?.type === 'constant';
  },

  nameOf(node) {
    if (node.type === 'simple_symbol') return node.text.slice(1);
    if (node.type === 'scope_resolution') return node.childForFieldName('name')?.text ?? node.text;
    // `def initialize` is what `Name.new(...)` calls
    if (node.text === 'initialize' && node.parent?.type === 'method') return enclosingClassName(node.parent) ?? node.text;
    return node.text;
  },

  shape(node): Shape {
    if (!node.isNamed) return { t: 'other' };
    switch (node.type) {
      case 'string':
      case 'delimited_symbol':
      case 'simple_symbol':
      case 'bare_string':
      case 'bare_symbol': {
        // `attr_reader :ssl_version` returns `@ssl_version`
        if (node.type === 'simple_symbol' && node.parent?.type === 'argument_list' && /^attr_(?:reader|accessor)$/.test(node.parent.parent?.childForFieldName('method')?.text ?? '')) {
          return { t: 'name', name: '@' + node.text.slice(1) };
        }
        const v = rubyString(node);
        if (v === undefined) return { t: 'other' };
        return { t: 'string', value: v, ...(node.type.endsWith('symbol') ? { symbol: true } : {}) };
      }
      case 'integer': {
        const n = rubyNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'true':
        return { t: 'bool', value: true };
      case 'false':
        return { t: 'bool', value: false };
      case 'nil':
        return { t: 'null' };
      case 'self':
        return { t: 'self' };
      case 'identifier':
      case 'constant':
      case 'instance_variable':
      case 'class_variable':
      case 'global_variable':
        return { t: 'name', name: node.text };
      case 'scope_resolution': {
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name');
        if (!name) return { t: 'other' };
        return scope ? { t: 'member', object: scope, name: name.text } : { t: 'name', name: name.text };
      }
      case 'assignment': {
        // `ctx.min_version = ctx.max_version = v`: an assignment's value is its right side
        const right = node.childForFieldName('right');
        return right ? { t: 'wrap', inner: right } : { t: 'other' };
      }
      case 'parenthesized_statements': {
        const inner = node.namedChildren.filter((c) => !isComment(c));
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'comment': {
        // a trailing comment captured as a body's last statement: the statement before it
        const parent = node.parent;
        if (!parent || !/^(?:body_statement|block_body|then|else)$/.test(parent.type)) return { t: 'other' };
        const last = lastStatement(parent);
        return last && last.id !== node.id && last.endIndex <= node.startIndex ? { t: 'wrap', inner: last } : { t: 'other' };
      }
      case 'return': {
        const list = node.namedChildren.find((c) => c.type === 'argument_list');
        const inner = list?.namedChildren.filter((c) => !isComment(c)) ?? [];
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'conditional': {
        const cond = node.childForFieldName('condition');
        const then = node.childForFieldName('consequence');
        const other = node.childForFieldName('alternative');
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'if':
      case 'unless':
      case 'elsif':
      case 'if_modifier':
      case 'unless_modifier':
        return conditionalShape(node);
      case 'binary': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.type;
        return left && right && op ? { t: 'binary', op, left, right } : { t: 'other' };
      }
      case 'unary': {
        const operand = node.childForFieldName('operand');
        const op = node.childForFieldName('operator')?.type;
        if (!operand || !op) return { t: 'other' };
        return { t: 'unary', op: op === 'not' ? '!' : op, operand };
      }
      case 'array':
      case 'string_array':
      case 'symbol_array': {
        const items: SyntaxNode[] = [];
        const spread: SyntaxNode[] = [];
        for (const c of node.namedChildren) {
          if (isComment(c)) continue;
          if (c.type === 'splat_argument') {
            if (c.namedChildren[0]) spread.push(c.namedChildren[0]);
          } else items.push(c);
        }
        return spread.length ? { t: 'list', items, spread } : { t: 'list', items };
      }
      case 'hash':
      case 'argument_list': {
        const entries: Array<{ key: string; node: SyntaxNode }> = [];
        for (const c of node.namedChildren) {
          if (c.type !== 'pair') continue;
          const key = pairKey(c);
          const value = c.childForFieldName('value');
          if (key !== undefined && value) entries.push({ key, node: value });
        }
        return { t: 'map', entries };
      }
      case 'element_reference': {
        const object = node.childForFieldName('object');
        const keys = node.namedChildren.filter((c) => c.id !== object?.id && !isComment(c));
        const key = keys.length === 1 ? rubyString(keys[0]!) : undefined;
        return object && key !== undefined ? { t: 'index', object, key } : { t: 'other' };
      }
      case 'lambda': {
        // `->(ok, ctx) { true }`: the function is its body (where its returns are)
        const body = node.childForFieldName('body');
        return body ? { t: 'function', node: body } : { t: 'other' };
      }
      case 'call': {
        const list = node.childForFieldName('arguments');
        const method = node.childForFieldName('method');
        const name = method?.text ?? '';
        const receiver = node.childForFieldName('receiver') ?? undefined;
        if (!list) {
          // an assignment's target (`ctx.min_version = ...`) is a setter, not a value
          const parent = node.parent;
          if (parent && (parent.type === 'assignment' || parent.type === 'operator_assignment') && parent.childForFieldName('left')?.id === node.id) return { t: 'other' };
          // `proc { ... }`, `lambda do ... end`, `Proc.new { ... }`: a function value
          const block = node.childForFieldName('block');
          if (block && ((!receiver && (name === 'proc' || name === 'lambda')) || (name === 'new' && receiver?.text === 'Proc'))) return { t: 'function', node: block };
          if (receiver && SAME_VALUE.test(name)) return { t: 'wrap', inner: receiver };
        }
        if (receiver && name === 'new' && /^(?:::)?[A-Z][\w:]*$/.test(receiver.text)) return { t: 'new', type: dotted(receiver.text), args: args(list) };
        // `opts.fetch(:ssl_version, :TLSv1)`: the default is a possibility
        if (receiver && name === 'fetch') {
          const a = args(list);
          if (a.length >= 2 && !a[1]!.name) return { t: 'wrap', inner: a[1]!.node };
        }
        // the arguments are read only when asked (the facts index reads only the name of every call)
        let parsed: Arg[] | undefined;
        return {
          t: 'call',
          callee: node,
          name,
          receiver,
          get args() {
            return (parsed ??= args(list));
          },
        };
      }
      default:
        return { t: 'other' };
    }
  },

  joinCall(call) {
    // `%w[a b].join(':')`; without an argument Ruby joins with nothing
    if (call.name !== 'join' || !call.receiver || call.args.length > 1 || call.args[0]?.name || call.args[0]?.spread) return undefined;
    return { list: call.receiver, separator: call.args[0]?.node, fallback: '' };
  },

  target(node): Target | undefined {
    switch (node.type) {
      case 'identifier':
      case 'constant':
      case 'global_variable':
        return { kind: 'name', name: node.text };
      case 'instance_variable':
      case 'class_variable':
        return { kind: 'field', name: node.text };
      case 'call': {
        const receiver = node.childForFieldName('receiver');
        const name = node.childForFieldName('method')?.text;
        if (!receiver || !name) return undefined;
        // `self.ssl_version = v` writes the attribute `@ssl_version`
        if (receiver.type === 'self') return { kind: 'field', name: '@' + name };
        return { kind: 'member', object: receiver.text.replace(/\s+/g, ''), name, objectNode: receiver };
      }
      case 'element_reference': {
        const object = node.childForFieldName('object');
        const key = node.namedChildren.find((c) => c.id !== object?.id && !isComment(c));
        if (!object || !key) return undefined;
        return { kind: 'element', object: object.text.replace(/\s+/g, ''), name: rubyString(key) ?? key.text, objectNode: object };
      }
      case 'scope_resolution': {
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name')?.text;
        if (!name) return undefined;
        return scope ? { kind: 'member', object: scope.text.replace(/\s+/g, ''), name, objectNode: scope } : { kind: 'name', name };
      }
      default:
        return undefined;
    }
  },

  crossFile: {
    forImport(importPath, ctx) {
      return requiredFile(importPath, ctx);
    },
    forName(_name, ctx) {
      // a bare constant not defined here: the top level of the files this one requires
      return ctx.wildcards.flatMap((w) => requiredFile(w, ctx));
    },
    forMember(qualifier, name, ctx) {
      return definingFiles(qualifier, name, ctx);
    },
    scopeName(qualifier) {
      return qualifier.slice(qualifier.lastIndexOf('.') + 1) || undefined;
    },
  },
};

// --- other files ------------------------------------------------------------------------------

function exists(p: string, ctx: CrossFileContext): boolean {
  return ctx.list(path.dirname(p)).includes(path.basename(p));
}

/** The file `require_relative 'path'` loads, if it exists. */
function requiredFile(importPath: string, ctx: CrossFileContext): string[] {
  const base = path.resolve(path.dirname(ctx.file), importPath);
  const p = base.endsWith('.rb') ? base : base + '.rb';
  return exists(p, ctx) ? [p] : [];
}

/** Namespaces of Ruby and its common libraries: never defined in the project being scanned. */
const LIBRARY_ROOTS = /^(?:OpenSSL|Net|Faraday|Excon|RestClient|HTTParty|HTTPClient|HTTP|Typhoeus|Ethon|Gem|Bundler|Rails|ActiveSupport|ActiveRecord|ActionController|ActionDispatch|Kernel|Object|File|Dir|IO|ENV|Process|Socket|TCPSocket|URI|JSON|YAML|Logger|Time|Date|Mongo|Redis|Sidekiq|Aws|Google|Grpc|GRPC|Struct|OpenStruct|Hash|Array|String|Symbol|Integer|Float|Proc|Module|Class|Comparable|Enumerable|Math)$/;

/** Folders above a file that are searched for a module's definition. */
const MAX_UP = 8;
/** Files read (not parsed) by one search for a definition. */
const MAX_GREP = 300;
const MAX_GREP_BYTES = 256 * 1024;
const isRuby = (name: string) => name.endsWith('.rb');

/** `TlsDefaults` -> `tls_defaults`, `HTTPClient` -> `http_client`. */
function snake(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The project root of a file: the nearest folder above it with a Gemfile, a gemspec, `lib/` or `app/`. */
function projectRoot(ctx: CrossFileContext): string | undefined {
  let dir = path.dirname(ctx.file);
  for (let i = 0; i < MAX_UP; i++) {
    const names = ctx.list(dir);
    if (names.some((n) => n === 'Gemfile' || n === 'gems.rb' || n.endsWith('.gemspec') || n === 'lib' || n === 'app')) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

const searches = new Map<string, string[]>();
const MAX_SEARCHES = 512;

/**
 * The files that define module or class `qualifier` (`TlsDefaults`, `MyGem.Config`) for code in
 * `ctx.file`: required files, then files named after it (`tls_defaults.rb`) in the same folder and
 * below the project's `lib/` and `app/`, then other Ruby files there, each checked by a text
 * search for `module TlsDefaults`/`class TlsDefaults` and the member's name before it is parsed.
 * Bounded and cached.
 */
function definingFiles(qualifier: string, name: string, ctx: CrossFileContext): string[] {
  const parts = qualifier.split('.');
  if (LIBRARY_ROOTS.test(parts[0]!)) return [];
  const last = parts[parts.length - 1]!;
  if (!/^[A-Z]\w*$/.test(last)) return [];
  const dir = path.dirname(ctx.file);
  const root = projectRoot(ctx);
  const key = detach(`${root ?? dir}\0${dir}\0${qualifier}\0${name}\0${ctx.wildcards.join(',')}`);
  const hit = searches.get(key);
  if (hit) return hit;

  const candidates: string[] = [];
  const add = (p: string) => {
    if (p !== ctx.file && !candidates.includes(p)) candidates.push(p);
  };
  for (const w of ctx.wildcards) for (const p of requiredFile(w, ctx)) add(p);
  const fileName = `${snake(last)}.rb`;
  const nested = parts.map(snake).join(path.sep) + '.rb';
  const folders = [dir, ...(root ? [path.join(root, 'lib'), path.join(root, 'app')] : [])];
  if (exists(path.join(dir, fileName), ctx)) add(path.join(dir, fileName));
  const everything: string[] = [];
  for (const f of folders) {
    if (f !== dir && !exists(f, ctx)) continue;
    const files = f === dir ? ctx.list(dir).filter(isRuby).map((n) => path.join(dir, n)) : ctx.below(f, isRuby);
    for (const p of files) if (p.endsWith(path.sep + nested) || path.basename(p) === fileName) add(p);
    everything.push(...files);
  }
  for (const p of everything) add(p);

  const defines = new RegExp(`^\\s*(?:module|class)\\s+(?:[\\w:]+::)?${last}\\b`, 'm');
  // the member must be mentioned too: most files of a gem reopen its root module
  const mentions = new RegExp(`(?:^|[^\\w@$:])${name.replace(/[^\w]/g, (c) => `\\${c}`)}(?![\\w])`);
  const out: string[] = [];
  for (const p of candidates.slice(0, MAX_GREP)) {
    try {
      const stat = fs.lstatSync(p);
      if (!stat.isFile() || stat.size > MAX_GREP_BYTES) continue;
      const text = fs.readFileSync(p, 'utf8');
      if (defines.test(text) && mentions.test(text)) out.push(p);
    } catch {
      continue;
    }
    if (out.length >= 3) break;
  }
  if (searches.size >= MAX_SEARCHES) searches.clear();
  searches.set(key, out);
  return out;
}
