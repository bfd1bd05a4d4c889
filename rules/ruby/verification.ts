/**
 * How the Ruby rules that turn a check off judge a setting, shared by the certificate and host name
 * rules: each possibility of the value that turns the check off is a finding (where it is written,
 * or where it is passed), and a value taken from a switch-like setting (`verify: @verify_ssl`) is a
 * note naming the switch.
 */
import type { Flow } from '../../src/lang/model.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';
import { expectedToFail, reportedWhereWritten, type Setting } from './util.js';

/** What turns a setting off: the test of one possibility, why it matters, and whether the setting is a plain on/off switch. */
export interface Off {
  test(flow: Flow): boolean;
  why: string;
  boolean: boolean;
}

/** The name of a configurable value (`verify` parameter, `@verify_ssl`, `options[:verify]`), when it is unknown here. */
function switchName(flow: Flow): string | undefined {
  const v = flow.value;
  if (v.type === 'unknown' && (v.why === 'parameter' || v.why === 'field' || v.why === 'call')) return isSwitchName(v.name) ? v.name : undefined;
  if (v.type === 'symbol' && /^@/.test(v.name)) return isSwitchName(v.name) ? v.name : undefined;
  return undefined;
}

/**
 * Reports every possibility of `value` that `off` says turns the check off (`why: advice`), and a
 * note when a boolean setting takes its value from a switch. `check` names what is turned off.
 */
export function judgeSetting(ctx: MatchContext, setting: Setting, value: SyntaxNode, off: Off, advice: string, check: string): void {
  const isSink = (s: Setting) => s.name === setting.name;
  let configurable: string | undefined;
  for (const flow of ctx.lang.values(value)) {
    if (off.test(flow)) {
      if (reportedWhereWritten(flow, isSink) || expectedToFail(ctx, flow, value)) continue;
      // a block or lambda written at the setting: the finding is the setting
      const at = flow.value.type === 'function' && flow.steps.length === 0 ? { ...flow, node: value } : flow;
      ctx.report(flowReport(ctx, at, { sink: value, sinkName: setting.name, message: `${off.why}: ${advice}` }));
    } else if (off.boolean) {
      configurable ??= switchName(flow);
    }
  }
  if (configurable) {
    ctx.report({
      node: value,
      severity: 'note',
      message: `${setting.name} is taken from \`${configurable}\`, so ${check} can be turned off by configuration: a deliberate, configurable setting; make sure it cannot be turned off in production.`,
    });
  }
}
