/**
 * TLS knowledge of C and C++ code shared by the C pack's rules: libcurl options and the argument
 * that sets them, OpenSSL method and version names, and which build a preprocessor branch is (the
 * `#if OPENSSL_VERSION_NUMBER < 0x10100000L` code that builds against old OpenSSL still ships).
 * Values come from the semantic layer (src/lang/c.ts), never from a resolver here.
 */
import { curlVersionVerdict, type Policy } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import type { SyntaxNode } from '../../src/rule.js';

/** The bare name a possibility names: a library constant (`CURL_SSLVERSION_TLSv1`, `boost::asio::ssl::context::tlsv1` gives `tlsv1`), or a call's function (`TLSv1_method`). */
export function symbolName(flow: Flow): string | undefined {
  const v = flow.value;
  const name = v.type === 'symbol' ? v.name : v.type === 'unknown' && v.why === 'call' ? v.name : undefined;
  return name?.slice(name.search(/[^.:]*$/));
}

export { unionParts } from '../../src/lang/model.js';

/**
 * The argument that sets option `names` in a call that passes the option as one argument and its
 * value as the next: `curl_easy_setopt(h, CURLOPT_SSLVERSION, v)`, a wrapper macro
 * `SETOPT(CURLOPT_SSLVERSION, v)`, `my_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L)`.
 */
export function optionValue(call: SyntaxNode, option: SyntaxNode): SyntaxNode | undefined {
  // `NV1(CURLOPT_SSL_VERIFYHOST, 1)` inside `{ ... }`: a table of names and defaults, not a setting
  for (let n = call.parent; n && !/statement$|^function_definition$|^declaration$/.test(n.type); n = n.parent) if (n.type === 'initializer_list') return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const i = args.findIndex((a) => a.id === option.id);
  return i === -1 ? undefined : args[i + 1];
}

/** What one CURLOPT_SSLVERSION value (a constant, a number, one part of a union) does when it is below the floor. */
export function judgeCurlVersion(flow: Flow, floor: Policy): { what: string; fix: string } | undefined {
  const v = flow.value;
  const value = v.type === 'number' ? v.value : symbolName(flow);
  return value === undefined ? undefined : curlVersionVerdict(value, floor);
}

// --- preprocessor branches ----------------------------------------------------------------------

/** An interval of OpenSSL version numbers: [lo, hi). */
interface Range {
  lo: number;
  hi: number;
}

const ALL: Range = { lo: 0, hi: Infinity };

/** What `OPENSSL_VERSION_NUMBER <op> 0x10100000L` allows (undefined when the condition is not such a comparison or a conjunction of them). */
export function versionRange(condition: string): Range | undefined {
  const parts = condition.replace(/^\s*\(|\)\s*$/g, '').split(/\s*&&\s*/);
  let r: Range = { ...ALL };
  let any = false;
  for (const raw of parts) {
    const p = raw.trim().replace(/^\((.*)\)$/, '$1').trim();
    const m = /^OPENSSL_VERSION_NUMBER\s*(<=|>=|<|>|==)\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.exec(p) ?? /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*(<=|>=|<|>)\s*OPENSSL_VERSION_NUMBER$/.exec(p);
    if (!m) {
      // `!defined(LIBRESSL_VERSION_NUMBER)`, `defined(OPENSSL_VERSION_NUMBER)`: a condition that does not narrow the OpenSSL version
      if (/^!?\s*defined\s*\(?\s*\w+\s*\)?$/.test(p)) continue;
      return undefined;
    }
    const reversed = /^0|^\d/.test(m[1]!);
    const op = reversed ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[m[2]!]! : m[1]!;
    const n = Number(reversed ? m[1]! : m[2]!);
    any = true;
    if (op === '<') r = { lo: r.lo, hi: Math.min(r.hi, n) };
    else if (op === '<=') r = { lo: r.lo, hi: Math.min(r.hi, n + 1) };
    else if (op === '>') r = { lo: Math.max(r.lo, n + 1), hi: r.hi };
    else if (op === '>=') r = { lo: Math.max(r.lo, n), hi: r.hi };
    else r = { lo: n, hi: n + 1 };
  }
  return any ? r : undefined;
}

/** `1.1.0` for 0x10100000L, `3.0.0` for 0x30000000L. */
function versionText(n: number): string {
  return `${Math.floor(n / 0x10000000)}.${(n >> 20) & 0xff}.${(n >> 12) & 0xff}`;
}

function rangeText(r: Range): string {
  if (r.lo <= 0 && r.hi === Infinity) return 'every OpenSSL';
  if (r.lo <= 0) return `OpenSSL before ${versionText(r.hi)}`;
  if (r.hi === Infinity) return `OpenSSL ${versionText(r.lo)} and later`;
  return `OpenSSL ${versionText(r.lo)} up to ${versionText(r.hi)}`;
}

/** The condition text of a preprocessor conditional (`#ifndef X` gives `!defined(X)`). */
function conditionOf(node: SyntaxNode): string {
  if (node.type === 'preproc_ifdef') {
    const name = node.childForFieldName('name')?.text ?? '';
    return node.child(0)?.type === '#ifndef' ? `!defined(${name})` : `defined(${name})`;
  }
  return (node.childForFieldName('condition')?.text ?? '').replace(/\s+/g, ' ').trim();
}

/** Macros that say which OpenSSL or libcurl a build uses. */
const VERSION_MACRO = /\b(?:OPENSSL|LIBRESSL)_VERSION_NUMBER\b|\bOPENSSL_API_\w+|\bLIBCURL_VERSION_NUM\b/;

export interface Branch {
  /** `#if OPENSSL_VERSION_NUMBER < 0x10100000L`, or `#else` of it. */
  directive: string;
  /** The library the condition is about. */
  library: 'OpenSSL' | 'libcurl';
  /** The OpenSSL versions the branch builds for, when the condition says. */
  range?: Range;
}

/** The preprocessor conditionals around a node that test the OpenSSL version, innermost first. */
export function versionBranches(node: SyntaxNode): Branch[] {
  const out: Branch[] = [];
  let child: SyntaxNode = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (!/^preproc_(?:if|ifdef|elif|else)$/.test(n.type) && n.type !== 'preproc_elifdef') continue;
    // code in an #if's alternative is in that alternative's branch, found at its own level
    if (n.childForFieldName('alternative')?.id === child.id) continue;
    // the conditionals before an #else/#elif: all of them are false there
    const chain: SyntaxNode[] = [];
    let head: SyntaxNode = n;
    while (head.parent && /^preproc_(?:if|ifdef|elif|elifdef)$/.test(head.parent.type) && head.parent.childForFieldName('alternative')?.id === head.id) {
      head = head.parent;
      chain.unshift(head);
    }
    const own = n.type === 'preproc_else' ? undefined : conditionOf(n);
    const texts = [...chain.map(conditionOf), ...(own !== undefined ? [own] : [])];
    if (!texts.some((t) => VERSION_MACRO.test(t))) continue;
    // the range: the own condition, with the earlier ones of the chain negated
    let range: Range | undefined = own !== undefined ? versionRange(own) ?? (/VERSION_NUMBER/.test(own) ? undefined : { ...ALL }) : { ...ALL };
    for (const t of chain.map(conditionOf)) {
      const r = versionRange(t);
      if (!range || !r) {
        range = /VERSION_NUMBER/.test(t) ? undefined : range;
        continue;
      }
      // not (lo <= v < hi): one side of it, where the other side is unbounded
      if (r.lo <= 0) range = { lo: Math.max(range.lo, r.hi), hi: range.hi };
      else if (r.hi === Infinity) range = { lo: range.lo, hi: Math.min(range.hi, r.lo) };
      else range = undefined;
    }
    const first = chain[0] ?? n;
    const directive = n.type === 'preproc_else' ? `#else of \`#if ${texts[0]}\`` : n === first ? `\`#${n.type === 'preproc_ifdef' ? (n.child(0)?.type === '#ifndef' ? 'ifndef' : 'ifdef') : 'if'} ${n.type === 'preproc_ifdef' ? n.childForFieldName('name')?.text : own}\`` : `\`#elif ${own}\``;
    const library = texts.some((t) => /VERSION_NUMBER|OPENSSL_API/.test(t)) ? 'OpenSSL' : 'libcurl';
    out.push({ directive, library, ...(library === 'OpenSSL' && range && (range.lo > 0 || range.hi !== Infinity) ? { range } : {}) });
  }
  return out;
}

/**
 * The words for a finding in a version-conditional branch: ` It is in the `#if OPENSSL_VERSION_NUMBER
 * < 0x10100000L` branch (builds against OpenSSL before 1.1.0), which ships with those builds.`;
 * empty outside such branches.
 */
export function branchNote(node: SyntaxNode): string {
  const [b] = versionBranches(node);
  if (!b) return '';
  return ` It is in the ${b.directive} branch${b.range ? ` (builds against ${rangeText(b.range)})` : ''}: code that builds against an old ${b.library} still ships.`;
}

/** True when `inner`'s version range lies inside `outer`'s (a floor set for `outer` builds covers `inner` builds too). */
export function rangeCovers(outer: Branch[], inner: Branch[]): boolean {
  const narrow = (bs: Branch[]) => bs.reduce<Range>((r, b) => (b.range ? { lo: Math.max(r.lo, b.range.lo), hi: Math.min(r.hi, b.range.hi) } : r), { ...ALL });
  const o = narrow(outer);
  const i = narrow(inner);
  return o.lo <= i.lo && o.hi >= i.hi;
}

/** True when the ranges of `parts` together cover all of `whole`. */
export function rangesCover(whole: Range, parts: Range[]): boolean {
  let at = whole.lo;
  for (const p of [...parts].sort((a, b) => a.lo - b.lo)) {
    if (p.lo > at) break;
    at = Math.max(at, p.hi);
    if (at >= whole.hi) return true;
  }
  return at >= whole.hi;
}

/** The OpenSSL versions a node builds for: its version branches narrowed together (every OpenSSL outside them). */
export function buildRange(node: SyntaxNode): Range {
  return versionBranches(node).reduce<Range>((r, b) => (b.range ? { lo: Math.max(r.lo, b.range.lo), hi: Math.min(r.hi, b.range.hi) } : r), { ...ALL });
}

export { rangeText };
export type { Range };
