/**
 * The facts of one tree, indexed once: scopes, parameters, declarations and assignments (with
 * the branches they sit in), calls by name, returns, imports. Built from the grammar's facts
 * query (one native query run), so no rule walks the whole tree per match. Positions are looked
 * up by binary search over nested intervals.
 */
import type Parser from 'tree-sitter';
import { checkpoint, uncharged } from '../cancel.js';
import { queryLimits, treeSitter } from '../parsers.js';
import type { SyntaxNode } from '../rule.js';
import type { Grammar, Target } from './grammar.js';
import type { LangNode } from './model.js';

export interface Scope<N extends LangNode = SyntaxNode> {
  node: N;
  kind: 'fn' | 'class' | 'module';
  /** Function, method or class name (undefined for lambdas and the module). */
  name?: string;
  nameNode?: N;
  params: Param<N>[];
  parent?: Scope<N>;
  start: number;
  end: number;
  /** An expression body (`x -> true`, `=> true`, `lambda: True`): its implicit return. */
  exprBody?: N;
}

export interface Param<N extends LangNode = SyntaxNode> {
  name: string;
  node: N;
  default?: N;
  index: number;
  /** `*args`, `String... xs`: collects the remaining positional arguments. */
  rest?: boolean;
  /** Passed by name only (Ruby `version:`, Python after `*`): never bound to a positional argument. */
  keyword?: boolean;
}

export interface Branch<N extends LangNode = SyntaxNode> {
  node: N;
  cond?: N;
  /** True for the code that runs when `cond` is false. */
  negated: boolean;
  start: number;
  end: number;
  parent?: Branch<N>;
}

export interface Binding<N extends LangNode = SyntaxNode> {
  target: Target<N>;
  /** `node.startIndex`, kept so scans need no native call. */
  start: number;
  targetNode: N;
  value?: N;
  /** `=` or the compound operator (`|=`, `&=`, `+=`). */
  op: string;
  /** Declares the name (vs assigns an existing one). */
  decl: boolean;
  isConst: boolean;
  /** The declaration or assignment node. */
  node: N;
  /** The scope whose name it binds (a local's function, a field's class, the module). */
  owner: Scope<N>;
  /** The innermost scope the statement sits in. */
  scope: Scope<N>;
}

export interface CallSite<N extends LangNode = SyntaxNode> {
  node: N;
  /** `node.startIndex`, kept so scans need no native call. */
  start: number;
  name: string;
  scope: Scope<N>;
}

export interface Facts<N extends LangNode = SyntaxNode> {
  module: Scope<N>;
  /** Every scope, sorted by start (outer before inner at the same start). */
  scopes: Scope<N>[];
  /** Bindings of plain names and fields, by owner scope then name, in source order. */
  bindings: Map<Scope<N>, Map<string, Binding<N>[]>>;
  /** Assignments to properties and elements of other objects (`cfg.MinVersion = ...`), in source order. */
  memberWrites: Binding<N>[];
  /** Calls by the callee's last name, in source order. */
  calls: Map<string, CallSite<N>[]>;
  /** Every call, in source order (by start). */
  callsInOrder: CallSite<N>[];
  /** Return values by function scope. */
  returns: Map<Scope<N>, N[]>;
  /** Functions by name (methods and nested functions included). */
  functions: Map<string, Scope<N>[]>;
  classes: Map<string, Scope<N>[]>;
  imports: Map<string, string>;
  wildcards: string[];
  packageName?: string;
  branches: Branch<N>[];
}

/** What a file imports and which package it is in: cheap to know, asked before anything else. */
export interface Header {
  imports: Map<string, string>;
  wildcards: string[];
  packageName?: string;
}

const queries = new Map<string, Parser.Query | null>();

/** A part of a grammar's facts query, compiled once; undefined when the grammar has no pattern for it. */
function queryFor<N extends LangNode>(grammar: Grammar<N>, language: Parser.Language | undefined, part: 'structure' | 'calls' | 'header'): Parser.Query | undefined {
  // an adapter that reads the kinds of several grammars (C and C++) has a query per language
  const languageName = (language as { name?: string } | undefined)?.name ?? '';
  const key = `${grammar.id}\0${languageName}\0${part}`;
  let q = queries.get(key);
  if (q === undefined) {
    const source = typeof grammar.factsQuery === 'string' ? grammar.factsQuery : grammar.factsQuery?.[languageName];
    if (!language || source === undefined) throw new Error(`${grammar.id}: a grammar needs a facts query (and its language) or collect`);
    // three passes over the same patterns, each run only when asked: the header (imports, package:
    // almost nothing captured), the structure (scopes, bindings, branches, returns) and the calls
    // (the most numerous captures, needed only for call sites and later uses of an object)
    const patterns = queryPatterns(source);
    const isCall = (p: string) => /@call\b(?!\.)/.test(p);
    const chosen = part === 'header' ? patterns.filter((p) => /@(?:import|package)\b/.test(p)) : part === 'calls' ? patterns.filter(isCall) : patterns.filter((p) => !isCall(p));
    // compiled once per worker: not the file's time (cancel.ts)
    q = chosen.length ? uncharged(() => new (treeSitter().Query)(language, chosen.join('\n'))) : null;
    queries.set(key, q);
  }
  return q ?? undefined;
}

/**
 * The items after the first of a list, or of the `name` fields of a declaration (`@decl.others`:
 * the names `a, b, c = f()` leaves unknown). Only tree-sitter grammars use it.
 */
function laterItems<N extends LangNode>(list: N | undefined): N[] {
  if (!list) return [];
  const node = list as unknown as SyntaxNode;
  const names = node.childrenForFieldName('name');
  return ((names.length ? names : node.namedChildren) as unknown as N[]).slice(1);
}

/** The top-level patterns of a query source (strings and `;` comments respected). */
export function queryPatterns(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === ';') {
      const nl = source.indexOf('\n', i);
      i = nl === -1 ? source.length : nl;
    } else if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === '(' || c === '[') {
      if (depth === 0 && source.slice(start, i).trim()) {
        out.push(source.slice(start, i).trim());
        start = i;
      }
      depth++;
    } else if (c === ')' || c === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
  if (source.slice(start).trim()) out.push(source.slice(start).trim());
  return out;
}

/** The imports and package of a file, from the header patterns only (grammars with a walk collect everything). */
export function buildHeader<N extends LangNode>(grammar: Grammar<N>, language: Parser.Language | undefined, root: N): Header {
  const query = grammar.collect ? undefined : queryFor(grammar, language, 'header');
  const matches = grammar.collect
    ? grammar.collect(root)
    : (query?.matches(root as unknown as SyntaxNode, queryLimits()).map((m) => m.captures as unknown as Array<{ name: string; node: N }>) ?? []);
  const header: Header = { imports: new Map(), wildcards: [] };
  for (const captures of matches) readHeader(grammar, captures, header);
  return header;
}

function readHeader<N extends LangNode>(grammar: Grammar<N>, captures: Array<{ name: string; node: N }>, header: Header): void {
  const cap: Record<string, N> = {};
  for (const c of captures) cap[c.name] ??= c.node;
  if (cap.import) {
    const pathNode = cap['import.path'];
    const path = pathNode && (grammar.importPathOf ? grammar.importPathOf(pathNode) : pathNode.text.replace(/\s+/g, ''));
    if (!path) return;
    if (cap['import.name']) header.imports.set(grammar.nameOf ? grammar.nameOf(cap['import.name']) : cap['import.name'].text, path);
    else header.wildcards.push(path);
  } else if (cap.package && cap['package.name']) {
    header.packageName = cap['package.name'].text.replace(/\s+/g, '');
  }
}

/** The standard captures of each match: the grammar's own walk, or its facts query's matches. */
function matchesOf<N extends LangNode>(grammar: Grammar<N>, language: Parser.Language | undefined, root: N, part: 'structure' | 'calls'): Iterable<Array<{ name: string; node: N }>> {
  if (grammar.collect) return part === 'structure' ? grammar.collect(root) : [];
  // a grammar with a facts query reads tree-sitter nodes: N is SyntaxNode
  const query = queryFor(grammar, language, part);
  if (!query) return [];
  return query
    .matches(root as unknown as SyntaxNode, queryLimits())
    .map((m) => m.captures as unknown as Array<{ name: string; node: N }>);
}

/** The innermost interval of a nested, start-sorted list that contains [start, end). */
function innermost<T extends { start: number; end: number; parent?: T }>(sorted: T[], start: number, end: number): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let s = found >= 0 ? sorted[found] : undefined; s; s = s.parent) if (s.start <= start && s.end >= end) return s;
  return undefined;
}

/** Sets `parent` on a start-sorted list of nested intervals. */
function nest<T extends { start: number; end: number; parent?: T }>(sorted: T[]): void {
  const stack: T[] = [];
  for (const s of sorted) {
    while (stack.length && stack[stack.length - 1]!.end < s.end) stack.pop();
    const top = stack[stack.length - 1];
    if (top && top.start <= s.start && top.end >= s.end) s.parent = top;
    stack.push(s);
  }
}

function byStart<T extends { start: number; end: number }>(a: T, b: T): number {
  return a.start - b.start || b.end - a.end;
}

export function buildFacts<N extends LangNode>(grammar: Grammar<N>, language: Parser.Language | undefined, root: N): Facts<N> {
  const nameOf = (n: N) => (grammar.nameOf ? grammar.nameOf(n) : n.text);
  const module: Scope<N> = { node: root, kind: 'module', params: [], start: root.startIndex, end: root.endIndex };
  const scopes: Scope<N>[] = [module];
  const paramNodes: Array<{ fnStart: number; name: string; node: N; default?: N; rest: boolean; keyword: boolean; at: number }> = [];
  const rawBindings: Array<{ decl: boolean; isConst: boolean; node: N; start: number; targets: N[]; values: N[]; op?: string }> = [];
  const callNodes: Array<{ node: N; name?: string; start: number }> = [];
  const returnNodes: Array<{ node: N; value: N }> = [];
  const branches: Branch<N>[] = [];
  const header: Header = { imports: new Map(), wildcards: [] };

  const readCall = (captures: Array<{ name: string; node: N }>) => {
    let call: N | undefined;
    let name: N | undefined;
    for (const c of captures) {
      if (c.name === 'call') call ??= c.node;
      else if (c.name === 'call.name') name ??= c.node;
    }
    if (call) callNodes.push({ node: call, name: name ? nameOf(name) : undefined, start: call.startIndex });
  };
  for (const captures of matchesOf(grammar, language, root, 'structure')) {
    checkpoint();
    const cap: Record<string, N> = {};
    const many: Record<string, N[]> = {};
    for (const c of captures) {
      cap[c.name] ??= c.node;
      (many[c.name] ??= []).push(c.node);
    }
    if (cap.fn) {
      const n = cap.fn;
      scopes.push({ node: n, kind: 'fn', name: cap['fn.name'] ? nameOf(cap['fn.name']) : undefined, nameNode: cap['fn.name'], params: [], start: n.startIndex, end: n.endIndex, exprBody: cap['fn.expr'] && !grammar.blockTypes?.includes(cap['fn.expr'].type) ? cap['fn.expr'] : undefined });
    } else if (cap.class) {
      const n = cap.class;
      scopes.push({ node: n, kind: 'class', name: cap['class.name'] ? nameOf(cap['class.name']) : undefined, nameNode: cap['class.name'], params: [], start: n.startIndex, end: n.endIndex });
    } else if (cap.param && cap['param.name']) {
      paramNodes.push({ fnStart: -1, name: nameOf(cap['param.name']), node: cap['param.name'], default: cap['param.default'], rest: !!cap['param.rest'], keyword: !!cap['param.keyword'], at: cap.param.startIndex });
    } else if (cap.decl) {
      rawBindings.push({ decl: true, isConst: !!cap['decl.const'] || !!grammar.isConst?.(cap.decl), node: cap.decl, start: cap.decl.startIndex, targets: many['decl.target'] ?? laterItems(cap['decl.others']), values: many['decl.value'] ?? [] });
    } else if (cap.assign) {
      rawBindings.push({ decl: false, isConst: false, node: cap.assign, start: cap.assign.startIndex, targets: many['assign.target'] ?? laterItems(cap['assign.others']), values: many['assign.value'] ?? [], op: cap['assign.op']?.text });
    } else if (cap.call) {
      // a walk (collect) yields calls with everything else
      readCall(captures);
    } else if (cap.return) {
      if (cap['return.value']) returnNodes.push({ node: cap.return, value: cap['return.value'] });
    } else if (cap.branch || cap['branch.else']) {
      const n = (cap.branch ?? cap['branch.else'])!;
      branches.push({ node: n, cond: cap['branch.cond'], negated: !cap.branch, start: n.startIndex, end: n.endIndex });
    } else if (cap.import || cap.package) {
      readHeader(grammar, captures, header);
    }
  }
  const { imports, wildcards, packageName } = header;

  scopes.sort(byStart);
  nest(scopes);
  branches.sort(byStart);
  nest(branches);
  const scopeAt = (node: N) => innermost(scopes, node.startIndex, node.endIndex) ?? module;

  // parameters belong to the innermost function around them
  paramNodes.sort((a, b) => a.at - b.at);
  for (const p of paramNodes) {
    const fn = scopeAt(p.node);
    if (fn.kind !== 'fn') continue;
    fn.params.push({ name: p.name, node: p.node, default: p.default, index: fn.params.length, rest: p.rest, ...(p.keyword ? { keyword: true } : {}) });
  }

  const functions = new Map<string, Scope<N>[]>();
  const classes = new Map<string, Scope<N>[]>();
  for (const s of scopes) {
    if (!s.name) continue;
    const map = s.kind === 'fn' ? functions : s.kind === 'class' ? classes : undefined;
    if (!map) continue;
    let list = map.get(s.name);
    if (!list) map.set(s.name, (list = []));
    list.push(s);
  }

  // declarations first: they decide which scope an undeclared assignment writes to
  const bindings = new Map<Scope<N>, Map<string, Binding<N>[]>>();
  const declared = new Map<Scope<N>, Set<string>>();
  const add = (b: Binding<N>) => {
    const key = b.target.name;
    let byName = bindings.get(b.owner);
    if (!byName) bindings.set(b.owner, (byName = new Map()));
    let list = byName.get(key);
    if (!list) byName.set(key, (list = []));
    list.push(b);
  };
  const memberWrites: Binding<N>[] = [];
  const pending: Binding<N>[] = [];
  // node positions are native calls: read each once
  rawBindings.sort((a, b) => a.start - b.start);
  const startOf = new Map<N, number>(rawBindings.map((r) => [r.node, r.start]));
  for (const raw of rawBindings) {
    checkpoint();
    const scope = scopeAt(raw.node);
    raw.targets.forEach((targetNode, i) => {
      const target = grammar.target(targetNode);
      if (!target) return;
      // `a, b = x, y` pairs by position; `a, b = f()` leaves both unknown
      const value = raw.values.length === raw.targets.length ? raw.values[i] : raw.targets.length === 1 ? raw.values[0] : undefined;
      const b: Binding<N> = { target, start: raw.start, targetNode, value, op: raw.op ?? '=', decl: raw.decl, isConst: raw.isConst, node: raw.node, owner: scope, scope };
      if (target.kind === 'member' || target.kind === 'element') {
        memberWrites.push(b);
      } else if (target.kind === 'field') {
        let s: Scope<N> | undefined = scope;
        while (s && s.kind !== 'class') s = s.parent;
        b.owner = s ?? module;
        add(b);
      } else if (raw.decl) {
        let names = declared.get(scope);
        if (!names) declared.set(scope, (names = new Set()));
        names.add(target.name);
        add(b);
      } else {
        pending.push(b);
      }
    });
  }
  for (const b of pending) {
    // an assignment writes to the nearest scope that declares the name (a parameter counts),
    // else to the enclosing class (an implicit field), else to the module
    let owner: Scope<N> | undefined;
    let firstClass: Scope<N> | undefined;
    for (let s: Scope<N> | undefined = b.scope; s; s = s.parent) {
      if (declared.get(s)?.has(b.target.name) || s.params.some((p) => p.name === b.target.name)) {
        owner = s;
        break;
      }
      if (s.kind === 'class') firstClass ??= s;
    }
    b.owner = owner ?? firstClass ?? module;
    add(b);
  }
  for (const list of bindings.values()) for (const l of list.values()) l.sort((a, c) => startOf.get(a.node)! - startOf.get(c.node)!);

  const returns = new Map<Scope<N>, N[]>();
  for (const r of returnNodes) {
    let fn: Scope<N> | undefined = scopeAt(r.node);
    while (fn && fn.kind !== 'fn') fn = fn.parent;
    if (!fn) continue;
    let list = returns.get(fn);
    if (!list) returns.set(fn, (list = []));
    list.push(r.value);
  }

  // calls are indexed on first use: most lookups (locals, fields, constants) never need them
  let callIndex: { calls: Map<string, CallSite<N>[]>; callsInOrder: CallSite<N>[] } | undefined;
  const indexCalls = () => {
    if (callIndex) return callIndex;
    if (!grammar.collect) {
      for (const captures of matchesOf(grammar, language, root, 'calls')) {
        checkpoint();
        readCall(captures);
      }
    }
    const calls = new Map<string, CallSite<N>[]>();
    const ordered: Array<{ site: CallSite<N>; start: number }> = [];
    for (const { node, name: captured, start } of callNodes) {
      // the query may name the call (`@call.name`), which spares a shape per call
      let name = captured;
      if (name === undefined) {
        const shape = grammar.shape(node);
        if (shape.t !== 'call' && shape.t !== 'new') continue;
        name = shape.t === 'call' ? shape.name : shape.type.slice(shape.type.lastIndexOf('.') + 1);
      }
      let list = calls.get(name);
      if (!list) calls.set(name, (list = []));
      const site: CallSite<N> = { node, start, name, scope: scopeAt(node) };
      list.push(site);
      ordered.push({ site, start });
    }
    callIndex = { calls, callsInOrder: ordered.sort((a, b) => a.start - b.start).map((o) => o.site) };
    return callIndex;
  };

  const facts = { module, scopes, bindings, memberWrites, returns, functions, classes, imports, wildcards, packageName, branches } as Omit<Facts<N>, 'calls' | 'callsInOrder'>;
  return Object.defineProperties(facts, {
    calls: { get: () => indexCalls().calls, enumerable: true },
    callsInOrder: { get: () => indexCalls().callsInOrder, enumerable: true },
  }) as Facts<N>;
}

/** The items of a start-sorted list whose start lies in [from, to]. */
export function startingWithin<T extends { start: number }>(sorted: T[], from: number, to: number): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.start <= to; i++) out.push(sorted[i]!);
  return out;
}

/** The innermost scope around a node. */
export function scopeAt<N extends LangNode>(facts: Facts<N>, node: N): Scope<N> {
  return innermost(facts.scopes, node.startIndex, node.endIndex) ?? facts.module;
}

/** The innermost function scope around a node, if any. */
export function functionAt<N extends LangNode>(facts: Facts<N>, node: N): Scope<N> | undefined {
  for (let s: Scope<N> | undefined = scopeAt(facts, node); s; s = s.parent) if (s.kind === 'fn') return s;
  return undefined;
}

/** The branches around a node that lie inside `within` (innermost first). */
export function branchesAt<N extends LangNode>(facts: Facts<N>, node: N, within: Scope<N>): Branch<N>[] {
  const out: Branch<N>[] = [];
  for (let b = innermost(facts.branches, node.startIndex, node.endIndex); b && b.start >= within.start && b.end <= within.end; b = b.parent) out.push(b);
  return out;
}

