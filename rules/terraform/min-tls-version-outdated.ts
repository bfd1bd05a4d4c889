import { cloudTlsVersion, respellCloudTlsVersion } from '../../src/formats/cloud-tls.js';
import { belowFloor, protocolLabel, type Policy } from '../../src/formats/tls-names.js';
import { defineRule, type SyntaxNode } from '../../src/rule.js';
import { attributeName, checkSetting, enclosingResource, MODULE_TRIGGERS, resourceAddress, settingQuery, type Setting } from './util.js';

/** Attribute names that set a minimum TLS version, per provider prefix of the resource type. */
const ATTRIBUTES: Record<string, string[]> = {
  azurerm_: ['min_tls_version', 'minimum_tls_version', 'scm_minimum_tls_version', 'minimal_tls_version', 'ssl_minimal_tls_version_enforced'],
  google_: ['min_tls_version'],
  aws_api_gateway_: ['security_policy'],
  aws_apigatewayv2_: ['security_policy'],
};

const ALL_NAMES = [...new Set(Object.values(ATTRIBUTES).flat())];

/** An attribute that sets the minimum TLS version of its resource's provider. */
function sinkOf(attribute: SyntaxNode): { name: string; attribute: string; type: string } | undefined {
  const name = attributeName(attribute);
  if (!ALL_NAMES.includes(name)) return undefined;
  const resource = enclosingResource(attribute);
  if (!resource) return undefined;
  const names = Object.entries(ATTRIBUTES).find(([prefix]) => resource.type.startsWith(prefix))?.[1];
  return names?.includes(name) ? { name: `${resourceAddress(attribute)} ${name}`, attribute: name, type: resource.type } : undefined;
}

function setting(floor: Policy): Setting<{ name: string; attribute: string; type: string }> {
  return {
    sinkOf,
    judge(value, sink) {
      const parsed = cloudTlsVersion(value);
      if (!parsed || !belowFloor(parsed.version, floor)) return undefined;
      const disabled = parsed.unenforced;
      const v = parsed.version;
      const fixed = respellCloudTlsVersion(value, floor);
      return {
        message: `${sink.type} ${sink.attribute} = "${value}" ${disabled ? 'enforces no minimum' : `accepts ${protocolLabel(v)}`}; raise it to ${fixed ? `"${fixed}"` : 'TLS 1.2'}.`,
        replacement: fixed,
      };
    },
  };
}

export default defineRule({
  id: 'terraform/min-tls-version-outdated',
  fileKind: 'terraform',
  severity: 'error',
  kind: 'protocol',
  title: 'Cloud resource minimum TLS version below 1.2 (Azure, GCP, API Gateway)',
  description:
    'A Terraform resource sets its minimum TLS version below 1.2: Azure storage accounts, app services and function apps, SQL servers, Redis caches, PostgreSQL/MySQL servers (`min_tls_version`, `minimum_tls_version`, `ssl_minimal_tls_version_enforced`...), GCP `google_compute_ssl_policy` (`TLS_1_0`, `TLS_1_1`), or an API Gateway domain `security_policy = "TLS_1_0"`.',
  help: `**Why it matters.** These settings are the protocol floor of a managed endpoint: storage,
web apps, databases, caches, load balancers. At \`1.0\`/\`TLS1_0\`/\`TLS_1_0\` (or \`1.1\`) clients can
connect with protocols deprecated by RFC 8996; Azure is retiring TLS 1.0/1.1 support across its
services and PCI DSS forbids them.

**How to fix it.** Raise the floor to 1.2 in the provider's spelling:

\`\`\`hcl
resource "azurerm_storage_account" "data" {
  min_tls_version = "TLS1_2"
}
resource "google_compute_ssl_policy" "web" {
  min_tls_version = "TLS_1_2"
  profile         = "MODERN"
}
\`\`\`

App Service and Redis use \`"1.2"\`, PostgreSQL/MySQL single servers \`"TLS1_2"\`, API Gateway
\`"TLS_1_2"\`. The fix rewrites the value in the same spelling.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: [...ALL_NAMES, ...MODULE_TRIGGERS],
  fixable: true,
  query: settingQuery(ALL_NAMES),
  check(ctx) {
    checkSetting(ctx, setting(ctx.settings.minTlsVersion));
  },
});
