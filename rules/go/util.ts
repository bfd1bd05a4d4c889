/**
 * TLS knowledge of the Go ecosystem shared by the Go rules: which packages are crypto/tls, what a
 * value means as a TLS version or a cipher suite, how a fix spells a version, and the query of a
 * `tls.Config` field being set. Values come from the semantic layer (src/lang/), never from a
 * resolver here.
 */
import { protocolOfName, spellVersion, wireVersion, type ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { branchesAt } from '../../src/lang/facts.js';
import { boundName } from '../../src/lang/go.js';
import type { Flow } from '../../src/lang/model.js';
import type { SyntaxNode } from '../../src/rule.js';

/** crypto/tls, and forks with the same API (uTLS) or a bare `tls` that is not imported. */
const TLS_PACKAGE = /^(?:.+\/)?u?tls$/;

/** The member name of a crypto/tls constant a flow holds (`VersionTLS10`, `TLS_RSA_WITH_RC4_128_SHA`), else undefined. */
export function tlsMember(sem: Semantics, flow: Flow): string | undefined {
  if (flow.value.type !== 'symbol') return undefined;
  const name = flow.value.name;
  const dot = name.lastIndexOf('.');
  // `. "crypto/tls"`: the constants are bare names
  if (dot === -1) return sem.facts.wildcards.some((w) => TLS_PACKAGE.test(w)) ? name : undefined;
  return TLS_PACKAGE.test(name.slice(0, dot)) ? name.slice(dot + 1) : undefined;
}

/** True when a node spells the `tls.Config` type (any alias of crypto/tls). */
export function isTlsConfigType(sem: Semantics, type: SyntaxNode | null | undefined): boolean {
  if (!type || type.type !== 'qualified_type') return false;
  const q = sem.qualify(type);
  if (!q) return false;
  const dot = q.lastIndexOf('.');
  return q.slice(dot + 1) === 'Config' && TLS_PACKAGE.test(q.slice(0, dot));
}

/**
 * The TLS version a flow holds: a crypto/tls `Version*` constant, or a number that clearly means
 * a version (hex `0x0301`, or any number when `numbersCount`, i.e. set on a `tls.Config`).
 */
export function versionOf(sem: Semantics, flow: Flow, numbersCount: boolean): ProtocolVersion | undefined {
  const member = tlsMember(sem, flow);
  if (member) return /^Version/.test(member) ? protocolOfName(member) : undefined;
  if (flow.value.type === 'number') {
    if (!numbersCount && !/^0x030[0-4]$/i.test(flow.node.text)) return undefined;
    return wireVersion(flow.value.value);
  }
  return undefined;
}

/** The name under which this file imports crypto/tls (`tls`, or an alias; empty for a dot import), for fixes. */
export function tlsAlias(sem: Semantics, near?: SyntaxNode): string {
  // the qualifier written next to the value (`stdtls.VersionTLS10`) is the one that compiles there
  const operand = near?.type === 'selector_expression' ? near.childForFieldName('operand') : undefined;
  if (operand && operand.type === 'identifier' && TLS_PACKAGE.test(sem.facts.imports.get(operand.text) ?? '')) return operand.text;
  for (const [alias, imported] of sem.facts.imports) if (imported === 'crypto/tls') return alias;
  if (sem.facts.wildcards.includes('crypto/tls')) return '';
  return 'tls';
}

/** `tls.VersionTLS12` under the file's alias. */
export function versionConstant(sem: Semantics, v: ProtocolVersion, near?: SyntaxNode): string {
  const alias = tlsAlias(sem, near);
  return `${alias ? alias + '.' : ''}${spellVersion(v, 'go')}`;
}


/** crypto/tls cipher suite IDs (the numbers code sometimes writes instead of the names). */
const SUITE_IDS: Record<number, string> = {
  0x0005: 'TLS_RSA_WITH_RC4_128_SHA',
  0xc007: 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
};

/** The crypto/tls suite a flow names (a constant, or a hex suite ID in a suite list), else undefined. */
export function suiteOf(sem: Semantics, flow: Flow): string | undefined {
  const member = tlsMember(sem, flow);
  if (member) return member;
  if (flow.value.type === 'number' && /^0x/i.test(flow.node.text)) return SUITE_IDS[flow.value.value];
  return undefined;
}

/**
 * Tree-sitter query for a tls.Config field being set: `Field: value` in a composite literal or
 * `x.Field = value`. Captures @site (the keyed element or the assignment), @value and, for an
 * assignment, the @object whose field it sets.
 */
export function fieldQuery(field: string): string {
  return `
(keyed_element
  key: (literal_element (identifier) @key)
  value: (literal_element) @value
  (#eq? @key "${field}")) @site
(assignment_statement
  left: (expression_list . (selector_expression operand: (_) @object field: (field_identifier) @key) .)
  operator: "="
  right: (expression_list . (_) @value .)
  (#eq? @key "${field}")) @site`;
}

/** The composite literal a keyed element belongs to. */
export function literalOf(site: SyntaxNode): SyntaxNode | undefined {
  const literal = site.parent?.parent;
  return literal?.type === 'composite_literal' ? literal : undefined;
}

/** The keyed elements of a composite literal body by key name. */
export function literalKeys(body: SyntaxNode | null | undefined): Set<string> {
  const keys = new Set<string>();
  for (const e of body?.namedChildren ?? []) {
    if (e.type !== 'keyed_element') continue;
    const key = e.childForFieldName('key');
    if (key) keys.add(key.text);
  }
  return keys;
}

/** The name code uses later to reach the config a field site sets: the literal's binding (`cfg`), or the assignment's object. */
export function configName(site: SyntaxNode, object: SyntaxNode | undefined): string | undefined {
  const literal = site.type === 'keyed_element' ? literalOf(site) : undefined;
  return literal ? boundName(literal) : object?.text.replace(/\s+/g, '');
}

type Later = ReturnType<Semantics['laterOnObject']>[number];
type LaterWrite = Extract<Later, { kind: 'write' }>;

/** True when `node` runs whenever `site` runs: every branch around `node` in its function also holds `site`. */
export function runsWith(sem: Semantics, node: SyntaxNode, site: SyntaxNode): boolean {
  const fn = sem.functionOf(node) ?? sem.facts.module;
  return branchesAt(sem.facts, node, fn).every((b) => b.start <= site.startIndex && b.end >= site.endIndex);
}

/**
 * Plain writes of `field` on the config named `name` later in the same function that run whenever
 * `after` runs: `cfg.MinVersion = tls.VersionTLS12` after a weak literal.
 */
export function laterWrites(sem: Semantics, name: string, after: SyntaxNode, field: string): LaterWrite[] {
  return sem.laterOnObject(name, after.endIndex, after).filter((l): l is LaterWrite => l.kind === 'write' && l.name === field && l.op === '=' && runsWith(sem, l.node, after));
}

/** Statements whose parts run only sometimes (a value written there is a guarded possibility). */
const CONDITIONAL = new Set(['if_statement', 'expression_case', 'default_case', 'type_case', 'communication_case', 'select_statement']);
const FUNCTION_OR_FILE = new Set(['function_declaration', 'method_declaration', 'func_literal', 'source_file']);

/**
 * True when the semantic layer has nothing to add about a literal written at a site
 * (`&tls.Config{InsecureSkipVerify: true}`, `cfg.InsecureSkipVerify = true`): the site sits in no
 * condition of its function, and the function names none of `others` and no `<config>.<field>`
 * of `field` besides the site itself (no later write). Rules then report the literal as it
 * stands without building the file's index, which most sites of a large test file allow. Syntax
 * only: a walk up to the function and text searches of it.
 */
export function settledAtSite(site: SyntaxNode, object: SyntaxNode | undefined, field: string, others: string[]): boolean {
  let fn: SyntaxNode | null = site.parent;
  for (let child = site; fn && !FUNCTION_OR_FILE.has(fn.type); child = fn, fn = fn.parent) {
    if (!CONDITIONAL.has(fn.type)) continue;
    // an if's condition and initializer run whenever the if does; its branches do not
    if (fn.type !== 'if_statement' || child.id === fn.childForFieldName('consequence')?.id || child.id === fn.childForFieldName('alternative')?.id) return false;
  }
  const name = configName(site, object);
  if (!fn || fn.type === 'source_file') return !name && site.type === 'keyed_element';
  const text = fn.text;
  if (others.some((o) => text.includes(o))) return false;
  if (!name) return true;
  const own = `${name}.${field}`;
  const first = text.indexOf(own);
  if (site.type === 'keyed_element') return first === -1;
  return text.indexOf(own, first + own.length) === -1;
}
