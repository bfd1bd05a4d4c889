/**
 * Text encodings of source files, decided by the byte-order mark: UTF-8 (with or without a BOM),
 * UTF-16 LE/BE and UTF-32 LE/BE with a BOM (as Visual Studio and some Windows tools save files).
 * The scan decodes with it, and --fix writes the file back in the same encoding, BOM included.
 * Without a BOM a file is UTF-8 (a UTF-16 file without one has NUL bytes and is taken for binary).
 */

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** The encoding a file's first bytes announce. */
export function sniffEncoding(bytes: Uint8Array): Encoding {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8-bom';
  // UTF-32 LE's BOM starts like UTF-16 LE's: test it first
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return 'utf-32le';
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return 'utf-32be';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** How an encoding is named in messages. */
export function encodingLabel(encoding: Encoding): string {
  return { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 with a byte-order mark', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'utf-32le': 'UTF-32 LE', 'utf-32be': 'UTF-32 BE' }[encoding];
}

export interface Decoded {
  /** The text without its byte-order mark (offsets count from the first character after it). */
  text: string;
  encoding: Encoding;
  /** False when some bytes were not valid in the encoding (they became U+FFFD). */
  valid: boolean;
}

const decoders = new Map<string, { strict: InstanceType<typeof TextDecoder>; lenient: InstanceType<typeof TextDecoder> }>();

function decoderFor(label: 'utf-8' | 'utf-16le' | 'utf-16be') {
  let d = decoders.get(label);
  if (!d) decoders.set(label, (d = { strict: new TextDecoder(label, { fatal: true }), lenient: new TextDecoder(label) }));
  return d;
}

/** Decodes a file's bytes in the encoding its BOM announces (UTF-8 without one); invalid bytes become U+FFFD. */
export function decode(bytes: Uint8Array): Decoded {
  const encoding = sniffEncoding(bytes);
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding === 'utf-32le');
  const d = decoderFor(encoding === 'utf-8-bom' ? 'utf-8' : encoding);
  // TextDecoder drops the BOM of its own encoding
  try {
    return { text: d.strict.decode(bytes), encoding, valid: true };
  } catch {
    return { text: d.lenient.decode(bytes), encoding, valid: false };
  }
}

function decodeUtf32(bytes: Uint8Array, little: boolean): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let valid = bytes.length % 4 === 0;
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 4; i + 4 <= bytes.length; i += 4) {
    let cp = view.getUint32(i, little);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      cp = 0xfffd;
      valid = false;
    }
    chunk.push(cp);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return { text: parts.join(''), encoding: little ? 'utf-32le' : 'utf-32be', valid };
}

/** The bytes of `text` in `encoding`, with the BOM the encoding calls for. */
export function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf-16le':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf-16be':
      return Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    case 'utf-32le':
    case 'utf-32be': {
      const cps = [...`\ufeff${text}`].map((ch) => ch.codePointAt(0)!);
      const out = Buffer.alloc(cps.length * 4);
      cps.forEach((cp, i) => (encoding === 'utf-32le' ? out.writeUInt32LE(cp, i * 4) : out.writeUInt32BE(cp, i * 4)));
      return out;
    }
  }
}

/** True for the encodings whose bytes are not ASCII-compatible (the byte prefilter cannot read them as they are). */
export function isWide(encoding: Encoding): boolean {
  return encoding !== 'utf-8' && encoding !== 'utf-8-bom';
}
