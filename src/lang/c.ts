/**
 * The C and C++ adapter of the semantic layer (tree-sitter-c for `*.c`/`*.h`, tree-sitter-cpp for
 * the C++ kinds; one adapter, a facts query per grammar).
 *
 * C in the layer's words: functions (and C++ methods, lambdas) are scopes; C++ classes, structs
 * and namespaces are class-like scopes. Declarations (`long v = CURL_SSLVERSION_TLSv1;`,
 * `static const char *CIPHERS = "...";`) declare, `=` and `op=` assign; `#define NAME value` and
 * enumerators are constants of the file. A macro's value is read by parsing its replacement text
 * as an expression (once per file, lazily, at the macro's own offsets), so `#define SSLV
 * (long)CURL_SSLVERSION_TLSv1` has the same value as the expression written at the use. Casts,
 * parentheses, `&x` and C++ `static_cast` keep the value; initializer lists are lists (or maps of
 * their designated fields). Library constants (`CURL_SSLVERSION_TLSv1`, `TLS1_VERSION`) and
 * functions (`TLSv1_method()`) are not defined in the code: they stay symbols and calls by name.
 *
 * Preprocessor conditionals are branches: code in `#if OPENSSL_VERSION_NUMBER < 0x10100000L` is
 * code (it ships in builds against old OpenSSL), and its condition is the branch's guard. Other
 * files: names come from the headers a file includes with quotes (`#include "tls_conf.h"`), looked
 * up beside the file and in the `include/` folders above it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detach } from '../source.js';
import type Parser from 'tree-sitter';
import { treeSitter } from '../parsers.js';
import type { SyntaxNode } from '../rule.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';

/** Functions whose declarator is a pointer or reference declarator around the function declarator. */
const FN_DECLARATORS = ['(function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @param.name) @param))', '(_ declarator: (function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @param.name) @param)))'];

const COMMON = `
(function_definition declarator: (_) @fn.name) @fn
${FN_DECLARATORS.map((d) => `(function_definition declarator: ${d})`).join('\n')}

(declaration declarator: (init_declarator declarator: (_) @decl.target value: (_) @decl.value)) @decl
(declaration declarator: [(identifier) (pointer_declarator) (array_declarator)] @decl.target) @decl
(preproc_def name: (identifier) @decl.target value: (preproc_arg) @decl.value) @decl @decl.const
(enumerator name: (identifier) @decl.target value: (_) @decl.value) @decl @decl.const

(assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign

(call_expression function: (identifier) @call.name) @call
(call_expression function: (field_expression field: (field_identifier) @call.name)) @call

(return_statement (_) @return.value) @return

(if_statement condition: (_) @branch.cond consequence: (_) @branch)
(if_statement condition: (_) @branch.cond alternative: (else_clause (_) @branch.else))
(case_statement value: (_) @branch.cond) @branch
(case_statement !value) @branch
(for_statement body: (_) @branch)
(while_statement condition: (_) @branch.cond body: (_) @branch)
(do_statement body: (_) @branch)

(preproc_if condition: (_) @branch.cond) @branch
(preproc_if condition: (_) @branch.cond alternative: (_) @branch.else)
(preproc_elif condition: (_) @branch.cond) @branch
(preproc_elif condition: (_) @branch.cond alternative: (_) @branch.else)
(preproc_ifdef "#ifdef" name: (_) @branch.cond) @branch
(preproc_ifdef "#ifdef" name: (_) @branch.cond alternative: (_) @branch.else)
(preproc_ifdef "#ifndef" name: (_) @branch.cond) @branch.else
(preproc_ifdef "#ifndef" name: (_) @branch.cond alternative: (_) @branch)

(preproc_include path: (string_literal) @import.path) @import
`;

const CPP_ONLY = `
(class_specifier name: (_) @class.name body: (_)) @class
(struct_specifier name: (_) @class.name body: (_)) @class
(namespace_definition name: (namespace_identifier) @class.name body: (_)) @class
(lambda_expression body: (_)) @fn
(lambda_expression declarator: (abstract_function_declarator parameters: (parameter_list (parameter_declaration declarator: (_) @param.name) @param)))
${FN_DECLARATORS.map((d) => `(function_definition declarator: ${d.replace(/\(parameter_declaration declarator: \(_\) @param\.name\) @param/, '(optional_parameter_declaration declarator: (_) @param.name default_value: (_) @param.default) @param')})`).join('\n')}
(field_declaration declarator: (_) @decl.target default_value: (_) @decl.value) @decl
(field_initializer (field_identifier) @assign.target (argument_list . (_) @assign.value .)) @assign
(field_initializer (field_identifier) @assign.target (initializer_list . (_) @assign.value .)) @assign
(call_expression function: (qualified_identifier name: (identifier) @call.name)) @call
`;

const FACTS = { c: COMMON, cpp: COMMON + CPP_ONLY };

/** The name a declarator declares: `*ctx`, `ciphers[]`, `&ref`, `Client::run(...)` give `ctx`, `ciphers`, `ref`, `run`. */
export function declaratorName(node: SyntaxNode): string {
  let n: SyntaxNode | null = node;
  for (let i = 0; n && i < 12; i++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'namespace_identifier':
      case 'destructor_name':
      case 'operator_name':
        return n.text;
      case 'qualified_identifier':
        n = n.childForFieldName('name');
        continue;
      default:
        n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => /declarator$|identifier$/.test(c.type)) ?? null;
    }
  }
  return node.text;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The content of a C string literal (escapes resolved), of adjacent literals, or undefined. */
export function cString(node: SyntaxNode): string | undefined {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      if (part.type === 'comment') continue;
      const s = cString(part);
      if (s === undefined) return undefined;
      out += s;
    }
    return out;
  }
  if (node.type === 'raw_string_literal') return node.namedChildren.find((c) => c.type === 'raw_string_content')?.text ?? '';
  if (node.type !== 'string_literal') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') {
      const e = c.text.slice(1);
      if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else if (/^x[0-9a-fA-F]+$/.test(e)) out += String.fromCharCode(parseInt(e.slice(1), 16));
      else if (/^[0-7]{1,3}$/.test(e)) out += String.fromCharCode(parseInt(e, 8));
      else if (/^(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})$/.test(e)) out += String.fromCodePoint(parseInt(e.slice(1), 16));
      else if (/^\r?\n$/.test(e)) continue;
      else return undefined;
    }
  }
  return out;
}

/** The value of a C integer or floating literal (`0x0301`, `1L`, `0UL`, `010`, `1'000`). */
export function cNumber(text: string): number | undefined {
  const t = text.replace(/'/g, '');
  let n: number;
  if (/^0[xX][0-9a-fA-F]+[uUlL]*$/.test(t)) n = parseInt(t.replace(/[uUlL]+$/, '').slice(2), 16);
  else if (/^0[bB][01]+[uUlL]*$/.test(t)) n = parseInt(t.replace(/[uUlL]+$/, '').slice(2), 2);
  else if (/^0[0-7]+[uUlL]*$/.test(t)) n = parseInt(t.replace(/[uUlL]+$/, ''), 8);
  else if (/^\d+[uUlL]*$/.test(t)) n = Number(t.replace(/[uUlL]+$/, ''));
  else if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFlL]?$/.test(t)) n = Number(t.replace(/[fFlL]$/, ''));
  else return undefined;
  return Number.isFinite(n) ? n : undefined;
}

function isComment(n: SyntaxNode): boolean {
  return n.type === 'comment';
}

function argsOf(list: SyntaxNode | null): Arg[] {
  return (list?.namedChildren ?? []).filter((a) => !isComment(a)).map((node) => ({ node }));
}

/** C++ casts that keep the value: `static_cast<long>(x)`. */
const CASTS = /^(?:static_cast|reinterpret_cast|const_cast|long|int|unsigned)$/;

// --- macro values -----------------------------------------------------------------------------

/**
 * A macro's replacement text that reads as one expression: balanced brackets, no statement or
 * block syntax. Others (`#define BEGIN {`, `#define u32 unsigned int`) are left out of the
 * synthetic parse so their text cannot swallow the macros after them.
 */
function expressionLike(text: string): boolean {
  if (/[{};#]/.test(text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) return false;
  let depth = 0;
  for (const c of text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (--depth < 0) return false;
    }
  }
  return depth === 0 && text.trim().length > 0;
}

const macroValues = new WeakMap<object, Map<number, SyntaxNode>>();
/** Trees of macro values, kept alive as long as the file's own tree (their nodes are the values). */
const macroTrees = new WeakMap<object, Parser.Tree>();
const macroParsers = new Map<string, Parser>();
const macroQueries = new Map<string, Parser.Query>();

/**
 * The expression a `#define`'s replacement text (a `preproc_arg`) stands for. All macros of a
 * file are parsed at once, on first use: a text as long as the file, blank but for
 * `;int _=<replacement>` at each macro's own offsets, so the nodes of the values carry the file's
 * offsets and lines (findings and related locations point into the file).
 */
function macroValue(arg: SyntaxNode): SyntaxNode | undefined {
  const tree = arg.tree as Parser.Tree & { language: Parser.Language & { name?: string } };
  let map = macroValues.get(tree);
  if (!map) {
    map = new Map();
    macroValues.set(tree, map);
    const language = tree.language;
    const name = language.name ?? '';
    let query = macroQueries.get(name);
    if (!query) macroQueries.set(name, (query = new (treeSitter().Query)(language, '(preproc_def value: (preproc_arg) @v)')));
    const args = query.captures(tree.rootNode).map((c) => c.node).filter((n) => expressionLike(n.text));
    if (args.length === 0) return undefined;
    const source = tree.rootNode.text;
    const chars: string[] = source.split('').map((c) => (c === '\n' || c === '\r' ? c : ' '));
    for (const a of args) {
      const prefix = ';int _=';
      let p = a.startIndex - prefix.length;
      if (p < 0) continue;
      for (const c of prefix) chars[p++] = c;
      for (let i = a.startIndex; i < a.endIndex; i++) chars[i] = source[i]!;
      // a line continuation inside the value: the backslash goes, the line break stays
      for (let i = a.startIndex; i < a.endIndex; i++) if (chars[i] === '\\' && (chars[i + 1] === '\n' || chars[i + 1] === '\r')) chars[i] = ' ';
    }
    let parser = macroParsers.get(name);
    if (!parser) {
      parser = new (treeSitter())();
      parser.setLanguage(language);
      macroParsers.set(name, parser);
    }
    const synthetic = parser.parse(`${chars.join('')}\n;`);
    macroTrees.set(tree, synthetic);
    let i = 0;
    for (const decl of synthetic.rootNode.namedChildren) {
      const value = decl.type === 'declaration' ? decl.childForFieldName('declarator')?.childForFieldName('value') : undefined;
      if (!value) continue;
      while (i < args.length && args[i]!.endIndex <= value.startIndex) i++;
      const owner = args[i];
      if (owner && owner.startIndex <= value.startIndex && value.endIndex <= owner.endIndex) map.set(owner.startIndex, value);
    }
  }
  return map.get(arg.startIndex);
}

// --- shapes -----------------------------------------------------------------------------------

function call(node: SyntaxNode): Shape {
  const fn = node.childForFieldName('function');
  const list = node.childForFieldName('arguments');
  if (!fn) return { t: 'other' };
  // `static_cast<long>(x)`, `long(x)`: the value
  if (fn.type === 'template_function' && CASTS.test(fn.childForFieldName('name')?.text ?? '')) {
    const args = argsOf(list);
    return args.length === 1 ? { t: 'wrap', inner: args[0]!.node } : { t: 'other' };
  }
  let name = '';
  let receiver: SyntaxNode | undefined;
  if (fn.type === 'identifier') name = fn.text;
  else if (fn.type === 'field_expression') {
    name = fn.childForFieldName('field')?.text ?? '';
    receiver = fn.childForFieldName('argument') ?? undefined;
  } else if (fn.type === 'qualified_identifier') name = declaratorName(fn);
  else if (fn.type === 'template_function') name = fn.childForFieldName('name')?.text ?? '';
  let args: Arg[] | undefined;
  return {
    t: 'call',
    callee: fn,
    name,
    receiver,
    get args(): Arg[] {
      return (args ??= argsOf(list));
    },
  };
}

function initializerList(node: SyntaxNode): Shape {
  const items = node.namedChildren.filter((c) => !isComment(c));
  if (!items.some((c) => c.type === 'initializer_pair')) return { t: 'list', items };
  const entries: Array<{ key: string; node: SyntaxNode }> = [];
  for (const p of items) {
    if (p.type !== 'initializer_pair') continue;
    const designator = p.childForFieldName('designator');
    const value = p.childForFieldName('value');
    const key = designator?.text.replace(/^\./, '').replace(/^\[|\]$/g, '');
    if (key && value) entries.push({ key, node: value });
  }
  return { t: 'map', entries };
}

/** The key of a subscript: a number's text or a string's content. */
function subscriptKey(node: SyntaxNode): string | undefined {
  const index = node.childForFieldName('index') ?? node.childForFieldName('indices')?.namedChildren.find((c) => !isComment(c));
  if (!index) return undefined;
  if (index.type === 'number_literal') return String(cNumber(index.text) ?? index.text);
  return cString(index);
}

export const c: Grammar = {
  id: 'c',
  kinds: ['c', 'cpp'],
  factsQuery: FACTS,
  blockTypes: ['compound_statement'],
  wildcardsQualify: false,

  nameOf(node) {
    if (node.type === 'string_literal') return cString(node) ?? node.text;
    return declaratorName(node);
  },

  importPathOf(node) {
    return cString(node) ?? node.text.replace(/^"|"$/g, '');
  },

  isConst(decl) {
    if (decl.type === 'preproc_def' || decl.type === 'enumerator') return true;
    if (decl.type !== 'declaration' && decl.type !== 'field_declaration') return false;
    return decl.namedChildren.some((c) => c.type === 'type_qualifier' && /^(?:const|constexpr|constinit)$/.test(c.text));
  },

  shape(node): Shape {
    switch (node.type) {
      case 'string_literal':
      case 'concatenated_string':
      case 'raw_string_literal': {
        const v = cString(node);
        return v === undefined ? { t: 'other' } : { t: 'string', value: v };
      }
      case 'number_literal': {
        const n = cNumber(node.text);
        return n === undefined ? { t: 'other' } : { t: 'number', value: n };
      }
      case 'true':
        return { t: 'bool', value: true };
      case 'false':
        return { t: 'bool', value: false };
      case 'null':
      case 'nullptr':
        return { t: 'null' };
      case 'identifier':
        return { t: 'name', name: node.text };
      case 'this':
        return { t: 'self' };
      case 'field_expression': {
        const object = node.childForFieldName('argument');
        const field = node.childForFieldName('field');
        return object && field ? { t: 'member', object, name: field.text } : { t: 'other' };
      }
      case 'qualified_identifier': {
        // `Client::kVersion`: a member of a class or namespace of the file; `::X`, `a::b::c`: the name it spells
        const scope = node.childForFieldName('scope');
        const name = node.childForFieldName('name');
        if (scope && name?.type === 'identifier' && /identifier$/.test(scope.type)) return { t: 'member', object: scope, name: name.text };
        if (!scope && name) return { t: 'wrap', inner: name };
        return { t: 'name', name: node.text.replace(/\s+/g, '').replace(/^::/, '') };
      }
      case 'namespace_identifier':
      case 'type_identifier':
        return { t: 'name', name: node.text };
      case 'subscript_expression': {
        const object = node.childForFieldName('argument');
        const key = subscriptKey(node);
        return object && key !== undefined ? { t: 'index', object, key } : { t: 'other' };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.filter((x) => !isComment(x));
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'cast_expression': {
        const inner = node.childForFieldName('value');
        const type = node.childForFieldName('type');
        return inner ? { t: 'cast', type: type?.text.replace(/\s+/g, ' ') ?? '', inner } : { t: 'other' };
      }
      case 'pointer_expression': {
        // `&verify_cb` is the function itself; `*p` is not known here
        const inner = node.childForFieldName('argument');
        return inner && node.child(0)?.type === '&' ? { t: 'wrap', inner } : { t: 'other' };
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text;
        return operand && op ? { t: 'unary', op, operand } : { t: 'other' };
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        return left && right && op ? { t: 'binary', op, left, right } : { t: 'other' };
      }
      case 'conditional_expression': {
        const cond = node.childForFieldName('condition');
        const then = node.childForFieldName('consequence');
        const other = node.childForFieldName('alternative');
        return cond && then && other ? { t: 'ternary', cond, then, else: other } : { t: 'other' };
      }
      case 'initializer_list':
        return initializerList(node);
      case 'argument_list': {
        // `ssl::context ctx(ssl::context::tlsv1)`: direct initialisation with one value
        const inner = node.namedChildren.filter((x) => !isComment(x));
        return inner.length === 1 ? { t: 'wrap', inner: inner[0]! } : { t: 'other' };
      }
      case 'call_expression':
        return call(node);
      case 'lambda_expression':
        return { t: 'function', node };
      case 'new_expression': {
        const type = node.childForFieldName('type');
        return { t: 'new', type: type?.text ?? '', args: argsOf(node.childForFieldName('arguments')) };
      }
      case 'preproc_arg': {
        const value = macroValue(node);
        return value ? { t: 'wrap', inner: value } : { t: 'other' };
      }
      default:
        return { t: 'other' };
    }
  },

  target(node): Target | undefined {
    switch (node.type) {
      case 'identifier':
        return { kind: 'name', name: node.text };
      case 'field_identifier':
        // a class member's declaration or a constructor's member initializer
        return { kind: 'field', name: node.text };
      case 'pointer_declarator':
      case 'array_declarator':
      case 'reference_declarator':
      case 'parenthesized_declarator': {
        const inner = node.childForFieldName('declarator') ?? node.namedChildren.find((x) => /declarator$|identifier$/.test(x.type));
        return inner ? c.target(inner) : undefined;
      }
      case 'field_expression': {
        const object = node.childForFieldName('argument');
        const field = node.childForFieldName('field')?.text;
        if (!object || !field) return undefined;
        if (object.type === 'this') return { kind: 'field', name: field };
        return { kind: 'member', object: object.text.replace(/\s+/g, ''), name: field, objectNode: object };
      }
      case 'subscript_expression': {
        const object = node.childForFieldName('argument');
        const key = subscriptKey(node);
        return object ? { kind: 'element', object: object.text.replace(/\s+/g, ''), name: key ?? '', objectNode: object } : undefined;
      }
      case 'parenthesized_expression':
        return node.firstNamedChild ? c.target(node.firstNamedChild) : undefined;
      default:
        return undefined;
    }
  },

  crossFile: {
    // a name no scope of the file binds: the quoted includes (`#include "tls_conf.h"`)
    forName(name, ctx) {
      return [...new Set(ctx.wildcards.flatMap((w) => includedFiles(w, ctx)))].filter((f) => defines(f, name));
    },
  },
};

/** Headers larger than this are not screened (nor opened by the project index). */
const MAX_SCREENED = 1024 * 1024;
/** Screened headers remembered at once. */
const SCREEN_CACHE = 4096;
const screened = new Map<string, Set<string> | null>();

/**
 * True when a header may define `name` (a `#define NAME`, or `NAME =` in a declaration or an
 * enum), from a cheap scan of its text cached per path: a lookup opens (parses) only the headers
 * that may answer it, not every header a file includes.
 */
function defines(file: string, name: string): boolean {
  let names = screened.get(file);
  if (names === undefined) {
    names = null;
    try {
      const stat = fs.lstatSync(file);
      if (stat.isFile() && stat.size <= MAX_SCREENED) {
        const text = fs.readFileSync(file, 'latin1');
        names = new Set<string>();
        for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)/gm)) names.add(detach(m[1]!));
        for (const m of text.matchAll(/\b(\w+)[ \t]*(?:\[[^\]\n]*\][ \t]*)?=(?!=)/g)) names.add(detach(m[1]!));
      }
    } catch {
      names = null;
    }
    screened.set(file, names);
    if (screened.size > SCREEN_CACHE) screened.delete(screened.keys().next().value!);
  }
  return !!names && names.has(name);
}

/** Folders above a file searched for an `include/` folder that holds a quoted include. */
const MAX_UP = 3;

/** The files a quoted include may name: beside the including file, else below an `include/` folder (or the folder itself) above it. */
function includedFiles(include: string, ctx: CrossFileContext): string[] {
  if (path.isAbsolute(include) || include.includes('\0')) return [];
  let dir = path.dirname(ctx.file);
  for (let i = 0; i <= MAX_UP; i++) {
    for (const base of i === 0 ? [dir] : [path.join(dir, 'include'), dir]) {
      const file = path.normalize(path.join(base, include));
      if (ctx.list(path.dirname(file)).includes(path.basename(file))) return [file];
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [];
}
