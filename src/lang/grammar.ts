/**
 * What a grammar adapter tells the semantic layer. An adapter is data plus small functions: a
 * tree-sitter query that names the declarations, scopes and calls of the grammar with the
 * standard captures below, and `shape`, which says what an expression node is. Everything else
 * (scopes, reaching assignments, parameters and call sites, factories, cross-file constants) is
 * written once, in src/lang/facts.ts and src/lang/evaluate.ts.
 *
 * Standard captures of `factsQuery` (a match may use several):
 * - `@fn` a function-like scope (function, method, constructor, lambda, accessor), `@fn.name` its name;
 * - `@class` a class-like scope (class, struct, interface, enum, module, anonymous class body), `@class.name`;
 * - `@param` a parameter, `@param.name` its name, `@param.default` its default value;
 * - `@decl` a declaration that introduces a name in the innermost scope, `@decl.target` (one or
 *   more, paired with) `@decl.value`, and `@decl.const` when the name cannot be reassigned;
 * - `@assign` an assignment to an existing name, `@assign.target`, `@assign.value`, `@assign.op`
 *   (the operator token when it is not `=`);
 * - `@call` a call, `@call.callee` the called expression, `@call.args` its argument list, and
 *   optionally `@call.name` the called name (`connect` in `obj.connect(...)`), which spares the
 *   index a `shape` per call;
 * - `@return` a return, `@return.value`;
 * - `@branch` code that runs only sometimes (an `if`'s consequence or alternative, a `case`, a
 *   loop body, a `catch`), `@branch.cond` the condition that selects it, `@branch.else` instead
 *   of `@branch` for the code that runs when the condition is false;
 * - `@import` an import, `@import.name` the local name it binds (or none for a wildcard),
 *   `@import.path` what it imports (a module, package or qualified class);
 * - `@package` the package or namespace declaration, `@package.name`.
 */
import type { SyntaxNode } from '../rule.js';

/** One argument of a call: positional, or named (`protocol=...`, `version: ...`). */
export interface Arg {
  name?: string;
  node: SyntaxNode;
  /** `*args`, `...xs`: spreads a list into the positional arguments. */
  spread?: boolean;
}

/** What an expression node is, in the layer's words. */
export type Shape =
  | { t: 'string'; value: string; symbol?: boolean }
  | { t: 'number'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'null' }
  /** A plain name to look up in scope. */
  | { t: 'name'; name: string }
  /** `object.name`, `Outer::NAME`, `this.field`. */
  | { t: 'member'; object: SyntaxNode; name: string }
  /** `object[key]` with a constant key (`opts[:version]`, `conf["verify"]`, `var.map["k"]`). */
  | { t: 'index'; object: SyntaxNode; key: string }
  /** `this`, `self`: the current object. */
  | { t: 'self' }
  /** Parentheses, `&x`, a conversion that keeps the value, `.toArray()`. */
  | { t: 'wrap'; inner: SyntaxNode }
  /** A cast to a named type (`(SslProtocols)192`); numbers keep the type for enum rules. */
  | { t: 'cast'; type: string; inner: SyntaxNode }
  | { t: 'binary'; op: string; left: SyntaxNode; right: SyntaxNode }
  | { t: 'unary'; op: string; operand: SyntaxNode }
  | { t: 'ternary'; cond: SyntaxNode; then: SyntaxNode; else: SyntaxNode }
  /** A list: its items, and lists spread into it (`append(base, x)`, `Arrays.asList(array)`). */
  | { t: 'list'; items: SyntaxNode[]; spread?: SyntaxNode[] }
  | { t: 'map'; entries: Array<{ key: string; node: SyntaxNode }> }
  | { t: 'call'; callee: SyntaxNode; name: string; receiver?: SyntaxNode; args: Arg[] }
  | { t: 'new'; type: string; args: Arg[]; body?: SyntaxNode }
  | { t: 'function'; node: SyntaxNode }
  | { t: 'other' };

/** A normalised assignment target. */
export type Target =
  /** A plain name: a local, a parameter, or (assigned without a declaration) a field or global. */
  | { kind: 'name'; name: string }
  /** A field of the current object: `this.x`, `self.x`, `@x`. */
  | { kind: 'field'; name: string }
  /** A property of another object: `cfg.MinVersion`, `ServicePointManager.SecurityProtocol`. */
  | { kind: 'member'; object: string; name: string; objectNode: SyntaxNode }
  /** An element: `PARAMS[:ssl_version]`, `opts["verify"]`. */
  | { kind: 'element'; object: string; /** the key's text */ name: string; objectNode: SyntaxNode };

export interface Grammar {
  /** Adapter id (`java`, `csharp`...). */
  id: string;
  /** The file kinds it reads. */
  kinds: string[];
  /** The facts query (standard captures above). */
  factsQuery: string;
  /** What an expression is. */
  shape(node: SyntaxNode): Shape;
  /** What an assignment or declaration target names. */
  target(node: SyntaxNode): Target | undefined;
  /** Node types of statement blocks: an `@fn.expr` capture of one of these is not an expression body. */
  blockTypes?: string[];
  /** True when a declaration (`@decl`) binds a name that cannot change (`final`, `const`, `readonly`). */
  isConst?(decl: SyntaxNode): boolean;
  /** Strips an `@fn.name`/`@param.name`/`@class.name` capture to the bare name (default: its text). */
  nameOf?(node: SyntaxNode): string;
  /**
   * The dotted path an `@import.path` capture imports, when no single node spells it (Python's
   * `from ssl import PROTOCOL_TLSv1` imports `ssl.PROTOCOL_TLSv1`). Default: its text without spaces.
   */
  importPathOf?(node: SyntaxNode): string;
  /**
   * Positional parameters a call does not pass explicitly before its first argument (Python's
   * `self` when a method is called on an object). Default 0.
   */
  implicitParams?(fn: SyntaxNode, params: string[], call: Extract<Shape, { t: 'call' }>): number;
  /** True when a name in this grammar can be a call without parentheses (Ruby's `ssl_version`). */
  bareCalls?: boolean;
  /** Builtins that build lists, called like functions (`append`, `List.of`): their items. */
  listCall?(call: Extract<Shape, { t: 'call' }>): Extract<Shape, { t: 'list' }> | undefined;
  /**
   * How names reach this file from others: the files that may define `name` (or `qualifier.name`)
   * for code in `from`. Read lazily by the project index; see src/lang/project.ts.
   */
  crossFile?: CrossFile;
}

export interface CrossFile {
  /**
   * Where a bare name not defined in the file may come from: same-package files (Go), a wildcard
   * or static import (Java). Paths to look in.
   */
  forName?(name: string, ctx: CrossFileContext): string[];
  /** Where `qualifier.name` may be defined: the qualifier's class or module file. */
  forMember?(qualifier: string, name: string, ctx: CrossFileContext): string[];
  /** The file an import path names, relative to the importing file. */
  forImport?(importPath: string, ctx: CrossFileContext): string[];
  /**
   * The class or module scope that `qualifier` names inside a candidate file (Java/C# class,
   * Ruby module); undefined means the file's top level.
   */
  scopeName?(qualifier: string): string | undefined;
}

export interface CrossFileContext {
  /** Absolute path of the file that asks. */
  file: string;
  /** Its package or namespace, when the grammar has one. */
  packageName?: string;
  /** Its imports: local name -> imported path. */
  imports: ReadonlyMap<string, string>;
  /** Imports without a local name (`import a.b.*`, `from x import *`, `using A.B;`). */
  wildcards: readonly string[];
  /** Sorted names in a folder (cached per scan). */
  list(dir: string): string[];
  /** Files below `dir` (bounded, cached) whose base name passes `accept`. */
  below(dir: string, accept: (name: string) => boolean): string[];
}
