/** Protocol versions as Ruby's OpenSSL spells them for `min_version=` / `max_version=`. */
import { parseProtocol, type ProtocolVersion } from '../../src/formats/tls-names.js';

/** `OpenSSL::SSL::TLS1_1_VERSION`, `:TLS1_1`, `"TLS1_1"`, `0x0302`/`770` -> TLS 1.1. */
export function rubyVersion(text: string): ProtocolVersion | undefined {
  if (/^(?:0x0?30[0-4]|76[89]|77[0-2])$/i.test(text)) {
    const n = Number(text);
    return (['SSLv3', 'TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[n - 0x300];
  }
  return parseProtocol(text.replace(/_VERSION$/, ''));
}

/** The spelling of `v` in the style of `text`: `TLS1_2_VERSION`, `TLS1_2`. */
export function rubyVersionName(v: '1.2' | '1.3', text: string): string {
  const base = v === '1.3' ? 'TLS1_3' : 'TLS1_2';
  return /_VERSION$/.test(text) ? `${base}_VERSION` : /^TLSv/i.test(text) ? `TLSv${v.replace('.', '_')}` : base;
}
