/**
 * The JavaScript/TypeScript adapter of the semantic layer, over TypeScript's own parser. The
 * engine parses a candidate file (src/parsers.ts); this adapter reads the compiler nodes, presents them as `LangNode`s (`TsNode`: one wrapper
 * per compiler node, so ids are stable; `type` is the SyntaxKind name) and gives the layer the
 * standard captures from one walk of the tree (`collect`) instead of a tree-sitter query.
 *
 * What it maps: functions (declarations, expressions, arrows, methods, accessors, constructors)
 * named by their declaration or by what they are assigned to; classes and enums; parameters with
 * defaults, rest and simple object destructuring; `var`/`let`/`const` (destructuring included),
 * class fields, assignments (`this.x`, `exports.x`, `module.exports = {...}`, compound operators);
 * `import`, `import x = require()`, `require()` (bound or inline); `export default`; branches.
 * Expressions: literals (template literals without substitutions too), names, property and
 * element accesses, `as`/`satisfies`/`!`/`<T>`/parentheses/`await` as wrappers, unary, binary and
 * conditional operators (`a ?? b` and `a || b` as "a, else b"), arrays with spreads, object literals
 * as maps with spreads, calls and `new`, and function values.
 *
 * The compiler itself loads only when a JS/TS file is analysed: this module imports its types only.
 */
import path from 'node:path';
import type * as TsModule from 'typescript';
import { parseTypeScript, typeScript } from '../parsers.js';
import type { Arg, CrossFileContext, Grammar, Shape, Target } from './grammar.js';
import type { LangNode } from './model.js';

type Ts = typeof TsModule;
type TNode = TsModule.Node;
type TSourceFile = TsModule.SourceFile;

interface FileOf {
  sf: TSourceFile;
  text: string;
}

/** The compiler (loaded on first use, by src/parsers.ts). */
const ts: () => Ts = typeScript;

let kindNames: string[] | undefined;

/** `SyntaxKind` names, the first name of each value (`EqualsToken`, not `FirstAssignment`). */
function kindName(kind: number): string {
  if (!kindNames) {
    kindNames = [];
    for (const [name, value] of Object.entries(ts().SyntaxKind)) if (typeof value === 'number' && kindNames[value] === undefined) kindNames[value] = name;
  }
  return kindNames[kind] ?? String(kind);
}

let nextId = 1;
const wrappers = new WeakMap<TNode, TsNode>();
const fileInfo = new WeakMap<TSourceFile, FileOf>();

/** A compiler node as the semantic layer sees it. */
export class TsNode implements LangNode {
  readonly id = nextId++;
  private start = -1;

  constructor(
    /** The compiler node. */
    readonly ts: TNode,
    private readonly file: FileOf,
    /** A synthetic node's text (an import's normalised path). */
    private readonly fixedText?: string,
  ) {}

  get kind(): number {
    return this.ts.kind;
  }

  get type(): string {
    return kindName(this.ts.kind);
  }

  get startIndex(): number {
    if (this.start < 0) this.start = this.ts.kind === ts().SyntaxKind.SourceFile ? 0 : this.ts.getStart(this.file.sf);
    return this.start;
  }

  get endIndex(): number {
    return this.ts.end;
  }

  get text(): string {
    return this.fixedText ?? this.file.text.slice(this.startIndex, this.endIndex);
  }

  get parent(): TsNode | null {
    const p = this.ts.parent;
    return p ? wrapIn(p, this.file) : null;
  }

  get startPosition(): { row: number } {
    return { row: this.file.sf.getLineAndCharacterOfPosition(this.startIndex).line };
  }

  /** The source file the node is in. */
  get sourceFile(): TSourceFile {
    return this.file.sf;
  }

  /** The wrapper of another compiler node of the same file. */
  wrap(node: TNode): TsNode {
    return wrapIn(node, this.file);
  }

  /** The wrapper of an optional compiler node of the same file. */
  maybe(node: TNode | undefined): TsNode | undefined {
    return node ? wrapIn(node, this.file) : undefined;
  }
}

function fileOf(sf: TSourceFile): FileOf {
  let f = fileInfo.get(sf);
  if (!f) fileInfo.set(sf, (f = { sf, text: sf.text }));
  return f;
}

function wrapIn(node: TNode, file: FileOf): TsNode {
  let w = wrappers.get(node);
  if (!w) wrappers.set(node, (w = new TsNode(node, file)));
  return w;
}

/** The root node of a parsed file. */
export function tsRoot(sf: TSourceFile): TsNode {
  return wrapIn(sf, fileOf(sf));
}

/** The wrapper of any compiler node (its file found through its parents). */
export function tsNode(node: TNode): TsNode {
  return wrapIn(node, fileOf(node.getSourceFile()));
}

// --- helpers over compiler nodes ------------------------------------------------------------

/** Parentheses, type assertions, `!`, `satisfies`: the expression inside. */
export function unwrap(node: TNode): TNode {
  const t = ts();
  let n = node;
  for (;;) {
    if (t.isParenthesizedExpression(n) || t.isAsExpression(n) || t.isSatisfiesExpression(n) || t.isNonNullExpression(n) || t.isTypeAssertionExpression(n)) n = n.expression;
    else return n;
  }
}

/** A property or member name as text: `minVersion`, `'minVersion'`, `["minVersion"]`, `#x`. */
export function propertyNameText(name: TNode | undefined): string | undefined {
  if (!name) return undefined;
  const t = ts();
  if (t.isIdentifier(name) || t.isPrivateIdentifier(name)) return name.text;
  if (t.isStringLiteral(name) || t.isNoSubstitutionTemplateLiteral(name) || t.isNumericLiteral(name)) return name.text;
  if (t.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (t.isStringLiteral(e) || t.isNoSubstitutionTemplateLiteral(e)) return e.text;
  }
  return undefined;
}

/** The module a `require('x')` call loads, if `node` is one. */
export function requiredModule(node: TNode): string | undefined {
  const t = ts();
  if (!t.isCallExpression(node) || !t.isIdentifier(node.expression) || node.expression.text !== 'require' || node.arguments.length !== 1) return undefined;
  const a = node.arguments[0]!;
  return t.isStringLiteral(a) || t.isNoSubstitutionTemplateLiteral(a) ? a.text : undefined;
}

/** How the layer names a module: `tls` for `node:tls`; a file of the project keeps its relative path. */
function moduleName(spec: string): string {
  return spec.replace(/^node:/, '');
}

function isRelative(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
}

/** The import path of a module's default export (or `require()` result): a project file's `.default`, a package itself. */
function defaultPath(spec: string): string {
  return isRelative(spec) ? `${spec}.default` : moduleName(spec);
}

/** The name the layer gives an inline `require('x')`, looked up through the imports. */
function requireName(spec: string): string {
  return `require(${spec})`;
}

/** A synthetic name for a destructured parameter (its properties are read from it). */
function patternName(node: TNode): string {
  return `{pattern@${node.pos}}`;
}

function isAssignmentOperator(kind: number): boolean {
  const K = ts().SyntaxKind;
  return kind >= K.FirstAssignment && kind <= K.LastAssignment;
}

/** `module.exports`, `exports`: the module's export object. */
function isExportsObject(node: TNode): boolean {
  const t = ts();
  if (t.isIdentifier(node)) return node.text === 'exports';
  return t.isPropertyAccessExpression(node) && t.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

/** The name a function or class expression gets from where it is written (`const f = () => ...`, `{ f: function () {} }`, `exports.f = ...`). */
function inferredName(node: TNode): TNode | undefined {
  const t = ts();
  let n = node;
  while (n.parent && (t.isParenthesizedExpression(n.parent) || t.isAsExpression(n.parent) || t.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return undefined;
  if ((t.isVariableDeclaration(p) || t.isPropertyDeclaration(p)) && p.initializer === n && (t.isIdentifier(p.name) || t.isPrivateIdentifier(p.name))) return p.name;
  if (t.isPropertyAssignment(p) && p.initializer === n && propertyNameText(p.name) !== undefined) return p.name;
  if (t.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === t.SyntaxKind.EqualsToken) {
    if (t.isIdentifier(p.left)) return p.left;
    if (t.isPropertyAccessExpression(p.left)) return p.left.name;
  }
  return undefined;
}

function isConstList(node: TNode | undefined): boolean {
  const t = ts();
  return !!node && t.isVariableDeclarationList(node) && (node.flags & t.NodeFlags.Const) !== 0;
}

// --- the adapter ----------------------------------------------------------------------------

type Capture = { name: string; node: TsNode };

function collect(root: TsNode): Capture[][] {
  const t = ts();
  const K = t.SyntaxKind;
  const out: Capture[][] = [];
  const w = (n: TNode) => root.wrap(n);
  const cap = (name: string, n: TNode): Capture => ({ name, node: w(n) });
  const synthetic = (n: TNode, text: string): TsNode => new TsNode(n, fileOf(root.sourceFile), text);

  /** Destructured names: one declaration each, its value the binding element (read as `source.key`). */
  const bindings = (pattern: TsModule.BindingName) => {
    if (!t.isObjectBindingPattern(pattern)) return;
    for (const el of pattern.elements) {
      if (t.isIdentifier(el.name)) out.push([cap('decl', el), cap('decl.target', el.name), cap('decl.value', el)]);
      else bindings(el.name);
    }
  };

  /** `module.exports = {...}`, `export default {...}`: each property is an export of the module. */
  const exportedObject = (value: TNode) => {
    const obj = unwrap(value);
    if (!t.isObjectLiteralExpression(obj)) return;
    for (const p of obj.properties) {
      if (t.isPropertyAssignment(p) && propertyNameText(p.name) !== undefined && !t.isComputedPropertyName(p.name)) out.push([cap('decl', p), cap('decl.target', p.name), cap('decl.value', p.initializer)]);
      else if (t.isShorthandPropertyAssignment(p)) out.push([cap('decl', p), cap('decl.target', p.name), cap('decl.value', p.name)]);
    }
  };

  const imports = (spec: string, named: Array<{ local: TNode; imported: string }>, local?: TNode) => {
    if (local) out.push([cap('import', local), cap('import.name', local), { name: 'import.path', node: synthetic(local, defaultPath(spec)) }]);
    for (const { local: l, imported } of named) out.push([cap('import', l), cap('import.name', l), { name: 'import.path', node: synthetic(l, `${moduleName(spec)}.${imported}`) }]);
  };

  const fnName = (n: TsModule.SignatureDeclaration): TNode | undefined => {
    if (t.isConstructorDeclaration(n)) {
      const cls = n.parent;
      return (t.isClassDeclaration(cls) || t.isClassExpression(cls)) ? (cls.name ?? inferredName(cls)) : undefined;
    }
    const name = (n as { name?: TNode }).name;
    if (name && propertyNameText(name) !== undefined) return name;
    if (t.isFunctionExpression(n) || t.isArrowFunction(n)) return inferredName(n);
    return undefined;
  };

  const stack: TNode[] = [root.ts];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.kind) {
      case K.FunctionDeclaration:
      case K.FunctionExpression:
      case K.ArrowFunction:
      case K.MethodDeclaration:
      case K.GetAccessor:
      case K.SetAccessor:
      case K.Constructor: {
        const fn = n as TsModule.FunctionLikeDeclaration;
        const m: Capture[] = [cap('fn', n)];
        const name = fnName(fn);
        if (name) m.push(cap('fn.name', name));
        if (t.isArrowFunction(n) && !t.isBlock(n.body)) m.push(cap('fn.expr', n.body));
        out.push(m);
        break;
      }
      case K.ClassStaticBlockDeclaration:
        out.push([cap('fn', n)]);
        break;
      case K.ClassDeclaration:
      case K.ClassExpression: {
        const c = n as TsModule.ClassLikeDeclaration;
        const name = c.name ?? inferredName(c);
        out.push(name ? [cap('class', n), cap('class.name', name)] : [cap('class', n)]);
        break;
      }
      case K.EnumDeclaration: {
        const e = n as TsModule.EnumDeclaration;
        out.push([cap('class', n), cap('class.name', e.name)]);
        for (const m of e.members) if (t.isIdentifier(m.name) || t.isStringLiteral(m.name)) out.push(m.initializer ? [cap('decl', m), cap('decl.target', m.name), cap('decl.value', m.initializer)] : [cap('decl', m), cap('decl.target', m.name)]);
        break;
      }
      case K.Parameter: {
        const p = n as TsModule.ParameterDeclaration;
        if (t.isIdentifier(p.name) && p.name.text === 'this') break;
        const m: Capture[] = [cap('param', n), cap('param.name', p.name)];
        if (p.initializer) m.push(cap('param.default', p.initializer));
        if (p.dotDotDotToken) m.push(cap('param.rest', p.dotDotDotToken));
        out.push(m);
        bindings(p.name);
        break;
      }
      case K.VariableDeclaration: {
        const d = n as TsModule.VariableDeclaration;
        const init = d.initializer ? unwrap(d.initializer) : undefined;
        // `const tls = require('tls')`, `const { connect } = require('tls')`, `const X = require('./c').X`
        const required = init ? requiredModule(init) : undefined;
        const requiredMember = init && t.isPropertyAccessExpression(init) ? requiredModule(unwrap(init.expression)) : undefined;
        if (required !== undefined && t.isIdentifier(d.name)) {
          imports(required, [], d.name);
        } else if (required !== undefined && t.isObjectBindingPattern(d.name)) {
          const named: Array<{ local: TNode; imported: string }> = [];
          for (const el of d.name.elements) {
            const key = propertyNameText(el.propertyName ?? el.name);
            if (t.isIdentifier(el.name) && key !== undefined && !el.dotDotDotToken) named.push({ local: el.name, imported: key });
          }
          imports(required, named);
        } else if (requiredMember !== undefined && t.isIdentifier(d.name) && init && t.isPropertyAccessExpression(init)) {
          imports(requiredMember, init.name.text === 'default' ? [] : [{ local: d.name, imported: init.name.text }], init.name.text === 'default' ? d.name : undefined);
        } else if (t.isIdentifier(d.name)) {
          out.push(d.initializer ? [cap('decl', n), cap('decl.target', d.name), cap('decl.value', d.initializer)] : [cap('decl', n), cap('decl.target', d.name)]);
        } else {
          bindings(d.name);
        }
        break;
      }
      case K.PropertyDeclaration: {
        const p = n as TsModule.PropertyDeclaration;
        if (propertyNameText(p.name) !== undefined) out.push(p.initializer ? [cap('decl', n), cap('decl.target', p.name), cap('decl.value', p.initializer)] : [cap('decl', n), cap('decl.target', p.name)]);
        break;
      }
      case K.BinaryExpression: {
        const b = n as TsModule.BinaryExpression;
        if (!isAssignmentOperator(b.operatorToken.kind)) break;
        const m: Capture[] = [cap('assign', n), cap('assign.target', b.left), cap('assign.value', b.right)];
        if (b.operatorToken.kind !== K.EqualsToken) m.push(cap('assign.op', b.operatorToken));
        out.push(m);
        if (b.operatorToken.kind === K.EqualsToken && isExportsObject(b.left)) exportedObject(b.right);
        break;
      }
      case K.ExportAssignment: {
        const e = n as TsModule.ExportAssignment;
        out.push([cap('decl', n), cap('decl.target', n), cap('decl.value', e.expression)]);
        exportedObject(e.expression);
        break;
      }
      case K.CallExpression:
      case K.NewExpression: {
        out.push([cap('call', n)]);
        const spec = requiredModule(n);
        if (spec !== undefined) out.push([cap('import', n), cap('import.name', n), { name: 'import.path', node: synthetic(n, defaultPath(spec)) }]);
        break;
      }
      case K.ReturnStatement: {
        const r = n as TsModule.ReturnStatement;
        if (r.expression) out.push([cap('return', n), cap('return.value', r.expression)]);
        break;
      }
      case K.IfStatement: {
        const s = n as TsModule.IfStatement;
        out.push([cap('branch', s.thenStatement), cap('branch.cond', s.expression)]);
        if (s.elseStatement) out.push([cap('branch.else', s.elseStatement), cap('branch.cond', s.expression)]);
        break;
      }
      case K.CaseClause:
      case K.DefaultClause:
      case K.CatchClause:
        out.push([cap('branch', n)]);
        break;
      case K.ForStatement:
      case K.ForInStatement:
      case K.ForOfStatement:
      case K.WhileStatement:
      case K.DoStatement:
        out.push([cap('branch', (n as TsModule.IterationStatement).statement)]);
        break;
      case K.ImportDeclaration: {
        const d = n as TsModule.ImportDeclaration;
        const spec = t.isStringLiteral(d.moduleSpecifier) ? d.moduleSpecifier.text : undefined;
        const clause = d.importClause;
        if (spec === undefined || !clause) break;
        const named: Array<{ local: TNode; imported: string }> = [];
        const bindingsOf = clause.namedBindings;
        if (bindingsOf && t.isNamedImports(bindingsOf)) {
          for (const el of bindingsOf.elements) named.push({ local: el.name, imported: propertyNameText(el.propertyName ?? el.name) ?? el.name.text });
        }
        imports(spec, named, clause.name);
        if (bindingsOf && t.isNamespaceImport(bindingsOf)) out.push([cap('import', bindingsOf.name), cap('import.name', bindingsOf.name), { name: 'import.path', node: synthetic(bindingsOf.name, isRelative(spec) ? spec : moduleName(spec)) }]);
        break;
      }
      case K.ImportEqualsDeclaration: {
        const d = n as TsModule.ImportEqualsDeclaration;
        if (t.isExternalModuleReference(d.moduleReference) && t.isStringLiteral(d.moduleReference.expression)) imports(d.moduleReference.expression.text, [], d.name);
        break;
      }
    }
    const children: TNode[] = [];
    t.forEachChild(n, (c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

function args(node: TsNode, list: readonly TsModule.Expression[] | undefined): Arg<TsNode>[] {
  const t = ts();
  return (list ?? []).map((a) => (t.isSpreadElement(a) ? { node: node.wrap(a.expression), spread: true } : { node: node.wrap(a) }));
}

function shape(node: TsNode): Shape<TsNode> {
  const t = ts();
  const K = t.SyntaxKind;
  const n = node.ts;
  const w = (x: TNode) => node.wrap(x);
  switch (n.kind) {
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
      return { t: 'string', value: (n as TsModule.LiteralExpression).text };
    case K.NumericLiteral: {
      const v = Number((n as TsModule.NumericLiteral).text);
      return Number.isFinite(v) ? { t: 'number', value: v } : { t: 'other' };
    }
    case K.TrueKeyword:
      return { t: 'bool', value: true };
    case K.FalseKeyword:
      return { t: 'bool', value: false };
    case K.NullKeyword:
      return { t: 'null' };
    case K.Identifier: {
      // the name of a destructured binding with a default, read as the source's property (see BindingElement)
      if (n.parent && t.isBindingElement(n.parent) && n.parent.name === n) return bindingRead(node, n.parent);
      const name = (n as TsModule.Identifier).text;
      return name === 'undefined' ? { t: 'null' } : { t: 'name', name };
    }
    case K.ThisKeyword:
      return { t: 'self' };
    case K.PropertyAccessExpression: {
      const p = n as TsModule.PropertyAccessExpression;
      return { t: 'member', object: w(p.expression), name: p.name.text };
    }
    case K.ElementAccessExpression: {
      const e = n as TsModule.ElementAccessExpression;
      const key = unwrap(e.argumentExpression);
      if (t.isStringLiteral(key) || t.isNoSubstitutionTemplateLiteral(key) || t.isNumericLiteral(key)) return { t: 'index', object: w(e.expression), key: key.text };
      return { t: 'other' };
    }
    case K.ParenthesizedExpression:
    case K.AsExpression:
    case K.SatisfiesExpression:
    case K.NonNullExpression:
    case K.TypeAssertionExpression:
    case K.AwaitExpression:
      return { t: 'wrap', inner: w((n as TsModule.ParenthesizedExpression).expression) };
    case K.VoidExpression:
      return { t: 'null' };
    case K.BinaryExpression: {
      const b = n as TsModule.BinaryExpression;
      const op = b.operatorToken.kind;
      // `x = y` as a value is y; `a, b` is b
      if (op === K.EqualsToken || op === K.CommaToken) return { t: 'wrap', inner: w(b.right) };
      if (isAssignmentOperator(op)) return { t: 'other' };
      // `a ?? b`, `a || b`: a, else b (the left side as the condition)
      if (op === K.QuestionQuestionToken || (op === K.BarBarToken && !isLiteral(b.left))) return { t: 'ternary', cond: w(b.left), then: w(b.left), else: w(b.right) };
      return { t: 'binary', op: t.tokenToString(op) ?? '', left: w(b.left), right: w(b.right) };
    }
    case K.PrefixUnaryExpression: {
      const u = n as TsModule.PrefixUnaryExpression;
      const op = t.tokenToString(u.operator) ?? '';
      // minified booleans: `!0` is true, `!1` is false
      if (op === '!' && t.isNumericLiteral(u.operand)) return { t: 'bool', value: !Number(u.operand.text) };
      return { t: 'unary', op, operand: w(u.operand) };
    }
    case K.ConditionalExpression: {
      const c = n as TsModule.ConditionalExpression;
      return { t: 'ternary', cond: w(c.condition), then: w(c.whenTrue), else: w(c.whenFalse) };
    }
    case K.ArrayLiteralExpression: {
      const a = n as TsModule.ArrayLiteralExpression;
      const items: TsNode[] = [];
      const spread: TsNode[] = [];
      for (const e of a.elements) {
        if (t.isSpreadElement(e)) spread.push(w(e.expression));
        else if (!t.isOmittedExpression(e)) items.push(w(e));
      }
      return spread.length ? { t: 'list', items, spread } : { t: 'list', items };
    }
    case K.ObjectLiteralExpression: {
      const o = n as TsModule.ObjectLiteralExpression;
      const entries: Array<{ key: string; node: TsNode }> = [];
      const spread: TsNode[] = [];
      for (const p of o.properties) {
        if (t.isPropertyAssignment(p)) {
          const key = propertyNameText(p.name);
          if (key !== undefined) entries.push({ key, node: w(p.initializer) });
        } else if (t.isShorthandPropertyAssignment(p)) {
          entries.push({ key: p.name.text, node: w(p.name) });
        } else if (t.isMethodDeclaration(p) || t.isGetAccessorDeclaration(p)) {
          const key = propertyNameText(p.name);
          if (key !== undefined) entries.push({ key, node: w(p) });
        } else if (t.isSpreadAssignment(p)) {
          spread.push(w(p.expression));
        }
      }
      return spread.length ? { t: 'map', entries, spread } : { t: 'map', entries };
    }
    case K.CallExpression: {
      const c = n as TsModule.CallExpression;
      const spec = requiredModule(c);
      if (spec !== undefined) return { t: 'name', name: requireName(spec) };
      const callee = c.expression;
      const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
      const receiver = t.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      // `Object.freeze(x)`, `f.bind(this)`: the same value
      if (receiver && t.isIdentifier(receiver) && receiver.text === 'Object' && name === 'freeze' && c.arguments.length === 1) return { t: 'wrap', inner: w(c.arguments[0]!) };
      if (receiver && name === 'bind') return { t: 'wrap', inner: w(receiver) };
      return { t: 'call', callee: w(callee), name, receiver: receiver ? w(receiver) : undefined, args: args(node, c.arguments) };
    }
    case K.NewExpression: {
      const c = n as TsModule.NewExpression;
      return { t: 'new', type: node.wrap(c.expression).text.replace(/\s+/g, ''), args: args(node, c.arguments) };
    }
    case K.ArrowFunction:
    case K.FunctionExpression:
    case K.FunctionDeclaration:
    case K.MethodDeclaration:
      return { t: 'function', node };
    case K.BindingElement: {
      // `{ key: name = fallback }`: the source's `key`, else the fallback
      const b = n as TsModule.BindingElement;
      if (b.initializer) return { t: 'ternary', cond: w(b.name), then: w(b.name), else: w(b.initializer) };
      return bindingRead(node, b);
    }
    case K.ObjectBindingPattern:
      // a destructured parameter: its properties are read from the argument
      return t.isParameter(n.parent) ? { t: 'name', name: patternName(n) } : { t: 'other' };
    default:
      return { t: 'other' };
  }
}

/** What a binding element reads: `source.key`, the source being the declaration's initializer, the parameter, or the outer element. */
function bindingRead(node: TsNode, b: TsModule.BindingElement): Shape<TsNode> {
  const t = ts();
  const key = propertyNameText(b.propertyName ?? b.name);
  if (key === undefined || b.dotDotDotToken) return { t: 'other' };
  const pattern = b.parent;
  const holder = pattern.parent;
  if (t.isVariableDeclaration(holder)) return holder.initializer ? { t: 'member', object: node.wrap(holder.initializer), name: key } : { t: 'other' };
  if (t.isParameter(holder)) return { t: 'member', object: node.wrap(pattern), name: key };
  if (t.isBindingElement(holder)) return { t: 'member', object: node.wrap(holder), name: key };
  return { t: 'other' };
}

function isLiteral(n: TNode): boolean {
  const t = ts();
  return t.isStringLiteral(n) || t.isNumericLiteral(n) || n.kind === t.SyntaxKind.TrueKeyword || n.kind === t.SyntaxKind.FalseKeyword || n.kind === t.SyntaxKind.NullKeyword;
}

function target(node: TsNode): Target<TsNode> | undefined {
  const t = ts();
  const n = node.ts;
  if (t.isIdentifier(n) || t.isPrivateIdentifier(n)) return { kind: 'name', name: n.text };
  if (t.isStringLiteral(n) || t.isNumericLiteral(n)) return { kind: 'name', name: n.text };
  if (t.isExportAssignment(n)) return { kind: 'name', name: 'default' };
  if (t.isPropertyAccessExpression(n)) {
    const object = unwrap(n.expression);
    if (object.kind === t.SyntaxKind.ThisKeyword) return { kind: 'field', name: n.name.text };
    if (isExportsObject(object)) return { kind: 'name', name: n.name.text };
    return { kind: 'member', object: node.wrap(n.expression).text.replace(/\s+/g, ''), name: n.name.text, objectNode: node.wrap(n.expression) };
  }
  if (t.isElementAccessExpression(n)) {
    const key = unwrap(n.argumentExpression);
    if (!(t.isStringLiteral(key) || t.isNoSubstitutionTemplateLiteral(key) || t.isNumericLiteral(key))) return undefined;
    if (unwrap(n.expression).kind === t.SyntaxKind.ThisKeyword) return { kind: 'field', name: key.text };
    return { kind: 'element', object: node.wrap(n.expression).text.replace(/\s+/g, ''), name: key.text, objectNode: node.wrap(n.expression) };
  }
  return undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The files a relative module specifier may name (`./tls`, `./tls.js` for `tls.ts`, `./config` for `config/index.ts`). */
function moduleFiles(spec: string, ctx: CrossFileContext): string[] {
  if (!isRelative(spec)) return [];
  const base = path.resolve(path.dirname(ctx.file), spec);
  const out = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  // TypeScript's ESM imports name the emitted file: `./tls.js` is `./tls.ts`
  const js = /\.([cm]?)js(x?)$/.exec(base);
  if (js) out.push(`${base.slice(0, -js[0].length)}.${js[1]}ts${js[2]}`);
  return [...new Set(out)].filter((p) => p !== ctx.file && ctx.list(path.dirname(p)).includes(path.basename(p)));
}

export const typescript: Grammar<TsNode> = {
  id: 'typescript',
  kinds: ['javascript', 'typescript'],
  blockTypes: ['Block'],
  collect,
  shape,
  target,

  parse(text, filePath) {
    return tsRoot(parseTypeScript(text, filePath));
  },

  isConst(decl) {
    const t = ts();
    const n = decl.ts;
    if (t.isVariableDeclaration(n)) return isConstList(n.parent);
    if (t.isBindingElement(n)) {
      let p: TNode | undefined = n.parent;
      while (p && (t.isBindingElement(p) || t.isObjectBindingPattern(p) || t.isArrayBindingPattern(p))) p = p.parent;
      return !!p && t.isVariableDeclaration(p) && isConstList(p.parent);
    }
    if (t.isPropertyDeclaration(n)) return !!n.modifiers?.some((m) => m.kind === t.SyntaxKind.ReadonlyKeyword);
    return t.isEnumMember(n) || t.isExportAssignment(n);
  },

  nameOf(node) {
    const t = ts();
    const n = node.ts;
    if (t.isObjectBindingPattern(n) || t.isArrayBindingPattern(n)) return patternName(n);
    const spec = requiredModule(n);
    if (spec !== undefined) return requireName(spec);
    return propertyNameText(n) ?? node.text;
  },

  listCall(call) {
    const recv = call.receiver?.text;
    if (recv === 'Array' && call.name === 'of') return { t: 'list', items: call.args.filter((a) => !a.spread).map((a) => a.node), spread: call.args.filter((a) => a.spread).map((a) => a.node) };
    if (recv === 'Array' && call.name === 'from' && call.args.length >= 1) return { t: 'list', items: [], spread: [call.args[0]!.node] };
    if (call.receiver && call.name === 'concat') return { t: 'list', items: [], spread: [call.receiver, ...call.args.map((a) => a.node)] };
    return undefined;
  },

  joinCall(call) {
    if (call.name !== 'join' || !call.receiver || call.args.length > 1 || call.args[0]?.spread) return undefined;
    return { list: call.receiver, separator: call.args[0]?.node, fallback: ',' };
  },

  crossFile: {
    forImport(importPath, ctx) {
      // `./tls.LEGACY`: the module is everything before the last dot
      return moduleFiles(importPath.slice(0, importPath.lastIndexOf('.')), ctx);
    },
    forMember(qualifier, _name, ctx) {
      // `tls.LEGACY` with `import * as tls from './tls'` or `const tls = require('./tls')`
      return moduleFiles(qualifier.replace(/\.default$/, ''), ctx);
    },
    scopeName() {
      return undefined;
    },
  },
};
