/** The shared check behind the MinVersion and MaxVersion rules: the versions a field may be set to, from the semantic layer. */
import type { ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';
import { configName, isTlsConfigType, laterWrites, literalOf, versionOf } from './util.js';

export interface VersionFlow {
  flow: Flow;
  version: ProtocolVersion;
}

export interface VersionSite {
  /** The value expression at the site (inside the literal element). */
  value: SyntaxNode;
  /** Each TLS version the field may be set to here, with how it got there. */
  versions: VersionFlow[];
  /**
   * Versions picked by the cases of a switch among several (`switch s { case "1.0": return
   * tls.VersionTLS10; ... }`): a lookup of a configured name, so the input decides.
   */
  lookup: VersionFlow[];
}

/**
 * True when the value is written in a case of a switch (of the function it is written in). Looks
 * at most 64 levels up: a tree-sitter `parent` is found from the root, so a walk up from the foot
 * of thousands of nested expressions would be quadratic.
 */
function inSwitchCase(node: SyntaxNode): boolean {
  let steps = 0;
  for (let n = node.parent; n && steps++ < 64; n = n.parent) {
    if (n.type === 'expression_case' || n.type === 'default_case' || n.type === 'type_case') return true;
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal' || n.type === 'source_file') return false;
  }
  return false;
}

/**
 * The versions a `Field: value` element or `x.Field = value` assignment sets, unless the same
 * config's field is set again later in the function (`cfg.MinVersion = tls.VersionTLS12` after a
 * weak literal). Numbers count as versions on a `tls.Config` literal, or written as hex
 * `0x0300`-`0x0304`.
 */
export function versionSite(ctx: MatchContext, field: string): VersionSite | undefined {
  const { site, value, object } = ctx.captures;
  if (!site || !value) return undefined;
  const sem = ctx.lang;
  const inner = value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value;
  const literal = site.type === 'keyed_element' ? literalOf(site) : undefined;
  const inTlsConfig = !!literal && isTlsConfigType(sem, literal.childForFieldName('type'));
  // the same config's field set again later, whenever this site runs: that value wins
  const name = configName(site, object);
  if (name && laterWrites(sem, name, site, field).length) return undefined;
  const all: VersionFlow[] = [];
  for (const flow of sem.values(inner)) {
    const version = versionOf(sem, flow, inTlsConfig);
    if (version) all.push({ flow, version });
  }
  const several = new Set(all.map((v) => v.version)).size > 1;
  const isLookup = (v: VersionFlow) => several && !v.flow.guard && inSwitchCase(v.flow.node);
  return { value: inner, versions: all.filter((v) => !isLookup(v)), lookup: all.filter(isLookup) };
}

/** How a message shows the value: `legacyFloor (tls.VersionTLS10)` when it travelled, else as written. */
export function shownValue(sink: SyntaxNode, flow: Flow): string {
  return sink.text === flow.node.text ? sink.text : `${sink.text} (${flow.node.text})`;
}
