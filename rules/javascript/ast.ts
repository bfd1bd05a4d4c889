/**
 * ts-morph helpers for the JavaScript/TypeScript rules. The engine parses each candidate file
 * (src/parsers.ts) and hands its source file to the checkers as `ctx.tsSource`; ts-morph itself
 * loads on the first candidate, so scans without JS/TS candidates never pay its start-up.
 */
import type * as TsMorph from 'ts-morph';
import { tsMorph } from '../../src/parsers.js';

export { tsMorph };

export type Node = TsMorph.Node;

/** A property name without quotes: `minVersion`, `'minVersion'`, `["minVersion"]`. */
export function propertyName(node: TsMorph.Node): string | undefined {
  const m = tsMorph();
  if (m.Node.isPropertyAssignment(node) || m.Node.isShorthandPropertyAssignment(node)) {
    const name = node.getNameNode();
    if (m.Node.isIdentifier(name) || m.Node.isPrivateIdentifier(name)) return name.getText();
    if (m.Node.isStringLiteral(name) || m.Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralText();
    if (m.Node.isComputedPropertyName(name)) {
      const e = name.getExpression();
      if (m.Node.isStringLiteral(e)) return e.getLiteralText();
    }
  }
  return undefined;
}

/**
 * The string or boolean an expression holds, from its literal type (a `const` in the same file, an
 * `as const` object member, a ternary of literals gives undefined) or, in JavaScript where types
 * are widened, by following the identifier to its `const` declaration.
 */
export function constantValue(expr: TsMorph.Node, depth = 0): string | boolean | number | undefined {
  const m = tsMorph();
  if (depth > 4) return undefined;
  if (m.Node.isStringLiteral(expr) || m.Node.isNoSubstitutionTemplateLiteral(expr)) return expr.getLiteralText();
  if (m.Node.isTrueLiteral(expr)) return true;
  if (m.Node.isFalseLiteral(expr)) return false;
  if (m.Node.isNumericLiteral(expr)) return expr.getLiteralValue();
  if (m.Node.isParenthesizedExpression(expr) || m.Node.isAsExpression(expr) || m.Node.isTypeAssertion(expr) || m.Node.isSatisfiesExpression?.(expr)) {
    return constantValue(expr.getExpression(), depth + 1);
  }
  if (m.Node.isPrefixUnaryExpression(expr) && expr.getOperatorToken() === m.SyntaxKind.ExclamationToken) {
    // `!1` is false, `!0` is true (minified code)
    const v = constantValue(expr.getOperand(), depth + 1);
    return typeof v === 'number' ? !v : undefined;
  }
  if (m.Node.isIdentifier(expr) || m.Node.isPropertyAccessExpression(expr)) {
    const type = expr.getType();
    if (type.isStringLiteral()) return type.getLiteralValue() as string;
    if (type.isBooleanLiteral()) return type.getText() === 'true';
    if (type.isNumberLiteral()) return type.getLiteralValue() as number;
    // JavaScript: `const P = 'TLSv1'` is typed `string`; follow a const declaration
    const decl = expr.getSymbol()?.getDeclarations()[0];
    if (decl && (m.Node.isVariableDeclaration(decl) || m.Node.isPropertyAssignment(decl))) {
      if (m.Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() !== 'const') return undefined;
      const init = decl.getInitializer();
      if (init) return constantValue(init, depth + 1);
    }
  }
  return undefined;
}

/** True when the node sits in a test that expects a failure (`assert.rejects`, `expect(...).rejects`, `toThrow`). */
export function inFailureExpectation(node: TsMorph.Node): boolean {
  for (let n: TsMorph.Node | undefined = node.getParent(); n; n = n.getParent()) {
    const m = tsMorph();
    if (m.Node.isCallExpression(n)) {
      const callee = n.getExpression().getText();
      if (/(?:^|\.)(?:rejects|throws|toThrow|toReject|rejectedWith|toBeRejected\w*|toThrowError)$/.test(callee)) return true;
    }
    if (m.Node.isPropertyAccessExpression(n) && /\.(?:rejects|toThrow\w*)$/.test(n.getText())) return true;
  }
  return false;
}
