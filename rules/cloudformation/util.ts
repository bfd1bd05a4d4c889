/**
 * CloudFormation knowledge shared by the CloudFormation rules: a template's resources, the values
 * a property path may hold (through `!If` branches, `!Ref` to a parameter's default and
 * `!FindInMap`, via the CloudFormation adapter of the semantic layer, src/lang/cloudformation.ts),
 * and how a finding is reported at a property or at the resource that lacks one.
 */
import { entries, entry, entryOf, scalarOf, type Entry } from '../../src/formats/data-tree.js';
import { templateRoot } from '../../src/lang/cloudformation.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow, Guard } from '../../src/lang/model.js';
import { flowReport, guardText, isSwitch } from '../../src/lang/report.js';
import { fixOf, replaceFix, type MatchContext, type SyntaxNode, type TreeChecker } from '../../src/rule.js';
import type { Fix } from '../../src/types.js';

export interface Resource {
  logicalId: string;
  type: string;
  /** The resource's mapping. */
  node: SyntaxNode;
  /** Its `Properties` mapping, if any. */
  properties?: SyntaxNode;
  /** Its `Properties` entry (for structural fixes). */
  propertiesEntry?: Entry;
  /** The resource's `Condition`, as a guard on everything it sets. */
  condition?: Guard;
  /** The `Type` value node. */
  typeNode: SyntaxNode;
}

const cache = new WeakMap<object, Resource[]>();

/** The resources of a template (the first document's `Resources`), with their types; empty for other files. */
export function resources(root: SyntaxNode): Resource[] {
  let list = cache.get(root.tree);
  if (list) return list;
  list = [];
  for (const r of entries(entry(templateRoot(root), 'Resources'))) {
    const typeNode = entry(r.value, 'Type');
    const type = scalarOf(typeNode)?.value;
    if (!r.value || !typeNode || !type) continue;
    const props = entryOf(r.value, 'Properties');
    const cond = entry(r.value, 'Condition');
    const condName = scalarOf(cond)?.value;
    list.push({
      logicalId: r.key,
      type,
      node: r.value,
      typeNode,
      ...(props?.value ? { properties: props.value, propertiesEntry: props } : {}),
      ...(cond && condName ? { condition: { text: condName, node: cond, negated: false } } : {}),
    });
  }
  cache.set(root.tree, list);
  return list;
}

/** One place a property path leads to: a value, or the mapping that lacks the next key. */
export type PathEnd =
  | { kind: 'value'; node: SyntaxNode; guard?: Guard }
  | { kind: 'missing'; holder: SyntaxNode; key: string; guard?: Guard };

/**
 * Where a property path (`['DomainEndpointOptions', 'TLSSecurityPolicy']`, `'*'` for every item of
 * a list) leads from `node`: through plain mappings, and through intrinsic functions that choose a
 * mapping (`!If [Cond, {...}, !Ref AWS::NoValue]`: each branch, the condition as its guard).
 */
export function atPath(sem: Semantics, node: SyntaxNode, keys: string[], guard?: Guard, depth = 0): PathEnd[] {
  if (keys.length === 0) return [{ kind: 'value', node, ...(guard ? { guard } : {}) }];
  if (depth > 24) return [];
  const [key, ...rest] = keys as [string, ...string[]];
  const s = sem.shape(node);
  if (s.t === 'wrap') return atPath(sem, s.inner, keys, guard, depth + 1);
  if (s.t === 'map') {
    const found = s.entries.filter((e) => e.key === key).pop();
    return found ? atPath(sem, found.node, rest, guard, depth + 1) : [{ kind: 'missing', holder: node, key, ...(guard ? { guard } : {}) }];
  }
  if (s.t === 'list' && key === '*') return s.items.flatMap((i) => atPath(sem, i, rest, guard, depth + 1));
  const out: PathEnd[] = [];
  for (const f of sem.values(node)) {
    const g = f.guard ?? guard;
    if (f.value.type === 'map' || f.value.type === 'list') out.push(...atPath(sem, f.node, keys, g, depth + 1));
    else if (isNoValue(f)) out.push({ kind: 'missing', holder: node, key, ...(g ? { guard: g } : {}) });
  }
  return out;
}

/** `!Ref AWS::NoValue`: the property is left out. */
export function isNoValue(f: Flow): boolean {
  return f.value.type === 'symbol' && f.value.name === 'AWS::NoValue';
}

/** The values at the end of a path, each carrying the path's guard (and the resource's condition) where it has none of its own. */
export function valuesAt(sem: Semantics, end: Extract<PathEnd, { kind: 'value' }>, resource: Resource): Flow[] {
  const guard = end.guard ?? resource.condition;
  return sem.values(end.node).map((f) => (f.guard || !guard ? f : { ...f, guard }));
}

/** The tree checkers of a CloudFormation rule: one match per YAML or JSON file. */
export function templateCheckers(check: (ctx: MatchContext) => void, narrow?: Pick<TreeChecker, 'triggers' | 'requires'>): Record<string, TreeChecker> {
  return { yaml: { query: '(stream) @root', check, ...narrow }, json: { query: '(document) @root', check, ...narrow } };
}

/** The offsets of a string's or boolean's text (inside its quotes), for a fix that rewrites it. */
export function scalarContent(node: SyntaxNode): { start: number; end: number } | undefined {
  const s = scalarOf(node);
  return s && (s.type === 'string' || s.type === 'bool') ? { start: s.start, end: s.end } : undefined;
}

export interface Judged {
  message: string;
  /** The value to write instead of the literal, when the finding lands on it. */
  replacement?: string;
}

/**
 * Reports each weak value of a property: at the literal when it is written there (or in an `!If`
 * branch, or a mapping entry), else at the property with the path (a parameter's default); a value
 * chosen by a switch-like condition is a note.
 */
export function reportValues(ctx: MatchContext, resource: Resource, end: Extract<PathEnd, { kind: 'value' }>, property: string, judge: (value: string) => Judged | undefined): void {
  for (const flow of valuesAt(ctx.lang, end, resource)) {
    // booleans are judged as YAML writes them (`Value: true`)
    const text = flow.value.type === 'string' ? flow.value.value : flow.value.type === 'bool' ? String(flow.value.value) : undefined;
    if (text === undefined) continue;
    const verdict = judge(text);
    if (!verdict) continue;
    const content = flow.src === ctx.file ? scalarContent(flow.node) : undefined;
    const fix = verdict.replacement !== undefined && content ? replaceFix(`use ${verdict.replacement}`, content.start, content.end, verdict.replacement) : undefined;
    // a mapping entry read by the resource: say which resource reads it
    const outside = flow.steps.length === 0 && !(flow.node.startIndex >= resource.node.startIndex && flow.node.endIndex <= resource.node.endIndex);
    const message = `${verdict.message}${outside ? ` (a Mappings entry, read through Fn::FindInMap)` : ''}`;
    ctx.report(flowReport(ctx, flow, { sink: end.node, sinkName: `${resource.logicalId} ${property}`, message, fix }));
  }
}

/**
 * Reports a property that is left out (or set to `AWS::NoValue`) where its default is weak: at
 * `node`, a note when a switch-like condition decides it, with the condition named otherwise.
 */
export function reportMissing(ctx: MatchContext, node: SyntaxNode, message: string, guard: Guard | undefined, fix?: Fix, severity?: 'warning' | 'note'): void {
  if (isSwitch(guard)) {
    ctx.report({ node, severity: 'note', message: `${message} This applies only ${guardText(guard)}: a deliberate, configurable setting; make sure it cannot be turned on in production.` });
    return;
  }
  ctx.report({ node, message: guard ? `${message} This applies ${guardText(guard)}.` : message, ...(fix ? { fix } : {}), ...(severity ? { severity } : {}) });
}

/**
 * A fix that adds `key: value` to a block mapping after one of its entries (YAML), or before it
 * (JSON), with that entry's indentation; undefined where the layout is not one entry per line.
 */
export function addEntryFix(text: string, after: Entry, key: string, value: string, description: string): Fix | undefined {
  const pair = after.pair;
  const lineStart = text.lastIndexOf('\n', pair.startIndex - 1) + 1;
  const indent = text.slice(lineStart, pair.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  if (pair.type === 'block_mapping_pair') {
    const eol = text.indexOf('\n', pair.endIndex);
    const at = eol === -1 ? text.length : eol;
    // the pair's value must end on its line (no nested block after it)
    if (text.slice(pair.endIndex, at).trim() !== '' && !text.slice(pair.endIndex, at).trim().startsWith('#')) return undefined;
    return fixOf(description, [{ start: at, end: at, text: `\n${indent}${key}: ${value}` }]);
  }
  if (pair.type === 'pair') return fixOf(description, [{ start: pair.startIndex, end: pair.startIndex, text: `${JSON.stringify(key)}: ${JSON.stringify(value)},\n${indent}` }]);
  return undefined;
}
