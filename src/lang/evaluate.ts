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
import type { SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';
import { branchesAt, buildFacts, functionAt, scopeAt, startingWithin, type Binding, type Branch, type Facts, type Scope } from './facts.js';
import type { Arg, CrossFileContext, Grammar, Shape } from './grammar.js';
import type { Flow, Guard, Step, Value } from './model.js';

/** Where other files come from: the project index (src/lang/project.ts). */
export interface FileOpener {
  /** The semantics of another file of the same grammar, or undefined (unreadable, too big, not parsed). */
  open(path: string, grammar: Grammar): Semantics | undefined;
  crossFileContext(sem: Semantics): CrossFileContext;
}

/** Evaluation limits: deep enough for real code, small enough that nothing pathological stalls. */
const MAX_DEPTH = 24;
const MAX_WORK = 2000;
const MAX_FLOWS = 64;
/** Call levels followed from a parameter to its call sites. */
const MAX_CALL_LEVELS = 2;

interface Env {
  /** The function being evaluated for a specific call, and that call's arguments. */
  fn: Scope;
  args: Arg[];
  /** The Semantics of the file the call is in. */
  caller: Semantics;
  callNode: SyntaxNode;
  implicit: number;
  parent?: Env;
}

interface Run {
  work: number;
  callLevels: number;
  active: Set<string>;
}

const unknown = (node: SyntaxNode, src: SourceFile, why: Extract<Value, { type: 'unknown' }>['why'], name?: string): Flow => ({
  value: { type: 'unknown', why, name },
  node,
  src,
  steps: [],
});

function withStep(flows: Flow[], step: Step): Flow[] {
  return flows.map((f) => ({ ...f, steps: [step, ...f.steps] }));
}

function withGuard(flows: Flow[], guard: Guard | undefined): Flow[] {
  if (!guard) return flows;
  return flows.map((f) => (f.guard ? f : { ...f, guard }));
}

function cap(flows: Flow[]): Flow[] {
  return flows.length > MAX_FLOWS ? flows.slice(0, MAX_FLOWS) : flows;
}

export class Semantics {
  readonly facts: Facts;
  private readonly cache = new Map<number, Flow[]>();

  constructor(
    readonly grammar: Grammar,
    readonly src: SourceFile,
    readonly root: SyntaxNode,
    language: Parser.Language,
    private readonly opener?: FileOpener,
  ) {
    this.facts = buildFacts(grammar, language, root);
  }

  shape(node: SyntaxNode): Shape {
    return this.grammar.shape(node);
  }

  /** Every value `node` may hold where it stands. */
  values(node: SyntaxNode): Flow[] {
    return this.eval(node, undefined, { work: 0, callLevels: 0, active: new Set() }, 0);
  }

  /** The scope, function and branches around a node. */
  scopeOf(node: SyntaxNode): Scope {
    return scopeAt(this.facts, node);
  }

  functionOf(node: SyntaxNode): Scope | undefined {
    return functionAt(this.facts, node);
  }

  /** The class scope around a node, if any. */
  classOf(node: SyntaxNode): Scope | undefined {
    for (let s: Scope | undefined = this.scopeOf(node); s; s = s.parent) if (s.kind === 'class') return s;
    return undefined;
  }

  /**
   * The nearest condition that decides whether `node` runs or which value it takes: an `if`
   * around it in the same function, or a ternary it is a branch of.
   */
  guardOf(node: SyntaxNode): Guard | undefined {
    const fn = this.functionOf(node) ?? this.facts.module;
    for (let n: SyntaxNode | null = node, child: SyntaxNode | null = null; n && n.startIndex >= fn.start && n.endIndex <= fn.end; child = n, n = n.parent) {
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
  laterOnObject(object: string, after: number, within: SyntaxNode): Array<{ kind: 'write'; name: string; op: string; value?: SyntaxNode; node: SyntaxNode } | { kind: 'call'; name: string; args: Arg[]; node: SyntaxNode }> {
    const scope = this.functionOf(within) ?? this.facts.module;
    const norm = object.replace(/\s+/g, '');
    const from = Math.max(after, scope.start);
    const out: Array<ReturnType<Semantics['laterOnObject']>[number] & { start: number }> = [];
    for (const b of startingWithin(this.facts.memberWrites, from, scope.end)) {
      if (b.target.kind === 'member' && b.target.object === norm) out.push({ kind: 'write', name: b.target.name, op: b.op, value: b.value, node: b.node, start: b.start });
    }
    for (const c of startingWithin(this.facts.callList, from, scope.end)) {
      const s = this.shape(c.node);
      if (s.t === 'call' && s.receiver && s.receiver.text.replace(/\s+/g, '') === norm) out.push({ kind: 'call', name: s.name, args: s.args, node: c.node, start: c.start });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /** The values a function value returns (every `return`, or its expression body). */
  returnsOf(fn: SyntaxNode): Flow[] {
    const scope = this.facts.scopes.find((s) => s.node.id === fn.id);
    if (!scope) return [];
    const run: Run = { work: 0, callLevels: 0, active: new Set() };
    return this.returnsOfScope(scope, undefined, run, 0);
  }

  /** The function scope of a function value's node (lambda, method), if this file has it. */
  functionScope(fn: SyntaxNode): Scope | undefined {
    return this.facts.scopes.find((s) => s.node.id === fn.id && s.kind === 'fn');
  }

  /** The dotted name an expression spells, with its first segment replaced through the imports. */
  qualify(node: SyntaxNode): string | undefined {
    const s = this.shape(node);
    if (s.t === 'name') return this.facts.imports.get(s.name) ?? this.wildcardQualified(s.name) ?? s.name;
    if (s.t === 'member') {
      const q = this.qualify(s.object);
      return q ? `${q}.${s.name}` : undefined;
    }
    if (s.t === 'wrap') return this.qualify(s.inner);
    return undefined;
  }

  // --- evaluation -----------------------------------------------------------------------------

  private eval(node: SyntaxNode, env: Env | undefined, run: Run, depth: number): Flow[] {
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

  private evalShape(node: SyntaxNode, s: Shape, env: Env | undefined, run: Run, depth: number): Flow[] {
    const src = this.src;
    const at = (value: Value): Flow[] => [{ value, node, src, steps: [] }];
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
        const cond: Guard = { text: conditionText(s.cond), node: s.cond, negated: false };
        return [...withGuard(this.eval(s.then, env, run, depth + 1), cond), ...withGuard(this.eval(s.else, env, run, depth + 1), { ...cond, negated: true })];
      }
      case 'unary':
        return this.unary(node, s.op, this.eval(s.operand, env, run, depth + 1));
      case 'binary':
        return this.binary(node, s.op, s.left, s.right, env, run, depth);
      case 'list':
        return at({ type: 'list', items: this.listItems(s.items, s.spread ?? [], env, run, depth) });
      case 'map':
        return at({ type: 'map', entries: s.entries });
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

  private listItems(items: SyntaxNode[], spread: SyntaxNode[], env: Env | undefined, run: Run, depth: number): Flow[] {
    const out: Flow[] = [];
    for (const sp of spread) {
      for (const f of this.eval(sp, env, run, depth + 1)) {
        if (f.value.type === 'list') out.push(...f.value.items.map((i) => ({ ...i, steps: [...f.steps, ...i.steps], guard: i.guard ?? f.guard })));
        else out.push(f);
      }
    }
    for (const item of items) out.push(...this.eval(item, env, run, depth + 1));
    return cap(out);
  }

  private unary(node: SyntaxNode, op: string, operand: Flow[]): Flow[] {
    return operand.map((f): Flow => {
      const v = f.value;
      if ((op === '!' || op === 'not') && v.type === 'bool') return { ...f, node, value: { type: 'bool', value: !v.value } };
      if (op === '-' && v.type === 'number') return { ...f, node, value: { type: 'number', value: -v.value } };
      if (op === '~' && v.type === 'number') return { ...f, node, value: { type: 'number', value: ~v.value } };
      if (op === '+' && v.type === 'number') return f;
      return { ...f, node, value: { type: 'unknown', why: 'expression' } };
    });
  }

  private binary(node: SyntaxNode, op: string, left: SyntaxNode, right: SyntaxNode, env: Env | undefined, run: Run, depth: number): Flow[] {
    const ls = this.eval(left, env, run, depth + 1);
    const r = this.shape(right);
    // `x & ~mask`: flags with some removed
    if (op === '&' && r.t === 'unary' && r.op === '~') return this.combine(node, '&~', ls, this.eval(r.operand, env, run, depth + 1));
    return this.combine(node, op, ls, this.eval(right, env, run, depth + 1));
  }

  /** `l op r` over every pair of possibilities: folded when known, flag unions for `|` and `&~` otherwise. */
  private combine(node: SyntaxNode, op: string, ls: Flow[], rs: Flow[]): Flow[] {
    const src = this.src;
    const numbers = ls.every((f) => f.value.type === 'number') && rs.every((f) => f.value.type === 'number');
    if ((op === '|' || op === '&~') && !numbers) {
      const cast = [...ls, ...rs].map((f) => (f.value.type === 'number' ? f.value.cast : undefined)).find(Boolean);
      const typed = (f: Flow): Flow => (cast && f.value.type === 'number' && !f.value.cast ? { ...f, value: { ...f.value, cast } } : f);
      const value: Value =
        op === '|'
          ? { type: 'bits', parts: [...ls, ...rs].flatMap(flagParts).map(typed), removed: ls.flatMap(removedParts) }
          : { type: 'bits', parts: ls.flatMap(flagParts).map(typed), removed: [...ls.flatMap(removedParts), ...rs.flatMap(flagParts).map(typed)] };
      return [{ value, node, src, steps: [] }];
    }
    const out: Flow[] = [];
    for (const l of ls.slice(0, 8)) {
      for (const r of rs.slice(0, 8)) {
        const value = op === '&~' && l.value.type === 'number' && r.value.type === 'number' ? { ...l.value, value: l.value.value & ~r.value.value } : fold(op, l.value, r.value);
        out.push({ value, node, src, steps: [...l.steps, ...r.steps], guard: l.guard ?? r.guard });
      }
    }
    return out;
  }

  private member(node: SyntaxNode, object: SyntaxNode, name: string, env: Env | undefined, run: Run, depth: number): Flow[] {
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
      const isVariable = os.t === 'name' && this.isVariable(os.name, object);
      if (!isVariable && qualifier !== undefined) {
        const last = qualifier.slice(qualifier.lastIndexOf('.') + 1);
        for (const cls of this.facts.classes.get(last) ?? []) {
          const found = this.classMember(cls, name, node, run, depth);
          if (found) return withStep(found, { via: 'constant', name: `${last}.${name}`, node, src: this.src });
        }
        const remote = this.remoteMember(qualifier, name, node, run, depth);
        if (remote) return remote;
        return [{ value: { type: 'symbol', name: `${qualifier}.${name}` }, node, src: this.src, steps: [] }];
      }
      // a property of a local object: a map literal's entry, a member of the module or class the
      // variable stands for (`ssl = _ssl` after `import ssl as _ssl`), or unknown
      if (isVariable) {
        const objects = this.eval(object, env, run, depth + 1);
        const aliased = objects.flatMap((f): Flow[] => (f.value.type === 'symbol' ? [{ value: { type: 'symbol', name: `${f.value.name}.${name}` }, node, src: this.src, steps: f.steps, guard: f.guard }] : []));
        if (aliased.length === 0) return this.entry(node, objects, name, run, depth);
        const entries = objects.some((f) => f.value.type === 'map') ? this.entry(node, objects, name, run, depth).filter((f) => f.value.type !== 'unknown') : [];
        return [...aliased, ...entries];
      }
    }
    // a call's or expression's member
    return [unknown(node, this.src, 'expression', name)];
  }

  /** The entry `key` of the maps among `objects` (`opts[:version]`, `conf.verify` on a dict literal). */
  private entry(node: SyntaxNode, objects: Flow[], key: string, run: Run, depth: number): Flow[] {
    const out: Flow[] = [];
    for (const f of objects) {
      if (f.value.type !== 'map') continue;
      const entry = f.value.entries.find((e) => e.key === key);
      if (!entry) continue;
      // the entry is evaluated in the file that wrote the map
      const owner = f.src === this.src ? this : this.opener?.open(f.src.path, this.grammar);
      if (!owner) continue;
      const flows = owner.eval(entry.node, undefined, run, depth + 1);
      out.push(...withStep(flows, { via: 'element', name: key, node: entry.node, src: f.src }).map((x) => ({ ...x, steps: [...f.steps, ...x.steps], guard: x.guard ?? f.guard })));
    }
    return out.length ? out : [unknown(node, this.src, 'field', key)];
  }

  /** True when a bare name is a local, a parameter, or a field/variable of an enclosing scope (not a class or module). */
  private isVariable(name: string, use: SyntaxNode): boolean {
    if (this.facts.imports.has(name)) return false;
    for (let s: Scope | undefined = this.scopeOf(use); s; s = s.parent) {
      if (s.params.some((p) => p.name === name)) return true;
      const bs = this.facts.bindings.get(s)?.get(name);
      if (bs?.length) return true;
    }
    return false;
  }

  private call(node: SyntaxNode, s: Extract<Shape, { t: 'call' }>, env: Env | undefined, run: Run, depth: number): Flow[] {
    const list = this.grammar.listCall?.(s);
    if (list) return this.evalShape(node, list, env, run, depth);
    // factories and helpers: a function of this file (or of the receiver's class) that returns a value
    const target = this.calledFunction(s, node);
    if (target && !run.active.has(`call:${target.sem.src.path}:${target.fn.node.id}`)) {
      const key = `call:${target.sem.src.path}:${target.fn.node.id}`;
      run.active.add(key);
      try {
        const callEnv: Env = { fn: target.fn, args: s.args, caller: this, callNode: node, implicit: this.implicit(target.fn, s), parent: env };
        const flows = target.sem.returnsOfScope(target.fn, callEnv, run, depth + 1);
        if (flows.length) return withStep(flows, { via: 'return', name: `${target.fn.name ?? s.name}()`, node, src: this.src });
      } finally {
        run.active.delete(key);
      }
    }
    return [unknown(node, this.src, 'call', s.name)];
  }

  private implicit(fn: Scope, s: Extract<Shape, { t: 'call' }>): number {
    return this.grammar.implicitParams?.(fn.node, fn.params.map((p) => p.name), s) ?? 0;
  }

  /** The function a call reaches: a function or method of this file by name, or of the receiver's class in another file. */
  private calledFunction(s: Extract<Shape, { t: 'call' }>, node: SyntaxNode): { fn: Scope; sem: Semantics } | undefined {
    const candidates = this.facts.functions.get(s.name) ?? [];
    const recv = s.receiver ? this.shape(s.receiver) : undefined;
    if (!s.receiver || recv?.t === 'self') {
      const cls = this.classOf(node);
      const inClass = candidates.find((f) => f.parent === cls) ?? candidates.find((f) => f.parent?.kind !== 'fn' || (f.parent && f.parent.start <= node.startIndex && f.parent.end >= node.endIndex));
      return inClass ? { fn: inClass, sem: this } : undefined;
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

  private returnsOfScope(fn: Scope, env: Env | undefined, run: Run, depth: number): Flow[] {
    const values = fn.exprBody ? [fn.exprBody] : (this.facts.returns.get(fn) ?? []);
    return cap(values.flatMap((v) => this.eval(v, env, run, depth + 1)));
  }

  /** A field, constant or method of a class scope, or undefined when the class has none. */
  private classMember(cls: Scope, name: string, use: SyntaxNode, run: Run, depth: number): Flow[] | undefined {
    const bs = this.facts.bindings.get(cls)?.get(name);
    if (bs?.length) {
      // a constant with an initializer is that; otherwise every assignment in the class may be current
      const constant = bs.find((b) => b.isConst && b.value);
      const flows = this.fromBindings(constant ? [constant] : bs, name, 'field', use, run, depth, !constant);
      // an enum member or a field without a value here: a symbol, decided by the caller
      if (flows.length) return flows;
    }
    const methods = (this.facts.functions.get(name) ?? []).filter((f) => f.parent === cls);
    if (methods.length) return methods.map((m) => ({ value: { type: 'function', node: m.node, name }, node: m.nameNode ?? m.node, src: this.src, steps: [] }));
    return undefined;
  }

  /** Evaluates the values of bindings, each with its step, and its guard when it sits in a branch. */
  private fromBindings(bs: Binding[], name: string, via: Step['via'], use: SyntaxNode, run: Run, depth: number, allConditional: boolean): Flow[] {
    const out: Flow[] = [];
    // the binding every path runs, overridden by a later conditional one, holds unless that condition
    // (`verify = False` then `if opts.verify: verify = True`)
    let unless: Guard | undefined;
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
        const viaKind: Step['via'] = via === 'local' && b.owner.kind === 'module' ? 'constant' : via;
        out.push(...withGuard(withStep(flows, { via: viaKind, name, node: b.targetNode, src: this.src }), guard));
      } finally {
        run.active.delete(key);
      }
    }
    return cap(out);
  }

  /** True when every branch around the binding (in its function) also contains the use. */
  private containsUse(b: Binding, use: SyntaxNode): boolean {
    return branchesAt(this.facts, b.node, b.scope).every((br) => br.start <= use.startIndex && br.end >= use.endIndex);
  }

  /** `x |= y`, `x &= ~y`, `x += y`: combines the value before with the right side. */
  private compound(b: Binding, rhs: Flow[], run: Run, depth: number): Flow[] {
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
  private reaching(scope: Scope, name: string, use: SyntaxNode): Binding[] {
    const bs = this.facts.bindings.get(scope)?.get(name);
    if (!bs) return [];
    let current: Binding[] = [];
    for (const b of bs) {
      if (b.node.startIndex >= use.startIndex) break;
      // the use inside the binding's own statement (`x = x + 1`) is not reached by it
      if (b.node.endIndex > use.startIndex && b.node.startIndex <= use.startIndex) continue;
      if (this.containsUse(b, use)) current = [b];
      else current.push(b);
    }
    return current;
  }

  private lookupName(name: string, use: SyntaxNode, env: Env | undefined, run: Run, depth: number): Flow[] {
    for (let s: Scope | undefined = this.scopeOf(use); s; s = s.parent) {
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
        if (member) return member;
        continue;
      }
      // module: every binding when the use is inside a function (they all ran before), else the reaching ones
      const inFunction = this.functionOf(use) !== undefined;
      const bs = inFunction ? this.moduleBindings(name) : this.reaching(s, name, use);
      if (bs.length) return this.fromBindings(bs, name, 'constant', use, run, depth, false);
      const fns = (this.facts.functions.get(name) ?? []).filter((f) => f.parent === s);
      if (fns.length) return fns.map((f) => ({ value: { type: 'function', node: f.node, name }, node: f.nameNode ?? f.node, src: this.src, steps: [] }));
    }
    if (this.grammar.bareCalls) {
      const fn = (this.facts.functions.get(name) ?? []).find((f) => f.params.length === 0);
      if (fn) return this.call(use, { t: 'call', callee: use, name, args: [] }, env, run, depth);
    }
    const imported = this.facts.imports.get(name);
    if (imported !== undefined) return this.remoteImport(imported, name, use, run, depth);
    const remote = this.remoteName(name, use, run, depth);
    if (remote) return remote;
    return [{ value: { type: 'symbol', name: this.wildcardQualified(name) ?? name }, node: use, src: this.src, steps: [] }];
  }

  /**
   * A constant-like name (`LEGACY`, `PROTOCOL_TLSv1`, `TLSv1_METHOD`) this file neither defines nor
   * imports by name, qualified by the file's only wildcard import (`from ssl import *`).
   */
  private wildcardQualified(name: string): string | undefined {
    if (this.facts.wildcards.length !== 1 || !CONSTANT_LIKE.test(name)) return undefined;
    if (this.facts.bindings.get(this.facts.module)?.has(name) || this.facts.functions.has(name) || this.facts.classes.has(name)) return undefined;
    return `${this.facts.wildcards[0]}.${name}`;
  }

  private moduleBindings(name: string): Binding[] {
    const bs = this.facts.bindings.get(this.facts.module)?.get(name) ?? [];
    // the last unconditional module-level binding and any conditional ones after it
    let current: Binding[] = [];
    for (const b of bs) {
      if (branchesAt(this.facts, b.node, this.facts.module).length === 0) current = [b];
      else current.push(b);
    }
    return current;
  }

  /** A parameter: the argument of the call being evaluated, else the default and every call site's argument. */
  private parameter(fn: Scope, param: Param, use: SyntaxNode, env: Env | undefined, run: Run, depth: number): Flow[] {
    const step = (node: SyntaxNode): Step => ({ via: 'parameter', name: param.name, node, src: this.src });
    for (let e = env; e; e = e.parent) {
      if (e.fn !== fn || e.caller === undefined) continue;
      const arg = argumentFor(param, e.args, e.implicit);
      if (arg) return withStep(e.caller.eval(arg, e.parent, run, depth + 1), step(param.node));
      if (param.default) return withStep(this.eval(param.default, undefined, run, depth + 1), { via: 'default', name: param.name, node: param.default, src: this.src });
      return [unknown(use, this.src, 'parameter', param.name)];
    }
    const out: Flow[] = [];
    const sites = run.callLevels < MAX_CALL_LEVELS && fn.name ? this.callSites(fn) : [];
    let someOmit = sites.length === 0;
    run.callLevels++;
    try {
      for (const site of sites) {
        const s = site.sem.shape(site.node);
        if (s.t !== 'call' && s.t !== 'new') continue;
        const implicit = s.t === 'call' ? this.implicit(fn, s) : 0;
        const arg = argumentFor(param, s.args, implicit);
        if (!arg) {
          someOmit = true;
          continue;
        }
        const flows = site.sem.eval(arg, undefined, run, depth + 1);
        out.push(...withStep(flows, { via: 'call-site', name: `${fn.name}()`, node: arg, src: site.sem.src }).map((f) => ({ ...f, steps: [step(param.node), ...f.steps] })));
      }
    } finally {
      run.callLevels--;
    }
    if (param.default && someOmit) out.push(...withStep(this.eval(param.default, undefined, run, depth + 1), { via: 'default', name: param.name, node: param.default, src: this.src }));
    if (out.length === 0) return [unknown(use, this.src, 'parameter', param.name)];
    return cap(out);
  }

  /** Calls of a function in this file (by name; methods called on any receiver of the same name). */
  private callSites(fn: Scope): Array<{ node: SyntaxNode; sem: Semantics }> {
    const sites = this.facts.calls.get(fn.name!) ?? [];
    return sites.filter((c) => !(c.node.startIndex >= fn.start && c.node.endIndex <= fn.end)).map((c) => ({ node: c.node, sem: this as Semantics }));
  }

  // --- other files ----------------------------------------------------------------------------

  private crossFile(): CrossFileContext | undefined {
    return this.opener?.crossFileContext(this);
  }

  private openAll(paths: string[]): Semantics[] {
    const out: Semantics[] = [];
    for (const p of paths) {
      if (p === this.src.path) continue;
      const sem = this.opener?.open(p, this.grammar);
      if (sem) out.push(sem);
    }
    return out;
  }

  private remoteFiles(qualifier: string, name: string): Semantics[] {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (!ctx || !cf?.forMember) return [];
    return this.openAll(cf.forMember(qualifier, name, ctx));
  }

  /** `Qualifier.NAME` defined in another file: a class constant or a module-level binding. */
  private remoteMember(qualifier: string, name: string, use: SyntaxNode, run: Run, depth: number): Flow[] | undefined {
    const scopeName = this.grammar.crossFile?.scopeName?.(qualifier);
    for (const other of this.remoteFiles(qualifier, name)) {
      const found = other.exported(name, scopeName, run, depth + 1);
      if (found) return withStep(found, { via: 'constant', name: `${qualifier.slice(qualifier.lastIndexOf('.') + 1)}.${name}`, node: use, src: this.src });
    }
    return undefined;
  }

  private remoteImport(importPath: string, name: string, use: SyntaxNode, run: Run, depth: number): Flow[] {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (ctx && cf?.forImport) {
      const dot = importPath.lastIndexOf('.');
      const exportedName = dot === -1 ? importPath : importPath.slice(dot + 1);
      const qualifier = dot === -1 ? '' : importPath.slice(0, dot);
      for (const other of this.openAll(cf.forImport(importPath, ctx))) {
        const found = other.exported(exportedName, cf.scopeName?.(qualifier), run, depth + 1);
        if (found) return withStep(found, { via: 'import', name, node: use, src: this.src });
      }
    }
    return [{ value: { type: 'symbol', name: importPath }, node: use, src: this.src, steps: [] }];
  }

  private remoteName(name: string, use: SyntaxNode, run: Run, depth: number): Flow[] | undefined {
    const ctx = this.crossFile();
    const cf = this.grammar.crossFile;
    if (!ctx || !cf?.forName) return undefined;
    for (const other of this.openAll(cf.forName(name, ctx))) {
      const found = other.exported(name, undefined, run, depth + 1);
      if (found) return withStep(found, { via: 'constant', name, node: use, src: this.src });
    }
    return undefined;
  }

  /** A top-level (or class-level, in class `scopeName`) binding or function of this file, for another file's lookup. */
  private exported(name: string, scopeName: string | undefined, run: Run, depth: number): Flow[] | undefined {
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
      if (fns.length) return fns.map((f) => ({ value: { type: 'function', node: f.node, name }, node: f.nameNode ?? f.node, src: this.src, steps: [] }));
    }
    return undefined;
  }
}

type Param = Scope['params'][number];

/** Names spelled like constants: `LEGACY`, `TLS_1_0`, `PROTOCOL_TLSv1`, `TLSv1_METHOD`. */
const CONSTANT_LIKE = /^[A-Z][A-Z0-9_]*$|^[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/;

/** The argument a call passes for a parameter: by name, else by position (after implicit ones). */
function argumentFor(param: Param, args: Arg[], implicit: number): SyntaxNode | undefined {
  const named = args.find((a) => a.name === param.name);
  if (named) return named.node;
  const positional = args.filter((a) => a.name === undefined && !a.spread);
  const index = param.index - implicit;
  if (index < 0) return undefined;
  if (param.rest) return positional[index]?.node; // varargs: the first of them stands for the list's items
  return positional[index]?.node;
}

function guardOfBranch(b: Branch): Guard | undefined {
  return b.cond ? { text: conditionText(b.cond), node: b.cond, negated: b.negated } : undefined;
}

/** A condition's text without the parentheses its statement puts around it. */
export function conditionText(node: SyntaxNode): string {
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
function flagParts(f: Flow): Flow[] {
  return f.value.type === 'bits' ? f.value.parts.map((p) => ({ ...p, steps: [...f.steps, ...p.steps], guard: p.guard ?? f.guard })) : [f];
}

/** The flags a flow has removed (`x & ~y`), carried into a union built on it. */
function removedParts(f: Flow): Flow[] {
  return f.value.type === 'bits' ? f.value.removed : [];
}

/** Folds a binary operator over two known values; unknown otherwise. */
function fold(op: string, l: Value, r: Value): Value {
  if (op === '+' && l.type === 'string' && (r.type === 'string' || r.type === 'number')) return { type: 'string', value: l.value + String(r.value) };
  if (op === '+' && l.type === 'number' && r.type === 'string') return { type: 'string', value: String(l.value) + r.value };
  if (op === '+' && l.type === 'list' && r.type === 'list') return { type: 'list', items: [...l.items, ...r.items] };
  if (l.type === 'number' && r.type === 'number') {
    const cast = l.cast ?? r.cast;
    const n = (v: number): Value => ({ type: 'number', value: v, ...(cast ? { cast } : {}) });
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
