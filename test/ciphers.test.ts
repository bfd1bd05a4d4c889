import { describe, expect, it } from 'vitest';
import { suiteWeakness, weakCipherList, weakCiphers, withoutWeakCiphers } from '../src/formats/ciphers.js';

describe('the cipher classifier', () => {
  it('judges one suite in every ecosystem\'s spelling', () => {
    for (const weak of ['TLS_RSA_WITH_RC4_128_SHA', 'SSL_RSA_WITH_3DES_EDE_CBC_SHA', 'tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'CipherSuite.TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TlsCipherSuite.TLS_RSA_WITH_NULL_SHA256', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'SSL_RSA_WITH_DES_CBC_SHA']) {
      expect(suiteWeakness(weak), weak).toBeDefined();
    }
    for (const fine of ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'CipherSuite.TLS_CHACHA20_POLY1305_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA256']) {
      expect(suiteWeakness(fine), fine).toBeUndefined();
    }
    // JSSE names (with their SSL_ prefix), .NET TlsCipherSuite members and OkHttp constants
    for (const weak of ['SSL_RSA_WITH_RC4_128_MD5', 'SSL_DH_anon_EXPORT_WITH_DES40_CBC_SHA', 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 'TlsCipherSuite.TLS_NULL_WITH_NULL_NULL', 'TlsCipherSuite.TLS_RSA_WITH_IDEA_CBC_SHA', 'okhttp3.CipherSuite.TLS_KRB5_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5']) {
      expect(suiteWeakness(weak), weak).toBeDefined();
    }
    for (const fine of ['TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 'TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_SEED_CBC_SHA']) {
      expect(suiteWeakness(fine), fine).toBeUndefined();
    }
    expect(suiteWeakness('TlsCipherSuite.TLS_RSA_WITH_IDEA_CBC_SHA')).toMatch(/64-bit block/);
    // a suite weak twice is named by its most telling family
    expect(suiteWeakness('TLS_RSA_EXPORT_WITH_RC4_40_MD5')).toMatch(/^EXPORT/);
    expect(suiteWeakness('SSL_DH_anon_WITH_RC4_128_MD5')).toMatch(/^anonymous/);
    // Go's implementation of these CBC-SHA256 suites has no Lucky13 protection
    expect(suiteWeakness('tls.TLS_RSA_WITH_AES_128_CBC_SHA256', 'go')).toMatch(/Lucky13/);
  });

  it('reads OpenSSL cipher strings: additions are findings, removals and reorderings are not', () => {
    const tokens = (s: string) => weakCiphers(s).map((w) => w.token);
    expect(tokens('HIGH:!aNULL:!MD5:!RC4:-3DES:+RC4')).toEqual([]);
    expect(tokens('ECDHE+AESGCM:RC4-SHA:DES-CBC3-SHA')).toEqual(['RC4-SHA', 'DES-CBC3-SHA']);
    expect(tokens('DEFAULT@SECLEVEL=0')).toEqual(['@SECLEVEL=0']);
    expect(tokens('DEFAULT@SECLEVEL=1')).toEqual([]);
    expect(tokens('LOW')).toEqual(['LOW']);
    // a wide group is weak unless the string takes its weak members out
    expect(tokens('ALL:!aNULL')).toEqual(['ALL']);
    expect(tokens('ALL:!aNULL:!eNULL:!RC4:!3DES:!EXPORT:!MD5')).toEqual([]);
    expect(tokens('MEDIUM:!RC4:!3DES')).toEqual([]);
  });

  it('reads lists of suite names as Java, Kafka and Spring write them', () => {
    const tokens = (s: string) => weakCiphers(s).map((w) => w.token);
    expect(tokens('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,SSL_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA')).toEqual(['SSL_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA']);
    expect(tokens('TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')).toEqual([]);
    expect(withoutWeakCiphers('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,SSL_RSA_WITH_RC4_128_SHA')).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    // nothing strong would be left: no rewrite
    expect(withoutWeakCiphers('SSL_RSA_WITH_RC4_128_SHA')).toBeUndefined();
  });

  it('names weak ciphers the same way in every message', () => {
    expect(weakCipherList(weakCiphers('RC4-SHA:RC4-MD5:DES-CBC3-SHA'))).toBe('RC4-SHA, RC4-MD5, DES-CBC3-SHA (RC4 (broken stream cipher, RFC 7465); DES/3DES (64-bit block, Sweet32))');
  });
});

