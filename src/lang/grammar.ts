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
 * - `@param` a parameter, `@param.name` its name, `@param.default` its default value, `@param.rest`
 *   when it collects the remaining positional arguments, `@param.keyword` when it is passed by name only;
 * - `@decl` a declaration that introduces a name in the innermost scope, `@decl.target` (one or
 *   more, paired with) `@decl.value`, and `@decl.const` when the name cannot be reassigned; or
 *   `@decl.others`, a list whose named items after the first it binds to unknown values (a capture
 *   per item costs the query engine quadratic time on a list of thousands); `@assign.others` too;
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
 *
 * An adapter over a parser that is not tree-sitter (TypeScript's) gives `collect` instead of
 * `factsQuery`: the same captures, one array per match, from its own walk of the tree. The layer is
 * generic over the node type (`N`, tree-sitter's SyntaxNode by default).
 */
import type { SyntaxNode } from '../rule.js';
import type { LangNode } from './model.js';

/** One argument of a call: positional, or named (`protocol=...`, `version: ...`). */
export interface Arg<N extends LangNode = SyntaxNode> {
  name?: string;
  node: N;
  /** `*args`, `...xs`: spreads a list into the positional arguments. */
  spread?: boolean;
}

/**
 * A call's shape whose arguments are read only when a rule asks for them (most calls the layer
 * meets are never followed into): `read` turns the grammar's argument list into Args once.
 */
export function lazyCall(callee: SyntaxNode, name: string, receiver: SyntaxNode | undefined, read: () => Arg[]): Shape {
  let cached: Arg[] | undefined;
  return {
    t: 'call',
    callee,
    name,
    receiver,
    get args() {
      return (cached ??= read());
    },
  };
}

/** What an expression node is, in the layer's words. */
export type Shape<N extends LangNode = SyntaxNode> =
  | { t: 'string'; value: string; symbol?: boolean }
  | { t: 'number'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'null' }
  /** A plain name to look up in scope. */
  | { t: 'name'; name: string }
  /** `object.name`, `Outer::NAME`, `this.field`. */
  | { t: 'member'; object: N; name: string }
  /** `object[key]` with a constant key (`opts[:version]`, `conf["verify"]`, `var.map["k"]`). */
  | { t: 'index'; object: N; key: string }
  /** `this`, `self`: the current object. */
  | { t: 'self' }
  /** Parentheses, `&x`, a conversion that keeps the value, `.toArray()`. */
  | { t: 'wrap'; inner: N }
  /** A cast to a named type (`(SslProtocols)192`); numbers keep the type for enum rules. */
  | { t: 'cast'; type: string; inner: N }
  | { t: 'binary'; op: string; left: N; right: N }
  | { t: 'unary'; op: string; operand: N }
  | { t: 'ternary'; cond: N; then: N; else: N }
  /**
   * Any one of several expressions, without a condition to name (`try(a, b)`, `coalesce(a, b)`);
   * `nonNull` drops the null possibilities of all options but the last (`coalesce`, `a ?? b`).
   */
  | { t: 'either'; options: N[]; nonNull?: boolean }
  /** One element of a collection, as a loop variable holds it (`for p in PROTOCOLS`, Terraform's `each.value`): a list's items, a map's values. */
  | { t: 'element'; of: N }
  /** A list: its items, and lists spread into it (`append(base, x)`, `Arrays.asList(array)`). */
  | { t: 'list'; items: N[]; spread?: N[] }
  /** A map literal; `spread`: maps spread into it (`{ ...base, k: v }`, `**base`), read where an entry is not written later. */
  | { t: 'map'; entries: Array<{ key: string; node: N }>; spread?: N[] }
  | { t: 'call'; callee: N; name: string; receiver?: N; args: Arg<N>[] }
  | { t: 'new'; type: string; args: Arg<N>[]; body?: N }
  | { t: 'function'; node: N }
  | { t: 'other' };

/** A normalised assignment target. */
export type Target<N extends LangNode = SyntaxNode> =
  /** A plain name: a local, a parameter, or (assigned without a declaration) a field or global. */
  | { kind: 'name'; name: string }
  /** A field of the current object: `this.x`, `self.x`, `@x`. */
  | { kind: 'field'; name: string }
  /** A property of another object: `cfg.MinVersion`, `ServicePointManager.SecurityProtocol`. */
  | { kind: 'member'; object: string; name: string; objectNode: N }
  /** An element: `PARAMS[:ssl_version]`, `opts["verify"]`. */
  | { kind: 'element'; object: string; /** the key's text */ name: string; objectNode: N };

export interface Grammar<N extends LangNode = SyntaxNode> {
  /** Adapter id (`java`, `csharp`...). */
  id: string;
  /** The file kinds it reads. */
  kinds: string[];
  /**
   * The facts query (standard captures above), for tree-sitter grammars; an adapter that reads the
   * kinds of several grammars (C and C++) gives one per tree-sitter language name (`c`, `cpp`).
   */
  factsQuery?: string | Readonly<Record<string, string>>;
  /**
   * Instead of `factsQuery`, for other parsers: the standard captures of each match (a match is
   * an array of named nodes, as a query match's captures), from one walk of the tree.
   */
  collect?(root: N): Iterable<Array<{ name: string; node: N }>>;
  /**
   * For other parsers: parses another file of the project (read by src/lang/project.ts) into its
   * root node, or undefined. Files of tree-sitter kinds are parsed by the engine's parsers.
   */
  parse?(text: string, filePath: string): N | undefined;
  /** What an expression is. */
  shape(node: N): Shape<N>;
  /** What an assignment or declaration target names. */
  target(node: N): Target<N> | undefined;
  /**
   * False when a declaration does not spell a name the way a use does (HCL declares `var.x` as
   * `variable "x"`): then a name written once in a file may still be bound there. Default true.
   */
  namesSpelledAsDeclared?: boolean;
  /** Node types of statement blocks: an `@fn.expr` capture of one of these is not an expression body. */
  blockTypes?: string[];
  /** True when a declaration (`@decl`) binds a name that cannot change (`final`, `const`, `readonly`). */
  isConst?(decl: N): boolean;
  /** Strips an `@fn.name`/`@param.name`/`@class.name` capture to the bare name (default: its text). */
  nameOf?(node: N): string;
  /**
   * The dotted path an `@import.path` capture imports, when no single node spells it (Python's
   * `from ssl import PROTOCOL_TLSv1` imports `ssl.PROTOCOL_TLSv1`). Default: its text without spaces.
   */
  importPathOf?(node: N): string;
  /**
   * Positional parameters a call does not pass explicitly before its first argument (Python's
   * `self` when a method is called on an object). Default 0.
   */
  implicitParams?(fn: N, params: string[], call: Extract<Shape<N>, { t: 'call' }>): number;
  /**
   * False when a wildcard import brings names without qualifying them (a C `#include "x.h"`, a PHP
   * `require 'config.php'`): a library constant the file uses stays its bare name. Default true
   * (Python's `from ssl import *` makes `PROTOCOL_TLSv1` `ssl.PROTOCOL_TLSv1`).
   */
  wildcardsQualify?: boolean;
  /** True when a name in this grammar can be a call without parentheses (Ruby's `ssl_version`). */
  bareCalls?: boolean;
  /** Builtins that build lists, called like functions (`append`, `List.of`): their items. */
  listCall?(call: Extract<Shape<N>, { t: 'call' }>): Extract<Shape<N>, { t: 'list' }> | undefined;
  /**
   * Calls that join a list of strings into one (`[a, b].join(':')`, `':'.join(xs)`, `%w[a b].join(':')`):
   * the list, the separator expression, and the separator when none is passed.
   */
  joinCall?(call: Extract<Shape<N>, { t: 'call' }>): { list: N; separator?: N; fallback: string } | undefined;
  /**
   * How names reach this file from others: the files that may define `name` (or `qualifier.name`)
   * for code in `from`. Read lazily by the project index; see src/lang/project.ts.
   */
  crossFile?: CrossFile;
}

export interface CrossFile {
  /**
   * Where a bare name not defined in the file may come from: same-package files (Go), a wildcard
   * or static import (Java, C# `using static`). Paths to look in, each with the class that holds
   * the name when it is not top-level there.
   */
  forName?(name: string, ctx: CrossFileContext): Array<string | { path: string; /** the class whose members are used bare */ scope?: string }>;
  /** Where `qualifier.name` may be defined: the qualifier's class or module file. */
  forMember?(qualifier: string, name: string, ctx: CrossFileContext): string[];
  /** The file an import path names, relative to the importing file. */
  forImport?(importPath: string, ctx: CrossFileContext): string[];
  /**
   * Files that set a module-level name from outside the code, over the code's own binding
   * (Terraform's auto-loaded `terraform.tfvars` over a variable's `default`): when one of them
   * binds `name` at its top level, those values replace the name's own, in the order given
   * (the first file that binds it wins).
   */
  inputs?(name: string, ctx: CrossFileContext): string[];
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
