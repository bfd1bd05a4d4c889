import type { Flow } from '../../src/lang/model.js';
import { defineRule, type FileContext, type SyntaxNode } from '../../src/rule.js';
import { inXmlComment } from '../../src/formats/comments.js';
import { flowReport, isSwitchName } from '../../src/lang/report.js';
import { spanned } from './util.js';

/** AppContext switches that, set to true, keep old protocols or disable the OS default. */
const SWITCHES: Record<string, string> = {
  'Switch.System.Net.DontEnableSchUseStrongCrypto': 'turns strong crypto off, so HttpWebRequest/WCF fall back to SSL 3.0 and TLS 1.0 defaults',
  'Switch.System.Net.DontEnableSystemDefaultTlsVersions': 'stops using the OS default TLS versions, so connections keep the old SSL 3.0/TLS 1.0 defaults',
  'Switch.System.ServiceModel.DisableUsingServicePointManagerSecurityProtocols': 'makes WCF ignore ServicePointManager.SecurityProtocol and use its own (old) protocol list',
  'Switch.System.Net.DontEnableTlsAlerts': 'disables TLS alerts, hiding handshake failures',
};

/** The argument list of the call that passed a flow to a helper's parameter, if it was passed. */
function callArguments(flow: Flow): SyntaxNode | undefined {
  const step = flow.steps.findLast((s) => s.via === 'call-site');
  let n: SyntaxNode | null | undefined = step?.node;
  while (n && n.type !== 'argument_list') n = n.parent;
  return n ?? undefined;
}

function sameCall(a: Flow, b: Flow): boolean {
  const x = callArguments(a);
  const y = callArguments(b);
  return !x || !y || (x.id === y.id && a.src === b.src);
}

function message(name: string): string {
  return `${name}=true ${SWITCHES[name]}; remove the switch (and set SchUseStrongCrypto/SystemDefaultTlsVersions in the registry if needed).`;
}

function report(ctx: Pick<FileContext, 'report'>, name: string, start: number, end: number): void {
  ctx.report({ start, end, message: message(name) });
}

export default defineRule({
  id: 'dotnet/strong-crypto-disabled',
  fileKind: 'csharp',
  severity: 'error',
  kind: 'protocol',
  title: 'AppContext switch disables strong crypto or system-default TLS versions',
  description:
    '`AppContext.SetSwitch("Switch.System.Net.DontEnableSchUseStrongCrypto", true)`, `Switch.System.Net.DontEnableSystemDefaultTlsVersions`, `Switch.System.ServiceModel.DisableUsingServicePointManagerSecurityProtocols` (or `DontEnableTlsAlerts`) set to true in code or in `<AppContextSwitchOverrides>` of app.config/web.config.',
  help: `**Why it matters.** These compatibility switches exist to restore pre-4.6/4.7 behaviour. With
\`DontEnableSchUseStrongCrypto\` the Framework goes back to SSL 3.0/TLS 1.0 defaults and weak
ciphers; \`DontEnableSystemDefaultTlsVersions\` stops deferring to the OS, so TLS 1.2/1.3 are not
used unless hard-coded; the WCF switch makes WCF ignore \`ServicePointManager.SecurityProtocol\`.

**How to fix it.** Remove the switch from code and from \`<runtime><AppContextSwitchOverrides>\`, or set
it to \`false\`:

\`\`\`xml
<runtime>
  <AppContextSwitchOverrides value="Switch.System.Net.DontEnableSchUseStrongCrypto=false;Switch.System.Net.DontEnableSystemDefaultTlsVersions=false" />
</runtime>
\`\`\``,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['DontEnableSchUseStrongCrypto', 'DontEnableSystemDefaultTlsVersions', 'DisableUsingServicePointManagerSecurityProtocols', 'DontEnableTlsAlerts'],
  files: {
    csharp: {
      query: `(invocation_expression function: (member_access_expression name: (identifier) @m (#eq? @m "SetSwitch")) arguments: (argument_list . (argument) @name . (argument) @value .)) @call`,
      check(ctx) {
        const { name, value, call } = ctx.captures;
        if (!name || !value || !call) return;
        const nameNode = name.lastNamedChild!;
        const valueNode = value.lastNamedChild!;
        const values = ctx.lang.values(valueNode);
        for (const n of ctx.lang.values(nameNode)) {
          if (n.value.type !== 'string' || !(n.value.value in SWITCHES)) continue;
          const switchName = n.value.value;
          for (const v of values) {
            // a name and a value passed to a helper pair up only when one call passes both
            if (!sameCall(n, v)) continue;
            const on = v.value.type === 'bool' && v.value.value;
            // `SetSwitch(..., settings.DisableStrongCrypto)`: configurable, a note naming the switch
            const configurable = v.value.type === 'unknown' && (v.value.why === 'parameter' || v.value.why === 'field') && isSwitchName(v.value.name);
            if (!on && !configurable) continue;
            // the finding lands where the switch name or the value is passed to a helper, else on the call
            const flow = [n, v].find((f) => f.steps.some((s) => s.via === 'call-site')) ?? (n.steps.length ? n : v);
            const r = flowReport(ctx, flow, { sink: call, sinkName: 'AppContext.SetSwitch', message: message(switchName) });
            // at the call itself the finding spans the switch name and its value
            const here = r.node && r.node.startIndex >= call.startIndex && r.node.endIndex <= call.endIndex;
            const setting = configurable && v.value.type === 'unknown' ? v.value.name : undefined;
            ctx.report({
              ...(here ? spanned(ctx, r, name.startIndex, value.endIndex) : r),
              ...(setting ? { severity: 'note' as const, message: `${r.message} The value comes from \`${setting}\`: a deliberate, configurable setting; make sure it cannot be turned on in production.` } : {}),
            });
          }
        }
      },
    },
    'dotnet-config': {
      check(ctx) {
        const text = ctx.file.text;
        for (const m of text.matchAll(/<AppContextSwitchOverrides\b[^>]*?\bvalue\s*=\s*"([^"]*)"/g)) {
          if (inXmlComment(text, m.index)) continue;
          const valueStart = m.index + m[0].lastIndexOf(m[1]!);
          for (const s of m[1]!.matchAll(/([\w.]+)\s*=\s*(true|false)/gi)) {
            if (!(s[1]! in SWITCHES) || s[2]!.toLowerCase() !== 'true') continue;
            report(ctx, s[1]!, valueStart + s.index, valueStart + s.index + s[0].length);
          }
        }
      },
    },
  },
});
