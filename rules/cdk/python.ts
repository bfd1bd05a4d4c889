/**
 * The CDK rules' Python side (src/lang/python.ts): construct properties are keyword arguments
 * (`security_policy=apigw.SecurityPolicy.TLS_1_0`), construct calls are plain calls
 * (`opensearch.Domain(self, "Search", ...)`), and a call's keyword arguments are read as the
 * properties object the TypeScript side sees (snake_case keys spelled in camelCase), so both sides
 * share the judging.
 */
import type { ProjectFact } from '../../src/context.js';
import type { Flow } from '../../src/lang/model.js';
import { flowReport } from '../../src/lang/report.js';
import { replaceFix, type MatchContext, type Report, type SyntaxNode, type TreeChecker } from '../../src/rule.js';
import { candidateOf, cdkName, importsAwsIac, type CdkName, type CdkSetting, type Verdict } from './util.js';

/** `tls_security_policy` -> `tlsSecurityPolicy`. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `tlsSecurityPolicy` -> `tls_security_policy`. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The fix for a verdict at a Python flow's node: the attribute name of `Enum.MEMBER`, or a plain string's content. */
function fixOf(flow: Flow, verdict: Verdict): Report['fix'] {
  const n = flow.node;
  if (verdict.member && n.type === 'attribute') {
    const attr = n.childForFieldName('attribute');
    return attr ? replaceFix(`use ${verdict.member}`, attr.startIndex, attr.endIndex, verdict.member) : undefined;
  }
  if (verdict.text !== undefined && n.type === 'string') {
    const content = n.namedChildren.filter((c) => c.type === 'string_content');
    if (content.length === 1 && flow.value.type === 'string' && content[0]!.text === flow.value.value) return replaceFix(`use ${verdict.text}`, content[0]!.startIndex, content[0]!.endIndex, verdict.text);
  }
  return undefined;
}

/** The checker of a setting for Python files: every keyword argument with the setting's (snake_case) name. */
export function pythonSettingChecker(names: readonly string[], setting: (ctx: MatchContext) => CdkSetting, calls?: { names: readonly string[]; check(ctx: MatchContext, call: PyCall): void }): TreeChecker {
  const kw = `(keyword_argument name: (identifier) @name (#any-of? @name ${names.map((n) => JSON.stringify(snake(n))).join(' ')}) value: (_) @value) @kw`;
  return {
    query: calls ? `${kw}\n${pyCallQuery(calls.names)}` : kw,
    check(ctx) {
      const { name, value } = ctx.captures;
      if (calls && ctx.captures.call) {
        const c = pyCall(ctx);
        if (c) calls.check(ctx, c);
        return;
      }
      if (!name || !value) return;
      const s = setting(ctx);
      const key = camel(name.text);
      if (!s.names.has(key)) return;
      const strings = importsAwsIac(ctx.lang);
      for (const flow of ctx.lang.values(value)) {
        const c = candidateOf(flow, s, strings);
        const verdict = c && s.judge(c, key);
        if (!verdict) continue;
        ctx.report(flowReport(ctx, flow, { sink: value, sinkName: name.text, message: pythonWords(verdict.message), fix: fixOf(flow, verdict) }));
      }
    },
  };
}

/** Messages name properties as Python spells them (`set sslPolicy: X` becomes `set ssl_policy=X`). */
export function pythonWords(message: string): string {
  const names = /\b(securityPolicy|tlsSecurityPolicy|sslPolicy|minimumProtocolVersion)\b/g;
  return message.replace(/\b(set|pass|add) (securityPolicy|tlsSecurityPolicy|sslPolicy|minimumProtocolVersion): /g, (_m, verb: string, p: string) => `${verb} ${snake(p)}=`).replace(names, (p) => snake(p));
}

/** A construct or helper call in a Python file: its CDK name (qualified through the imports), the call, its callee, and its keyword arguments as a properties object. */
export interface PyCall {
  name: CdkName | undefined;
  /** The last name of the callee (`Domain`, `add_listener`). */
  callee: string;
  call: SyntaxNode;
  calleeNode: SyntaxNode;
  /** The keyword arguments as a map value, keys in camelCase. */
  props: Flow;
  /** Positional arguments. */
  positional: SyntaxNode[];
}

/** Reads one match of `PY_CALL_QUERY`. */
export function pyCall(ctx: MatchContext): PyCall | undefined {
  const { call, callee } = ctx.captures;
  if (!call || !callee) return undefined;
  const s = ctx.lang.shape(call);
  if (s.t !== 'call') return undefined;
  const entries = s.args.filter((a) => a.name).map((a) => ({ key: camel(a.name!), node: a.node }));
  return {
    name: cdkName(ctx.lang.qualify(callee)),
    callee: s.name,
    call,
    calleeNode: callee,
    props: { value: { type: 'map', entries }, node: call, src: ctx.file, steps: [] },
    positional: s.args.filter((a) => !a.name && !a.spread).map((a) => a.node),
  };
}

/** Calls whose callee's last name is one of `names`. */
export function pyCallQuery(names: readonly string[]): string {
  const list = names.map((n) => JSON.stringify(n)).join(' ');
  return `(call function: (attribute attribute: (identifier) @_n (#any-of? @_n ${list})) @callee) @call
(call function: (identifier) @callee (#any-of? @callee ${list})) @call`;
}

/** The aws-cdk-lib (or CDK v1) version a Python project pins (requirements.txt, setup.py, pyproject.toml, Pipfile). */
export const cdkLibVersionPython: ProjectFact<{ version: number[]; text: string; v1?: boolean }> = {
  id: 'cdk#aws-cdk-lib-version-python',
  fileNames: ['requirements.txt', 'setup.py', 'pyproject.toml', 'Pipfile', 'setup.cfg'],
  parse(text) {
    const v2 = /aws[-_]cdk[-_]lib["']?\s*(?:\[[^\]]{0,200}\]\s*)?(?:===?|~=|>=|\^|=\s*")\s*["']?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(text);
    if (v2) return { version: [Number(v2[1]), Number(v2[2]), Number(v2[3] ?? 0)], text: `${v2[1]}.${v2[2]}${v2[3] !== undefined ? `.${v2[3]}` : ''}` };
    const v1 = /aws[-_]cdk\.[\w-]+["']?\s*(?:===?|~=|>=|=\s*")\s*["']?(1)\.(\d+)(?:\.(\d+))?/i.exec(text);
    if (v1) return { version: [1, Number(v1[2]), Number(v1[3] ?? 0)], text: `1.${v1[2]}`, v1: true };
    return undefined;
  },
};
