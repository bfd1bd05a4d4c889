/**
 * What a .NET certificate validation callback answers for each `SslPolicyErrors` value it may be
 * given. The callback's body is run symbolically with its errors parameter bound to one value
 * (`None`, `RemoteCertificateNameMismatch`, `RemoteCertificateChainErrors`...): comparisons,
 * `&`/`|`/`~` masks, `HasFlag`, `is` patterns, switch statements and expressions, `if`/`return`,
 * locals and `errors &= ~...` reassignments. Everything else (the certificate, the chain, calls,
 * fields) is unknown, and a condition that depends on it splits the run in two; each path keeps
 * the conditions it assumed, so a `return true` behind a configuration switch can be named. Leaf
 * values (`SslPolicyErrors.None`, a constant mask of another file) come from the semantic layer.
 */
import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow, Guard } from '../../src/lang/model.js';
import type { SyntaxNode } from '../../src/rule.js';

/** The members of `System.Net.Security.SslPolicyErrors`. */
export const SSL_POLICY_ERRORS: Record<string, number> = {
  None: 0,
  RemoteCertificateNotAvailable: 1,
  RemoteCertificateNameMismatch: 2,
  RemoteCertificateChainErrors: 4,
};

/** A value during the run: a number (flags, an int) or a boolean; undefined when unknown. */
type V = { n: number } | { b: boolean } | undefined;

/** One way through the callback: what it returns there, and the unknown conditions it assumed. */
export interface Path {
  /** true/false when known, undefined when the returned value is unknown. */
  result: boolean | undefined;
  assumed: Guard[];
}

/** Bounds: a callback is short; a pathological one ends as unknown. */
const MAX_PATHS = 64;
const MAX_STEPS = 4000;

interface Run {
  sem: Semantics;
  steps: number;
}

type Env = Map<string, V>;

/** The parameters and body of a function value (lambda, anonymous method, method, local function). */
export function callbackParts(fn: SyntaxNode): { params: string[]; body: SyntaxNode } | undefined {
  const list = fn.childForFieldName('parameters') ?? fn.namedChildren.find((c) => c.type === 'parameter_list');
  const body = fn.childForFieldName('body') ?? fn.namedChildren.find((c) => c.type === 'block' || c.type === 'arrow_expression_clause');
  if (!list || !body) return undefined;
  const params = list.namedChildren.filter((p) => p.type === 'parameter' || p.type === 'implicit_parameter').map((p) => (p.type === 'parameter' ? (p.childForFieldName('name')?.text ?? '') : p.text));
  return { params, body };
}

/** Every path through the callback's body with its errors parameter (`params[3]`) bound to `errors`. */
export function runCallback(sem: Semantics, fn: SyntaxNode, errors: number): Path[] | undefined {
  const parts = callbackParts(fn);
  if (!parts || parts.params.length !== 4) return undefined;
  const env: Env = new Map(parts.params.map((p, i) => [p, i === 3 ? { n: errors } : undefined]));
  const run: Run = { sem, steps: 0 };
  const body = parts.body.type === 'arrow_expression_clause' ? parts.body.namedChildren[parts.body.namedChildCount - 1] : parts.body;
  if (!body) return undefined;
  const paths: Path[] = [];
  if (body.type === 'block') {
    for (const s of execBlock(run, body.namedChildren, { env, assumed: [] })) {
      if (s.kind === 'limit') return undefined;
      // falling off the end of a bool callback does not compile: nothing to learn
      paths.push({ result: s.kind === 'return' ? s.result : undefined, assumed: s.assumed });
    }
  } else {
    for (const s of evalBool(run, body, { env, assumed: [] })) paths.push({ result: s.value, assumed: s.assumed });
  }
  return paths.length > MAX_PATHS ? undefined : paths;
}

// --- expressions ---------------------------------------------------------------------------------

interface State {
  env: Env;
  assumed: Guard[];
}

function evalBool(run: Run, node: SyntaxNode, st: State): Array<{ value: boolean | undefined; assumed: Guard[] }> {
  const v = evalExpr(run, node, st.env);
  return [{ value: v && 'b' in v ? v.b : undefined, assumed: st.assumed }];
}

function num(v: V): number | undefined {
  return v && 'n' in v ? v.n : undefined;
}

function bool(v: V): boolean | undefined {
  return v && 'b' in v ? v.b : undefined;
}

/** The value of a name or member the run does not bind: an enum member, a constant, a number (through the semantic layer). */
function leaf(run: Run, node: SyntaxNode): V {
  const text = node.text.replace(/\s+/g, '');
  const m = /(?:^|\.)SslPolicyErrors\.(\w+)$/.exec(text) ?? (/^\w+$/.test(text) ? [text, text] : null);
  if (m && m[1]! in SSL_POLICY_ERRORS && (text.includes('.') || !/^[a-z]/.test(text))) return { n: SSL_POLICY_ERRORS[m[1]!]! };
  const flows = run.sem.values(node);
  const values = flows.map(flowNumber);
  if (values.length === 0 || values.some((x) => x === undefined) || new Set(values).size !== 1) return undefined;
  return { n: values[0]! };
}

/** The number a flow of the semantic layer stands for: a member, a number, a union of them. */
function flowNumber(f: Flow): number | undefined {
  const v = f.value;
  if (v.type === 'number') return v.value;
  if (v.type === 'symbol') {
    const member = v.name.slice(v.name.lastIndexOf('.') + 1);
    return member in SSL_POLICY_ERRORS && (!v.name.includes('.') || /(?:^|\.)SslPolicyErrors\.\w+$/.test(v.name)) ? SSL_POLICY_ERRORS[member] : undefined;
  }
  if (v.type === 'bits') {
    let bits = 0;
    for (const p of v.parts) {
      const n = flowNumber(p);
      if (n === undefined) return undefined;
      bits |= n;
    }
    for (const r of v.removed) {
      const n = flowNumber(r);
      if (n === undefined) return undefined;
      bits &= ~n;
    }
    return bits;
  }
  return undefined;
}

function evalExpr(run: Run, node: SyntaxNode, env: Env): V {
  if (++run.steps > MAX_STEPS) return undefined;
  switch (node.type) {
    case 'parenthesized_expression':
    case 'checked_expression':
      return node.namedChildren[0] ? evalExpr(run, node.namedChildren[node.namedChildCount - 1]!, env) : undefined;
    case 'boolean_literal':
      return { b: node.text === 'true' };
    case 'integer_literal': {
      const n = Number(node.text.replace(/[uUlL_]/g, ''));
      return Number.isFinite(n) ? { n } : undefined;
    }
    case 'identifier':
      return env.has(node.text) ? env.get(node.text) : leaf(run, node);
    case 'member_access_expression':
    case 'qualified_name':
      return leaf(run, node);
    case 'cast_expression': {
      const value = node.childForFieldName('value');
      const v = value ? evalExpr(run, value, env) : undefined;
      return num(v) !== undefined ? v : undefined;
    }
    case 'prefix_unary_expression': {
      const operand = node.namedChildren[0];
      const op = node.child(0)?.text;
      const v = operand ? evalExpr(run, operand, env) : undefined;
      if (op === '!') return bool(v) === undefined ? undefined : { b: !bool(v) };
      if (op === '~') return num(v) === undefined ? undefined : { n: ~num(v)! };
      return undefined;
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      if (!op || !l || !r) return undefined;
      return binary(op, evalExpr(run, l, env), () => evalExpr(run, r, env));
    }
    case 'conditional_expression': {
      const c = bool(evalExpr(run, node.childForFieldName('condition')!, env));
      const then = node.childForFieldName('consequence');
      const other = node.childForFieldName('alternative');
      if (c === undefined || !then || !other) {
        // both branches agree: the condition does not matter
        const a = then && evalExpr(run, then, env);
        const b = other && evalExpr(run, other, env);
        return a && b && JSON.stringify(a) === JSON.stringify(b) ? a : undefined;
      }
      return evalExpr(run, c ? then : other, env);
    }
    case 'is_pattern_expression': {
      const subject = node.childForFieldName('expression');
      const pattern = node.childForFieldName('pattern');
      if (!subject || !pattern) return undefined;
      const m = matches(run, pattern, evalExpr(run, subject, env), env);
      return m === undefined ? undefined : { b: m };
    }
    case 'switch_expression': {
      const [subject, ...arms] = node.namedChildren;
      if (!subject) return undefined;
      const v = evalExpr(run, subject, env);
      for (const arm of arms) {
        if (arm.type !== 'switch_expression_arm') continue;
        const [pattern, ...rest] = arm.namedChildren;
        const when = rest.find((c) => c.type === 'when_clause');
        const result = rest[rest.length - 1];
        if (!pattern || !result) return undefined;
        const m = matches(run, pattern, v, env);
        if (m === undefined) return undefined;
        if (!m) continue;
        if (when) {
          const w = bool(evalExpr(run, when.namedChildren[0]!, env));
          if (w === undefined) return undefined;
          if (!w) continue;
        }
        return evalExpr(run, result, env);
      }
      return undefined;
    }
    case 'invocation_expression': {
      // `errors.HasFlag(X)`, `errors.Equals(X)`
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments')?.namedChildren.filter((a) => a.type === 'argument') ?? [];
      if (fn?.type !== 'member_access_expression' || args.length !== 1) return undefined;
      const name = fn.childForFieldName('name')?.text;
      const recv = num(evalExpr(run, fn.childForFieldName('expression')!, env));
      const arg = num(evalExpr(run, args[0]!.lastNamedChild!, env));
      if (recv === undefined || arg === undefined) return undefined;
      if (name === 'HasFlag') return { b: (recv & arg) === arg };
      if (name === 'Equals') return { b: recv === arg };
      return undefined;
    }
    default:
      return undefined;
  }
}

function binary(op: string, l: V, right: () => V): V {
  if (op === '&&') {
    if (bool(l) === false) return { b: false };
    const r = bool(right());
    if (bool(l) === true) return r === undefined ? undefined : { b: r };
    return r === false ? { b: false } : undefined;
  }
  if (op === '||') {
    if (bool(l) === true) return { b: true };
    const r = bool(right());
    if (bool(l) === false) return r === undefined ? undefined : { b: r };
    return r === true ? { b: true } : undefined;
  }
  const r = right();
  if (l === undefined || r === undefined) return undefined;
  if ('b' in l && 'b' in r) {
    if (op === '==') return { b: l.b === r.b };
    if (op === '!=' || op === '^') return { b: l.b !== r.b };
    if (op === '&') return { b: l.b && r.b };
    if (op === '|') return { b: l.b || r.b };
    return undefined;
  }
  if (!('n' in l) || !('n' in r)) return undefined;
  switch (op) {
    case '==':
      return { b: l.n === r.n };
    case '!=':
      return { b: l.n !== r.n };
    case '&':
      return { n: l.n & r.n };
    case '|':
      return { n: l.n | r.n };
    case '^':
      return { n: l.n ^ r.n };
    case '<':
      return { b: l.n < r.n };
    case '<=':
      return { b: l.n <= r.n };
    case '>':
      return { b: l.n > r.n };
    case '>=':
      return { b: l.n >= r.n };
    default:
      return undefined;
  }
}

/** Whether a value matches a pattern (`SslPolicyErrors.None`, `A or B`, `not A`, `_`, `var x`); undefined when unknown. */
function matches(run: Run, pattern: SyntaxNode, v: V, env: Env): boolean | undefined {
  switch (pattern.type) {
    case 'discard':
    case 'var_pattern':
      return true;
    case 'declaration_pattern': {
      // `var x when ...`: binds the value
      const name = pattern.childForFieldName('name')?.text;
      if (name) env.set(name, v);
      return true;
    }
    case 'constant_pattern': {
      const c = pattern.namedChildren[0] ? evalExpr(run, pattern.namedChildren[0], env) : undefined;
      if (v === undefined || c === undefined) return undefined;
      if ('n' in v && 'n' in c) return v.n === c.n;
      if ('b' in v && 'b' in c) return v.b === c.b;
      return undefined;
    }
    case 'parenthesized_pattern':
      return pattern.namedChildren[0] ? matches(run, pattern.namedChildren[0], v, env) : undefined;
    case 'negated_pattern': {
      const m = pattern.namedChildren[0] ? matches(run, pattern.namedChildren[0], v, env) : undefined;
      return m === undefined ? undefined : !m;
    }
    case 'or_pattern':
    case 'and_pattern': {
      const [a, b] = [pattern.childForFieldName('left') ?? pattern.namedChildren[0], pattern.childForFieldName('right') ?? pattern.namedChildren[1]];
      const ma = a ? matches(run, a, v, env) : undefined;
      const mb = b ? matches(run, b, v, env) : undefined;
      if (pattern.type === 'or_pattern') return ma === true || mb === true ? true : ma === false && mb === false ? false : undefined;
      return ma === false || mb === false ? false : ma === true && mb === true ? true : undefined;
    }
    default:
      return undefined;
  }
}

// --- statements ----------------------------------------------------------------------------------

/** How a statement ends on one path: it returns (a known or unknown result), runs on, or the run gave up. */
type Step = ({ kind: 'return'; result: boolean | undefined } | { kind: 'next' } | { kind: 'limit' }) & State;

function execBlock(run: Run, statements: SyntaxNode[], st: State): Step[] {
  let open: State[] = [st];
  const done: Step[] = [];
  for (const s of statements) {
    if (s.type.endsWith('comment')) continue;
    const next: State[] = [];
    for (const o of open) {
      for (const r of exec(run, s, o)) {
        // a path that runs on carries only its state into the next statement
        if (r.kind === 'next') next.push({ env: r.env, assumed: r.assumed });
        else done.push(r);
      }
    }
    open = next;
    if (open.length + done.length > MAX_PATHS || run.steps > MAX_STEPS) return [{ kind: 'limit', ...st }];
    if (open.length === 0) break;
  }
  return [...done, ...open.map((o) => ({ kind: 'next' as const, ...o }))];
}

function copy(st: State, assumed?: Guard): State {
  return { env: new Map(st.env), assumed: assumed ? [...st.assumed, assumed] : st.assumed };
}

function exec(run: Run, s: SyntaxNode, from: State): Step[] {
  // only the state: a step's `kind` must not leak into the steps made from it
  const st: State = { env: from.env, assumed: from.assumed };
  if (++run.steps > MAX_STEPS) return [{ kind: 'limit', ...st }];
  switch (s.type) {
    case 'block':
      return execBlock(run, s.namedChildren, st);
    case 'return_statement': {
      const e = s.namedChildren[0];
      return [{ kind: 'return', result: e ? bool(evalExpr(run, e, st.env)) : undefined, ...st }];
    }
    case 'throw_statement':
      // an exception out of the callback fails the handshake
      return [{ kind: 'return', result: false, ...st }];
    case 'if_statement': {
      const cond = s.childForFieldName('condition')!;
      const then = s.childForFieldName('consequence');
      const other = s.childForFieldName('alternative');
      const c = bool(evalExpr(run, cond, st.env));
      const branch = (b: SyntaxNode | null, state: State): Step[] => (b ? exec(run, b, state) : [{ kind: 'next', ...state }]);
      if (c === true) return branch(then, st);
      if (c === false) return branch(other, st);
      const text = cond.text;
      return [...branch(then, copy(st, { text, node: cond, negated: false })), ...branch(other, copy(st, { text, node: cond, negated: true }))];
    }
    case 'local_declaration_statement': {
      for (const d of s.descendantsOfType('variable_declarator')) {
        const name = d.childForFieldName('name') ?? d.namedChildren[0];
        if (!name) continue;
        // `var x = value;`: the declarator's last named child when it is not the name itself
        const value = d.namedChildCount > 1 ? d.namedChildren[d.namedChildCount - 1] : undefined;
        st.env.set(name.text, value ? evalExpr(run, value, st.env) : undefined);
      }
      return [{ kind: 'next', ...st }];
    }
    case 'expression_statement': {
      const e = s.namedChildren[0];
      if (e?.type === 'assignment_expression') {
        const left = e.childForFieldName('left');
        const right = e.childForFieldName('right');
        const op = e.childForFieldName('operator')?.text ?? '=';
        if (left?.type === 'identifier' && right && st.env.has(left.text)) {
          const r = evalExpr(run, right, st.env);
          const l = st.env.get(left.text);
          st.env.set(left.text, op === '=' ? r : binary(op.slice(0, -1), l, () => r));
        }
      }
      return [{ kind: 'next', ...st }];
    }
    case 'switch_statement':
      return execSwitch(run, s, st);
    case 'try_statement': {
      // the try block as it completes normally (a catch runs only on an exception from a call); then finally
      const body = s.namedChildren.find((c) => c.type === 'block');
      const fin = s.namedChildren.find((c) => c.type === 'finally_clause')?.namedChildren.find((c) => c.type === 'block');
      const out = body ? exec(run, body, st) : [{ kind: 'next' as const, ...st }];
      return fin ? out.flatMap((o) => (o.kind === 'next' ? exec(run, fin, o) : [o])) : out;
    }
    case 'using_statement':
    case 'lock_statement':
    case 'checked_statement':
    case 'unsafe_statement':
    case 'fixed_statement': {
      const body = s.namedChildren[s.namedChildCount - 1];
      return body && (body.type === 'block' || body.type.endsWith('_statement')) ? exec(run, body, st) : [{ kind: 'next', ...st }];
    }
    case 'for_statement':
    case 'foreach_statement':
    case 'while_statement':
    case 'do_statement': {
      // the body once (with unknown loop variables), or not at all
      const body = s.childForFieldName('body') ?? s.namedChildren[s.namedChildCount - 1];
      if (!body || !containsReturn(body)) return [{ kind: 'next', ...st }];
      const inner = copy(st);
      const v = s.childForFieldName('left');
      if (v?.type === 'identifier') inner.env.set(v.text, undefined);
      return [...exec(run, body, inner).map((r) => (r.kind === 'next' ? { ...r, env: st.env } : r)), { kind: 'next', ...st }];
    }
    default:
      // statements that cannot return (logging, declarations of other things) run on
      return containsReturn(s) ? [{ kind: 'return', result: undefined, ...st }] : [{ kind: 'next', ...st }];
  }
}

function containsReturn(node: SyntaxNode): boolean {
  return node.descendantsOfType(['return_statement', 'throw_statement', 'yield_statement']).some((r) => !insideFunction(r, node));
}

/** True when `node` sits in a lambda or local function inside `outer` (its returns are not the callback's). */
function insideFunction(node: SyntaxNode, outer: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== outer.id; n = n.parent) {
    if (n.type === 'lambda_expression' || n.type === 'anonymous_method_expression' || n.type === 'local_function_statement') return true;
  }
  return false;
}

/** `switch (errors) { case X: case Y: return true; default: return false; }`: an empty section falls into the next. */
function execSwitch(run: Run, s: SyntaxNode, st: State): Step[] {
  const subject = s.childForFieldName('value') ?? s.namedChildren[0];
  const body = s.namedChildren.find((c) => c.type === 'switch_body');
  if (!subject || !body) return [{ kind: 'return', result: undefined, ...st }];
  const v = evalExpr(run, subject, st.env);
  const sections = body.namedChildren.filter((c) => c.type === 'switch_section');
  const isLabel = (c: SyntaxNode) => c.type.endsWith('_pattern') || c.type === 'when_clause' || c.type === 'discard';
  let chosen = -1;
  for (let i = 0; i < sections.length && chosen === -1; i++) {
    const labels = sections[i]!.namedChildren.filter(isLabel);
    // `default:` has no label node; it is taken when nothing else matches
    if (labels.length === 0) continue;
    const patterns = labels.filter((l) => l.type !== 'when_clause');
    const when = labels.find((l) => l.type === 'when_clause');
    const ms = patterns.map((p) => matches(run, p, v, st.env));
    if (ms.some((m) => m === undefined)) return [{ kind: 'return', result: undefined, ...st }];
    if (!ms.some(Boolean)) continue;
    if (when) {
      const w = bool(evalExpr(run, when.namedChildren[0]!, st.env));
      if (w === undefined) return [{ kind: 'return', result: undefined, ...st }];
      if (!w) continue;
    }
    chosen = i;
  }
  if (chosen === -1) chosen = sections.findIndex((sec) => sec.namedChildren.filter(isLabel).length === 0);
  if (chosen === -1) return [{ kind: 'next', ...st }];
  // the statements of the chosen section, or of the next one with statements
  for (let i = chosen; i < sections.length; i++) {
    const statements = sections[i]!.namedChildren.filter((c) => !isLabel(c));
    if (statements.length === 0) continue;
    // `break` ends the switch; anything after it in the section never runs
    const upTo = statements.findIndex((c) => c.type === 'break_statement');
    return execBlock(run, upTo === -1 ? statements : statements.slice(0, upTo), st);
  }
  return [{ kind: 'next', ...st }];
}
