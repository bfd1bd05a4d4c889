/**
 * The one weak-cipher classifier of tlslint. It reads OpenSSL cipher strings
 * (`HIGH:!aNULL:RC4-SHA:@SECLEVEL=0`, used by nginx, Apache, openssl.cnf, HAProxy, Python
 * `set_ciphers`, Node `ciphers`, Ruby, curl, PHP...) and single suite names in the spellings of
 * every ecosystem: IANA (`TLS_RSA_WITH_RC4_128_SHA`), JSSE (`SSL_RSA_WITH_3DES_EDE_CBC_SHA`), Go
 * (`tls.TLS_RSA_WITH_RC4_128_SHA`), .NET `TlsCipherSuite` members, OkHttp `CipherSuite`
 * constants. A suite is weak when it uses RC4, DES or 3DES, NULL encryption, EXPORT key sizes,
 * anonymous key exchange, an MD5 MAC or IDEA/RC2 (64-bit blocks); a cipher string is weak where
 * it adds such suites (or `LOW`, or `ALL`/`MEDIUM` without removing them) or sets
 * `@SECLEVEL=0`. Entries that remove suites (`!RC4`, `-3DES`) or only reorder them (`+RC4`) are
 * never findings.
 */

export interface WeakCipher {
  /** The token as written (`RC4-SHA`, `@SECLEVEL=0`). */
  token: string;
  /** Offsets of the token, relative to the start of the list. */
  start: number;
  end: number;
  /** What is wrong, for messages (`RC4`, `3DES (Sweet32)`...). */
  reason: string;
}

/**
 * Weak families, by the components (split at `-`, `_`, `+`) that name them in any spelling. A
 * suite that is weak twice is named by the first family here, the most telling one
 * (`TLS_RSA_EXPORT_WITH_RC4_40_MD5` is an EXPORT suite before it is an RC4 one).
 */
const FAMILIES: Array<{ family: string; part: RegExp; reason: string }> = [
  { family: 'EXPORT', part: /^EXP(?:ORT(?:40|56|1024)?)?$/, reason: 'EXPORT (deliberately weakened, FREAK/Logjam)' },
  { family: 'NULL', part: /^[ae]?NULL$/, reason: 'NULL (no encryption or no authentication)' },
  { family: 'anon', part: /^(?:ADH|AECDH|anon)$/, reason: 'anonymous key exchange (no authentication)' },
  { family: 'RC4', part: /^RC4$/i, reason: 'RC4 (broken stream cipher, RFC 7465)' },
  { family: '3DES', part: /^(?:3DES|DES|DES40|CBC3|EDE)$/, reason: 'DES/3DES (64-bit block, Sweet32)' },
  { family: 'MD5', part: /^MD5$/, reason: 'MD5 MAC' },
  { family: 'IDEA', part: /^(?:IDEA|RC2)$/, reason: 'IDEA/RC2 (64-bit block, removed by RFC 5469)' },
];

/**
 * Go's crypto/tls implements these CBC-SHA256 suites without the constant-time mitigations of
 * its other CBC suites (Lucky13), so `tls.InsecureCipherSuites()` lists them; in other stacks
 * they are not weak by themselves.
 */
const GO_LUCKY13 = new Set(['TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256']);

function weakFamily(token: string): (typeof FAMILIES)[number] | undefined {
  const parts = token.split(/[+\-_]/);
  return FAMILIES.find((f) => parts.some((p) => f.part.test(p)));
}

/**
 * What is weak about one cipher suite, by name in any spelling (qualifiers such as `tls.`,
 * `CipherSuite.` or `TlsCipherSuite.` are ignored), or undefined when it is not weak.
 * `ecosystem: 'go'` also reports the CBC-SHA256 suites Go's implementation does not protect.
 */
export function suiteWeakness(name: string, ecosystem?: 'go'): string | undefined {
  const bare = name.slice(name.search(/[^.:]*$/)).trim();
  if (!bare) return undefined;
  if (ecosystem === 'go' && GO_LUCKY13.has(bare)) return 'CBC-SHA256 without constant-time protection in Go (Lucky13)';
  return weakFamily(bare)?.reason;
}

/** Removals anywhere in a cipher string: `!X` removes X for good, whatever comes after. */
function removedFamilies(list: string): Set<string> {
  const out = new Set<string>();
  for (const m of list.matchAll(/!([^:,;\s]+)/g)) {
    const f = weakFamily(m[1]!);
    if (f) out.add(f.family);
    if (/^(?:aNULL|ADH|AECDH)$/.test(m[1]!)) out.add('anon');
    if (/^LOW$/.test(m[1]!)) out.add('LOW');
  }
  return out;
}

/**
 * Entries of an OpenSSL cipher string (or a list of suite names) that enable weak ciphers: RC4,
 * DES/3DES, NULL, EXPORT, anonymous suites, MD5, `LOW`, `ALL` or `MEDIUM` whose weak members are
 * not removed elsewhere in the string, and `@SECLEVEL=0`.
 */
export function weakCiphers(list: string): WeakCipher[] {
  const out: WeakCipher[] = [];
  const groups: WeakCipher[] = [];
  let removed: Set<string> | undefined;
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
    if (token === 'LOW') {
      out.push({ token, start, end, reason: 'LOW (56/64-bit ciphers)' });
      continue;
    }
    if (token === 'ALL' || token === 'MEDIUM' || token === 'COMPLEMENTOFDEFAULT') {
      // a wide group is fine when the string takes its weak members out again (`ALL:!aNULL:!RC4:...`)
      removed ??= removedFamilies(list);
      const wanted = token === 'MEDIUM' ? ['RC4', '3DES'] : ['RC4', '3DES', 'NULL', 'EXPORT', 'anon', 'MD5'];
      const left = wanted.filter((f) => !removed!.has(f) && !(f === 'NULL' && removed!.has('anon') && removed!.has('NULL')));
      if (left.length) groups.push({ token, start, end, reason: `${token} keeps ${left.join(', ')} suites (exclude them with ${left.map((f) => `!${f === 'anon' ? 'aNULL' : f}`).join(':')})` });
      continue;
    }
    // `ECDHE+AESGCM`: every `+` component narrows the selection; one weak component is enough
    const weak = weakFamily(token);
    if (weak) out.push({ token, start, end, reason: weak.reason });
  }
  // a wide group is reported only when nothing more specific in the string is: one edit fixes both
  return out.length ? out : groups;
}

/**
 * The cipher string with its weak entries taken out (`HIGH:RC4-SHA:!aNULL` gives `HIGH:!aNULL`,
 * `DEFAULT@SECLEVEL=0` gives `DEFAULT`), keeping the string's own separator; undefined when that
 * is not a safe rewrite: a wide group (`ALL`, `MEDIUM`) is weak (removing it would change the
 * whole selection), or nothing that selects a suite would remain.
 */
export function withoutWeakCiphers(list: string): string | undefined {
  const weak = weakCiphers(list);
  if (weak.length === 0 || weak.some((w) => /^(?:ALL|MEDIUM|COMPLEMENTOFDEFAULT)$/.test(w.token))) return undefined;
  const sep = /[:,;\s]/.exec(list.trim())?.[0] ?? ':';
  const kept: string[] = [];
  for (const m of list.matchAll(/[^:,;\s]+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    let token = m[0];
    for (const w of weak) {
      if (w.start === start && w.end === end) token = '';
      else if (w.start === start && w.end < end) token = token.slice(w.end - start);
      else if (w.start > start && w.end <= end) token = token.slice(0, w.start - start) + token.slice(w.end - start);
    }
    if (token) kept.push(token);
  }
  const result = kept.join(sep);
  // the rest must select something and be clean itself (`ALL:@SECLEVEL=0` would leave `ALL`)
  return kept.some((t) => !/^[!+-]/.test(t) && !/^@/.test(t)) && weakCiphers(result).length === 0 ? result : undefined;
}

/**
 * How every finding names weak ciphers, in one style: `RC4-SHA, DES-CBC3-SHA (RC4 (broken stream
 * cipher, RFC 7465); DES/3DES (64-bit block, Sweet32))`: the tokens as written, then each reason once.
 */
export function weakCipherList(weak: ReadonlyArray<Pick<WeakCipher, 'token' | 'reason'>>): string {
  const tokens = [...new Set(weak.map((w) => w.token))];
  const reasons = [...new Set(weak.map((w) => w.reason))];
  return `${tokens.join(', ')} (${reasons.join('; ')})`;
}

/**
 * A prefilter pattern (ASCII, no flags) for text that may name a weak cipher: every finding of
 * `weakCiphers` spells one of these, so a file without any is never a candidate.
 */
export const WEAK_CIPHER_HINT = /RC4|DES|NULL|EXP|anon|ADH|AECDH|MD5|IDEA|RC2|LOW|ALL|MEDIUM|SECLEVEL/;
