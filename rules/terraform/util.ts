/**
 * Terraform knowledge shared by the Terraform rules: which resources and attributes hold TLS
 * settings, and how a weak value is reported at such a setting, or at the argument of a local
 * module whose variable reaches one. Values come from the semantic layer (src/lang/hcl.ts).
 */
import { blockLabels, blockType, localModuleFolder, moduleInputs, stringContent } from '../../src/lang/hcl.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import { replaceFix, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import type { SourceFile } from '../../src/source.js';
import type { Fix } from '../../src/types.js';

export { attributeValue, blockAttributes } from '../../src/lang/hcl.js';

/** The `resource "type" "name"` block around a node (the outermost block), with its type and name. */
export function enclosingResource(node: SyntaxNode): { block: SyntaxNode; type: string; name: string } | undefined {
  const top = topBlock(node);
  if (!top || blockType(top) !== 'resource') return undefined;
  const [type, name] = blockLabels(top);
  return { block: top, type: type ?? '', name: name ?? '' };
}

/** The outermost block around a node. */
function topBlock(node: SyntaxNode): SyntaxNode | undefined {
  let last: SyntaxNode | undefined;
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) if (n.type === 'block') last = n;
  return last;
}

/** The name of an attribute node (`ssl_policy`). */
export function attributeName(attribute: SyntaxNode): string {
  return attribute.namedChildren[0]?.text ?? '';
}

/**
 * True when an attribute is an argument of a `module` block whose source is not a local folder
 * (a registry or Git module): its inputs named like a setting are judged as that setting, since
 * tlslint cannot read the module.
 */
export function remoteModuleArgument(attribute: SyntaxNode, sem: Semantics): boolean {
  const block = attribute.parent?.parent;
  if (!block || block.type !== 'block' || blockType(block) !== 'module' || block.parent?.parent?.type !== 'config_file') return false;
  return localModuleFolder(sem, block) === undefined;
}

/**
 * The query of a Terraform setting rule: attributes with one of the given names, and `module`
 * blocks (whose arguments may reach the setting in a local child module).
 */
export function settingQuery(names: string[]): string {
  return `((attribute (identifier) @name (expression) @value) (#any-of? @name ${names.map((n) => JSON.stringify(n)).join(' ')})) @attribute
(config_file (body (block (identifier) @_module (#eq? @_module "module")) @module))`;
}

/** Prefilter triggers of a module call with a local source (`source = "./modules/lb"`). */
export const MODULE_TRIGGERS = ['"./', '"../'];

/** What a rule says of a TLS setting. */
export interface Setting<S extends { name: string }> {
  /** The setting an attribute is for this rule (`name` says what it is in messages), or undefined. */
  sinkOf(attribute: SyntaxNode, sem: Semantics): S | undefined;
  /** The finding for one possible string value of the setting, or undefined when it is fine. */
  judge(value: string, sink: S): Verdict | undefined;
  /** The finding when the setting may be `null` (left to the provider's default), unless a condition decides it. */
  judgeNull?(sink: S): Verdict | undefined;
}

export interface Verdict {
  message: string;
  /** The value to write instead (a fix when the finding lands on the literal). */
  replacement?: string;
  /** Another fix, applied when the finding is on the setting itself in this file (and not a note). */
  fix?: Fix;
}

/**
 * Checks one match of `settingQuery`: every possible value of the setting (a literal, a local, a
 * variable's default or tfvars value, a conditional's branches...), and for a `module` block,
 * every argument that reaches the setting in the child module, reported at the argument.
 */
export function checkSetting<S extends { name: string }>(ctx: MatchContext, setting: Setting<S>): void {
  const { attribute, value, module } = ctx.captures;
  if (module) {
    for (const input of moduleInputs(ctx.lang, module, setting.sinkOf)) {
      const sink = { ...input.sink, name: `${input.sink.name} (${input.source})` };
      for (const flow of input.flows) judgeFlow(ctx, setting, flow, input.sinkValue, sink, input.sinkSem.src);
    }
    return;
  }
  if (!attribute || !value) return;
  const sink = setting.sinkOf(attribute, ctx.lang);
  if (!sink) return;
  for (const flow of ctx.lang.values(value)) judgeFlow(ctx, setting, flow, value, sink);
}

function judgeFlow<S extends { name: string }>(ctx: MatchContext, setting: Setting<S>, flow: Flow, sinkValue: SyntaxNode, sink: S, sinkSrc?: SourceFile): void {
  // a null chosen by a condition is the branch without TLS, as a rule (`var.https ? var.policy : null`)
  const verdict =
    flow.value.type === 'string' ? setting.judge(flow.value.value, sink) : flow.value.type === 'null' && !flow.guard ? setting.judgeNull?.(sink) : undefined;
  if (!verdict) return;
  const content = flow.src === ctx.file ? stringContent(flow.node) : undefined;
  const fix = verdict.replacement !== undefined && content ? replaceFix(`use ${verdict.replacement}`, content.start, content.end, verdict.replacement) : undefined;
  const report = flowReport(ctx, flow, { sink: sinkValue, sinkName: sink.name, sinkSrc, message: verdict.message, fix });
  // a structural fix (a line to add) applies where the setting itself is, in this file
  if (verdict.fix && !sinkSrc && !report.severity && report.node && within(report.node, sinkValue)) report.fix = verdict.fix;
  ctx.report(report);
}

function within(inner: SyntaxNode, outer: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** `aws_lb_listener.https`: how messages name a resource. */
export function resourceAddress(attribute: SyntaxNode): string {
  const r = enclosingResource(attribute);
  return r ? `${r.type}.${r.name}` : '';
}

