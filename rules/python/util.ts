/** Helpers shared by the Python rules: import aliases, qualified names, scopes, Python versions. */
import type { ProjectFact } from '../../src/context.js';
import { perTree, type SyntaxNode } from '../../src/rule.js';

/** Local name -> qualified name for every import in the file (`s` -> `ssl`, `SSL` -> `OpenSSL.SSL`). */
export type Imports = Map<string, string>;

export const importsOf = perTree((root): Imports => {
  const map: Imports = new Map();
  for (const stmt of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (stmt.type === 'import_statement') {
      for (const name of stmt.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') {
          map.set(name.childForFieldName('alias')!.text, name.childForFieldName('name')!.text);
        } else {
          // `import OpenSSL.SSL` binds `OpenSSL`
          const top = name.text.split('.')[0]!;
          map.set(top, top);
        }
      }
    } else {
      const module = stmt.childForFieldName('module_name')?.text ?? '';
      for (const name of stmt.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') {
          map.set(name.childForFieldName('alias')!.text, `${module}.${name.childForFieldName('name')!.text}`);
        } else {
          map.set(name.text, `${module}.${name.text}`);
        }
      }
      if (stmt.descendantsOfType('wildcard_import').length) map.set(`*${module}`, module);
    }
  }
  return map;
});

/** Modules whose names count even when the import is not visible (imported in a helper, doctest). */
const WELL_KNOWN = new Set(['ssl', 'pycurl', 'requests', 'httpx', 'urllib3']);

/**
 * The dotted name an expression refers to, through import aliases: `s.PROTOCOL_TLSv1` with
 * `import ssl as s` -> `ssl.PROTOCOL_TLSv1`; `PROTOCOL_TLSv1` after `from ssl import *` ->
 * `ssl.PROTOCOL_TLSv1`. Undefined for anything that is not a name or attribute chain.
 */
export function qualifiedName(node: SyntaxNode, imports: Imports): string | undefined {
  if (node.type === 'identifier') {
    const q = imports.get(node.text);
    if (q) return q;
    if (WELL_KNOWN.has(node.text)) return node.text;
    for (const [key, module] of imports) if (key.startsWith('*') && /^[A-Z0-9_]+$/.test(node.text)) return `${module}.${node.text}`;
    return undefined;
  }
  if (node.type === 'attribute') {
    const base = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute')?.text;
    if (!base || !attr) return undefined;
    const q = qualifiedName(base, imports);
    return q ? `${q}.${attr}` : undefined;
  }
  return undefined;
}

/** The function (or the module) a node belongs to. */
export function scopeOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode | null = node.parent;
  while (n && n.type !== 'function_definition' && n.type !== 'module') n = n.parent;
  return n ?? node.tree.rootNode;
}

const RAISES = /(?:^|\.)(?:raises|assertRaises|assertRaisesRegex|assertRaisesRegexp)$/;

/**
 * True when the node sits where code checks that something fails or compares values: inside
 * `with pytest.raises(...)`/`self.assertRaises(...)`, in a comparison, or in `assertRaises(..., f, PROTO)`.
 */
export function isExpectedFailureOrComparison(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'comparison_operator') return true;
    if (n.type === 'with_statement') {
      for (const item of n.descendantsOfType('with_item')) {
        const fn = item.childForFieldName('value')?.childForFieldName('function')?.text ?? '';
        if (RAISES.test(fn)) return true;
      }
    }
    if (n.type === 'call' && RAISES.test(n.childForFieldName('function')?.text ?? '')) return true;
    if (n.type === 'function_definition' || n.type === 'class_definition') break;
  }
  return false;
}

/** The value node of keyword argument `name` in a call, if given. */
export function keywordArg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) return arg.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** Positional arguments of a call. */
export function positionalArgs(call: SyntaxNode): SyntaxNode[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
}

/** The name an expression's value is bound to (`ctx = ...` -> `ctx`, `self.ctx = ...` -> `self.ctx`). */
export function boundName(expr: SyntaxNode): string | undefined {
  const parent = expr.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === expr.id) return parent.childForFieldName('left')?.text;
  return undefined;
}

/** Statements in `scope` after offset `after` (assignments, calls) mentioning `name.` as a receiver. */
export function laterUses(scope: SyntaxNode, name: string, after: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const stmt of scope.descendantsOfType(['assignment', 'augmented_assignment', 'call'])) {
    if (stmt.startIndex < after) continue;
    const target = stmt.type === 'call' ? stmt.childForFieldName('function') : stmt.childForFieldName('left');
    if (target?.type === 'attribute' && target.childForFieldName('object')?.text === name) out.push(stmt);
  }
  return out;
}

export interface PythonVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export function parsePythonVersion(text: string): PythonVersion | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: m[0] };
}

export function pyBefore(v: PythonVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major < major;
  if (v.minor !== minor) return v.minor < minor;
  return v.patch < patch;
}

/**
 * Where a Python project states its version. `pinned` sources name the interpreter the code runs
 * on (runtime.txt, .python-version, Pipfile); the others state the oldest Python a package
 * supports (`requires-python`, `python_requires`), which says nothing about where it runs.
 */
export const VERSION_SOURCES: Array<{ file: string; pattern: RegExp; pinned: boolean }> = [
  { file: 'runtime.txt', pattern: /^[ \t]*python-(\d+\.\d+(?:\.\d+)?)/dm, pinned: true },
  { file: '.python-version', pattern: /^[ \t]*(?:python-?)?(\d+\.\d+(?:\.\d+)?)/dm, pinned: true },
  { file: 'Pipfile', pattern: /^[ \t]*python_(?:full_)?version[ \t]*=[ \t]*["'](\d+\.\d+(?:\.\d+)?)["']/dm, pinned: true },
  { file: 'pyproject.toml', pattern: /^[ \t]*(?:requires-python|python)[ \t]*=[ \t]*["'][ \t]*(?:>=|~=|\^|==|~)?[ \t]*(\d+\.\d+(?:\.\d+)?)/dm, pinned: false },
  { file: 'setup.cfg', pattern: /^[ \t]*python_requires[ \t]*=[ \t]*(?:>=|~=|==)?[ \t]*(\d+\.\d+(?:\.\d+)?)/dm, pinned: false },
];

export interface StatedVersion extends PythonVersion {
  /** Base name of the file that states it. */
  file: string;
  pinned: boolean;
}

/** The version stated by one of the VERSION_SOURCES files, with the offsets of the number. */
export function statedVersion(text: string, fileName: string): (StatedVersion & { start: number; end: number }) | undefined {
  const source = VERSION_SOURCES.find((s) => s.file === fileName);
  if (!source) return undefined;
  source.pattern.lastIndex = 0;
  const m = source.pattern.exec(text);
  const v = m ? parsePythonVersion(m[1]!) : undefined;
  if (!m || !v) return undefined;
  const [start, end] = m.indices![1]!;
  return { ...v, file: fileName, pinned: source.pinned, start, end };
}

/** The project's Python version (or the floor it declares), from the nearest file that states one. */
export const pythonVersion: ProjectFact<StatedVersion> = {
  id: 'python#version',
  fileNames: VERSION_SOURCES.map((s) => s.file),
  parse(text, filePath) {
    const v = statedVersion(text, filePath.slice(filePath.replace(/\\/g, '/').lastIndexOf('/') + 1));
    return v ? { major: v.major, minor: v.minor, patch: v.patch, text: v.text, file: v.file, pinned: v.pinned } : undefined;
  },
};

/**
 * True when a Python version cannot speak TLS 1.2 reliably: 2.x before 2.7.9 (no SSLContext,
 * no TLS 1.2 constants in the ssl module) and 3.0-3.3. A bare `2.7` names the 2.7 line, whose
 * last releases can, so it is not reported.
 */
export function tooOldForTls12(v: PythonVersion, hasPatch: boolean): boolean {
  if (v.major < 2) return true;
  if (v.major === 2) return v.minor < 7 || (v.minor === 7 && hasPatch && v.patch < 9);
  return v.major === 3 && v.minor < 4;
}
