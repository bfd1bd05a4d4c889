/**
 * TLS protocol and cipher names as configuration files spell them, shared by the configuration
 * packs: `TLSv1`, `TLSv1.1`, `TLSv1_1`, `TLS1_1`, `TLS_1_1`, `Tls11`, `1.1`, `SSLv3`... and
 * OpenSSL cipher strings (`HIGH:!aNULL:RC4-SHA:@SECLEVEL=0`), used by nginx, Apache, OpenSSL,
 * HAProxy, stunnel, Postfix and most things linked against OpenSSL.
 */

export type ProtocolVersion = 'SSLv2' | 'SSLv3' | 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

export const PROTOCOL_RANK: Record<ProtocolVersion, number> = { SSLv2: -1, SSLv3: 0, 'TLS1.0': 1, 'TLS1.1': 2, 'TLS1.2': 3, 'TLS1.3': 4 };

const LABEL: Record<ProtocolVersion, string> = { SSLv2: 'SSL 2.0', SSLv3: 'SSL 3.0', 'TLS1.0': 'TLS 1.0', 'TLS1.1': 'TLS 1.1', 'TLS1.2': 'TLS 1.2', 'TLS1.3': 'TLS 1.3' };

/** `TLS 1.0`, `SSL 3.0`: how messages name a version. */
export function protocolLabel(v: ProtocolVersion): string {
  return LABEL[v];
}

/** The organisation's floor as a version. */
export function policyFloor(minTlsVersion: '1.2' | '1.3'): ProtocolVersion {
  return minTlsVersion === '1.3' ? 'TLS1.3' : 'TLS1.2';
}

/** True when `v` is older than the organisation's floor. */
export function belowFloor(v: ProtocolVersion, minTlsVersion: '1.2' | '1.3'): boolean {
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

export interface WeakCipher {
  /** The token as written (`RC4-SHA`, `@SECLEVEL=0`). */
  token: string;
  /** Offsets of the token, relative to the start of the list. */
  start: number;
  end: number;
  /** What is wrong, for messages (`RC4`, `3DES (Sweet32)`...). */
  reason: string;
}

/** Components that make a cipher string entry weak, by what is wrong with them. */
const WEAK_PARTS: Array<[RegExp, string]> = [
  [/^RC4$/i, 'RC4 (broken stream cipher)'],
  [/^(?:3DES|DES|CBC3|EDE)$/, 'DES/3DES (64-bit block, Sweet32)'],
  [/^[ae]?NULL$/, 'NULL (no encryption or no authentication)'],
  [/^EXP(?:ORT(?:40|56|1024)?)?$/, 'EXPORT (deliberately weakened)'],
  [/^(?:ADH|AECDH)$/, 'anonymous key exchange (no authentication)'],
  [/^MD5$/, 'MD5 MAC'],
  [/^LOW$/, 'LOW (56/64-bit ciphers)'],
];

/**
 * Entries of an OpenSSL cipher string that enable weak ciphers: RC4, DES/3DES, NULL, EXPORT,
 * anonymous suites, MD5, `LOW`, and `@SECLEVEL=0`. Entries that remove (`!RC4`, `-3DES`) or only
 * reorder (`+RC4`) are not findings. IANA names (`TLS_RSA_WITH_RC4_128_SHA`) are read too.
 */
export function weakCiphers(list: string): WeakCipher[] {
  const out: WeakCipher[] = [];
  for (const m of list.matchAll(/[^:,;\s]+/g)) {
    if (/^[!+-]/.test(m[0])) continue;
    // `DEFAULT@SECLEVEL=0`: the `@` parts are options, not cipher selections
    const at = m[0].indexOf('@');
    const token = at === -1 ? m[0] : m[0].slice(0, at);
    const start = m.index;
    for (const opt of (at === -1 ? '' : m[0].slice(at)).matchAll(/@SECLEVEL=(\d)/gi)) {
      if (opt[1] !== '0') continue;
      const s0 = start + at + opt.index;
      out.push({ token: opt[0], start: s0, end: s0 + opt[0].length, reason: 'security level 0 (allows TLS 1.0/1.1, SHA-1 and any key size in OpenSSL 3)' });
    }
    if (!token) continue;
    const end = start + token.length;
    // `ECDHE+AESGCM`: every `+` component narrows the selection; one weak component is enough
    const parts = token.split('+').flatMap((c) => c.split(/[-_]/));
    for (const [re, reason] of WEAK_PARTS) {
      if (parts.some((p) => re.test(p))) {
        out.push({ token, start, end, reason });
        break;
      }
    }
  }
  return out;
}
