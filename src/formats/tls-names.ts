/**
 * The one TLS vocabulary of tlslint: protocol versions, how messages name them, the policy floor
 * (`--min-tls`), and every ecosystem's spelling of a version: configuration tokens (`TLSv1.1`,
 * `TLS1_1`, `Tls11`), JSSE strings, Go constants and wire numbers, OkHttp `TlsVersion` and
 * HttpCore 5 `TLS.V_1_0`, .NET enum members and bits, Python `ssl` constants and `TLSVersion`,
 * pyOpenSSL and OpenSSL methods and `*_VERSION` constants, curl constants and numbers, Ruby
 * symbols, Node method names. Packs ask here; none keeps its own table. Weak cipher suites are
 * judged in src/formats/ciphers.ts.
 */

export type ProtocolVersion = 'SSLv2' | 'SSLv3' | 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

export const PROTOCOL_RANK: Record<ProtocolVersion, number> = { SSLv2: -1, SSLv3: 0, 'TLS1.0': 1, 'TLS1.1': 2, 'TLS1.2': 3, 'TLS1.3': 4 };

const LABEL: Record<ProtocolVersion, string> = { SSLv2: 'SSL 2.0', SSLv3: 'SSL 3.0', 'TLS1.0': 'TLS 1.0', 'TLS1.1': 'TLS 1.1', 'TLS1.2': 'TLS 1.2', 'TLS1.3': 'TLS 1.3' };

/** `TLS 1.0`, `SSL 3.0`: how messages name a version. */
export function protocolLabel(v: ProtocolVersion): string {
  return LABEL[v];
}

export type Policy = '1.2' | '1.3';

/** The organisation's floor as a version. */
export function policyFloor(minTlsVersion: Policy): ProtocolVersion {
  return minTlsVersion === '1.3' ? 'TLS1.3' : 'TLS1.2';
}

/** True when `v` is older than the organisation's floor. */
export function belowFloor(v: ProtocolVersion, minTlsVersion: Policy): boolean {
  return PROTOCOL_RANK[v] < PROTOCOL_RANK[policyFloor(minTlsVersion)];
}

const NAMED = /^(ssl|tls)[\s_]*v?[\s_]*(\d)(?:[._\s]?(\d))?(?:_(?:client|server|method))?$/i;
const BARE = /^(\d)[._](\d)$/;

/**
 * The version a protocol token names, or undefined. Accepts `TLSv1`, `TLSv1.0`, `TLSv1_1`,
 * `TLS1_2`, `TLS_1_0`, `Tls11`, `tls1.3`, `SSLv3`, `SSL3`, `:TLSv1_client`-style suffixes and bare
 * `1.0`/`1.1`/`1.2`/`1.3`. Rejects `TLS` alone, `SSLv23` and anything else.
 */
export function parseProtocol(token: string): ProtocolVersion | undefined {
  const t = token.trim();
  let major: number;
  let minor: number;
  let family: string;
  const m = NAMED.exec(t);
  if (m) {
    family = m[1]!.toLowerCase();
    major = Number(m[2]);
    minor = m[3] === undefined ? 0 : Number(m[3]);
  } else {
    const b = BARE.exec(t);
    if (!b) return undefined;
    family = 'tls';
    major = Number(b[1]);
    minor = Number(b[2]);
  }
  if (family === 'ssl') {
    if (minor !== 0) return undefined;
    return major === 2 ? 'SSLv2' : major === 3 ? 'SSLv3' : undefined;
  }
  if (major !== 1) return undefined;
  return (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[minor];
}

/**
 * A prefilter pattern for files that spell an old protocol the way configuration does: `SSLv3`,
 * `TLSv1`, `TLSv1.1`, `TLSv1_0`, `Tls11`, `tls1` (and not `TLSv1.2`, `TLS1_3`, `Tls12`). ASCII only.
 */
export const OLD_PROTOCOL_TOKEN = /[Ss][Ss][Ll]v?3|[Tt][Ll][Ss]v?1(?:[._]?[01])?(?![._]?[0-9])/;

/** The TLS wire version numbers (Go `tls.VersionTLS10` = 0x0301, OpenSSL `TLS1_VERSION`, Ruby). */
const WIRE: Record<number, ProtocolVersion> = { 0x0200: 'SSLv2', 0x0300: 'SSLv3', 0x0301: 'TLS1.0', 0x0302: 'TLS1.1', 0x0303: 'TLS1.2', 0x0304: 'TLS1.3' };

export function wireVersion(n: number): ProtocolVersion | undefined {
  return WIRE[n];
}

/**
 * The version a library constant or enum member names, whatever its qualifier: Go
 * `VersionTLS10`/`VersionSSL30`, OkHttp `TLS_1_0`/`SSL_3_0`, HttpCore 5 `V_1_0`, .NET `Tls`,
 * `Tls11`, `Ssl3`, Python `PROTOCOL_TLSv1_1`, `TLSVersion.TLSv1`, pyOpenSSL/OpenSSL `TLSv1_METHOD`,
 * `TLSv1_1_client_method`, `TLS1_1_VERSION`, `SSL3_VERSION`, curl `CURL_SSLVERSION_TLSv1_0` and
 * `SSLVERSION_MAX_TLSv1_1`, Ruby `:TLSv1_1` and `:TLS1_1`. Undefined for names that negotiate (`TLS`,
 * `PROTOCOL_TLS_CLIENT`, `SSLv23_METHOD`, `Default`, `SystemDefault`) or are unknown.
 */
export function protocolOfName(qualified: string): ProtocolVersion | undefined {
  const name = qualified.slice(qualified.search(/[^.:]*$/)).replace(/^:/, '');
  const go = /^Version(SSL30|TLS1[0-3])$/.exec(name);
  if (go) return go[1] === 'SSL30' ? 'SSLv3' : (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[Number(go[1]!.slice(-1))];
  const hc5 = /^V_1_([0-3])$/.exec(name);
  if (hc5) return (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[Number(hc5[1])];
  if (name === 'Tls') return 'TLS1.0';
  const core = name
    .replace(/^(?:PROTOCOL_|CURL_SSLVERSION_(?:MAX_)?|SSLVERSION_(?:MAX_)?|OP_NO_)/, '')
    .replace(/_(?:METHOD|method|VERSION|client_method|server_method)$/, '');
  if (/^(?:SSLv23|TLS|Default|SystemDefault|None|DEFAULT|MAX_DEFAULT|MINIMUM_SUPPORTED|MAXIMUM_SUPPORTED)$/.test(core)) return undefined;
  return parseProtocol(core);
}

/** .NET `SslProtocols`/`SecurityProtocolType` member bits (the two enums share them). */
export const DOTNET_PROTOCOL_BITS: Record<string, number> = {
  SystemDefault: 0,
  None: 0,
  Ssl2: 12,
  Ssl3: 48,
  Tls: 192,
  Default: 240,
  Tls11: 768,
  Tls12: 3072,
  Tls13: 12288,
};

const DOTNET_MEMBER_VERSION: Array<[string, ProtocolVersion]> = [
  ['Ssl2', 'SSLv2'],
  ['Ssl3', 'SSLv3'],
  ['Tls', 'TLS1.0'],
  ['Tls11', 'TLS1.1'],
  ['Tls12', 'TLS1.2'],
  ['Tls13', 'TLS1.3'],
];

/** The versions a .NET protocol bit mask enables (`240` = SSL 3.0 and TLS 1.0, `Default`). */
export function dotnetProtocolVersions(bits: number): ProtocolVersion[] {
  return DOTNET_MEMBER_VERSION.filter(([m]) => (bits & DOTNET_PROTOCOL_BITS[m]!) === DOTNET_PROTOCOL_BITS[m]!).map(([, v]) => v);
}

/** The .NET protocol enums (`System.Net.SecurityProtocolType`, `System.Security.Authentication.SslProtocols`). */
export const DOTNET_PROTOCOL_ENUMS = ['SecurityProtocolType', 'SslProtocols'] as const;
export type DotnetProtocolEnum = (typeof DOTNET_PROTOCOL_ENUMS)[number];

/** True for a member of the .NET protocol enums (`Tls11`, `Default`, `SystemDefault`). */
export function isDotnetProtocolMember(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(DOTNET_PROTOCOL_BITS, name);
}

/**
 * How messages name a .NET protocol member or bit mask: `TLS 1.0`, `SSL 3.0 and TLS 1.0`
 * (`Default`), `the OS default` (`SystemDefault`, `None`, 0).
 */
export function dotnetProtocolLabel(bits: number): string {
  const versions = dotnetProtocolVersions(bits);
  return versions.length ? versions.map(protocolLabel).join(' and ') : 'the OS default';
}

/** The .NET member name of a version (`Tls12`). */
export function dotnetMember(v: ProtocolVersion): string {
  return DOTNET_MEMBER_VERSION.find(([, x]) => x === v)![0];
}

/** curl's `CURLOPT_SSLVERSION` numbers: 1 TLSv1 (1.x), 2 SSLv2, 3 SSLv3, 4-7 TLS 1.0-1.3 (as minimums). */
export function curlVersionNumber(n: number): ProtocolVersion | undefined {
  const low = n & 0xffff;
  return ({ 1: 'TLS1.0', 2: 'SSLv2', 3: 'SSLv3', 4: 'TLS1.0', 5: 'TLS1.1', 6: 'TLS1.2', 7: 'TLS1.3' } as Record<number, ProtocolVersion>)[low];
}

/**
 * What a libcurl `CURLOPT_SSLVERSION` value asks for, in any binding's spelling: the constant
 * (`CURL_SSLVERSION_TLSv1_1`, pycurl's `SSLVERSION_TLSv1_1`, a `CURL_SSLVERSION_MAX_TLSv1_0` cap) or
 * its number (`1`, `5`, `(7 << 16) | 6`). `min` is the lowest version the transfer may use (libcurl
 * 7.54 and later read every value as a floor; older ones pinned the version), `max` a cap.
 * Undefined for names that are not curl version constants.
 */
export function curlVersionBounds(value: string | number): { min?: ProtocolVersion; max?: ProtocolVersion } | undefined {
  if (typeof value === 'number') {
    const min = curlVersionNumber(value);
    const max = value >> 16 ? curlVersionNumber(value >> 16) : undefined;
    return min || max ? { ...(min ? { min } : {}), ...(max ? { max } : {}) } : undefined;
  }
  const name = value.slice(value.search(/[^.:\\]*$/));
  if (!/^(?:CURL_)?SSLVERSION_/.test(name)) return undefined;
  const v = protocolOfName(name);
  if (!v) return undefined;
  return /^(?:CURL_)?SSLVERSION_MAX_/.test(name) ? { max: v } : { min: v };
}

/** `TLS 1.0 and 1.1`, `SSL 3.0, TLS 1.0 and 1.1`: the versions from `v` up to (not including) the floor. */
export function labelUpToFloor(v: ProtocolVersion, floor: Policy): string {
  const all: ProtocolVersion[] = ['SSLv2', 'SSLv3', 'TLS1.0', 'TLS1.1', 'TLS1.2'];
  const vs = all.filter((x) => PROTOCOL_RANK[x] >= PROTOCOL_RANK[v] && belowFloor(x, floor));
  const tls = vs.filter((x) => x.startsWith('TLS')).map((x) => x.slice(3));
  const parts = [...vs.filter((x) => !x.startsWith('TLS')).map(protocolLabel), ...(tls.length ? [`TLS ${tls.join(', ')}`] : [])];
  return parts.join(', ').replace(/, ([^,]*)$/, ' and $1');
}

/**
 * What a libcurl `CURLOPT_SSLVERSION` value does when it is below the floor, and the constant that
 * replaces it, in the binding's prefix (`CURL_` for C and PHP, none for pycurl's `SSLVERSION_`).
 */
export function curlVersionVerdict(value: string | number, floor: Policy, prefix = 'CURL_'): { what: string; fix: string } | undefined {
  const bounds = curlVersionBounds(value);
  if (!bounds) return undefined;
  const target = `${prefix}SSLVERSION_${floor === '1.3' ? 'TLSv1_3' : 'TLSv1_2'}`;
  if (bounds.min && belowFloor(bounds.min, floor)) {
    return bounds.min.startsWith('SSL') ? { what: `pins ${protocolLabel(bounds.min)}`, fix: target } : { what: `allows ${labelUpToFloor(bounds.min, floor)}`, fix: target };
  }
  if (bounds.max && belowFloor(bounds.max, floor)) return { what: `caps every transfer at ${protocolLabel(bounds.max)}`, fix: `${prefix}SSLVERSION_MAX_DEFAULT` };
  return undefined;
}

/** Ecosystems whose spelling of a version tlslint writes in messages and fixes. */
export type Spelling = 'go' | 'jsse' | 'okhttp' | 'httpcore5' | 'dotnet' | 'python-tlsversion' | 'openssl-version' | 'curl' | 'ruby-symbol' | 'ruby-version-symbol' | 'node' | 'node-method' | 'config';

/** How an ecosystem spells a version (the fix for a finding writes this). */
export function spellVersion(v: ProtocolVersion, how: Spelling): string {
  const minor = v.startsWith('TLS') ? v.slice(-1) : '0';
  const ssl = v.startsWith('SSL');
  switch (how) {
    case 'go':
      return ssl ? 'VersionSSL30' : `VersionTLS1${minor}`;
    case 'jsse':
    case 'node':
      return ssl ? v : minor === '0' ? 'TLSv1' : `TLSv1.${minor}`;
    case 'okhttp':
      return ssl ? 'SSL_3_0' : `TLS_1_${minor}`;
    case 'httpcore5':
      return `V_1_${minor}`;
    case 'dotnet':
      return dotnetMember(v);
    case 'python-tlsversion':
      return ssl ? 'SSLv3' : minor === '0' ? 'TLSv1' : `TLSv1_${minor}`;
    case 'openssl-version':
      return ssl ? 'SSL3_VERSION' : minor === '0' ? 'TLS1_VERSION' : `TLS1_${minor}_VERSION`;
    case 'node-method':
      return ssl ? `${v}_method` : minor === '0' ? 'TLSv1_method' : `TLSv1_${minor}_method`;
    case 'curl':
      return ssl ? 'CURL_SSLVERSION_SSLv3' : `CURL_SSLVERSION_TLSv1_${minor}`;
    case 'ruby-symbol':
      // `ssl_version = :TLSv1_2`, `SSLContext.new(:TLSv1_2)`: OpenSSL method names
      return ssl ? 'SSLv3' : minor === '0' ? 'TLSv1' : `TLSv1_${minor}`;
    case 'ruby-version-symbol':
      // `min_version = :TLS1_2`: Ruby reads a symbol as the OpenSSL `*_VERSION` constant it names
      return ssl ? 'SSL3' : minor === '0' ? 'TLS1' : `TLS1_${minor}`;
    case 'config':
      return ssl ? v : `TLSv1.${minor}`;
  }
}
