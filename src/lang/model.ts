/**
 * The value model of the semantic layer: what an expression may hold at a use, and how it got
 * there. Language-neutral: every grammar's adapter (src/lang/<grammar>.ts) maps its syntax onto
 * these shapes, and every rule reads these values.
 */
import type { SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';

/**
 * What the layer needs of a syntax node, whatever the parser: tree-sitter's SyntaxNode has it, and
 * an adapter over another parser (TypeScript's) presents its nodes this way. `id` is stable per node.
 */
export interface LangNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly parent: LangNode | null;
  readonly startPosition: { readonly row: number };
}

/** What one possibility of an expression is. */
export type Value<N extends LangNode = SyntaxNode> =
  | { type: 'string'; value: string; /** Ruby `:TLSv1` is a symbol literal */ symbol?: boolean }
  | { type: 'number'; value: number; /** the enum type of a cast, `(SslProtocols)192` */ cast?: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  /** A name with no value in the code: an enum member, a library constant (`ssl.PROTOCOL_TLSv1`), qualified through imports. */
  | { type: 'symbol'; name: string }
  /** An array, list, tuple or varargs: every item's possibilities, in order. */
  | { type: 'list'; items: Flow<N>[] }
  /** Flags combined with `|` (and removed with `& ~`): `SslProtocols.Tls | SslProtocols.Tls11`. */
  | { type: 'bits'; parts: Flow<N>[]; removed: Flow<N>[] }
  /** A function value: a lambda, an anonymous function, a method group or a named function. */
  | { type: 'function'; node: N; name?: string }
  /** `new Type(...)`, with an anonymous class body when there is one. */
  | { type: 'object'; className: string; args: N[]; body?: N }
  /** A hash or map literal (Ruby `{ version: :TLSv1 }`, a Python dict): key -> value node; maps spread into it, in source order. */
  | { type: 'map'; entries: Array<{ key: string; node: N }>; spread?: N[] }
  /** Not known here: a parameter nobody calls with a value, a call into a library, an expression. */
  | { type: 'unknown'; why: UnknownReason; name?: string };

export type UnknownReason = 'parameter' | 'field' | 'call' | 'expression' | 'limit' | 'unbound';

/** How a value travelled from where it is written to where it is used, one hop. */
export interface Step<N extends LangNode = SyntaxNode> {
  via: 'local' | 'field' | 'constant' | 'parameter' | 'default' | 'call-site' | 'return' | 'import' | 'element';
  /** The name the value went through (`PROTOCOLS`, `protocols`, `open()`). */
  name: string;
  node: N;
  src: SourceFile;
}

/** The condition under which a possibility holds (a ternary's or an `if`'s), for deliberate-insecurity notes. */
export interface Guard<N extends LangNode = SyntaxNode> {
  /** The condition's source text. */
  text: string;
  node: N;
  /** True when the value is taken when the condition is false (else branch). */
  negated: boolean;
}

/** One possibility of an expression: a value, where it is written, the hops it took, and its guard. */
export interface Flow<N extends LangNode = SyntaxNode> {
  value: Value<N>;
  /** The node that spells the value (the literal itself when there is one). */
  node: N;
  /** The file `node` is in. */
  src: SourceFile;
  /** From the use back to the origin. Empty when the value is written at the use. */
  steps: Step<N>[];
  guard?: Guard<N>;
}

/** True when the value is written where it is used (no local, constant, parameter or call in between). */
export function isInline<N extends LangNode>(flow: Flow<N>): boolean {
  return flow.steps.length === 0;
}

/**
 * The elements of the lists among `flows`, each carrying the path of its list (a list read through
 * a constant has elements that came through that constant); a value that is not a list is an
 * element of itself.
 */
export function elementsOf<N extends LangNode>(flows: Flow<N>[]): Flow<N>[] {
  const out: Flow<N>[] = [];
  for (const f of flows) {
    if (f.value.type === 'list') for (const i of f.value.items) out.push({ ...i, steps: [...f.steps, ...i.steps], guard: i.guard ?? f.guard });
    else out.push(f);
  }
  return out;
}

/**
 * The flags of a `|` union (each carrying the path and guard of the union), or the flow itself:
 * `CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_1` is judged part by part.
 */
export function unionParts<N extends LangNode>(flow: Flow<N>): Flow<N>[] {
  return flow.value.type === 'bits' ? flow.value.parts.map((p) => ({ ...p, steps: [...flow.steps, ...p.steps], guard: p.guard ?? flow.guard })) : [flow];
}
