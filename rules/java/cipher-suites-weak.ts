import { suiteWeakness, weakCipherList, weakCiphers, withoutWeakCiphers, type WeakCipher } from '../../src/formats/ciphers.js';
import { inXmlComment, isCommentLine } from '../../src/formats/comments.js';
import { elementRemovals } from '../../src/lang/edits.js';
import { javaString } from '../../src/lang/java.js';
import { elementsOf, type Flow } from '../../src/lang/model.js';
import { anchorOf, flowReport } from '../../src/lang/report.js';
import { defineRule, fixOf, replaceFix, type FileContext, type MatchContext, type SyntaxNode, type TextChecker } from '../../src/rule.js';
import type { TextEdit } from '../../src/types.js';
import { inFailureExpectation, literalElements, strings } from './util.js';

/**
 * Calls whose arguments are the cipher suites to enable:
 * - JSSE `setEnabledCipherSuites(String[])` on SSLSocket/SSLServerSocket/SSLEngine,
 *   `SSLParameters.setCipherSuites(String[])`;
 * - OkHttp `ConnectionSpec.Builder.cipherSuites(CipherSuite... | String...)`;
 * - Netty `SslContextBuilder.ciphers(Iterable<String>[, filter])` (also gRPC's GrpcSslContexts);
 * - Jetty `SslContextFactory.setIncludeCipherSuites(String...)` (exclusions are never findings);
 * - Vert.x `addEnabledCipherSuite(String)`;
 * - `setCiphers`: HttpClient 5 `ClientTlsStrategyBuilder`/`SSLConnectionSocketFactoryBuilder`
 *   (String...), Spring Boot `Ssl.setCiphers(String[])`, Tomcat `SSLHostConfig.setCiphers(String)`
 *   (OpenSSL syntax or JSSE names).
 */
const METHODS = 'setEnabledCipherSuites|setCipherSuites|cipherSuites|ciphers|setIncludeCipherSuites|addEnabledCipherSuite|setCiphers';

/**
 * Properties whose value is a cipher suite list: Kafka `ssl.cipher.suites`, the JSSE system
 * properties `https.cipherSuites` and `jdk.tls.client|server.cipherSuites`, JavaMail
 * `mail.<protocol>.ssl.ciphersuites`.
 */
const PROPERTY_KEYS = /^(?:ssl\.cipher\.suites|https\.cipherSuites|jdk\.tls\.(?:client|server)\.cipherSuites|mail\.\w+\.ssl\.ciphersuites)$/;
/** Kafka's constant for `ssl.cipher.suites` (`SslConfigs.SSL_CIPHER_SUITES_CONFIG`). */
const PROPERTY_CONSTANT = /(?:^|\.)SSL_CIPHER_SUITES_CONFIG$/;

const QUERY = `
(method_invocation name: (identifier) @method (#match? @method "^(${METHODS})$") arguments: (argument_list) @args) @call
(object_creation_expression type: (_) @type (#match? @type "(^|\\\\.)(SSLParameters|SSLConnectionSocketFactory|DefaultClientTlsStrategy)$") arguments: (argument_list) @args) @create
(method_invocation object: (_) @obj name: (identifier) @setter (#match? @setter "^(put|setProperty)$") arguments: (argument_list . (_) @key . (_) @value .)) @put
`;

/** The argument of a constructor that holds the suites: SSLParameters(suites[, protocols]); SSLConnectionSocketFactory / DefaultClientTlsStrategy(ctx, protocols, suites, ...). */
function constructorSuites(type: string, args: SyntaxNode[]): SyntaxNode | undefined {
  if (/SSLParameters$/.test(type)) return args.length === 1 || args.length === 2 ? args[0] : undefined;
  return args.length >= 4 ? args[2] : undefined;
}

/** One weak entry of a list: the flow of the item and what is weak in it. */
interface WeakItem {
  flow: Flow;
  weak: WeakCipher[];
}

/**
 * What is weak in one list item: a suite name or a cipher string (`"TLS_RSA_WITH_RC4_128_SHA"`,
 * `"HIGH:!aNULL:RC4-SHA"`, `"A,B"`), or a suite constant (`CipherSuite.TLS_RSA_WITH_RC4_128_SHA`).
 * A constant counts only when it is named like a suite: `Defaults.DES_SUITES` is not one.
 */
function weakOf(flow: Flow): WeakCipher[] {
  if (flow.value.type === 'string') return weakCiphers(flow.value.value);
  if (flow.value.type !== 'symbol') return [];
  const bare = flow.value.name.slice(flow.value.name.lastIndexOf('.') + 1);
  if (!/^(?:TLS|SSL)_/.test(bare)) return [];
  const reason = suiteWeakness(bare);
  return reason ? [{ token: bare, start: 0, end: bare.length, reason }] : [];
}

/** `x.getSupportedCipherSuites()`: every suite the provider implements. */
function isSupportedSuites(flow: Flow): boolean {
  return flow.value.type === 'unknown' && flow.node.type === 'method_invocation' && flow.node.childForFieldName('name')?.text === 'getSupportedCipherSuites';
}

/** True when the values of the arguments name only strong suites (and at least one). */
function strongOnly(ctx: MatchContext, args: SyntaxNode[]): boolean {
  const items = elementsOf(args.flatMap((a) => ctx.lang.values(a)));
  return items.length > 0 && items.every((i) => (i.value.type === 'string' || i.value.type === 'symbol') && weakOf(i).length === 0);
}

function message(where: string, weak: WeakCipher[]): string {
  const one = new Set(weak.map((w) => w.token)).size === 1;
  return `${where} enables ${one ? 'a weak cipher suite' : 'weak cipher suites'}: ${weakCipherList(weak)}; remove ${one ? 'it' : 'them'}, or set no cipher suites to keep the JDK's defaults.`;
}

/**
 * The edits that take the weak entries out of a literal list written at the sink: an element that
 * is nothing but weak suites is dropped, a cipher string literal loses its weak entries. Undefined
 * when that is not a clearly safe rewrite (an escape in the literal, nothing strong left).
 */
function listEdits(elements: SyntaxNode[], weak: WeakItem[]): TextEdit[] | undefined {
  const drop = new Set<number>();
  const edits: TextEdit[] = [];
  for (const item of weak) {
    const node = item.flow.node;
    if (item.flow.value.type === 'symbol') {
      drop.add(node.id);
      continue;
    }
    if (item.flow.value.type !== 'string' || javaString(node) !== item.flow.value.value || node.text !== `"${item.flow.value.value}"`) return undefined;
    const value = item.flow.value.value;
    if (item.weak.length === 1 && item.weak[0]!.token === value.trim()) {
      drop.add(node.id);
      continue;
    }
    const rest = withoutWeakCiphers(value);
    if (rest === undefined) return undefined;
    edits.push({ start: node.startIndex + 1, end: node.endIndex - 1, text: rest });
  }
  if (!elements.some((e) => !drop.has(e.id))) return undefined;
  return [...edits, ...elementRemovals(elements, drop)];
}

/**
 * Reports the weak entries of each list the sink may receive. Entries written in the sink's own
 * literal list are one finding spanning them (with a fix that takes them out); entries that
 * travelled (a constant, a field, a parameter's call site) are one finding per place they land.
 */
function judge(ctx: MatchContext, where: string, lists: Flow[][], sink: SyntaxNode, elements: SyntaxNode[] | undefined, replacedLater?: () => boolean): void {
  const verdicts = lists.map((flows) => {
    const items = elementsOf(flows);
    return { weak: items.map((flow) => ({ flow, weak: weakOf(flow) })).filter((i) => i.weak.length > 0), all: items.filter(isSupportedSuites) };
  });
  // cheap checks first: most sinks enable nothing weak, and then nothing else is asked
  if (verdicts.every((v) => v.weak.length === 0 && v.all.length === 0) || inFailureExpectation(sink) || replacedLater?.()) return;
  const seen = new Set<string>();
  const report = (flow: Flow, msg: string, extra: { start?: number; end?: number; fix?: ReturnType<typeof fixOf>; severity?: 'warning' }) => {
    const r = flowReport(ctx, flow, { sink, sinkName: where, message: msg, fix: extra.fix });
    const start = extra.start ?? r.node?.startIndex ?? 0;
    const key = `${start}:${msg}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (extra.start !== undefined) {
      const related = r.related?.filter((x) => !(x.src === ctx.file && x.start <= extra.end! && x.end >= extra.start!));
      ctx.report({ ...r, node: undefined, start: extra.start, end: extra.end, related: related?.length ? related : undefined, ...(extra.severity && !r.severity ? { severity: extra.severity } : {}) });
    } else {
      ctx.report({ ...r, ...(extra.severity && !r.severity ? { severity: extra.severity } : {}) });
    }
  };
  for (const verdict of verdicts) {
    const inline = verdict.weak.filter((i) => i.flow.steps.length === 0 && i.flow.src === ctx.file && !i.flow.guard && elements?.some((e) => e.id === i.flow.node.id));
    if (inline.length) {
      const edits = inline.length === verdict.weak.length && elements ? listEdits(elements, inline) : undefined;
      const first = inline[0]!.flow.node;
      const last = inline[inline.length - 1]!.flow.node;
      // one string literal: the finding spans its weak entries
      const single = inline.length === 1 && inline[0]!.flow.value.type === 'string' && first.text === `"${inline[0]!.flow.value.value}"` ? inline[0]!.weak : undefined;
      report(inline[0]!.flow, message(where, inline.flatMap((i) => i.weak)), {
        start: single ? first.startIndex + 1 + single[0]!.start : first.startIndex,
        end: single ? first.startIndex + 1 + single[single.length - 1]!.end : last.endIndex,
        fix: edits ? fixOf('remove the weak cipher suites', edits) : undefined,
      });
    }
    // the rest, grouped by where they land
    const groups = new Map<string, WeakItem[]>();
    for (const item of verdict.weak) {
      if (inline.includes(item)) continue;
      const a = anchorOf(ctx, item.flow, sink).node;
      const key = `${a.startIndex}:${a.endIndex}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const items of groups.values()) report(items[0]!.flow, message(where, items.flatMap((i) => i.weak)), {});
    for (const flow of verdict.all) {
      report(
        flow,
        `${where} enables every cipher suite the provider implements (getSupportedCipherSuites()), including anonymous and NULL suites (and RC4, DES and EXPORT suites on older JDKs) that are never enabled by default; list strong suites only, or keep the defaults (getEnabledCipherSuites()).`,
        { severity: 'warning' },
      );
    }
  }
}

/** The lists a call's arguments make: varargs are one list; one argument is each list it may hold. */
function listsOf(ctx: MatchContext, args: SyntaxNode[]): { lists: Flow[][]; sink: SyntaxNode; elements: SyntaxNode[] | undefined } {
  if (args.length > 1) return { lists: [args.flatMap((n) => ctx.lang.values(n))], sink: args[0]!.parent!, elements: args };
  return { lists: ctx.lang.values(args[0]!).map((f) => [f]), sink: args[0]!, elements: literalElements(ctx, args[0]!) ?? args };
}

/** `props.put("ssl.cipher.suites", "...")`, `System.setProperty("https.cipherSuites", "...")`. */
function checkProperty(ctx: MatchContext, obj: SyntaxNode, call: SyntaxNode, key: SyntaxNode, value: SyntaxNode): void {
  // most put calls have a key that says nothing about ciphers: a literal, or a constant such as
  // `ProducerConfig.ACKS_CONFIG` whose lookup would open another file; cipher keys spell the word
  if (!/ipher/i.test(key.text)) return;
  const names = [
    ...strings(ctx.lang.values(key)).map((k) => k.value.value).filter((k) => PROPERTY_KEYS.test(k)),
    ...ctx.lang.values(key).flatMap((k) => (k.value.type === 'symbol' && PROPERTY_CONSTANT.test(k.value.name) ? ['ssl.cipher.suites'] : [])),
  ];
  if (names.length === 0) return;
  const { lists, sink, elements } = listsOf(ctx, [value]);
  judge(ctx, `${obj.text}.${call.childForFieldName('name')?.text}(${names[0]})`, lists, sink, elements);
}

/** `-Dhttps.cipherSuites=...` and `-Djdk.tls.client.cipherSuites=...` on command lines, in JAVA_OPTS, jvm.config, gradle.properties, pom argLine... */
const FLAG = /-D(https\.cipherSuites|jdk\.tls\.(?:client|server)\.cipherSuites)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'<]*))/g;

function checkFlags(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(FLAG)) {
    if (isCommentLine(ctx.file.lineText(ctx.file.lineOf(m.index))) || inXmlComment(ctx.file.text, m.index)) continue;
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const weak = weakCiphers(value);
    if (weak.length === 0) continue;
    const start = m.index + m[0].length - value.length - (m[2] !== undefined || m[3] !== undefined ? 1 : 0);
    const rest = value.includes('$') ? undefined : withoutWeakCiphers(value);
    ctx.report({
      start: start + weak[0]!.start,
      end: start + weak[weak.length - 1]!.end,
      message: message(`JVM flag -D${m[1]}`, weak),
      fix: rest === undefined ? undefined : replaceFix('remove the weak cipher suites', start, start + value.length, rest),
    });
  }
}

const flags: TextChecker = { triggers: ['cipherSuites'], check: checkFlags };

export default defineRule({
  id: 'java/cipher-suites-weak',
  fileKind: 'java',
  severity: 'error',
  kind: 'cipher',
  title: 'Socket, engine or client enables RC4, 3DES, NULL, EXPORT or anonymous cipher suites',
  description:
    'setEnabledCipherSuites, SSLParameters.setCipherSuites / new SSLParameters(suites, ...), OkHttp ConnectionSpec.Builder.cipherSuites (CipherSuite constants or names), Netty/gRPC SslContextBuilder.ciphers, Jetty setIncludeCipherSuites, Vert.x addEnabledCipherSuite, HttpClient\'s SSLConnectionSocketFactory(ctx, protocols, suites, ...) / DefaultClientTlsStrategy and setCiphers (HttpClient 5, Spring Boot Ssl, Tomcat SSLHostConfig), Kafka `ssl.cipher.suites` / JavaMail `mail.<protocol>.ssl.ciphersuites` put into Properties, and the `https.cipherSuites` / `jdk.tls.client|server.cipherSuites` system properties (setProperty or -D flags) naming RC4, DES/3DES, NULL, EXPORT, anonymous, MD5 or IDEA suites, including lists held in locals, fields, constants of other files, parameters and factories; enabling every supported suite (getSupportedCipherSuites()) is a warning.',
  help: `**Why it matters.** These calls decide exactly which cipher suites a socket, engine or client
offers. RC4 is broken (RFC 7465), DES and 3DES have a 64-bit block (Sweet32), NULL and anonymous
suites give no encryption or no authentication, and EXPORT suites are the deliberately weakened
ciphers behind FREAK and Logjam. An explicit list brings them back even where the JDK's
\`jdk.tls.disabledAlgorithms\` would not offer them by default, and older JDKs honour it as written.
\`getSupportedCipherSuites()\` enables everything the provider implements, including the anonymous
and NULL suites that are never on by default.

**How to fix it.** Remove the weak entries, or do not set cipher suites at all and keep the JDK's
defaults (Java 8u+ orders them well):

\`\`\`java
socket.setEnabledCipherSuites(new String[] {
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
    .cipherSuites(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)
    .build();
\`\`\`

Exclusion lists (Jetty \`setExcludeCipherSuites\`) are never findings. The offered fix removes the weak
entries from a literal list or cipher string when something strong remains.`,
  remedy: 'Remove the weak suites from the list (or set no cipher suites and keep the JDK defaults).',
  cwe: ['CWE-327'],
  precision: 'very-high',
  triggers: ['CipherSuite', 'cipherSuites', 'ciphers(', 'setCiphers', 'CIPHER_SUITES', 'cipher.suites', 'ciphersuites'],
  fixable: true,
  files: {
    java: {
      query: QUERY,
      check(ctx) {
        const { call, method, args, create, type, put, obj, key, value } = ctx.captures;
        if (put && obj && key && value) return checkProperty(ctx, obj, put, key, value);
        if (!args) return;
        const a = args.namedChildren.filter((n) => !n.type.endsWith('comment'));
        if (create && type) {
          const arg = constructorSuites(type.text, a);
          if (!arg || arg.type === 'null_literal') return;
          judge(ctx, `new ${type.text}(...)`, ctx.lang.values(arg).map((f) => [f]), arg, literalElements(ctx, arg) ?? [arg]);
          return;
        }
        if (!call || !method || a.length === 0) return;
        // Netty: ciphers(Iterable<String> ciphers, CipherSuiteFilter filter); null keeps the defaults
        const suites = method.text === 'ciphers' ? a.slice(0, 1) : a;
        if (suites.length === 1 && suites[0]!.type === 'null_literal') return;
        const o = call.childForFieldName('object');
        // the same call later on the same object with strong suites only replaces this list (adding one does not)
        const replacedLater = () => !!o && method.text !== 'addEnabledCipherSuite' && ctx.lang.laterOnObject(o.text, call.endIndex, call).some((l) => l.kind === 'call' && l.name === method.text && strongOnly(ctx, (method.text === 'ciphers' ? l.args.slice(0, 1) : l.args).map((x) => x.node)));
        const where = `${o && /^[\w.]+$/.test(o.text) ? o.text + '.' : ''}${method.text}(...)`;
        const { lists, sink, elements } = listsOf(ctx, suites);
        judge(ctx, where, lists, sink, elements, replacedLater);
      },
    },
    'jvm-config': flags,
    gradle: flags,
    shell: flags,
    dockerfile: flags,
    env: flags,
    properties: flags,
    // pom.xml argLine, app server configs, IDE run configurations
    xml: flags,
    yaml: flags,
    serverconf: flags,
  },
});
