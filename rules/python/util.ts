/**
 * TLS knowledge of the Python ecosystem shared by the Python rules: which modules hold the
 * protocol constants, which calls are HTTP requests, how a context's floor is raised after it is
 * created, test code that expects a failure, and the project's Python version. Values come from
 * the semantic layer (src/lang/), never from a resolver here.
 */
import type { ProjectFact } from '../../src/context.js';
import { belowFloor, policyFloor, protocolOfName, PROTOCOL_RANK, wireVersion, type Policy, type ProtocolVersion } from '../../src/formats/tls-names.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow } from '../../src/lang/model.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';

const mentionCache = new WeakMap<object, Map<string, boolean>>();

/**
 * True when the file's text contains `word` (memoised per tree): a cheap test before asking the
 * semantic layer, which indexes the whole file on its first question.
 */
export function fileMentions(ctx: MatchContext, word: string): boolean {
  let byWord = mentionCache.get(ctx.root.tree);
  if (!byWord) mentionCache.set(ctx.root.tree, (byWord = new Map()));
  let hit = byWord.get(word);
  if (hit === undefined) byWord.set(word, (hit = ctx.file.text.includes(word)));
  return hit;
}

/** The last name of a callee (`requests.get` -> `get`), read from the syntax alone. */
export function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')?.text ?? '';
  return fn.type === 'identifier' ? fn.text : '';
}

/** The qualified name a possibility names (`ssl.PROTOCOL_TLSv1`), when it is a library constant. */
export function symbolOf(flow: Flow): string | undefined {
  return flow.value.type === 'symbol' ? flow.value.name : undefined;
}

/** True when the file imports a module matching `re` (by any name, or with `*`). */
export function importsModule(sem: Semantics, re: RegExp): boolean {
  for (const p of sem.facts.imports.values()) if (re.test(p)) return true;
  return sem.facts.wildcards.some((w) => re.test(w));
}

/**
 * The pycurl constant a possibility names: `pycurl.SSLVERSION_TLSv1` (also imported by name or
 * with `*`), or `c.SSLVERSION_TLSv1` on a Curl handle, which carries the module's constants.
 */
export function pycurlName(ctx: MatchContext, flow: Flow): string | undefined {
  const v = flow.value;
  const name = v.type === 'symbol' ? v.name : v.type === 'unknown' && v.why === 'field' ? v.name : undefined;
  if (!name) return undefined;
  if (name.startsWith('pycurl.')) return name.slice('pycurl.'.length);
  return importsModule(ctx.lang, /^pycurl(?:\.|$)/) ? name.slice(name.lastIndexOf('.') + 1) : undefined;
}

/** `ssl.PROTOCOL_TLSv1` and the same constant re-exported by urllib3, gevent, eventlet... (`*.ssl_.PROTOCOL_TLSv1`). */
export const SSL_PROTOCOL = /^(?:[\w.]*\.)?ssl_?\.PROTOCOL_\w+$/;
/** pyOpenSSL's `OpenSSL.SSL.TLSv1_METHOD` (also imported as the misspelt `pyOpenSSL.SSL`). */
export const PYOPENSSL_METHOD = /^(?:[\w.]*\.)?(?:OpenSSL|pyOpenSSL)\.SSL\.\w+_METHOD$/;
/** pyOpenSSL's `Context` class (also re-exported, as by `eventlet.green.OpenSSL.SSL`). */
export const PYOPENSSL_CONTEXT = /^(?:[\w.]*\.)?(?:OpenSSL|pyOpenSSL)\.SSL\.Context$/;

/**
 * A translation table entry (`{ssl.PROTOCOL_TLSv1: SSL.TLSv1_METHOD}`, `table[ssl.PROTOCOL_TLSv1]`):
 * it maps one library's name to another's, it chooses nothing.
 */
export function inTranslationTable(ref: SyntaxNode): boolean {
  const parent = ref.parent;
  if (parent?.type === 'pair') {
    const key = parent.childForFieldName('key');
    if (key?.id === ref.id) return true;
    return !!key && /PROTOCOL_|_METHOD\b|TLSVersion|_VERSION\b|SSLVERSION_/.test(key.text);
  }
  if (parent?.type === 'subscript') return parent.childrenForFieldName('subscript').some((n) => n.id === ref.id);
  // `table[ssl.PROTOCOL_TLSv1] = SSL.TLSv1_METHOD`
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === ref.id) {
    const left = parent.childForFieldName('left');
    return left?.type === 'subscript' && left.childrenForFieldName('subscript').some((k) => /PROTOCOL_|_METHOD\b|TLSVersion|_VERSION\b|SSLVERSION_/.test(k.text));
  }
  return false;
}

/** True when a reference is a name being defined or imported, not a use. */
export function isDefinitionOrImport(ref: SyntaxNode): boolean {
  const parent = ref.parent;
  const t = parent?.type ?? '';
  if (t === 'import_from_statement' || t === 'dotted_name' || t === 'aliased_import' || t === 'import_statement') return true;
  if (t === 'keyword_argument' && parent!.childForFieldName('name')?.id === ref.id) return true;
  if ((t === 'assignment' || t === 'augmented_assignment') && parent!.childForFieldName('left')?.id === ref.id) return true;
  return false;
}

/** Calls that send a request or build a client in requests/httpx/boto3 (the module's functions, sessions and clients). */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'stream', 'Client', 'AsyncClient', 'urlopen', 'client', 'resource']);
/** requests, httpx and the AWS SDK (`boto3.client("s3", verify=False)`). */
export const HTTP_MODULES = /^(?:requests|httpx|boto3|botocore)(?:\.|$)/;

/**
 * The versions a later `options |=` / `set_options(...)` turns off and whether a later
 * `minimum_version = ...` / `set_min_proto_version(...)` raises the floor: true when the context
 * bound to `object` refuses everything below the policy floor after `after`, in the same function.
 */
export function floorRaisedLater(ctx: MatchContext, object: string, after: number, within: SyntaxNode): boolean {
  const floor = ctx.settings.minTlsVersion;
  const off = new Set<ProtocolVersion>();
  for (const later of ctx.lang.laterOnObject(object, after, within)) {
    const value = later.kind === 'write' ? later.value : later.args[0]?.node;
    if (!value) continue;
    const isMin = later.kind === 'write' ? later.name === 'minimum_version' : later.name === 'set_min_proto_version';
    const isOptions = later.kind === 'write' ? later.name === 'options' : later.name === 'set_options';
    if (isMin && ctx.lang.values(value).every((f) => !minimumBelow(f, floor))) return true;
    if (isOptions) for (const v of disabledVersions(ctx.lang.values(value))) off.add(v);
  }
  const needed = (['TLS1.0', 'TLS1.1', 'TLS1.2'] as const).filter((v) => belowFloor(v, floor));
  return needed.every((v) => off.has(v));
}

/** The versions the `OP_NO_*` flags among `flows` turn off (`ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1`). */
export function disabledVersions(flows: Flow[]): ProtocolVersion[] {
  const out: ProtocolVersion[] = [];
  for (const f of flows) {
    const parts = f.value.type === 'bits' ? f.value.parts : [f];
    for (const p of parts) {
      const name = symbolOf(p);
      if (!name || !/(?:^|\.)OP_NO_\w+$/.test(name)) continue;
      const v = protocolOfName(name);
      if (v) out.push(v);
    }
  }
  return out;
}

/**
 * True when a possibility of a minimum version is below the floor: `TLSVersion.TLSv1`,
 * `MINIMUM_SUPPORTED`, pyOpenSSL `TLS1_1_VERSION`, a wire number. Unknown values are not.
 */
export function minimumBelow(flow: Flow, floor: Policy): boolean {
  const v = versionOf(flow);
  return v === 'minimum' || (v !== undefined && v !== 'maximum' && belowFloor(v, floor));
}

/** The version a `minimum_version`/`maximum_version`/`set_*_proto_version` value names. */
export function versionOf(flow: Flow): ProtocolVersion | 'minimum' | 'maximum' | undefined {
  const name = symbolOf(flow);
  if (name) {
    if (/(?:^|\.)MINIMUM_SUPPORTED$/.test(name)) return 'minimum';
    if (/(?:^|\.)MAXIMUM_SUPPORTED$/.test(name)) return 'maximum';
    if (!/(?:^|\.)(?:TLSVersion\.\w+|\w+_VERSION)$/.test(name)) return undefined;
    return protocolOfName(name);
  }
  if (flow.value.type === 'number') return wireVersion(flow.value.value);
  return undefined;
}

/** Versions from `v` up to (not including) the floor, as labels: `TLS 1.0 and 1.1`. */
export function versionsUpToFloor(v: ProtocolVersion, floor: Policy): ProtocolVersion[] {
  const top = PROTOCOL_RANK[policyFloor(floor)];
  return (Object.keys(PROTOCOL_RANK) as ProtocolVersion[]).filter((x) => PROTOCOL_RANK[x] >= PROTOCOL_RANK[v] && PROTOCOL_RANK[x] < top);
}

/** The argument a call passes by keyword `name`, else at `position` (0-based, keyword and spread arguments not counted). */
export function argumentOf(sem: Semantics, call: SyntaxNode, position: number, name?: string): SyntaxNode | undefined {
  const s = sem.shape(call);
  if (s.t !== 'call') return undefined;
  return (name ? s.args.find((a) => a.name === name)?.node : undefined) ?? s.args.filter((a) => !a.name && !a.spread)[position]?.node;
}

const RAISES = /(?:^|\.)(?:raises|assertRaises|assertRaisesRegex|assertRaisesRegexp)$/;
/** Exceptions a test expects when a weak or invalid TLS setting is refused. */
const TLS_FAILURE = /SSL|TLS|Certificate|Handshake|ValueError/i;

/** True for `pytest.raises(ssl.SSLError)`, `self.assertRaises(ssl.SSLError, ...)`: a call that expects a TLS failure. */
function expectsTlsFailure(call: SyntaxNode | null): boolean {
  if (call?.type !== 'call' || !RAISES.test(call.childForFieldName('function')?.text ?? '')) return false;
  const first = call.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment');
  return !!first && TLS_FAILURE.test(first.text);
}

/**
 * True when the node sits where code checks that a TLS setting is refused or compares values:
 * inside `with pytest.raises(ssl.SSLError)`/`self.assertRaises(ssl.SSLError)`, in a comparison, or
 * in `assertRaises(ssl.SSLError, f, PROTO)`. Reads the node's ancestors only, up to its function.
 */
export function isExpectedFailureOrComparison(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'comparison_operator') return true;
    if (n.type === 'with_statement') {
      for (const clause of n.namedChildren) {
        if (clause.type !== 'with_clause') continue;
        for (const item of clause.namedChildren) {
          let value = item.type === 'with_item' ? item.childForFieldName('value') : null;
          if (value?.type === 'as_pattern') value = value.namedChildren[0] ?? null;
          if (expectsTlsFailure(value)) return true;
        }
      }
    }
    if (expectsTlsFailure(n)) return true;
    if (n.type === 'function_definition' || n.type === 'class_definition') break;
  }
  return false;
}

/**
 * The name an expression's value is bound to, as laterOnObject compares it (`ctx = ...` -> `ctx`,
 * `self.ctx = ...` -> `self.ctx`); undefined when it is not assigned.
 */
export function boundName(expr: SyntaxNode): string | undefined {
  const parent = expr.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === expr.id) {
    const left = parent.childForFieldName('left');
    if (left && (left.type === 'identifier' || left.type === 'attribute')) return left.text.replace(/\s+/g, '');
  }
  return undefined;
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
  parse(text, file) {
    const v = statedVersion(text, file.name);
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
