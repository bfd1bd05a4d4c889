import { bicepProperties, bicepQuotedProperties } from '../../src/formats/bicep.js';
import { AZURE_APIM_PROTOCOL_KEY, AZURE_APP_GATEWAY_MIN_PROTOCOL, AZURE_MIN_TLS_PROPERTIES, cloudTlsVersion, respellCloudTlsVersion } from '../../src/formats/cloud-tls.js';
import { documents, entries, entry, scalarOf, walkEntries } from '../../src/formats/data-tree.js';
import { isSwitch } from '../../src/lang/report.js';
import { belowFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import { defineRule, replaceFix, type FileContext, type MatchContext, type SyntaxNode } from '../../src/rule.js';

const KEYS = [...AZURE_MIN_TLS_PROPERTIES, AZURE_APP_GATEWAY_MIN_PROTOCOL];

/** The message for one value of a minimum TLS version property, or undefined when it is fine. */
function judge(key: string, value: string, resourceType: string | undefined, floor: Policy): { message: string; replacement?: string } | undefined {
  const parsed = cloudTlsVersion(value);
  if (!parsed || !belowFloor(parsed.version, floor)) return undefined;
  const replacement = respellCloudTlsVersion(value, floor);
  const on = resourceType ? ` on ${resourceType}` : '';
  const what = parsed.unenforced ? 'enforces no minimum TLS version' : `accepts ${protocolLabel(parsed.version)}`;
  return { message: `${key} '${value}'${on} ${what}; set it to ${replacement ? `'${replacement}'` : 'TLS 1.2'}.`, ...(replacement ? { replacement } : {}) };
}

function apimMessage(name: string): string {
  const p = AZURE_APIM_PROTOCOL_KEY.exec(name)![1]!;
  const label = p === 'Ssl30' ? 'SSL 3.0' : p === 'Tls10' ? 'TLS 1.0' : 'TLS 1.1';
  return `API Management custom property …Security.${name.slice(name.indexOf('Security.') + 9)} turns ${label} on${name.includes('Backend.') ? ' toward the backends' : ''}; set it to false (or remove it).`;
}

// --- ARM templates (JSON) --------------------------------------------------------------------

/** The `type` of the resource object around a node (`Microsoft.Storage/storageAccounts`). */
function resourceTypeOf(node: SyntaxNode): string | undefined {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type !== 'object') continue;
    const t = scalarOf(entry(n, 'type'))?.value;
    if (t && /^Microsoft\./i.test(t)) return t;
  }
  return undefined;
}

/** `[parameters('x')]` / `[variables('x')]`: the parameter's default or the variable's value node. */
function armReference(top: SyntaxNode, expr: string): { node: SyntaxNode; name: string; kind: string } | undefined {
  const m = /^\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]$/.exec(expr);
  if (!m) return undefined;
  const section = entry(top, m[1]!);
  const node = m[1] === 'parameters' ? entry(entry(section, m[2]!), 'defaultValue') : entry(section, m[2]!);
  return node ? { node, name: m[2]!, kind: m[1] === 'parameters' ? 'parameter' : 'variable' } : undefined;
}

function checkArm(ctx: MatchContext): void {
  const floor = ctx.settings.minTlsVersion;
  const top = documents(ctx.root)[0];
  if (!top || !entries(top).some((e) => e.key === 'resources')) return;
  for (const e of walkEntries(top)) {
    if (e.path[0] === 'parameters' || e.path[0] === 'variables') continue;
    if (AZURE_APIM_PROTOCOL_KEY.test(e.key)) {
      const s = scalarOf(e.value);
      if (s && /^true$/i.test(s.value)) ctx.report({ node: s.node, message: apimMessage(e.key) });
      continue;
    }
    if (!KEYS.includes(e.key) || (e.key === AZURE_APP_GATEWAY_MIN_PROTOCOL && e.path[e.path.length - 2] !== 'sslPolicy')) continue;
    const s = scalarOf(e.value);
    if (!s || s.type !== 'string') continue;
    const type = resourceTypeOf(e.pair);
    const ref = armReference(top, s.value);
    if (ref) {
      const def = scalarOf(ref.node);
      const verdict = def && judge(e.key, def.value, type, floor);
      if (verdict) ctx.report({ node: s.node, message: `${verdict.message.replace(/\.$/, '')} (through the ${ref.kind === 'parameter' ? 'default of parameter' : 'variable'} \`${ref.name}\`).` });
      continue;
    }
    const verdict = judge(e.key, s.value, type, floor);
    if (verdict) ctx.report({ node: s.node, message: verdict.message, ...(verdict.replacement ? { fix: replaceFix(`use ${verdict.replacement}`, s.start, s.end, verdict.replacement) } : {}) });
  }
}

// --- Bicep -----------------------------------------------------------------------------------

function checkBicep(ctx: FileContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const p of bicepProperties(ctx.file.text, KEYS)) {
    const type = p.resourceType?.replace(/@.*$/, '');
    for (const lit of p.literals) {
      const verdict = judge(p.key, lit.value, type, floor);
      if (!verdict) continue;
      const guard = lit.guard ? ` This applies when \`${lit.guard.text}\` is ${lit.guard.negated ? 'false' : 'true'}.` : '';
      const deliberate = !!lit.guard && isSwitch({ text: lit.guard.text, negated: lit.guard.negated } as Parameters<typeof isSwitch>[0]);
      const note = deliberate ? ` This applies only when \`${lit.guard!.text}\` is ${lit.guard!.negated ? 'false' : 'true'}: a deliberate, configurable setting; make sure it cannot be turned on in production.` : guard;
      if (lit.via) {
        ctx.report({ start: p.exprStart, end: p.exprEnd, message: `${verdict.message} (through the ${lit.via.kind === 'param' ? 'default of parameter' : 'variable'} \`${lit.via.name}\`)${note}`, ...(deliberate ? { severity: 'note' as const } : {}) });
      } else {
        ctx.report({ start: lit.start, end: lit.end, message: `${verdict.message}${note}`, ...(deliberate ? { severity: 'note' as const } : verdict.replacement ? { fix: replaceFix(`use ${verdict.replacement}`, lit.start, lit.end, verdict.replacement) } : {}) });
      }
    }
  }
  for (const q of bicepQuotedProperties(ctx.file.text, AZURE_APIM_PROTOCOL_KEY)) {
    if (q.value && /^true$/i.test(q.value.value)) ctx.report({ start: q.value.start, end: q.value.end, message: apimMessage(q.name) });
  }
}

export default defineRule({
  id: 'azure/min-tls-version-outdated',
  fileKind: 'bicep',
  severity: 'error',
  kind: 'protocol',
  title: 'Azure resource minimum TLS version below 1.2 (ARM templates, Bicep)',
  description:
    "An ARM template or Bicep file sets `minimumTlsVersion`/`minTlsVersion`/`minimalTlsVersion`/`scmMinTlsVersion` below 1.2 (`TLS1_0`, `'1.1'`, Cosmos DB `Tls`, `TLSEnforcementDisabled`, SQL `None`), an Application Gateway `sslPolicy.minProtocolVersion: TLSv1_0`, or API Management custom properties that turn TLS 1.0/1.1 or SSL 3.0 on; values through parameters' defaults, variables and conditionals.",
  help: `**Why it matters.** These properties are the protocol floor of a managed endpoint: storage
accounts, App Service and Functions, SQL, Redis, Event Hubs, Service Bus, Cosmos DB, PostgreSQL/MySQL,
Application Gateway. At 1.0 or 1.1 clients can use protocols deprecated by RFC 8996; Azure is
retiring TLS 1.0/1.1 across its services.

**How to fix it.** Raise the floor in each service's spelling:

\`\`\`bicep
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}
\`\`\`

App Service \`siteConfig.minTlsVersion: '1.2'\`, SQL \`minimalTlsVersion: '1.2'\`, Cosmos DB
\`minimalTlsVersion: 'Tls12'\`. In ARM JSON the same properties take the same values. The fix
rewrites a literal in the same spelling; a parameter's default is reported where it is used.`,
  remedy: "Set minimumTlsVersion: 'TLS1_2' (or '1.2' where the service spells it so).",
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['minimumTlsVersion', 'minTlsVersion', 'minimalTlsVersion', 'scmMinTlsVersion', 'minProtocolVersion', 'Security.Protocols.', 'Security.Backend.Protocols.'],
  fixable: true,
  files: { bicep: { check: checkBicep }, json: { query: '(document) @root', check: checkArm } },
});
