/**
 * TLS knowledge of the Java ecosystem shared by the Java rules: how JSSE, OkHttp and HttpClient
 * name protocols in lists, how to judge and fix a protocol list, and test code that expects a
 * handshake to fail. Values come from the semantic layer (src/lang/), never from a resolver here.
 */
import { belowFloor, parseProtocol, protocolOfName, spellVersion, type Policy, type ProtocolVersion } from '../../src/formats/tls-names.js';
import { elementsOf, type Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';
import { elementRemovals as removals } from '../../src/lang/edits.js';
import type { TextEdit } from '../../src/types.js';

/** The string possibilities of an expression (other values dropped). */
export function strings(flows: Flow[]): Array<Flow & { value: { type: 'string' } }> {
  return flows.filter((f): f is Flow & { value: { type: 'string' } } => f.value.type === 'string');
}

/** One protocol named in a list: a string (`"TLSv1.1"`, `"TLSv1,TLSv1.1"`) or an enum constant (`TlsVersion.TLS_1_0`). */
export interface ListItem {
  flow: Flow;
  /** The string, or the constant's name. */
  text: string;
}

/** The items of the lists an expression may hold; a single string or constant is a list of one. */
export function listItems(flows: Flow[]): ListItem[] {
  const out: ListItem[] = [];
  for (const f of elementsOf(flows)) {
    if (f.value.type === 'string') out.push({ flow: f, text: f.value.value });
    else if (f.value.type === 'symbol') out.push({ flow: f, text: f.value.name });
  }
  return out;
}

/**
 * The protocol a list item names: strings (`TLSv1.1`, `SSLv3`) and the enum constants of OkHttp
 * (`TlsVersion.TLS_1_0`, `SSL_3_0`) and HttpClient 5 (`TLS.V_1_1`).
 */
export function itemVersion(text: string): ProtocolVersion | undefined {
  if (/[.:]/.test(text) && /(?:^|[.:])(?:TLS_1_[0-3]|SSL_3_0|V_1_[0-3])$/.test(text)) return protocolOfName(text);
  return parseProtocol(text);
}

/** Each protocol token of a list item (`"TLSv1,TLSv1.1"` holds two). */
export function tokensOf(text: string): string[] {
  return text.includes(',') ? text.split(',').map((t) => t.trim()).filter(Boolean) : [text.trim()];
}

export interface ListVerdict {
  /** Items naming a version below the floor. */
  old: ListItem[];
  /** Items naming the floor or above. */
  modern: ListItem[];
}

export function judgeList(items: ListItem[], floor: Policy): ListVerdict {
  const v: ListVerdict = { old: [], modern: [] };
  for (const i of items) {
    const versions = tokensOf(i.text).map(itemVersion);
    if (versions.some((x) => x && belowFloor(x, floor))) v.old.push(i);
    else if (versions.some((x) => x)) v.modern.push(i);
  }
  return v;
}

/** How an item is shown in a message: the string, or the constant as written. */
export function shown(i: ListItem): string {
  return i.flow.value.type === 'string' ? i.text : i.flow.node.text;
}

/**
 * Edits that remove `old` from the literal list `elements` (array initializer or argument list)
 * and keep the rest with their formatting; when nothing modern remains, the first old item
 * becomes `replacement` instead. Undefined when an old item is not a plain literal there.
 */
export function listFix(elements: SyntaxNode[], old: ListItem[], modern: ListItem[], replacement: string): TextEdit[] | undefined {
  if (old.some((i) => tokensOf(i.text).length > 1 || !elements.some((e) => e.id === i.flow.node.id))) return undefined;
  const dropSet = new Set(old.map((i) => i.flow.node.id));
  if (modern.length === 0) {
    const first = old[0]!.flow.node;
    dropSet.delete(first.id);
    return [{ start: first.startIndex, end: first.endIndex, text: replacement }, ...removals(elements, dropSet)];
  }
  return removals(elements, dropSet);
}

/** The elements of a literal list written at a sink (`new String[] {...}`, `{...}`, `Arrays.asList(...)`), for fixes. */
export function literalElements(ctx: MatchContext, arg: SyntaxNode): SyntaxNode[] | undefined {
  const s = ctx.lang.shape(arg);
  if (s.t === 'wrap') return literalElements(ctx, s.inner);
  if (s.t === 'list') return s.items;
  if (s.t === 'call') return ctx.lang.grammar.listCall?.(s)?.spread;
  return undefined;
}

/** How a list item should be spelled when it replaces `like`: a string literal or an enum constant. */
export function modernSpelling(like: ListItem, floor: Policy): string {
  const target = floor === '1.3' ? 'TLS1.3' : 'TLS1.2';
  if (like.flow.value.type === 'string') return `"${spellVersion(target, 'jsse')}"`;
  const t = like.flow.node.text;
  const prefix = t.slice(0, t.lastIndexOf('.') + 1);
  const last = t.slice(t.lastIndexOf('.') + 1);
  return prefix + spellVersion(target, last.startsWith('V_') ? 'httpcore5' : 'okhttp');
}

/** True when the node sits in code that checks that something fails (`assertThrows`, `expected =`, `fail(...)` after). */
export function inFailureExpectation(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'method_invocation') {
      const name = n.childForFieldName('name')?.text ?? '';
      if (/^(?:assertThrows|assertThatThrownBy|assertThatExceptionOfType|expectThrows|shouldFail)$/.test(name)) return true;
    }
    if (n.type === 'method_declaration') {
      // JUnit 4: @Test(expected = SSLHandshakeException.class)
      const mods = n.namedChildren.find((c) => c.type === 'modifiers');
      if (mods && /@Test\s*\(\s*expected\s*=\s*\w*(?:SSL|Handshake|IllegalArgument)\w*Exception/.test(mods.text)) return true;
      // a test whose name says the old version is refused
      const name = n.childForFieldName('name')?.text ?? '';
      if (mods && /@(?:Test|ParameterizedTest)\b/.test(mods.text) && /(?:reject|refuse|fail|disabled|notSupported|unsupported)/i.test(name)) return true;
      break;
    }
  }
  return false;
}

/**
 * True when a function (method, lambda) can only return `true`, as the semantic layer sees its
 * returns, and never throws: a verifier that checks by throwing (`verify(host, certs)` that throws
 * on a mismatch, then `return true`) is a check.
 */
export function alwaysTrue(ctx: MatchContext, fn: SyntaxNode, src = ctx.file): boolean {
  if (fn.descendantsOfType('throw_statement').length > 0) return false;
  const returns = ctx.lang.returnsOf(fn, src);
  return returns.length > 0 && returns.every((r) => r.value.type === 'bool' && r.value.value);
}

/** The types a method's class implements or extends (or an anonymous class's type), as text. */
export function declaringTypeText(method: SyntaxNode): string {
  const owner = method.parent?.parent;
  if (!owner) return '';
  if (owner.type === 'object_creation_expression') return owner.childForFieldName('type')?.text ?? '';
  return [owner.childForFieldName('superclass')?.text, owner.childForFieldName('interfaces')?.text].filter(Boolean).join(' ');
}

/**
 * Reports the accept-everything callbacks a sink receives: lambdas, method references, and locals,
 * fields or factories holding one (in this file or another), when the function can only return
 * true. A method that is itself a `verify`/`isTrusted` implementation reports at its declaration
 * instead.
 */
export function reportAcceptAll(ctx: MatchContext, sink: string, arg: SyntaxNode, what: string): void {
  for (const flow of ctx.lang.values(arg)) {
    // a helper of another file (`Verifiers::acceptAll`, `Verifiers.lenient()`) is a finding where it is installed
    if (flow.value.type !== 'function' || !alwaysTrue(ctx, flow.value.node, flow.src)) continue;
    const isLambda = flow.value.node.type === 'lambda_expression';
    if (!isLambda && /^(?:verify|isTrusted)$/.test(flow.value.name ?? '')) continue;
    const who = isLambda ? 'This lambda' : `The method \`${flow.value.name ?? '?'}\``;
    ctx.report(flowReport(ctx, flow, { sink: arg, sinkName: `${sink}(...)`, message: `${who} used as a ${what} (it always returns true); remove it and use the defaults.` }));
  }
}

/**
 * True when a capture of an insecure class name (`NoopHostnameVerifier`, `TrustAllStrategy`) is a
 * use worth reporting: not an import, not a qualifier, not a declared type (the value reports),
 * and not inside the file that defines the class (a library's own definition is not a finding).
 */
export function insecureClassUse(ctx: MatchContext, name: SyntaxNode): boolean {
  for (let n = name.parent; n; n = n.parent) if (n.type === 'import_declaration') return false;
  const p = name.parent;
  if (p?.type === 'scoped_type_identifier' && p.lastNamedChild?.id !== name.id) return false;
  if (ctx.lang.facts.classes.has(name.text)) return false;
  // the declaration of a constant of that name (`ALLOW_ALL_HOSTNAME_VERIFIER = new HostnameVerifier() {...}`): its value reports
  if (p?.type === 'variable_declarator' && p.childForFieldName('name')?.id === name.id) return false;
  if (p && ['local_variable_declaration', 'field_declaration', 'formal_parameter'].includes(p.type) && p.childForFieldName('type')?.id === name.id) return false;
  return true;
}
