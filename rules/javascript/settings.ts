/** Property and assignment sites of TLS settings in a JS/TS source file, shared by the rules. */
import type * as TsMorph from 'ts-morph';
import { propertyName, tsMorph } from './ast.js';

export interface SettingSite {
  /** `minVersion`, `secureProtocol`, `rejectUnauthorized`, `DEFAULT_MIN_VERSION`... */
  name: string;
  /** The value expression. */
  value: TsMorph.Node;
  /** The whole property or assignment. */
  site: TsMorph.Node;
}

const cache = new WeakMap<object, SettingSite[]>();

/**
 * Every `name: value` of an object literal (shorthand `{ minVersion }` included) and every
 * `x.name = value` assignment in the file.
 */
export function settingSites(source: TsMorph.SourceFile): SettingSite[] {
  const cached = cache.get(source);
  if (cached) return cached;
  const m = tsMorph();
  const out: SettingSite[] = [];
  source.forEachDescendant((node) => {
    if (m.Node.isPropertyAssignment(node)) {
      const name = propertyName(node);
      const value = node.getInitializer();
      if (name && value) out.push({ name, value, site: node });
    } else if (m.Node.isShorthandPropertyAssignment(node)) {
      out.push({ name: node.getName(), value: node.getNameNode(), site: node });
    } else if (m.Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === m.SyntaxKind.EqualsToken) {
      const left = node.getLeft();
      if (m.Node.isPropertyAccessExpression(left)) out.push({ name: left.getName(), value: node.getRight(), site: node });
      else if (m.Node.isElementAccessExpression(left)) {
        const arg = left.getArgumentExpression();
        if (arg && m.Node.isStringLiteral(arg)) out.push({ name: arg.getLiteralText(), value: node.getRight(), site: node });
      }
    }
  });
  cache.set(source, out);
  return out;
}
