/**
 * Minimum TLS version settings of Azure and Google Cloud resources, whatever declares them
 * (Terraform, ARM templates, Bicep, Deployment Manager, Config Connector): the property names and
 * the enum spellings each service uses, one table for every pack.
 *
 * Azure (Resource Manager property / Terraform attribute):
 * - storage accounts `minimumTlsVersion` / `min_tls_version`: `TLS1_0`, `TLS1_1`, `TLS1_2`, `TLS1_3`;
 * - App Service and Functions `siteConfig.minTlsVersion`, `scmMinTlsVersion` / `minimum_tls_version`: `1.0`..`1.3`;
 * - Redis, Event Hubs, Service Bus `minimumTlsVersion`; SQL servers and managed instances
 *   `minimalTlsVersion`: `1.0`..`1.3` (SQL also `None`: no minimum);
 * - PostgreSQL/MySQL/MariaDB single servers `minimalTlsVersion` / `ssl_minimal_tls_version_enforced`:
 *   `TLS1_0`..`TLS1_2`, `TLSEnforcementDisabled`;
 * - Cosmos DB `minimalTlsVersion`: `Tls`, `Tls11`, `Tls12`; Front Door `minimumTlsVersion`: `TLS10`, `TLS12`;
 * - Application Gateway `sslPolicy.minProtocolVersion`: `TLSv1_0`..`TLSv1_3`;
 * - API Management `customProperties` `...Gateway.Security.Protocols.Tls10` (and `Tls11`, `Ssl30`,
 *   `Backend.Protocols.*`) set to `true` turn the old protocol on.
 * Google Cloud: `compute.v1.sslPolicy` / `google_compute_ssl_policy` `minTlsVersion` /
 * `min_tls_version`: `TLS_1_0`..`TLS_1_2`.
 */
import { parseProtocol, type Policy, type ProtocolVersion } from './tls-names.js';

/** Azure Resource Manager (ARM JSON, Bicep) properties that set a resource's lowest TLS version. */
export const AZURE_MIN_TLS_PROPERTIES: readonly string[] = ['minimumTlsVersion', 'minTlsVersion', 'minimalTlsVersion', 'scmMinTlsVersion'];

/** An Application Gateway SSL policy's floor (inside `sslPolicy`). */
export const AZURE_APP_GATEWAY_MIN_PROTOCOL = 'minProtocolVersion';

/** API Management custom properties that enable an old protocol when `true`. */
export const AZURE_APIM_PROTOCOL_KEY = /^Microsoft\.WindowsAzure\.ApiManagement\.Gateway\.Security\.(?:Backend\.)?Protocols\.(Ssl30|Tls10|Tls11)$/;

/** What a minimum TLS version value of a cloud resource means: the lowest version it allows. */
export interface CloudTlsValue {
  version: ProtocolVersion;
  /** True for the values that enforce no minimum (`TLSEnforcementDisabled`, SQL's `None`, Terraform's `Disabled`). */
  unenforced?: boolean;
}

/** The lowest version a minimum TLS version value allows, in any of the spellings above; undefined for anything else. */
export function cloudTlsVersion(value: string): CloudTlsValue | undefined {
  const v = value.trim();
  if (/^(?:TLSEnforcementDisabled|None|Disabled)$/i.test(v)) return { version: 'TLS1.0', unenforced: true };
  // Cosmos DB's `Tls` is TLS 1.0
  if (v === 'Tls') return { version: 'TLS1.0' };
  const version = parseProtocol(v);
  return version ? { version } : undefined;
}

/**
 * The same spelling for the floor version (`TLS1_0` gives `TLS1_2`, `1.0` gives `1.2`, `Tls11`
 * gives `Tls12`, `TLSv1_0` gives `TLSv1_2`, `TLS_1_1` gives `TLS_1_2`), or undefined when the value
 * has no version to replace (`None`) or the service has no such spelling.
 */
export function respellCloudTlsVersion(value: string, floor: Policy): string | undefined {
  const minor = floor === '1.3' ? '3' : '2';
  if (value === 'Tls') return `Tls1${minor}`;
  const m = /^((?:TLSv?|Tls)?_?1[._]?)[0-3]$/i.exec(value);
  return m ? `${m[1]}${minor}` : undefined;
}
