/**
 * Where JavaScript/TypeScript code writes a TLS setting, shared by the rules: every `name: value`
 * of an object literal (shorthand `{ minVersion }` included) and every `x.name = value` /
 * `x['name'] = value` assignment, found in one walk of the file's compiler nodes (cached per
 * tree). What a setting's value is comes from the semantic layer (`ctx.lang.values`), never from
 * here.
 */
import type * as ts from 'typescript';
import { isSwitch, guardText } from '../../src/lang/report.js';
import type { Flow } from '../../src/lang/model.js';
import { propertyNameText, unwrap, type TsNode } from '../../src/lang/typescript.js';
import { typeScript } from '../../src/parsers.js';
import type { TsContext } from '../../src/rule.js';

type TNode = ts.Node;

export interface SettingSite {
  /** `minVersion`, `secureProtocol`, `rejectUnauthorized`, `DEFAULT_MIN_VERSION`... */
  name: string;
  /** The value expression. */
  value: TsNode;
  /** The whole property or assignment. */
  site: TsNode;
  /** An assignment's object (`tls`, `process.env`, `this.options`); a property's object literal. */
  object: TsNode;
  /** True for `x.name = value`, false for a property of an object literal. */
  assignment: boolean;
}

const cache = new WeakMap<object, SettingSite[]>();

/** Every property and member assignment of the file whose name is in `names`. */
export function settingSites(root: TsNode, names: ReadonlySet<string>): SettingSite[] {
  let all = cache.get(root);
  if (!all) {
    all = walk(root);
    cache.set(root, all);
  }
  return all.filter((s) => names.has(s.name));
}

function walk(root: TsNode): SettingSite[] {
  const t = typeScript();
  const out: SettingSite[] = [];
  const stack: TNode[] = [root.ts];
  while (stack.length) {
    const n = stack.pop()!;
    if (t.isPropertyAssignment(n)) {
      const name = propertyNameText(n.name);
      if (name !== undefined) out.push({ name, value: root.wrap(n.initializer), site: root.wrap(n), object: root.wrap(n.parent), assignment: false });
    } else if (t.isShorthandPropertyAssignment(n)) {
      out.push({ name: n.name.text, value: root.wrap(n.name), site: root.wrap(n), object: root.wrap(n.parent), assignment: false });
    } else if (t.isBinaryExpression(n) && (n.operatorToken.kind === t.SyntaxKind.EqualsToken || n.operatorToken.kind === t.SyntaxKind.BarBarEqualsToken || n.operatorToken.kind === t.SyntaxKind.QuestionQuestionEqualsToken)) {
      const left = unwrap(n.left);
      if (t.isPropertyAccessExpression(left)) {
        out.push({ name: left.name.text, value: root.wrap(n.right), site: root.wrap(n), object: root.wrap(left.expression), assignment: true });
      } else if (t.isElementAccessExpression(left)) {
        const key = unwrap(left.argumentExpression);
        if (t.isStringLiteral(key) || t.isNoSubstitutionTemplateLiteral(key)) out.push({ name: key.text, value: root.wrap(n.right), site: root.wrap(n), object: root.wrap(left.expression), assignment: true });
      }
    }
    t.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return out.sort((a, b) => a.site.startIndex - b.site.startIndex);
}

/**
 * The name an object literal is held by (`opts` in `const opts = {...}`, `this.options` in
 * `this.options = {...}`), for later writes on it; undefined for a literal written in place.
 */
export function holderOf(literal: TsNode): string | undefined {
  const t = typeScript();
  let n: TNode = literal.ts;
  while (n.parent && (t.isParenthesizedExpression(n.parent) || t.isAsExpression(n.parent) || t.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return undefined;
  if (t.isVariableDeclaration(p) && p.initializer === n && t.isIdentifier(p.name)) return p.name.text;
  if (t.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === t.SyntaxKind.EqualsToken) return literal.wrap(p.left).text.replace(/\s+/g, '');
  if (t.isPropertyDeclaration(p) && p.initializer === n && t.isIdentifier(p.name)) return `this.${p.name.text}`;
  return undefined;
}

/**
 * Later writes of the same setting on the same object in the same function (`opts.minVersion =
 * 'TLSv1.2'` after `const opts = { minVersion: 'TLSv1' }`, a second `tls.DEFAULT_MIN_VERSION`):
 * true when one replaces the value with something `weak` does not flag.
 */
export function replacedLater(ctx: TsContext, site: SettingSite, weak: (flows: Flow<TsNode>[]) => boolean): boolean {
  const holder = site.assignment ? site.object.text.replace(/\s+/g, '') : holderOf(site.object);
  if (!holder) return false;
  const after = site.assignment ? site.site.endIndex : site.object.endIndex;
  // a write under a condition the setting does not share leaves the weak value possible
  const guard = ctx.lang.guardOf(site.site)?.node.id;
  return ctx.lang
    .laterOnObject(holder, after, site.site)
    .some((u) => u.kind === 'write' && u.name === site.name && u.value !== undefined && ctx.lang.guardOf(u.node)?.node.id === guard && !weak(ctx.lang.values(u.value)));
}

/**
 * True when a value that travelled starts as the value of a setting with one of `names`
 * (`const base = { minVersion: 'TLSv1' }` spread elsewhere, `this.options.rejectUnauthorized =
 * false` read later): that setting reports it where it is written.
 */
export function reportedAtOrigin(flow: Flow<TsNode>, names: ReadonlySet<string>): boolean {
  if (flow.steps.length === 0) return false;
  const t = typeScript();
  const n = flow.node.ts;
  const p = n.parent;
  if (!p) return false;
  if (t.isPropertyAssignment(p) && p.initializer === n) return names.has(propertyNameText(p.name) ?? '');
  if (t.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === t.SyntaxKind.EqualsToken) {
    const left = unwrap(p.left);
    if (t.isPropertyAccessExpression(left)) return names.has(left.name.text);
    if (t.isElementAccessExpression(left)) return names.has(propertyNameText(unwrap(left.argumentExpression)) ?? '');
  }
  return false;
}

/** ` (when \`legacy\`)`: a condition that is not a deliberate switch still says when the value applies. */
export function conditionWords(flow: Flow<TsNode>): string {
  const guard = flow.guard;
  const deliberate: boolean = isSwitch(guard);
  if (!guard || deliberate) return '';
  // `x ?? 'TLSv1'`, `{ minVersion = 'TLSv1' }`: a fallback
  const t = typeScript();
  const p = guard.node.ts.parent;
  const fallback = p && ((t.isBinaryExpression(p) && p.left === guard.node.ts) || (t.isBindingElement(p) && p.name === guard.node.ts));
  if (fallback) return guard.negated ? ` (when \`${guard.text}\` is not set)` : '';
  return ` (${guardText(guard)})`;
}

/** True when the node sits in a test that expects a failure (`assert.rejects`, `expect(...).rejects`, `toThrow`). */
export function inFailureExpectation(node: TsNode): boolean {
  const t = typeScript();
  for (let n: TNode | undefined = node.ts.parent; n; n = n.parent) {
    if (t.isCallExpression(n)) {
      const callee = node.wrap(n.expression).text;
      if (/(?:^|\.)(?:rejects|throws|toThrow|toReject|rejectedWith|toBeRejected\w*|toThrowError)$/.test(callee)) return true;
    }
    if (t.isPropertyAccessExpression(n) && /^(?:rejects|toThrow\w*)$/.test(n.name.text)) return true;
    if (t.isSourceFile(n)) break;
  }
  return false;
}

/** The string literal's content range (inside the quotes), for fixes; undefined for other nodes. */
export function literalContent(node: TsNode): { start: number; end: number } | undefined {
  const t = typeScript();
  if (!(t.isStringLiteral(node.ts) || t.isNoSubstitutionTemplateLiteral(node.ts))) return undefined;
  return { start: node.startIndex + 1, end: node.endIndex - 1 };
}
