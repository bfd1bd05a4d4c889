import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';
import { propertyEntries } from '../../src/formats/properties-entries.js';
import { belowFloor, OLD_PROTOCOL_TOKEN, parseProtocol } from '../../src/formats/tls-names.js';
import { keyPath, valueScalars, YAML_PAIR_QUERY } from './yaml.js';

/**
 * Keys (lower case, `-` and `_` removed, list indexes dropped) that hold a TLS protocol or a list
 * of them: Spring Boot `server.ssl.enabled-protocols` / `server.ssl.protocol`, SSL bundles,
 * `spring.kafka.ssl.protocol`, Kafka `ssl.enabled.protocols`, JavaMail `mail.smtp.ssl.protocols`,
 * RabbitMQ `ssl.algorithm`, Elasticsearch `ssl.supported_protocols`, Flink `security.ssl.protocol`.
 */
const KEY = /(?:^|\.)(?:ssl\.(?:enabledprotocols|enabled\.protocols|protocols?|supportedprotocols)|rabbitmq\.ssl\.algorithm|ssl\.bundle\..*\.options\.enabledprotocols)$/;

/** The last segment of every key KEY accepts (`enabledprotocols`, `protocol`, `algorithm`...), quotes allowed. */
const LAST_SEGMENT = /(?:protocols?|algorithm)["']?$/;

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/\[\d+\]/g, '').replace(/[-_]/g, '');
}

interface Item {
  value: string;
  start: number;
  end: number;
}

/**
 * Reports one finding per setting whose value lists a version below the floor. `fixable` values
 * are rewritten to the acceptable entries (or the floor when none is left).
 */
function judge(ctx: FileContext, key: string, items: Item[], fixable: boolean): void {
  const floor = ctx.settings.minTlsVersion;
  const tokens = items.flatMap((item) =>
    [...item.value.matchAll(/[^,\s]+/g)].map((m) => ({ text: m[0], start: item.start + m.index, end: item.start + m.index + m[0].length })),
  );
  const versions = tokens.map((t) => parseProtocol(t.text));
  const old = tokens.filter((_t, i) => versions[i] && belowFloor(versions[i]!, floor));
  if (old.length === 0) return;
  const kept = tokens.filter((_t, i) => !(versions[i] && belowFloor(versions[i]!, floor))).map((t) => t.text);
  const target = floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  const item = items[0]!;
  const separator = item.value.includes(', ') ? ', ' : ',';
  const replacement = (kept.length ? kept : [target]).join(separator);
  const canFix = fixable && items.length === 1 && versions.every((v) => v !== undefined);
  ctx.report({
    start: old[0]!.start,
    end: old[old.length - 1]!.end,
    message: `${key} enables ${old.map((t) => t.text).join(', ')}, deprecated by RFC 8996; set it to ${replacement}.`,
    ...(canFix ? { fix: replaceFix(`${key}=${replacement}`, item.start, item.end, replacement) } : {}),
  });
}

export default defineRule({
  id: 'config/ssl-protocol-property-outdated',
  fileKind: 'properties',
  severity: 'error',
  kind: 'protocol',
  title: 'Spring Boot, Kafka or mail TLS protocol property enables TLS 1.0/1.1',
  description:
    'A `.properties` or YAML setting that selects TLS protocols (`server.ssl.enabled-protocols`, `server.ssl.protocol`, `spring.kafka.ssl.protocol`, Kafka `ssl.enabled.protocols`, `mail.smtp.ssl.protocols`, SSL bundle options...) names SSLv3, TLSv1 or TLSv1.1.',
  help: `**Why it matters.** These settings decide which protocols the embedded server (Tomcat,
Jetty, Undertow, Netty), the Kafka client, the mail client or the message broker connection may
negotiate. Listing \`TLSv1\` or \`TLSv1.1\` re-enables deprecated protocols (RFC 8996) even on a JVM
whose \`java.security\` disables them by default... or fails at runtime on JVMs that removed them.
\`server.ssl.protocol=TLSv1\` selects a TLS 1.0 SSLContext.

**How to fix it.** List only TLS 1.2 and 1.3, or remove the setting to get the JVM's defaults
(TLS 1.2 and 1.3 on Java 8u291+, 11 and later):

\`\`\`properties
server.ssl.enabled-protocols=TLSv1.2,TLSv1.3
spring.kafka.ssl.protocol=TLSv1.2
\`\`\`

The fix removes the old entries from a one-line value and keeps the rest.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['rotocol', 'ssl.algorithm', 'supported_protocols'],
  // the values are in the file itself: it must spell an old protocol somewhere
  requires: [OLD_PROTOCOL_TOKEN],
  fixable: true,
  files: {
    properties: {
      check(ctx) {
        for (const e of propertyEntries(ctx.file.text)) {
          if (!KEY.test(normalizeKey(e.key))) continue;
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
        if (!own || !LAST_SEGMENT.test(normalizeKey(own.text))) return;
        const key = keyPath(pair);
        if (!KEY.test(normalizeKey(key))) return;
        const scalars = valueScalars(value);
        if (scalars.length === 0) return;
        judge(ctx, key, scalars, scalars.length === 1 && scalars[0]!.single);
      },
    },
  },
});
