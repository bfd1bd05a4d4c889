/** The shared check behind the MinVersion and MaxVersion rules. */
import { replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { fieldQuery, isTlsConfigType, tlsPackageNames, tlsVersionOf, unwrap, VERSION_RANK, versionConstant, versionLabel, type TlsVersion } from './util.js';

export interface VersionFinding {
  value: SyntaxNode;
  version: TlsVersion;
  /** Local name of crypto/tls, for fixes. */
  tlsName: string;
}

/**
 * The TLS version configured at a MinVersion/MaxVersion site, if it is a known constant.
 * Numbers count only where they clearly mean a TLS version: in a tls.Config literal, or as a
 * hex literal 0x0300-0x0304.
 */
export function versionAtSite(ctx: MatchContext): VersionFinding | undefined {
  const { site, value } = ctx.captures;
  if (!site || !value) return undefined;
  const tlsNames = tlsPackageNames(ctx.root);
  if (tlsNames.size === 0) tlsNames.add('tls');
  if (site.type === 'assignment_statement') {
    const lefts = site.childForFieldName('left')?.namedChildren ?? [];
    if (lefts.length !== 1 || site.childForFieldName('operator')?.text !== '=') return undefined;
  }
  const version = tlsVersionOf(value, ctx.root, tlsNames);
  if (!version) return undefined;
  const inner = unwrap(value);
  if (inner.type === 'int_literal' || inner.type === 'call_expression') {
    const literal = site.type === 'keyed_element' ? site.parent?.parent : undefined;
    const inTlsConfig = literal?.type === 'composite_literal' && isTlsConfigType(literal.childForFieldName('type'), tlsNames);
    if (!inTlsConfig && !/0x030[0-4]/i.test(inner.text)) return undefined;
  }
  const operand = inner.type === 'selector_expression' ? inner.childForFieldName('operand')?.text : undefined;
  const tlsName = operand && tlsNames.has(operand) ? operand : [...tlsNames][0]!;
  return { value: value.type === 'literal_element' ? (value.firstNamedChild ?? value) : value, version, tlsName };
}

/** The lowest version the policy accepts. */
export function policyVersion(policy: '1.2' | '1.3'): TlsVersion {
  return policy === '1.3' ? 'TLS1.3' : 'TLS1.2';
}

export function belowPolicy(version: TlsVersion, policy: '1.2' | '1.3'): boolean {
  return VERSION_RANK[version] < VERSION_RANK[policyVersion(policy)];
}

/** A fix that replaces the value by `tls.VersionTLS1x`. */
export function versionFix(found: VersionFinding, target: TlsVersion) {
  const constant = `${found.tlsName}.${versionConstant(target)}`;
  return replaceFix(`use ${constant}`, found.value.startIndex, found.value.endIndex, constant);
}

export { fieldQuery, versionLabel };
