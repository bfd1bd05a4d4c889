/**
 * AWS CDK knowledge shared by the CDK rules: which module a qualified name comes from
 * (`aws-cdk-lib/aws-apigateway`, `aws-cdk-lib.aws_apigateway`, `@aws-cdk/aws-apigateway`, Python
 * `aws_cdk.aws_apigateway`), the settings written in construct properties (TypeScript/JavaScript
 * object literals through src/lang/typescript.ts), and how a weak value is reported and fixed.
 * Values come from the semantic layer; the policy tables from src/formats/aws-tls-policies.ts.
 */
import type { ProjectFact } from '../../src/context.js';
import type { Semantics } from '../../src/lang/evaluate.js';
import type { Flow, LangNode } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import type { TsNode } from '../../src/lang/typescript.js';
import { typeScript } from '../../src/parsers.js';
import { replaceFix, type Report, type TsContext } from '../../src/rule.js';
import { inFailureExpectation, literalContent, replacedLater, reportedAtOrigin, settingSites } from '../javascript/settings.js';

/** A name from a CDK module: the service (`apigateway`, `elasticloadbalancingv2`), the rest of the path (`SecurityPolicy.TLS_1_0`), and the library generation. */
export interface CdkName {
  service: string;
  path: string;
  /** `v1` for the `@aws-cdk/aws-*` packages, `v2` for aws-cdk-lib, `python` when the import does not tell (`aws_cdk.aws_x`). */
  lib: 'v1' | 'v2' | 'python';
}

const CDK_NAME = /^(aws-cdk-lib|@aws-cdk|aws_cdk)[./]aws[-_]([a-z0-9_-]+)\.(.+)$/i;

/** The CDK module of a qualified name or symbol, if it is one. */
export function cdkName(qualified: string | undefined): CdkName | undefined {
  const m = qualified ? CDK_NAME.exec(qualified) : null;
  if (!m) return undefined;
  const lib = m[1] === '@aws-cdk' ? 'v1' : m[1] === 'aws-cdk-lib' ? 'v2' : 'python';
  return { service: m[2]!.toLowerCase().replace(/[-_]/g, ''), path: m[3]!, lib };
}

/** An enum member of a CDK module (`SslPolicy.TLS11` of elasticloadbalancingv2), from a symbol value. */
export function cdkMember(flow: Flow<LangNode>, services: readonly string[], enumName: string): string | undefined {
  if (flow.value.type !== 'symbol') return undefined;
  const name = cdkName(flow.value.name);
  if (!name || !services.includes(name.service)) return undefined;
  const m = /^(\w+)\.(\w+)$/.exec(name.path);
  return m && m[1] === enumName ? m[2] : undefined;
}

/**
 * Imports of infrastructure-as-code libraries whose resources take AWS policy names as strings:
 * the CDK (L1 `Cfn*` constructs), Pulumi and CDK for Terraform. A string value is judged only in
 * files that import one of them.
 */
const IAC_IMPORT = /^(?:aws-cdk-lib|@aws-cdk\/|aws_cdk|@pulumi\/aws|pulumi_aws|@cdktf\/provider-aws|cdktf_cdktf_provider_aws|imports\/aws)/;

export function importsAwsIac<N extends LangNode>(sem: Semantics<N>): boolean {
  for (const path of sem.facts.imports.values()) if (IAC_IMPORT.test(path)) return true;
  return sem.facts.wildcards.some((w) => IAC_IMPORT.test(w));
}

/** What a rule says of one value of a setting. */
export interface Verdict {
  message: string;
  /** The enum member to write instead (the fix renames the member at the sink). */
  member?: string;
  /** The string to write instead (the fix rewrites the literal). */
  text?: string;
}

/** One possibility of a setting, as the rules judge it. */
export type Candidate = { kind: 'member'; member: string; service: string } | { kind: 'string'; value: string };

/** A setting of a CDK rule: property names (TypeScript spelling) and how one value is judged. */
export interface CdkSetting {
  names: ReadonlySet<string>;
  /** The CDK services whose enum members the setting takes, and the enum's name. */
  services: readonly string[];
  enumName: string;
  judge(candidate: Candidate, name: string): Verdict | undefined;
}

/** The candidate a flow is for a setting: an enum member of its services, or a string (in a file that imports an IaC library). */
export function candidateOf(flow: Flow<LangNode>, setting: Pick<CdkSetting, 'services' | 'enumName'>, strings: boolean): Candidate | undefined {
  const member = cdkMember(flow, setting.services, setting.enumName);
  if (member) return { kind: 'member', member, service: cdkName((flow.value as { name: string }).name)!.service };
  if (strings && flow.value.type === 'string') return { kind: 'string', value: flow.value.value };
  return undefined;
}

/**
 * The fix for a verdict at a flow's node: the member name of `Enum.MEMBER` written at the sink,
 * or the content of a string literal.
 */
function fixOf(flow: Flow<TsNode>, verdict: Verdict): Report<TsNode>['fix'] {
  const t = typeScript();
  const n = flow.node.ts;
  if (verdict.member && t.isPropertyAccessExpression(n)) return replaceFix(`use ${verdict.member}`, n.name.getStart(flow.node.sourceFile), n.name.end, verdict.member);
  const literal = verdict.text !== undefined ? literalContent(flow.node) : undefined;
  return literal && verdict.text !== undefined ? replaceFix(`use ${verdict.text}`, literal.start, literal.end, verdict.text) : undefined;
}

/** Checks every property of the setting in a JavaScript/TypeScript file (object literals and member assignments). */
export function checkTsSettings(ctx: TsContext, setting: CdkSetting): void {
  const strings = importsAwsIac(ctx.lang);
  const judgeFlows = (flows: Flow<TsNode>[], name: string) =>
    flows.filter((f) => {
      const c = candidateOf(f, setting, strings);
      return !!c && !!setting.judge(c, name);
    });
  for (const s of settingSites(ctx.root, setting.names)) {
    if (inFailureExpectation(s.site)) continue;
    const weak = judgeFlows(ctx.lang.values(s.value), s.name);
    if (weak.length === 0 || replacedLater(ctx, s, (flows) => judgeFlows(flows, s.name).length > 0)) continue;
    for (const flow of weak) {
      if (reportedAtOrigin(flow, setting.names)) continue;
      const verdict = setting.judge(candidateOf(flow, setting, strings)!, s.name)!;
      ctx.report(flowReport(ctx, flow, { sink: s.value, sinkName: s.name, message: verdict.message, fix: fixOf(flow, verdict) }));
    }
  }
}

/** `new X(scope, id, props)` and `X(scope, id, props)` calls of CDK constructs in a JavaScript/TypeScript file: the construct's CDK name, the call, its callee and its arguments. */
export function* tsConstructs(ctx: TsContext, names: readonly string[]): Generator<{ name: CdkName; construct: string; call: TsNode; callee: TsNode; args: TsNode[] }> {
  const lang = ctx.lang;
  for (const construct of names) {
    for (const site of lang.facts.calls.get(construct) ?? []) {
      const s = lang.shape(site.node);
      if (s.t !== 'new' && s.t !== 'call') continue;
      const callee = s.t === 'call' ? s.callee : site.node.wrap((site.node.ts as import('typescript').NewExpression).expression);
      const name = cdkName(lang.qualify(callee));
      if (!name || !name.path.endsWith(construct)) continue;
      yield { name, construct, call: site.node, callee, args: s.args.map((a) => a.node) };
    }
  }
}

/**
 * The object literals (maps) an argument may be, and whether one of them lacks `key` for sure
 * (an entry written in the map or a spread that has it counts; a spread of something unknown may
 * set it, so it does not lack it).
 */
export function lacks<N extends LangNode>(sem: Semantics<N>, arg: N | undefined, key: string): { lacking: Flow<N>[]; maps: Flow<N>[] } {
  if (!arg) return { lacking: [], maps: [] };
  const maps = sem.values(arg).filter((f) => f.value.type === 'map');
  const lacking = maps.filter((m) => sem.entryOf([m], key).length === 0);
  return { lacking, maps };
}

/** The aws-cdk-lib version a package.json asks for (its lowest), for defaults that changed between releases. */
export const cdkLibVersion: ProjectFact<{ version: number[]; text: string }> = {
  id: 'cdk#aws-cdk-lib-version',
  fileNames: ['package.json'],
  parse(text) {
    try {
      const pkg = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const range = pkg[field]?.['aws-cdk-lib'];
        if (typeof range !== 'string') continue;
        const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(range);
        if (m) return { version: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], text: range };
      }
      return undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * How this file can spell `Enum.MEMBER` of a CDK service (`elbv2.SslPolicy.RECOMMENDED_TLS`,
 * `SslPolicy.RECOMMENDED_TLS`), from its imports; undefined when it imports neither the module nor
 * the enum.
 */
export function spellMember<N extends LangNode>(sem: Semantics<N>, service: string, enumName: string, member: string): string | undefined {
  for (const [local, path] of sem.facts.imports) {
    const name = cdkName(`${path}.x`);
    if (name?.service === service && name.path === 'x') return `${local}.${enumName}.${member}`;
    const named = cdkName(path);
    if (named?.service === service && named.path === enumName) return `${local}.${member}`;
  }
  return undefined;
}

/**
 * A fix that adds `key: value,` to an object literal written in this file, before its first
 * property (on a line of its own when the first property has one).
 */
export function addPropertyFix(ctx: TsContext, literal: Flow<TsNode>, key: string, value: string): Report<TsNode>['fix'] {
  const t = typeScript();
  const n = literal.node.ts;
  if (literal.src !== ctx.file || literal.steps.length || !t.isObjectLiteralExpression(n) || n.properties.length === 0) return undefined;
  const first = n.properties[0]!;
  const at = first.getStart(literal.node.sourceFile);
  const text = ctx.file.text;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const indent = text.slice(lineStart, at);
  const sep = /^[ \t]*$/.test(indent) ? `\n${indent}` : ' ';
  return { description: `add ${key}: ${value}`, edits: [{ start: at, end: at, text: `${key}: ${value},${sep}` }] };
}
