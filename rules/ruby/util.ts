/**
 * TLS knowledge of the Ruby ecosystem shared by the Ruby rules: where a setting is written
 * (`x.ssl_version = v`, `ssl_version: v`, `:ssl_version => v`, `PARAMS[:ssl_version] = v`, Faraday's
 * `ssl: { version: v }`), how Ruby's OpenSSL spells versions (`:TLSv1` methods for `ssl_version`,
 * `:TLS1_1`/`TLS1_1_VERSION`/`0x0302` for `min_version`/`max_version`), how a fix respells them,
 * what restricts a weak setting afterwards, and test code that expects a failure. Values come from
 * the semantic layer (src/lang/), never from a resolver here.
 */
import { belowFloor, parseProtocol, PROTOCOL_RANK, policyFloor, protocolOfName, spellVersion, wireVersion, type Policy, type ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import { pairKey, rubyString } from '../../src/lang/ruby.js';
import { replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';

/**
 * Every place a value is handed to a named setting. `@left` is the setter call, hash key or element
 * reference; `@value` the value. Three top-level patterns: other patterns can follow them in a
 * checker's query (tree-sitter drops some matches of an alternation nested in another).
 */
export const SETTING_QUERY = `
(assignment left: [(call) (element_reference)] @left right: (_) @value)
(operator_assignment left: [(call) (element_reference)] @left right: (_) @value)
(pair key: (_) @left value: (_) @value)
`;

export interface Setting {
  /** `ssl_version`, `min_version`, `verify_mode`... */
  name: string;
  /**
   * The enclosing setting: the key of the hash around a pair (`ssl: { verify: false }`), the
   * method of a setter's receiver (`conn.ssl.verify = false`) or the key of an element's object
   * (`options[:ssl][:verify] = false`).
   */
  parentKey?: string;
}

/** The setting a `@left` capture names, or undefined (`a.b.c = x` names `c`). */
export function settingOf(left: SyntaxNode): Setting | undefined {
  if (left.type === 'call') {
    const name = left.childForFieldName('method')?.text;
    if (!name) return undefined;
    const recv = left.childForFieldName('receiver');
    const parentKey = recv?.type === 'call' ? recv.childForFieldName('method')?.text : recv?.type === 'identifier' ? recv.text : undefined;
    return { name, parentKey };
  }
  if (left.type === 'element_reference') {
    const object = left.childForFieldName('object');
    const key = left.namedChildren.find((c) => c.id !== object?.id);
    const name = key && rubyString(key);
    if (!name) return undefined;
    const outer = object?.type === 'element_reference' ? object.namedChildren.find((c) => c.id !== object.childForFieldName('object')?.id) : undefined;
    return { name, parentKey: outer ? rubyString(outer) : undefined };
  }
  // a hash pair: `ssl_version: v`, `:ssl_version => v`, `"ssl_version" => v`
  const pair = left.parent;
  const name = pair?.type === 'pair' ? pairKey(pair) : undefined;
  if (!name) return undefined;
  const hash = pair!.parent;
  const outer = hash?.type === 'hash' ? hash.parent : null;
  return { name, parentKey: outer?.type === 'pair' ? pairKey(outer) : undefined };
}

/** The setting a value node is written to, when it sits on the right of a setter or in a pair. */
export function settingOfValue(value: SyntaxNode): Setting | undefined {
  const p = value.parent;
  if (!p) return undefined;
  if (p.type === 'pair' && p.childForFieldName('value')?.id === value.id) {
    const key = p.childForFieldName('key');
    return key ? settingOf(key) : undefined;
  }
  if ((p.type === 'assignment' || p.type === 'operator_assignment') && p.childForFieldName('right')?.id === value.id) {
    const left = p.childForFieldName('left');
    return left && (left.type === 'call' || left.type === 'element_reference') ? settingOf(left) : undefined;
  }
  return undefined;
}

/**
 * True when a flow went through an entry of a hash written elsewhere that is itself one of the
 * rule's settings (`opts = { ssl_version: :TLSv1 }` then `http.ssl_version = opts[:ssl_version]`):
 * the rule reports that entry where it is written, once.
 */
export function reportedWhereWritten(flow: Flow, isSink: (s: Setting) => boolean): boolean {
  return flow.steps.some((s) => {
    if (s.via !== 'element') return false;
    const setting = settingOfValue(s.node);
    return !!setting && isSink(setting);
  });
}

/** The string or symbol possibilities of an expression. */
export function strings(flows: Flow[]): Array<Flow & { value: { type: 'string' } }> {
  return flows.filter((f): f is Flow & { value: { type: 'string' } } => f.value.type === 'string');
}

/** The version an OpenSSL method name selects (`ssl_version = :TLSv1`, `SSLContext.new('TLSv1_1_client')`). */
export function methodVersion(flow: Flow): ProtocolVersion | undefined {
  return flow.value.type === 'string' ? parseProtocol(flow.value.value) : undefined;
}

/**
 * The version a `min_version`/`max_version` value names: `OpenSSL::SSL::TLS1_1_VERSION`, `:TLS1_1`,
 * `"TLS1_1"`, `:TLSv1_1`, or the wire number (`0x0302`, `770`).
 */
export function boundVersion(flow: Flow): ProtocolVersion | undefined {
  const v = flow.value;
  if (v.type === 'string') return protocolOfName(v.value);
  if (v.type === 'number') return wireVersion(v.value);
  // a library constant, not an unresolved lower-case name
  if (v.type === 'symbol' && /(?:^|\.)[A-Z][A-Z0-9_]*$/.test(v.name)) return protocolOfName(v.name);
  return undefined;
}

/** How a value is shown in a message: `:TLSv1`, `TLSv1`, `OpenSSL::SSL::TLS1_VERSION`, `0x0301`. */
export function shown(flow: Flow): string {
  const v = flow.value;
  if (v.type === 'string') return v.symbol ? `:${v.value}` : v.value;
  return flow.node.text;
}

/** The node a fix rewrites to respell a version literal: the symbol, a string's content, a constant's last name. */
function fixTarget(node: SyntaxNode): { node: SyntaxNode; style: 'symbol' | 'text' } | undefined {
  if (node.type === 'simple_symbol') return { node, style: 'symbol' };
  if (node.type === 'string' || node.type === 'delimited_symbol') {
    const content = node.namedChildren.length === 1 ? node.namedChildren[0] : undefined;
    return content?.type === 'string_content' ? { node: content, style: 'text' } : undefined;
  }
  if (node.type === 'scope_resolution') {
    const name = node.childForFieldName('name');
    return name ? { node: name, style: 'text' } : undefined;
  }
  if (node.type === 'constant') return { node, style: 'text' };
  return undefined;
}

/** The floor as an OpenSSL method name (`TLSv1_2`), keeping a `_client`/`_server` suffix. */
export function methodReplacement(flow: Flow, floor: Policy): string {
  const suffix = flow.value.type === 'string' ? (/_(client|server)$/i.exec(flow.value.value)?.[0] ?? '') : '';
  return spellVersion(policyFloor(floor), 'ruby-symbol') + suffix;
}

/** The floor spelled like the bound it replaces: `TLS1_2_VERSION`, `:TLS1_2`, `:TLSv1_2`. */
export function boundReplacement(flow: Flow, floor: Policy): string {
  const v = policyFloor(floor);
  const text = flow.value.type === 'string' ? flow.value.value : flow.value.type === 'symbol' ? flow.value.name : '';
  if (/_VERSION$/.test(text)) return spellVersion(v, 'openssl-version');
  if (/^TLSv/i.test(text)) return spellVersion(v, 'ruby-symbol');
  return spellVersion(v, 'ruby-version-symbol');
}

/** A fix that respells the literal a flow starts at, or undefined when it is not a literal we can rewrite. */
export function respell(flow: Flow, replacement: string, description: string): Fix | undefined {
  if (flow.value.type === 'number') return undefined;
  const t = fixTarget(flow.node);
  if (!t) return undefined;
  return replaceFix(description, t.node.startIndex, t.node.endIndex, t.style === 'symbol' ? `:${replacement}` : replacement);
}

/** True when every possibility of `flows` is a known version at or above `floor`. */
function allAtLeast(flows: Flow[], floor: ProtocolVersion, versionOf: (f: Flow) => ProtocolVersion | undefined): boolean {
  const known = flows.filter((f) => f.value.type !== 'unknown');
  return known.length > 0 && known.length === flows.length && known.every((f) => {
    const v = versionOf(f);
    return !!v && PROTOCOL_RANK[v] >= PROTOCOL_RANK[floor];
  });
}

/** The object a setter or an argument pair configures (`ctx` of `ctx.min_version = ...` or `ctx.set_params(min_version: ...)`), with the statement. */
export function configuredObject(left: SyntaxNode): { object: string; statement: SyntaxNode } | undefined {
  // `ctx = SSLContext.new(:TLSv1)`: the variable that holds the object
  if ((left.type === 'identifier' || left.type === 'instance_variable') && left.parent) return { object: left.text, statement: left.parent };
  if (left.type === 'call') {
    const recv = left.childForFieldName('receiver');
    return recv && left.parent ? { object: recv.text, statement: left.parent } : undefined;
  }
  // a pair: the receiver of the call whose argument list holds it
  const pair = left.parent;
  const list = pair?.parent;
  const call = list?.type === 'argument_list' ? list.parent : undefined;
  const recv = call?.type === 'call' ? call.childForFieldName('receiver') : undefined;
  return recv && call ? { object: recv.text, statement: call } : undefined;
}

/**
 * True when code after a weak protocol setting restores `floor` or above through one of
 * `settings`: `min_version = OpenSSL::SSL::TLS1_2_VERSION` (or `set_params(min_version: ...)`, a
 * newer `ssl_version`, a higher `max_version`) later on the same object, or a sibling entry in
 * the same hash or argument list.
 */
export function restrictedLater(ctx: MatchContext, left: SyntaxNode, floor: ProtocolVersion, settings: readonly string[]): boolean {
  const judge = (name: string, value: SyntaxNode) => {
    if (!settings.includes(name)) return false;
    return allAtLeast(ctx.lang.values(value), floor, name === 'ssl_version' ? methodVersion : boundVersion);
  };
  if (left.parent?.type === 'pair') {
    for (const sib of left.parent.parent?.namedChildren ?? []) {
      if (sib.type !== 'pair' || sib.id === left.parent.id) continue;
      const value = sib.childForFieldName('value');
      if (value && judge(pairKey(sib) ?? '', value)) return true;
    }
  }
  const target = configuredObject(left);
  if (!target) return false;
  for (const later of ctx.lang.laterOnObject(target.object, target.statement.endIndex, target.statement)) {
    if (later.kind === 'write' && later.value && later.op === '=' && judge(later.name, later.value)) return true;
    if (later.kind === 'call') for (const a of later.args) if (a.name && judge(a.name, a.node)) return true;
  }
  return false;
}

/** True when `v` is below the floor. */
export function weak(v: ProtocolVersion | undefined, floor: Policy): v is ProtocolVersion {
  return !!v && belowFloor(v, floor);
}

/** True when a node sits in a test that expects a failure (`assert_raises`, `expect { }.to raise_error`). */
export function inRaisesExpectation(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'call') {
      const m = n.childForFieldName('method')?.text;
      if (m === 'assert_raises' || m === 'assert_raise' || m === 'raise_error') return true;
      // `expect { ... }.to raise_error(...)`
      const args = n.childForFieldName('arguments');
      if (m === 'to' && args && /\braise_error\b/.test(args.text)) return true;
    }
    if (n.type === 'method' || n.type === 'program') break;
  }
  return false;
}

/** True when the finding for `flow` sits in a failure expectation (at the sink, or at the call site or literal in this file). */
export function expectedToFail(ctx: MatchContext, flow: Flow, sink: SyntaxNode): boolean {
  if (inRaisesExpectation(sink)) return true;
  if (flow.src === ctx.file && inRaisesExpectation(flow.node)) return true;
  return flow.steps.some((s) => s.via === 'call-site' && s.src === ctx.file && inRaisesExpectation(s.node));
}
