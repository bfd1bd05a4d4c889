import { WEAK_CIPHER_HINT, weakCipherList, weakCiphers, withoutWeakCiphers, type WeakCipher } from '../../src/formats/ciphers.js';
import { propertyEntries } from '../../src/formats/properties-entries.js';
import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';
import { keyPath, valueScalars, YAML_PAIR_QUERY } from './yaml.js';

/**
 * Keys (lower case, `-` and `_` removed, list indexes dropped, `[a.b]` map keys read as `.a.b`)
 * that hold a cipher suite list: Spring Boot `server.ssl.ciphers` (and `management.server...`),
 * SSL bundle `options.ciphers`, Kafka `ssl.cipher.suites` (also under `spring.kafka.properties`
 * and `listener.name.<l>.`), JavaMail `mail.<protocol>.ssl.ciphersuites`, Quarkus
 * `quarkus.http.ssl.cipher-suites`, Micronaut `micronaut.ssl.ciphers`, Elasticsearch and Kibana
 * `*.ssl.cipher_suites`, Cassandra `*_encryption_options.cipher_suites`, Dropwizard
 * `supportedCipherSuites`, and the JSSE system properties `https.cipherSuites` and
 * `jdk.tls.client|server.cipherSuites` (also as Gradle `systemProp.`).
 */
const KEY = /(?:^|\.)(?:ssl\.(?:ciphers|ciphersuites|cipher\.suites)|https\.ciphersuites|jdk\.tls\.(?:client|server)\.ciphersuites|ssl\.bundle\..*\.options\.ciphers|\w*encryptionoptions\.ciphersuites|supportedciphersuites)$/;

/** The last segment of every key KEY accepts (`ciphers`, `cipher-suites`, `suites`, `supportedCipherSuites`), quotes and brackets allowed. */
const LAST_SEGMENT = /(?:ciphers|suites)["'\]]*$/;

export function cipherKey(key: string): boolean {
  return KEY.test(key.toLowerCase().replace(/\[\d+\]/g, '').replace(/\[([^\]]*)\]/g, '.$1').replace(/[-_]/g, ''));
}

interface Item {
  value: string;
  start: number;
  end: number;
}

/**
 * One finding per setting whose value enables weak suites, spanning them; a one-line value written
 * verbatim is fixed by taking the weak entries out, when something strong remains.
 */
function judge(ctx: FileContext, key: string, items: Item[], fixable: boolean): void {
  const weak: Array<WeakCipher & { at: number }> = items.flatMap((item) => weakCiphers(item.value).map((w) => ({ ...w, at: item.start })));
  if (weak.length === 0) return;
  const item = items[0]!;
  const rest = fixable && items.length === 1 && !/[\\$]/.test(item.value) ? withoutWeakCiphers(item.value) : undefined;
  const one = new Set(weak.map((w) => w.token)).size === 1;
  ctx.report({
    start: weak[0]!.at + weak[0]!.start,
    end: weak[weak.length - 1]!.at + weak[weak.length - 1]!.end,
    message: `${key} enables ${one ? 'a weak cipher suite' : 'weak cipher suites'}: ${weakCipherList(weak)}; remove ${one ? 'it' : 'them'}, or drop the setting to keep the defaults.`,
    ...(rest !== undefined ? { fix: replaceFix('remove the weak cipher suites', item.start, item.end, rest) } : {}),
  });
}

export default defineRule({
  id: 'config/cipher-suites-weak',
  fileKind: 'properties',
  severity: 'error',
  kind: 'cipher',
  title: 'Spring Boot, Kafka or JVM cipher suite setting enables weak ciphers',
  description:
    'A `.properties` or YAML setting that lists cipher suites (`server.ssl.ciphers`, SSL bundle `options.ciphers`, Kafka `ssl.cipher.suites`, `mail.smtp.ssl.ciphersuites`, Quarkus/Micronaut/Elasticsearch/Cassandra/Dropwizard cipher lists, `https.cipherSuites` / `jdk.tls.*.cipherSuites` system properties) names RC4, DES/3DES, NULL, EXPORT, anonymous, MD5 or IDEA suites, or an OpenSSL string that keeps them.',
  help: `**Why it matters.** These settings decide which cipher suites the embedded server (Tomcat,
Jetty, Undertow, Netty), the Kafka client or broker, the mail client or the JVM's
\`HttpsURLConnection\` may negotiate. RC4 is broken (RFC 7465), 3DES has a 64-bit block (Sweet32),
NULL and anonymous suites give no encryption or no authentication, and EXPORT suites are the
deliberately weakened ciphers behind FREAK and Logjam. A list that names them switches them on even
where the JVM's defaults leave them out.

**How to fix it.** List only AEAD suites with forward secrecy, or remove the setting to get the
JVM's defaults:

\`\`\`properties
server.ssl.ciphers=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
ssl.cipher.suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
\`\`\`

The fix removes the weak entries from a one-line value when something strong remains;
exclusions such as \`!RC4\` in an OpenSSL-style string are fine.`,
  remedy: 'Remove the weak suites from the list (or drop the setting to keep the defaults).',
  cwe: ['CWE-327'],
  precision: 'very-high',
  triggers: ['ipher'],
  // the values are in the file itself: it must spell a weak cipher somewhere
  requires: [WEAK_CIPHER_HINT],
  fixable: true,
  files: {
    properties: {
      check(ctx) {
        for (const e of propertyEntries(ctx.file.text)) {
          if (!cipherKey(e.key)) continue;
          judge(ctx, e.key, [{ value: e.value, start: e.valueStart, end: e.valueEnd }], true);
        }
      },
    },
    yaml: {
      query: YAML_PAIR_QUERY,
      check(ctx) {
        const { pair, value } = ctx.captures;
        if (!pair || !value) return;
        // the last segment decides most pairs, without walking up to the document's root
        const own = pair.childForFieldName('key');
        if (!own || !LAST_SEGMENT.test(own.text.toLowerCase().replace(/[-_]/g, ''))) return;
        const key = keyPath(pair);
        if (!cipherKey(key)) return;
        const scalars = valueScalars(value);
        if (scalars.length === 0) return;
        judge(ctx, key, scalars, scalars.length === 1 && scalars[0]!.single);
      },
    },
  },
});
