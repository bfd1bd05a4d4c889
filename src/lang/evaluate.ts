/**
 * The values an expression may hold, asked the same way in every grammar. One `Semantics` per
 * file (memoised on its tree): it follows locals (the last assignment before the use, every
 * assignment when branches differ), fields, class and module constants, enum members, imports
 * and constants of other files of the package, parameter defaults and the call sites of the
 * function (one level or two), factories that return a value, lambdas and method groups, and
 * folds strings, numbers, lists and flag unions. Depth and work are bounded: an unresolvable or
 * cyclic definition ends the lookup as `unknown`, never the scan.
 */
import type Parser from 'tree-sitter';
import { checkpoint } from '../cancel.js';
import type { SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';
import { branchesAt, buildFacts, buildHeader, functionAt, scopeAt, type Binding, type Branch, type Facts, type Header, type Scope } from './facts.js';
import type { Arg, CrossFileContext, Grammar, Shape } from './grammar.js';
import type { Flow, Guard, LangNode, Step, Value } from './model.js';

/** A later write to a member of an object, or a call on it (`cfg.MinVersion = ...`, `ctx.set_options(...)`). */
export type ObjectUse<N extends LangNode = SyntaxNode> = { kind: 'write'; name: string; op: string; value?: N; node: N } | { kind: 'call'; name: string; args: Arg<N>[]; node: N };

/** Where other files come from: the project index (src/lang/project.ts). */
export interface FileOpener {
  /** The semantics of another file of the same grammar, or undefined (unreadable, too big, not parsed). */
  open<N extends LangNode>(path: string, grammar: Grammar<N>): Semantics<N> | undefined;
  crossFileContext<N extends LangNode>(sem: Semantics<N>): CrossFileContext;
}

/** Evaluation limits: deep enough for real code, small enough that nothing pathological stalls. */
const MAX_DEPTH = 24;
const MAX_WORK = 2000;
const MAX_FLOWS = 64;
/** Call levels followed from a parameter to its call sites. */
const MAX_CALL_LEVELS = 2;

interface Env<N extends LangNode> {
  /** The function being evaluated for a specific call, and that call's arguments. */
  fn: Scope<N>;
  args: Arg<N>[];
  /** The Semantics of the file the call is in. */
  caller: Semantics<N>;
  callNode: N;
  implicit: number;
  /** The object the call is made on (`client` in `client.config()`): the value of a single implicit receiver parameter. */
  receiver?: N;
  parent?: Env<N>;
}

interface Run {
  work: number;
  callLevels: number;
  active: Set<string>;
}

const unknown = <N extends LangNode>(node: N, src: SourceFile, why: Extract<Value<N>, { type: 'unknown' }>['why'], name?: string): Flow<N> => ({
  value: { type: 'unknown', why, name },
  node,
  src,
  steps: [],
});

function withStep<N extends LangNode>(flows: Flow<N>[], step: Step<N>): Flow<N>[] {
  return flows.map((f) => ({ ...f, steps: [step, ...f.steps] }));
}

/** Flows found in a class or another file: their first hop is named as the use spells it (`Defaults.LEGACY`). */
function renamed<N extends LangNode>(flows: Flow<N>[], name: string): Flow<N>[] {
  return flows.map((f) => (f.steps.length ? { ...f, steps: [{ ...f.steps[0]!, via: 'constant' as const, name }, ...f.steps.slice(1)] } : f));
}

function withGuard<N extends LangNode>(flows: Flow<N>[], guard: Guard<N> | undefined): Flow<N>[] {
  if (!guard) return flows;
  return flows.map((f) => (f.guard ? f : { ...f, guard }));
}

function cap<N extends LangNode>(flows: Flow<N>[]): Flow<N>[] {
  return flows.length > MAX_FLOWS ? flows.slice(0, MAX_FLOWS) : flows;
}

export class Semantics<N extends LangNode = SyntaxNode> {
  private index?: Facts<N>;
  private readonly cache = new Map<number, Flow<N>[]>();

  /** The file's index (scopes, bindings, calls...), built on the first question that needs it: a literal needs none. */
  get facts(): Facts<N> {
    return (this.index ??= buildFacts(this.grammar, this.language, this.root));
  }

  private head?: Header;

  /** What the file imports and its package: from the index when it is built, else from a pass that reads only those. */
  get header(): Header {
    return this.index ?? (this.head ??= buildHeader(this.grammar, this.language, this.root));
  }

  private counts?: Map<string, number>;

  /**
   * How often a name is written in the file, as a whole word. A name written once (at the use)
   * is bound nowhere in this file, so its lookup needs no index. Grammars whose declarations do
   * not spell the name as it is used (HCL's `variable "x"` for `var.x`) opt out.
   */
  /** True when `name` may be bound in this file: it is written somewhere besides `at` (the use). */
  private boundHere(name: string, at: N): boolean {
    // a name no source spells (an adapter's synthetic binding) may be bound anywhere
    if (!/^[\w$@]+$/.test(name)) return true;
    // a use that does not spell the name leaves every mention elsewhere
    return this.mentions(name) > (at.text.includes(name) ? 1 : 0);
  }

  private mentions(name: string): number {
    if (this.grammar.namesSpelledAsDeclared === false) return Infinity;
    this.counts ??= new Map();
    let n = this.counts.get(name);
    if (n === undefined) {
      n = 0;
      const text = this.src.text;
      const word = /[\w$@]/;
      for (let i = text.indexOf(name); i !== -1 && n < 2; i = text.indexOf(name, i + 1)) {
        if (!word.test(text[i - 1] ?? '') && !word.test(text[i + name.length] ?? '')) n++;
      }
      this.counts.set(name, n);
    }
    return n;
  }

  constructor(
    readonly grammar: Grammar<N>,
    readonly src: SourceFile,
    readonly root: N,
    private readonly language: Parser.Language | undefined,
    private readonly opener?: FileOpener,
  ) {}

  shape(node: N): Shape<N> {
    return this.grammar.shape(node);
  }

  /** Every value `node` may hold where it stands. */
  values(node: N): Flow<N>[] {
    return this.eval(node, undefined, { work: 0, callLevels: 0, active: new Set() }, 0);
  }

  /** The scope, function and branches around a node. */
  scopeOf(node: N): Scope<N> {
    return scopeAt(this.facts, node);
  }

  functionOf(node: N): Scope<N> | undefined {
    return functionAt(this.facts, node);
  }

  /** The class scope around a node, if any. */
  classOf(node: N): Scope<N> | undefined {
    for (let s: Scope<N> | undefined = this.scopeOf(node); s; s = s.parent) if (s.kind === 'class') return s;
    return undefined;
  }

  /**
   * The nearest condition that decides whether `node` runs or which value it takes: an `if`
   * around it in the same function, or a ternary it is a branch of.
   */
  guardOf(node: N): Guard<N> | undefined {
    let fn = this.functionOf(node) ?? this.facts.module;
    // a block or lambda (a callback installed here) runs where it is written: the conditions around it count too
    while (fn.kind === 'fn' && fn.name === undefined) {
      let outer: Scope<N> = this.facts.module;
      for (let s = fn.parent; s; s = s.parent) {
        if (s.kind === 'fn') {
          outer = s;
          break;
        }
      }
      fn = outer;
    }
    // a ternary guards a value from a few levels up; the walk stops after MAX_GUARD_WALK (a tree-sitter
    // `parent` is found from the root, so a walk up a chain of thousands of `+` is quadratic)
    let steps = 0;
    for (let n: N | null = node, child: N | null = null; n && steps++ < MAX_GUARD_WALK && n.startIndex >= fn.start && n.endIndex <= fn.end; child = n, n = n.parent as N | null) {
      const s = child ? this.shape(n) : undefined;
      if (s?.t === 'ternary' && child && (child.id === s.then.id || child.id === s.else.id)) {
        return { text: conditionText(s.cond), node: s.cond, negated: child.id === s.else.id };
      }
      if (n.id === fn.node.id) break;
    }
    const branch = branchesAt(this.facts, node, fn).find((b) => b.cond);
    return branch ? guardOfBranch(branch) : undefined;
  }

  /**
   * Assignments to `object.<name>` and calls on `object` after `after`, in the same function
   * (`ctx.minimum_version = ...`, `cfg.MinVersion = ...`, `socket.setEnabledProtocols(...)`).
   * `object` is compared as normalised text (`self.ctx`, `cfg`).
   */
  laterOnObject(object: string, after: number, within: N): ObjectUse<N>[] {
    return this.objectUsesIn(object, within, after);
  }

  /**
   * Every write to a member of `object` and call on it, in the same function, while its name
   * holds the same object as at `within` (between the assignments of the name around it).
   */
  usesOfObject(object: string, within: N): ObjectUse<N>[] {
    return this.objectUsesIn(object, within);
  }

  private objectUsesIn(object: string, within: N, after?: number): ObjectUse<N>[] {
    const norm = object.replace(/\s+/g, '');
    // only a named object is the same object twice (`new X()` written twice makes two)
    if (!/^[\w$@]+(?:(?:\.|::|->)[\w$@]+)*$/.test(norm)) return [];
    const scope = this.functionOf(within) ?? this.facts.module;
    // a name bound again is another object from there on (bindings are in source order: the ones
    // around `at` are found by binary search, so a name bound thousands of times costs log n)
    const at = within.startIndex;
    const bindings = this.facts.bindings.get(scope)?.get(norm) ?? [];
    const next = firstAfter(bindings.length, (i) => bindings[i]!.start > at);
    const from = after ?? Math.max(scope.start, next > 0 ? bindings[next - 1]!.start : scope.start);
    const to = next < bindings.length ? bindings[next]!.start : scope.end;
    const { uses, starts } = this.objectUses(norm);
    const lo = Math.max(from, scope.start);
    const hi = Math.min(to, scope.end + 1);
    const first = firstAfter(starts.length, (i) => starts[i]! >= lo);
    const last = firstAfter(starts.length, (i) => starts[i]! >= hi);
    return first < last ? uses.slice(first, last) : [];
  }

  private uses?: Map<string, { uses: ObjectUse<N>[]; starts: number[] }>;
  private writesByObject?: Map<string, ObjectUse<N>[]>;

  /**
   * Writes to members of, and calls on, one object (by normalised text), in source order with their
   * start offsets; built once per object. A call on `a.b` starts where its receiver starts, so only
   * the calls whose text begins with the object's first name are shaped (a file has thousands of
   * calls; the rules ask about a few objects).
   */
  private objectUses(norm: string): { uses: ObjectUse<N>[]; starts: number[] } {
    this.uses ??= new Map();
    const cached = this.uses.get(norm);
    if (cached) return cached;
    if (!this.writesByObject) {
      this.writesByObject = new Map();
      for (const b of this.facts.memberWrites) {
        if (b.target.kind !== 'member') continue;
        let list = this.writesByObject.get(b.target.object);
        if (!list) this.writesByObject.set(b.target.object, (list = []));
        list.push({ kind: 'write', name: b.target.name, op: b.op, value: b.value, node: b.node });
      }
    }
    const list: Array<{ use: ObjectUse<N>; start: number }> = (this.writesByObject.get(norm) ?? []).map((use) => ({ use, start: use.node.startIndex }));
    const head = /^[\w$@]+/.exec(norm)?.[0] ?? norm;
    const text = this.src.text;
    for (const c of this.facts.callsInOrder) {
      if (!text.startsWith(head, c.start)) continue;
      const s = this.shape(c.node);
      if (s.t === 'call' && s.receiver && s.receiver.text.replace(/\s+/g, '') === norm) list.push({ use: { kind: 'call', name: s.name, args: s.args, node: c.node }, start: c.start });
    }
    list.sort((a, b) => a.start - b.start);
    const found = { uses: list.map((x) => x.use), starts: list.map((x) => x.start) };
    this.uses.set(norm, found);
    return found;
  }

  /**
   * The values a function value returns (every `return`, or its expression body). `src` is the
   * file that defines it when that is another file (a function value's flow knows it).
   */
  returnsOf(fn: N, src: SourceFile = this.src): Flow<N>[] {
    if (src.path !== this.src.path) return this.opener?.open(src.path, this.grammar)?.returnsOf(fn) ?? [];
    const scope = this.scopeByNode(fn);
    if (!scope) return [];
    const run: Run = { work: 0, callLevels: 0, active: new Set() };
    return this.returnsOfScope(scope, undefined, run, 0);
  }

  /** The function scope of a function value's node (lambda, method), if this file has it. */
  functionScope(fn: N): Scope<N> | undefined {
    const s = this.scopeByNode(fn);
    return s?.kind === 'fn' ? s : undefined;
  }

  private scopeIds?: Map<number, Scope<N>>;

  private scopeByNode(node: N): Scope<N> | undefined {
    this.scopeIds ??= new Map(this.facts.scopes.map((s) => [s.node.id, s]));
    return this.scopeIds.get(node.id);
  }

  /** The dotted name an expression spells, with its first segment replaced through the imports. */
  qualify(node: N): string | undefined {
    const s = this.shape(node);
    if (s.t === 'name') return this.header.imports.get(s.name) ?? this.wildcardQualified(s.name) ?? s.name;
    if (s.t === 'member') {
      const q = this.qualify(s.object);
      return q ? `${q}.${s.name}` : undefined;
    }
    if (s.t === 'wrap') return this.qualify(s.inner);
    return undefined;
  }

  // --- evaluation -----------------------------------------------------------------------------

  private eval(node: N, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    checkpoint();
    if (depth > MAX_DEPTH || ++run.work > MAX_WORK) return [unknown(node, this.src, 'limit')];
    const key = node.id * 4 + run.callLevels;
    if (!env) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const before = run.work;
    const flows = cap(this.evalShape(node, this.shape(node), env, run, depth));
    // cache only complete answers (a cycle cut short gives a partial one)
    if (!env && run.work - before < MAX_WORK / 2 && !flows.some((f) => f.value.type === 'unknown' && f.value.why === 'limit')) this.cache.set(key, flows);
    return flows;
  }

  private evalShape(node: N, s: Shape<N>, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const src = this.src;
    const at = (value: Value<N>): Flow<N>[] => [{ value, node, src, steps: [] }];
    switch (s.t) {
      case 'string':
        return at({ type: 'string', value: s.value, ...(s.symbol ? { symbol: true } : {}) });
      case 'number':
        return at({ type: 'number', value: s.value });
      case 'bool':
        return at({ type: 'bool', value: s.value });
      case 'null':
        return at({ type: 'null' });
      case 'wrap':
        return this.eval(s.inner, env, run, depth + 1);
      case 'cast':
        return this.eval(s.inner, env, run, depth + 1).map((f) => (f.value.type === 'number' ? { ...f, value: { ...f.value, cast: s.type } } : f));
      case 'ternary': {
        const cond: Guard<N> = { text: conditionText(s.cond), node: s.cond, negated: false };
        return [...withGuard(this.eval(s.then, env, run, depth + 1), cond), ...withGuard(this.eval(s.else, env, run, depth + 1), { ...cond, negated: true })];
      }
      case 'either':
        return cap(s.options.flatMap((o, i) => this.eval(o, env, run, depth + 1).filter((f) => !s.nonNull || i === s.options.length - 1 || f.value.type !== 'null')));
      case 'element':
        return this.elements(node, this.eval(s.of, env, run, depth + 1), run, depth);
      case 'unary':
        return this.unary(node, s.op, this.eval(s.operand, env, run, depth + 1));
      case 'binary':
        return this.binary(node, s.op, s.left, s.right, env, run, depth);
      case 'list':
        return at({ type: 'list', items: this.listItems(s.items, s.spread ?? [], env, run, depth) });
      case 'map':
        return at({ type: 'map', entries: s.entries, ...(s.spread?.length ? { spread: s.spread } : {}) });
      case 'function':
        return at({ type: 'function', node: s.node });
      case 'new':
        return at({ type: 'object', className: s.type, args: s.args.map((a) => a.node), body: s.body });
      case 'self':
        return [unknown(node, src, 'expression')];
      case 'name':
        return this.lookupName(s.name, node, env, run, depth);
      case 'member':
        return this.member(node, s.object, s.name, env, run, depth);
      case 'index':
        return this.entry(node, this.eval(s.object, env, run, depth + 1), s.key, run, depth);
      case 'call':
        return this.call(node, s, env, run, depth);
      default:
        return [unknown(node, src, 'expression')];
    }
  }

  private listItems(items: N[], spread: N[], env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const out: Flow<N>[] = [];
    for (const sp of spread) {
      for (const f of this.eval(sp, env, run, depth + 1)) {
        if (f.value.type === 'list') out.push(...f.value.items.map((i) => ({ ...i, steps: [...f.steps, ...i.steps], guard: i.guard ?? f.guard })));
        else out.push(f);
      }
    }
    for (const item of items) out.push(...this.eval(item, env, run, depth + 1));
    return cap(out);
  }

  private unary(node: N, op: string, operand: Flow<N>[]): Flow<N>[] {
    return operand.map((f): Flow<N> => {
      const v = f.value;
      if ((op === '!' || op === 'not') && v.type === 'bool') return { ...f, node, value: { type: 'bool', value: !v.value } };
      if (op === '-' && v.type === 'number') return { ...f, node, value: { type: 'number', value: -v.value } };
      if (op === '~' && v.type === 'number') return { ...f, node, value: { type: 'number', value: ~v.value } };
      if (op === '+' && v.type === 'number') return f;
      return { ...f, node, value: { type: 'unknown', why: 'expression' } };
    });
  }

  private binary(node: N, op: string, left: N, right: N, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const ls = this.eval(left, env, run, depth + 1);
    // `opts[:version] || :TLSv1`, `x ?? y`: the left when it is set, else the right (a default, not a guard)
    if (op === '||' || op === 'or' || op === '??') {
      const rs = this.eval(right, env, run, depth + 1);
      if (ls.every((f) => f.value.type === 'bool') && rs.every((f) => f.value.type === 'bool')) return this.combine(node, op, ls, rs);
      const unset = (f: Flow<N>) => f.value.type === 'null' || (op !== '??' && f.value.type === 'bool' && !f.value.value);
      const set = ls.filter((f) => !unset(f));
      const always = set.length === ls.length && ls.every((f) => f.value.type !== 'unknown');
      return cap(always ? set : [...set, ...rs]);
    }
    const r = this.shape(right);
    // `x & ~mask`: flags with some removed
    if (op === '&' && r.t === 'unary' && r.op === '~') return this.combine(node, '&~', ls, this.eval(r.operand, env, run, depth + 1));
    return this.combine(node, op, ls, this.eval(right, env, run, depth + 1));
  }

  /** `l op r` over every pair of possibilities: folded when known, flag unions for `|` and `&~` otherwise. */
  private combine(node: N, op: string, ls: Flow<N>[], rs: Flow<N>[]): Flow<N>[] {
    const src = this.src;
    const numbers = ls.every((f) => f.value.type === 'number') && rs.every((f) => f.value.type === 'number');
    if ((op === '|' || op === '&~') && !numbers) {
      const cast = [...ls, ...rs].map((f) => (f.value.type === 'number' ? f.value.cast : undefined)).find(Boolean);
      const typed = (f: Flow<N>): Flow<N> => (cast && f.value.type === 'number' && !f.value.cast ? { ...f, value: { ...f.value, cast } } : f);
      const value: Value<N> =
        op === '|'
          ? { type: 'bits', parts: [...ls, ...rs].flatMap(flagParts).map(typed), removed: ls.flatMap(removedParts) }
          : { type: 'bits', parts: ls.flatMap(flagParts).map(typed), removed: [...ls.flatMap(removedParts), ...rs.flatMap(flagParts).map(typed)] };
      return [{ value, node, src, steps: [] }];
    }
    const out: Flow<N>[] = [];
    for (const l of ls.slice(0, 8)) {
      for (const r of rs.slice(0, 8)) {
        const value = op === '&~' && l.value.type === 'number' && r.value.type === 'number' ? { ...l.value, value: l.value.value & ~r.value.value } : fold(op, l.value, r.value);
        out.push({ value, node, src, steps: [...l.steps, ...r.steps], guard: l.guard ?? r.guard });
      }
    }
    return out;
  }

  private member(node: N, object: N, name: string, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const os = this.shape(object);
    // this.x / self.x: a field of the enclosing class
    if (os.t === 'self') {
      const cls = this.classOf(node);
      const field = cls ? this.classMember(cls, name, node, run, depth) : undefined;
      return field ?? [unknown(node, this.src, 'field', name)];
    }
    // Outer.NAME: a class of this file, or a constant in the qualifier's file
    const qualifier = this.qualify(object);
    if (os.t === 'name' || os.t === 'member') {
      // `opts.tls.verify` on a local `opts` is a property of a property, not a qualified name
      const isVariable = this.rootIsVariable(object);
      if (!isVariable && qualifier !== undefined) {
        const last = qualifier.slice(qualifier.lastIndexOf('.') + 1);
        for (const cls of this.boundHere(last, object) ? (this.facts.classes.get(last) ?? []) : []) {
          const found = this.classMember(cls, name, node, run, depth);
          if (found) return renamed(found, `${last}.${name}`);
        }
        const remote = this.remoteMember(qualifier, name, run, depth, object.text.length <= 40 && !/\s/.test(object.text) ? `${object.text}.${name}` : undefined);
        if (remote) return remote;
        return [{ value: { type: 'symbol', name: `${qualifier}.${name}` }, node, src: this.src, steps: [] }];
      }
      // a property of a local object: a map literal's entry, a member of the module, class or library
      // symbol the variable stands for (`ssl = _ssl` after `import ssl as _ssl`, Ruby `OSSL = OpenSSL::SSL`), or unknown
      if (isVariable) {
        const objects = this.eval(object, env, run, depth + 1);
        const aliased = objects.flatMap((f): Flow<N>[] => (f.value.type === 'symbol' ? [{ value: { type: 'symbol', name: `${f.value.name}.${name}` }, node, src: this.src, steps: f.steps, ...(f.guard ? { guard: f.guard } : {}) }] : []));
        if (aliased.length === 0) return this.entry(node, objects, name, run, depth);
        const entries = objects.some((f) => f.value.type === 'map') ? this.entry(node, objects, name, run, depth).filter((f) => f.value.type !== 'unknown') : [];
        return [...aliased, ...entries];
      }
    }
    // a member of what a call or an expression gives: a map's entry (`defaults().verify`), or unknown
    if (os.t === 'call' || os.t === 'wrap' || os.t === 'index' || os.t === 'member') {
      const objects = this.eval(object, env, run, depth + 1);
      if (objects.some((f) => f.value.type === 'map')) return this.entry(node, objects, name, run, depth);
    }
    return [unknown(node, this.src, 'expression', name)];
  }

  /** True when a name or member chain starts at a local, a parameter or a variable of an enclosing scope. */
  private rootIsVariable(node: N): boolean {
    let n = node;
    for (let i = 0; i < 16; i++) {
      const s = this.shape(n);
      if (s.t === 'name') return this.isVariable(s.name, n);
      if (s.t === 'member' || s.t === 'index') n = s.object;
      else if (s.t === 'wrap') n = s.inner;
      else return false;
    }
    return false;
  }

  /**
   * The values of entry `key` of the maps among `objects` (values of other types are skipped):
   * written in the map or in a map spread into it after the last written one. Empty when no map
   * has the key; an `unknown` possibility when a map spreads something that is not a known map.
   */
  entryOf(objects: Flow<N>[], key: string): Flow<N>[] {
    const run: Run = { work: 0, callLevels: 0, active: new Set() };
    return objects.flatMap((f) => (f.value.type === 'map' ? (this.mapEntry(f, key, run, 0) ?? []) : []));
  }

  /** The entry `key` of the maps among `objects` (`opts[:version]`, `conf.verify` on a dict literal). */
  private entry(node: N, objects: Flow<N>[], key: string, run: Run, depth: number): Flow<N>[] {
    const out: Flow<N>[] = [];
    for (const f of objects) {
      // `LIST[0]`: an item of a list
      if (f.value.type === 'list' && /^\d+$/.test(key)) {
        const item = f.value.items[Number(key)];
        if (item) out.push({ ...item, steps: [...f.steps, ...item.steps], guard: item.guard ?? f.guard });
        continue;
      }
      if (f.value.type !== 'map') continue;
      const found = this.mapEntry(f, key, run, depth);
      if (found) out.push(...found);
    }
    return out.length ? out : [unknown(node, this.src, 'field', key)];
  }

  /** Entry `key` of one map value, or undefined when it has none; an unknown spread adds an unknown possibility. */
  private mapEntry(f: Flow<N>, key: string, run: Run, depth: number): Flow<N>[] | undefined {
    if (f.value.type !== 'map' || depth > MAX_DEPTH) return undefined;
    // the map is read in the file that wrote it
    const owner = f.src === this.src ? this : this.opener?.open(f.src.path, this.grammar);
    if (!owner) return undefined;
    const along = (flows: Flow<N>[]) => flows.map((x) => ({ ...x, steps: [...f.steps, ...x.steps], guard: x.guard ?? f.guard }));
    let entry: { key: string; node: N } | undefined;
    for (const e of f.value.entries) if (e.key === key) entry = e;
    let out: Flow<N>[] | undefined = entry
      ? along(withStep(owner.eval(entry.node, undefined, run, depth + 1), { via: 'element', name: key, node: entry.node, src: f.src }))
      : undefined;
    for (const sp of f.value.spread ?? []) {
      if (entry && sp.startIndex < entry.node.startIndex) continue;
      const objects = owner.eval(sp, undefined, run, depth + 1);
      const found: Flow<N>[] = [];
      let all = objects.length > 0;
      for (const o of objects) {
        const inner = o.value.type === 'map' ? owner.mapEntry(o, key, run, depth + 1) : undefined;
        if (inner) found.push(...along(inner));
        else all = false;
        // a spread of something unknown may hold the key
        if (o.value.type !== 'map') found.push({ value: { type: 'unknown', why: 'field', name: key }, node: f.node, src: f.src, steps: f.steps, guard: f.guard });
      }
      // a later spread that always has the key overrides what came before
      out = all ? found : found.length ? [...(out ?? []), ...found] : out;
    }
    return out;
  }

  /** Each element of the collections among `objects`: a list's items, a map's values (evaluated where the map is written). */
  private elements(node: N, objects: Flow<N>[], run: Run, depth: number): Flow<N>[] {
    const out: Flow<N>[] = [];
    for (const f of objects) {
      if (f.value.type === 'list') out.push(...f.value.items.map((i) => ({ ...i, steps: [...f.steps, ...i.steps], guard: i.guard ?? f.guard })));
      else if (f.value.type === 'map') for (const e of f.value.entries) out.push(...this.entry(node, [f], e.key, run, depth));
    }
    return out.length ? cap(out) : [unknown(node, this.src, 'expression')];
  }

  /** True when a bare name is a local, a parameter, or a field/variable of an enclosing scope (not a class or module). */
  private isVariable(name: string, use: N): boolean {
    if (!this.boundHere(name, use) || this.header.imports.has(name)) return false;
    for (let s: Scope<N> | undefined = this.scopeOf(use); s; s = s.parent) {
      if (s.params.some((p) => p.name === name)) return true;
      const bs = this.facts.bindings.get(s)?.get(name);
      if (bs?.length) return true;
    }
    return false;
  }

  private call(node: N, s: Extract<Shape<N>, { t: 'call' }>, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const list = this.grammar.listCall?.(s);
    if (list) return this.evalShape(node, list, env, run, depth);
    const join = this.grammar.joinCall?.(s);
    const joined = join ? this.joined(node, join, env, run, depth) : [];
    if (joined.length) return joined;
    // factories and helpers: a function of this file (or of the receiver's class) that returns a value
    const target = this.calledFunction(s, node) ?? this.importedFunction(s, run, depth);
    if (target && !run.active.has(`call:${target.sem.src.path}:${target.fn.node.id}`)) {
      const key = `call:${target.sem.src.path}:${target.fn.node.id}`;
      run.active.add(key);
      try {
        const callEnv: Env<N> = { fn: target.fn, args: s.args, caller: this, callNode: node, implicit: this.implicit(target.fn, s), receiver: s.receiver, parent: env };
        const flows = target.sem.returnsOfScope(target.fn, callEnv, run, depth + 1);
        if (flows.length) return withStep(flows, { via: 'return', name: `${target.fn.name ?? s.name}()`, node, src: this.src });
      } finally {
        run.active.delete(key);
      }
    }
    return [unknown(node, this.src, 'call', s.name)];
  }

  /**
   * `[a, b].join(':')` over a list whose every item is a known string: the joined string, written
   * at the call, with the path the list took. Nothing (the call stays unknown) otherwise.
   */
  private joined(node: N, join: { list: N; separator?: N; fallback: string }, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    let sep = join.fallback;
    if (join.separator) {
      const seps = this.eval(join.separator, env, run, depth + 1);
      const only = seps.length === 1 ? seps[0]!.value : undefined;
      if (only?.type !== 'string') return [];
      sep = only.value;
    }
    const out: Flow<N>[] = [];
    for (const l of this.eval(join.list, env, run, depth + 1)) {
      if (l.value.type !== 'list') return [];
      const parts: string[] = [];
      for (const item of l.value.items) {
        if (item.value.type !== 'string') return [];
        parts.push(item.value.value);
      }
      out.push({ value: { type: 'string', value: parts.join(sep) }, node, src: this.src, steps: l.steps, ...(l.guard ? { guard: l.guard } : {}) });
    }
    return out;
  }

  private implicit(fn: Scope<N>, s: Extract<Shape<N>, { t: 'call' }>): number {
    return this.grammar.implicitParams?.(fn.node, fn.params.map((p) => p.name), s) ?? 0;
  }

  /** The function a call reaches: a function or method of this file by name, or of the receiver's class in another file. */
  private calledFunction(s: Extract<Shape<N>, { t: 'call' }>, node: N): { fn: Scope<N>; sem: Semantics<N> } | undefined {
    // a function written once in this file (the call) is not defined here
    const candidates = this.boundHere(s.name, node) ? (this.facts.functions.get(s.name) ?? []) : [];
    const recv = s.receiver ? this.shape(s.receiver) : undefined;
    if (!s.receiver || recv?.t === 'self') {
      const cls = candidates.length ? this.classOf(node) : undefined;
      const inClass = candidates.find((f) => f.parent === cls) ?? candidates.find((f) => f.parent?.kind !== 'fn' || (f.parent && f.parent.start <= node.startIndex && f.parent.end >= node.endIndex));
      if (inClass) return { fn: inClass, sem: this };
      // a top-level function of another file that bare names reach (the package's other files)
      const ctx = !s.receiver ? this.crossFile() : undefined;
      const forName = this.grammar.crossFile?.forName;
      if (ctx && forName) {
        for (const other of this.openAll(forName(s.name, ctx).map((t) => (typeof t === 'string' ? t : t.path)))) {
          const fn = (other.facts.functions.get(s.name) ?? []).find((f) => f.parent === other.facts.module);
          if (fn) return { fn, sem: other };
        }
      }
      return undefined;
    }
    if (recv && (recv.t === 'name' || recv.t === 'member') && !(recv.t === 'name' && this.isVariable(recv.name, s.receiver))) {
      const q = this.qualify(s.receiver) ?? '';
      const cls = q.slice(q.lastIndexOf('.') + 1);
      const local = candidates.find((f) => f.parent?.kind === 'class' && f.parent.name === cls);
      if (local) return { fn: local, sem: this };
      for (const other of this.remoteFiles(q, s.name)) {
        const fn = (other.facts.functions.get(s.name) ?? []).find((f) => f.parent?.kind !== 'class' || f.parent.name === cls || !this.grammar.crossFile?.scopeName?.(q));
        if (fn) return { fn, sem: other };
      }
    }
    return undefined;
  }

  /** A function another file defines, called by the name an import binds (`from .tls import make_context`, `import { legacyOptions } from './opts'`). */
  private importedFunction(s: Extract<Shape<N>, { t: 'call' }>, run: Run, depth: number): { fn: Scope<N>; sem: Semantics<N> } | undefined {
    const callee = this.shape(s.callee);
    if (callee.t !== 'name' || !this.header.imports.has(callee.name)) return undefined;
    for (const f of this.eval(s.callee, undefined, run, depth + 1)) {
      if (f.value.type !== 'function' || f.src === this.src) continue;
      const sem = this.opener?.open(f.src.path, this.grammar);
      const fn = sem?.functionScope(f.value.node);
      if (sem && fn) return { fn, sem };
    }
    return undefined;
  }

  private returnsOfScope(fn: Scope<N>, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const values = fn.exprBody ? [fn.exprBody] : (this.facts.returns.get(fn) ?? []);
    // a return inside `if cond {...}` holds only under that condition
    return cap(values.flatMap((v) => withGuard(this.eval(v, env, run, depth + 1), guardOfBranch(branchesAt(this.facts, v, fn).find((b) => b.cond)))));
  }

  /** A field, constant or method of a class scope, or undefined when the class has none. */
  private classMember(cls: Scope<N>, name: string, use: N, run: Run, depth: number): Flow<N>[] | undefined {
    const bs = this.facts.bindings.get(cls)?.get(name);
    if (bs?.length) {
      // a constant with an initializer is that; otherwise every assignment in the class may be current
      const constant = bs.find((b) => b.isConst && b.value);
      const flows = this.fromBindings(constant ? [constant] : bs, name, 'field', use, run, depth, !constant);
      // an enum member or a field without a value here: a symbol, decided by the caller
      if (flows.length) return flows;
    }
    const methods = (this.facts.functions.get(name) ?? []).filter((f) => f.parent === cls);
    if (methods.length) return methods.map((m) => this.functionValue(m, name));
    return undefined;
  }

  /** A named function used as a value (a method group, `this::m`, a function passed as a callback): one hop to its definition. */
  private functionValue(fn: Scope<N>, name: string): Flow<N> {
    const node = fn.nameNode ?? fn.node;
    return { value: { type: 'function', node: fn.node, name }, node, src: this.src, steps: [{ via: 'constant', name, node, src: this.src }] };
  }

  /** Evaluates the values of bindings, each with its step, and its guard when it sits in a branch. */
  private fromBindings(bs: Binding<N>[], name: string, via: Step<N>['via'], use: N, run: Run, depth: number, allConditional: boolean): Flow<N>[] {
    const out: Flow<N>[] = [];
    // the binding every path runs, overridden by a later conditional one, holds unless that condition
    // (`verify = False` then `if opts.verify: verify = True`)
    let unless: Guard<N> | undefined;
    if (!allConditional && bs.length > 1 && this.containsUse(bs[0]!, use)) {
      const later = branchesAt(this.facts, bs[1]!.node, bs[1]!.scope).find((x) => x.cond);
      const g = later ? guardOfBranch(later) : undefined;
      if (g) unless = { ...g, negated: !g.negated };
    }
    for (const b of bs) {
      if (!b.value) continue;
      const key = `bind:${this.src.path}:${b.node.id}:${b.targetNode.id}`;
      if (run.active.has(key)) {
        out.push(unknown(b.value, this.src, 'limit', name));
        continue;
      }
      run.active.add(key);
      try {
        let flows = this.eval(b.value, undefined, run, depth + 1);
        if (b.op !== '=') flows = this.compound(b, flows, run, depth);
        const fn = b.scope;
        const branch = allConditional || !this.containsUse(b, use) ? branchesAt(this.facts, b.node, fn).find((x) => x.cond) : undefined;
        const guard = branch ? guardOfBranch(branch) : b === bs[0] ? unless : undefined;
        const viaKind: Step<N>['via'] = via === 'local' && b.owner.kind === 'module' ? 'constant' : via;
        out.push(...withGuard(withStep(flows, { via: viaKind, name, node: b.targetNode, src: this.src }), guard));
      } finally {
        run.active.delete(key);
      }
    }
    return cap(out);
  }

  /** True when every branch around the binding (in its function) also contains the use. */
  private containsUse(b: Binding<N>, use: N): boolean {
    return branchesAt(this.facts, b.node, b.scope).every((br) => br.start <= use.startIndex && br.end >= use.endIndex);
  }

  /** `x |= y`, `x &= ~y`, `x += y`: combines the value before with the right side. */
  private compound(b: Binding<N>, rhs: Flow<N>[], run: Run, depth: number): Flow<N>[] {
    const prev = this.reaching(b.owner, b.target.name, b.node);
    const before = prev.length ? this.fromBindings(prev, b.target.name, 'local', b.node, run, depth + 1, false) : [];
    if (before.length === 0) return rhs;
    let op = b.op.replace(/=$/, '');
    let right = rhs;
    const inv = b.value ? this.shape(b.value) : undefined;
    if (op === '&' && inv?.t === 'unary' && inv.op === '~') {
      op = '&~';
      right = this.eval(inv.operand, undefined, run, depth + 1);
    }
    return this.combine(b.node, op, before, right);
  }

  /**
   * The bindings of `name` in `scope` that reach `use`: the last one that runs whenever the use
   * runs, and every conditional one after it.
   */
  private reaching(scope: Scope<N>, name: string, use: N): Binding<N>[] {
    const bs = this.facts.bindings.get(scope)?.get(name);
    if (!bs) return [];
    // from the last binding before the use backwards (they are in source order), up to one that
    // runs whenever the use runs: a name bound thousands of times costs log n plus what reaches
    const at = use.startIndex;
    const current: Binding<N>[] = [];
    for (let i = firstAfter(bs.length, (k) => bs[k]!.start >= at) - 1; i >= 0; i--) {
      const b = bs[i]!;
      // the use inside the binding's own statement (`x = x + 1`) is not reached by it
      if (b.node.endIndex > at) continue;
      current.push(b);
      if (this.containsUse(b, use)) break;
    }
    return current.reverse();
  }

  private lookupName(name: string, use: N, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    // a name written once (here) is bound nowhere in this file: only imports and other files can say
    const local = this.boundHere(name, use);
    for (let s: Scope<N> | undefined = local ? this.scopeOf(use) : undefined; s; s = s.parent) {
      if (s.kind === 'fn') {
        const reaching = this.reaching(s, name, use);
        if (reaching.length) return this.fromBindings(reaching, name, 'local', use, run, depth, false);
        const param = s.params.find((p) => p.name === name);
        if (param) return this.parameter(s, param, use, env, run, depth);
        if (this.facts.bindings.get(s)?.has(name)) return [unknown(use, this.src, 'unbound', name)];
        continue;
      }
      if (s.kind === 'class') {
        const member = this.classMember(s, name, use, run, depth);
        // Ruby's `ssl_version` naming a method of the class is a call of it, not a method reference
        if (member && this.grammar.bareCalls && member.every((f) => f.value.type === 'function' && f.value.name === name)) return this.call(use, { t: 'call', callee: use, name, args: [] }, env, run, depth);
        if (member) return member;
        continue;
      }
      // module: values set from outside first, then every binding when the use is inside a function
      // (they all ran before), else the reaching ones
      const given = this.remoteInputs(name, run, depth);
      if (given) return given;
      const inFunction = this.functionOf(use) !== undefined;
      const bs = inFunction ? this.moduleBindings(name) : this.reaching(s, name, use);
      if (bs.length) return this.fromBindings(bs, name, 'constant', use, run, depth, false);
      const fns = (this.facts.functions.get(name) ?? []).filter((f) => f.parent === s);
      if (fns.length && this.grammar.bareCalls) return this.call(use, { t: 'call', callee: use, name, args: [] }, env, run, depth);
      if (fns.length) return fns.map((f) => this.functionValue(f, name));
    }
    if (this.grammar.bareCalls && local) {
      const fn = (this.facts.functions.get(name) ?? []).find((f) => f.params.length === 0);
      if (fn) return this.call(use, { t: 'call', callee: use, name, args: [] }, env, run, depth);
    }
    const imported = this.header.imports.get(name);
    if (imported !== undefined) return this.remoteImport(imported, name, use, run, depth);
    const remote = this.remoteName(name, run, depth);
    if (remote) return remote;
    return [{ value: { type: 'symbol', name: this.wildcardQualified(name) ?? name }, node: use, src: this.src, steps: [] }];
  }

  /**
   * A constant-like name (`LEGACY`, `PROTOCOL_TLSv1`, `TLSv1_METHOD`) this file neither defines nor
   * imports by name, qualified by the file's only wildcard import (`from ssl import *`).
   */
  private wildcardQualified(name: string): string | undefined {
    const { wildcards } = this.header;
    if (this.grammar.wildcardsQualify === false || wildcards.length !== 1 || !CONSTANT_LIKE.test(name)) return undefined;
    if (this.mentions(name) > 0 && (this.facts.bindings.get(this.facts.module)?.has(name) || this.facts.functions.has(name) || this.facts.classes.has(name))) return undefined;
    return `${wildcards[0]}.${name}`;
  }

  private moduleBindings(name: string): Binding<N>[] {
    const bs = this.facts.bindings.get(this.facts.module)?.get(name) ?? [];
    // the last unconditional module-level binding and any conditional ones after it
    let current: Binding<N>[] = [];
    for (const b of bs) {
      if (branchesAt(this.facts, b.node, this.facts.module).length === 0) current = [b];
      else current.push(b);
    }
    return current;
  }

  /** A parameter: the argument of the call being evaluated, else the default and every call site's argument. */
  private parameter(fn: Scope<N>, param: Param<N>, use: N, env: Env<N> | undefined, run: Run, depth: number): Flow<N>[] {
    const step = (node: N): Step<N> => ({ via: 'parameter', name: param.name, node, src: this.src });
    const fromDefault = () => withStep(this.eval(param.default!, undefined, run, depth + 1), { via: 'default', name: param.name, node: param.default!, src: this.src });
    for (let e = env; e; e = e.parent) {
      if (e.fn !== fn || e.caller === undefined) continue;
      const passed = e.caller.argument(param, e.args, e.implicit, e.parent, run, depth, e.receiver);
      if (passed) return withStep(passed.flows, step(param.node));
      if (param.default) return fromDefault();
      return [unknown(use, this.src, 'parameter', param.name)];
    }
    const out: Flow<N>[] = [];
    const sites = run.callLevels < MAX_CALL_LEVELS && fn.name ? this.callSites(fn) : [];
    let someOmit = sites.length === 0;
    run.callLevels++;
    try {
      for (const site of sites) {
        const s = site.sem.shape(site.node);
        if (s.t !== 'call' && s.t !== 'new') continue;
        const passed = site.sem.argument(param, s.args, s.t === 'call' ? this.implicit(fn, s) : 0, undefined, run, depth, s.t === 'call' ? s.receiver : undefined);
        if (!passed) {
          someOmit = true;
          continue;
        }
        out.push(...withStep(passed.flows, { via: 'call-site', name: `${fn.name}()`, node: passed.node, src: site.sem.src }).map((f) => ({ ...f, steps: [step(param.node), ...f.steps] })));
      }
    } finally {
      run.callLevels--;
    }
    if (param.default && someOmit) out.push(...fromDefault());
    if (out.length === 0) return [unknown(use, this.src, 'parameter', param.name)];
    return cap(out);
  }

  /**
   * What a call in this file passes for a parameter: by name, else by position (after implicit
   * ones); a rest parameter (`String... xs`, `*args`) collects the remaining positional arguments
   * into a list unless one array is passed for it.
   */
  private argument(param: Param<N>, args: Arg<N>[], implicit: number, env: Env<N> | undefined, run: Run, depth: number, receiver?: N): { flows: Flow<N>[]; node: N } | undefined {
    const named = args.find((a) => a.name === param.name);
    if (named) return { flows: this.eval(named.node, env, run, depth + 1), node: named.node };
    // a keyword-only parameter is never filled by position
    if (param.keyword) return undefined;
    const positional = args.filter((a) => a.name === undefined && !a.spread);
    const index = param.index - implicit;
    // a single implicit parameter (a method's receiver) takes the object the call is made on
    if (index < 0) return implicit === 1 && param.index === 0 && receiver ? { flows: this.eval(receiver, env, run, depth + 1), node: receiver } : undefined;
    if (index >= positional.length) return undefined;
    if (!param.rest) return { flows: this.eval(positional[index]!.node, env, run, depth + 1), node: positional[index]!.node };
    const rest = positional.slice(index).map((a) => a.node);
    if (rest.length === 1) {
      const flows = this.eval(rest[0]!, env, run, depth + 1);
      if (flows.every((f) => f.value.type === 'list')) return { flows, node: rest[0]! };
    }
    const items = rest.flatMap((n) => this.eval(n, env, run, depth + 1));
    // the arguments' list: the nearest node around all of them (C# wraps each one in an `argument`)
    let node = rest[0]!;
    if (rest.length > 1) {
      let around = rest[0]!.parent as N | null;
      while (around && around.endIndex < rest[rest.length - 1]!.endIndex) around = around.parent as N | null;
      node = around ?? node;
    }
    return { flows: [{ value: { type: 'list', items: cap(items) }, node, src: this.src, steps: [] }], node };
  }

  /** Calls of a function in this file (by name; methods called on any receiver of the same name). */
  private callSites(fn: Scope<N>): Array<{ node: N; sem: Semantics<N> }> {
    const sites = this.facts.calls.get(fn.name!) ?? [];
    return sites.filter((c) => !(c.node.startIndex >= fn.start && c.node.endIndex <= fn.end)).map((c) => ({ node: c.node, sem: this as Semantics<N> }));
  }

  // --- other files ----------------------------------------------------------------------------

  /** What the project index knows around this file (its folder listing, imports), for adapters' own module systems. */
  crossFile(): CrossFileContext | undefined {
    return this.opener?.crossFileContext(this);
  }

  /** Another file of the project read by the same grammar (through the project index), or undefined. */
  open(filePath: string): Semantics<N> | undefined {
    return filePath === this.src.path ? this : this.opener?.open(filePath, this.grammar);
  }

  /** The other files among `paths`, opened one at a time as a lookup goes (it stops at the first that answers). */
  private *openAll(paths: string[]): Generator<Semantics<N>> {
    for (const p of paths) {
      if (p === this.src.path) continue;
      const sem = this.opener?.open(p, this.grammar);
      if (sem) yield sem;
    }
  }

  private remoteFiles(qualifier: string, name: string): Iterable<Semantics<N>> {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (!ctx || !cf?.forMember) return [];
    return this.openAll(cf.forMember(qualifier, name, ctx));
  }

  /** `Qualifier.NAME` defined in another file: a class constant or a module-level binding. */
  private remoteMember(qualifier: string, name: string, run: Run, depth: number, shown?: string): Flow<N>[] | undefined {
    const scopeName = this.grammar.crossFile?.scopeName?.(qualifier);
    for (const other of this.remoteFiles(qualifier, name)) {
      const found = other.exported(name, scopeName, run, depth + 1);
      if (found) return renamed(found, shown ?? `${/[^./:\\]*$/.exec(qualifier)![0]}.${name}`);
    }
    return undefined;
  }

  private remoteImport(importPath: string, name: string, use: N, run: Run, depth: number): Flow<N>[] {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (ctx && cf?.forImport) {
      const dot = importPath.lastIndexOf('.');
      const exportedName = dot === -1 ? importPath : importPath.slice(dot + 1);
      const qualifier = dot === -1 ? '' : importPath.slice(0, dot);
      for (const other of this.openAll(cf.forImport(importPath, ctx))) {
        const found = other.exported(exportedName, cf.scopeName?.(qualifier), run, depth + 1);
        if (found) return renamed(found, name);
      }
    }
    return [{ value: { type: 'symbol', name: importPath }, node: use, src: this.src, steps: [] }];
  }

  /** A module-level name set from outside the code (`crossFile.inputs`): those values replace the name's own. */
  private remoteInputs(name: string, run: Run, depth: number): Flow<N>[] | undefined {
    const cf = this.grammar.crossFile;
    const ctx = cf?.inputs ? this.crossFile() : undefined;
    if (!ctx || !cf?.inputs) return undefined;
    for (const other of this.openAll(cf.inputs(name, ctx))) {
      const found = other.exported(name, undefined, run, depth + 1);
      if (found) return renamed(found, name);
    }
    return undefined;
  }

  private remoteName(name: string, run: Run, depth: number): Flow<N>[] | undefined {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (!ctx || !cf?.forName) return undefined;
    for (const target of cf.forName(name, ctx)) {
      // a path (the name is top-level there) or a path and the class that holds it (`using static`, `import static ...*`)
      const [other] = this.openAll([typeof target === 'string' ? target : target.path]);
      const found = other?.exported(name, typeof target === 'string' ? undefined : target.scope, run, depth + 1);
      if (found) return renamed(found, name);
    }
    return undefined;
  }

  /** A top-level (or class-level, in class `scopeName`) binding or function of this file, for another file's lookup. */
  private exported(name: string, scopeName: string | undefined, run: Run, depth: number): Flow<N>[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const scopes = scopeName ? (this.facts.classes.get(scopeName) ?? []) : [this.facts.module];
    for (const s of scopes) {
      if (s.kind === 'class') {
        const m = this.classMember(s, name, s.node, run, depth);
        if (m) return m;
        continue;
      }
      const bs = this.moduleBindings(name);
      if (bs.length) return this.fromBindings(bs, name, 'constant', s.node, run, depth, false);
      const fns = (this.facts.functions.get(name) ?? []).filter((f) => f.parent === s);
      if (fns.length) return fns.map((f) => this.functionValue(f, name));
    }
    return undefined;
  }
}

type Param<N extends LangNode> = Scope<N>['params'][number];

/** Names spelled like constants: `LEGACY`, `TLS_1_0`, `PROTOCOL_TLSv1`, `TLSv1_METHOD`. */
const CONSTANT_LIKE = /^[A-Z][A-Z0-9_]*$|^[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/;

function guardOfBranch<N extends LangNode>(b: Branch<N> | undefined): Guard<N> | undefined {
  return b?.cond ? { text: conditionText(b.cond), node: b.cond, negated: b.negated } : undefined;
}

/** A condition's text without the parentheses its statement puts around it. */
export function conditionText(node: LangNode): string {
  // one line for a message: whole-line comments out, whitespace runs collapsed, long conditions cut
  let t = node.text.replace(/^[ \t]*(?:#|\/\/)[^\n]*$/gm, '').replace(/\s+/g, ' ').trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}

function balanced(t: string): boolean {
  let depth = 0;
  for (const c of t) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The flags a flow contributes to a union: a bits value's parts, else itself. */
function flagParts<N extends LangNode>(f: Flow<N>): Flow<N>[] {
  return f.value.type === 'bits' ? f.value.parts.map((p) => ({ ...p, steps: [...f.steps, ...p.steps], guard: p.guard ?? f.guard })) : [f];
}

/** The flags a flow has removed (`x & ~y`), carried into a union built on it. */
function removedParts<N extends LangNode>(f: Flow<N>): Flow<N>[] {
  return f.value.type === 'bits' ? f.value.removed : [];
}

/** Folds a binary operator over two known values; unknown otherwise. */
function fold<N extends LangNode>(op: string, l: Value<N>, r: Value<N>): Value<N> {
  if (op === '+' && l.type === 'string' && (r.type === 'string' || r.type === 'number')) return { type: 'string', value: l.value + String(r.value) };
  if (op === '+' && l.type === 'number' && r.type === 'string') return { type: 'string', value: String(l.value) + r.value };
  if (op === '+' && l.type === 'list' && r.type === 'list') return { type: 'list', items: [...l.items, ...r.items] };
  if (l.type === 'number' && r.type === 'number') {
    const cast = l.cast ?? r.cast;
    const n = (v: number): Value<N> => ({ type: 'number', value: v, ...(cast ? { cast } : {}) });
    switch (op) {
      case '+':
        return n(l.value + r.value);
      case '-':
        return n(l.value - r.value);
      case '*':
        return n(l.value * r.value);
      case '|':
        return n(l.value | r.value);
      case '&':
        return n(l.value & r.value);
      case '^':
        return n(l.value ^ r.value);
      case '<<':
        return n(l.value << r.value);
      case '>>':
        return n(l.value >> r.value);
    }
  }
  if ((op === '&&' || op === 'and') && l.type === 'bool' && r.type === 'bool') return { type: 'bool', value: l.value && r.value };
  if ((op === '||' || op === 'or') && l.type === 'bool' && r.type === 'bool') return { type: 'bool', value: l.value || r.value };
  return { type: 'unknown', why: 'expression' };
}

/** How far up from a value guardOf looks for a ternary it is a branch of. */
const MAX_GUARD_WALK = 64;

/** The first index in [0, n) where `pass` holds, for a `pass` that is false then true (n when never). */
function firstAfter(n: number, pass: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pass(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
