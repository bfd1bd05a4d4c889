import { describe, expect, it } from 'vitest';
import { suiteWeakness, weakCiphers, weakCiphersText } from '../src/formats/ciphers.js';

describe('the cipher classifier', () => {
  it('judges one suite in every ecosystem\'s spelling', () => {
    for (const weak of ['TLS_RSA_WITH_RC4_128_SHA', 'SSL_RSA_WITH_3DES_EDE_CBC_SHA', 'tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'CipherSuite.TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TlsCipherSuite.TLS_RSA_WITH_NULL_SHA256', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'SSL_RSA_WITH_DES_CBC_SHA']) {
      expect(suiteWeakness(weak), weak).toBeDefined();
    }
    for (const fine of ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'CipherSuite.TLS_CHACHA20_POLY1305_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA256']) {
      expect(suiteWeakness(fine), fine).toBeUndefined();
    }
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
});

describe('weakCiphersText', () => {
  it('names each weak entry once and each reason once, for every pack\'s messages', () => {
    const text = weakCiphersText(weakCiphers('ECDHE+AESGCM:RC4-SHA:RC4-MD5:DES-CBC3-SHA'));
    expect(text).toBe('RC4-SHA, RC4-MD5, DES-CBC3-SHA (RC4 (broken stream cipher, RFC 7465); DES/3DES (64-bit block, Sweet32))');
  });
});
