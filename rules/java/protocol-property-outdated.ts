import { defineRule, replaceFix, type FileContext, type TextChecker } from '../../src/rule.js';
import { inXmlComment, isCommentLine } from '../../src/formats/comments.js';
import { belowFloor, parseProtocol, type ProtocolVersion } from '../../src/formats/tls-names.js';
import { flowReport } from '../../src/lang/report.js';
import { inFailureExpectation, strings } from './util.js';

/** The system properties that set JSSE's protocol defaults. */
const PROPERTIES = new Set(['https.protocols', 'jdk.tls.client.protocols', 'jdk.tls.server.protocols']);

interface Verdict {
  old: string[];
  kept: string[];
  /** True when the list names TLS 1.2 or later. */
  modern: boolean;
}

function judge(value: string, floor: '1.2' | '1.3'): Verdict {
  const tokens = value.split(/[\s,]+/).filter(Boolean);
  const versions = tokens.map((t) => parseProtocol(t));
  const isOld = (v: ProtocolVersion | undefined) => !!v && belowFloor(v, floor);
  return {
    old: tokens.filter((_t, i) => isOld(versions[i])),
    kept: tokens.filter((_t, i) => !isOld(versions[i])),
    modern: versions.some((v) => v && !belowFloor(v, floor)),
  };
}

function message(property: string, value: string, v: Verdict, floor: '1.2' | '1.3'): string | undefined {
  const target = floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  if (v.old.length > 0) {
    return `${property}=${value} enables ${v.old.join(', ')}, deprecated by RFC 8996; set ${property}=${v.modern ? v.kept.join(',') : target}.`;
  }
  if (!v.modern && v.kept.length > 0) {
    return `${property}=${value} names no TLS 1.2 or later protocol, so connections to TLS-1.2-only servers fail; set ${property}=${target}.`;
  }
  return undefined;
}

/** `-Dhttps.protocols=TLSv1,TLSv1.1` on command lines, in JAVA_OPTS, jvm.config, gradle.properties, pom argLine... */
const FLAG = /-D(https\.protocols|jdk\.tls\.(?:client|server)\.protocols)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'<]*))/g;

function isComment(ctx: FileContext, offset: number): boolean {
  return isCommentLine(ctx.file.lineText(ctx.file.lineOf(offset))) || inXmlComment(ctx.file.text, offset);
}

function checkFlags(ctx: FileContext): void {
  const floor = ctx.settings.minTlsVersion;
  for (const m of ctx.file.text.matchAll(FLAG)) {
    if (isComment(ctx, m.index)) continue;
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const v = judge(value, floor);
    const text = message(m[1]!, value, v, floor);
    if (!text) continue;
    const start = m.index + m[0].length - value.length - (m[2] !== undefined || m[3] !== undefined ? 1 : 0);
    const replacement = v.modern ? v.kept.join(',') : floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
    ctx.report({
      start,
      end: start + value.length,
      message: `JVM flag -D${text}`,
      fix: value.includes('$') ? undefined : replaceFix(`-D${m[1]}=${replacement}`, start, start + value.length, replacement),
    });
  }
}

/** `https.protocols=TLSv1` as a key of a `.properties` file (system properties loaded at startup; Gradle's `systemProp.` prefix too). */
function checkProperties(ctx: FileContext): void {
  checkFlags(ctx);
  const floor = ctx.settings.minTlsVersion;
  for (const m of ctx.file.text.matchAll(/^[ \t]*(?:systemProp\.)?(https\.protocols|jdk\.tls\.(?:client|server)\.protocols)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gm)) {
    const value = m[2]!;
    const v = judge(value, floor);
    const text = message(m[1]!, value, v, floor);
    if (!text) continue;
    const start = m.index + m[0].length - value.length - (m[0].length - m[0].trimEnd().length);
    ctx.report({
      start,
      end: start + value.length,
      message: text,
      fix: replaceFix(`${m[1]}=…`, start, start + value.length, v.modern ? v.kept.join(',') : floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2'),
    });
  }
}

const flags: TextChecker = { check: checkFlags };

export default defineRule({
  id: 'java/protocol-property-outdated',
  fileKind: 'java',
  severity: 'error',
  kind: 'protocol',
  title: 'https.protocols or jdk.tls.*.protocols enables TLS 1.0/1.1 or lacks TLS 1.2',
  description:
    '`System.setProperty("https.protocols" | "jdk.tls.client.protocols" | "jdk.tls.server.protocols", ...)` or the matching `-D` JVM flag (shell scripts, Dockerfiles, JAVA_OPTS/JAVA_TOOL_OPTIONS, .mvn/jvm.config, gradle.properties, pom.xml argLine, .properties files) enables SSLv3, TLSv1 or TLSv1.1, or lists no TLS 1.2+ protocol.',
  help: `**Why it matters.** These properties set the protocols of every \`HttpsURLConnection\`
(\`https.protocols\`) and every JSSE client or server socket (\`jdk.tls.client.protocols\`,
\`jdk.tls.server.protocols\`) of the JVM. Listing \`TLSv1\` or \`TLSv1.1\` keeps deprecated
protocols (RFC 8996) negotiable process-wide; a list without TLS 1.2 cannot reach TLS-1.2-only
servers.

**How to fix it.** On Java 7 this flag is the vendors' recommended fix, with TLS 1.2 only:

\`\`\`sh
java -Dhttps.protocols=TLSv1.2 -Djdk.tls.client.protocols=TLSv1.2 -jar app.jar
\`\`\`

On Java 8 and later remove the flag (TLS 1.2 and 1.3 are the defaults) or list
\`TLSv1.2,TLSv1.3\`. The offered fix keeps only the TLS 1.2+ entries.`,
  remedy: 'List only TLSv1.2 (Java 7) or TLSv1.2,TLSv1.3, or remove the flag on Java 8+ where those are the defaults.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['https.protocols', 'tls.client.protocols', 'tls.server.protocols'],
  fixable: true,
  files: {
    java: {
      query: `(method_invocation object: (_) @obj name: (identifier) @name (#eq? @name "setProperty") arguments: (argument_list . (_) @key . (_) @value .)) @call`,
      check(ctx) {
        const { obj, key, value, call } = ctx.captures;
        if (!obj || !key || !value || !call || !/(?:^|\.)(?:System|Security)$/.test(obj.text)) return;
        if (inFailureExpectation(call)) return;
        const floor = ctx.settings.minTlsVersion;
        for (const property of new Set(strings(ctx.lang.values(key)).map((k) => k.value.value))) {
          if (!PROPERTIES.has(property)) continue;
          // a later setProperty of the same key in the same function with a good value wins
          const fixedLater = ctx.lang.laterOnObject(obj.text, call.endIndex, call).some((later) => {
            if (later.kind !== 'call' || later.name !== 'setProperty' || later.args.length < 2) return false;
            if (!strings(ctx.lang.values(later.args[0]!.node)).some((k) => k.value.value === property)) return false;
            const values = strings(ctx.lang.values(later.args[1]!.node));
            return values.length > 0 && values.every((v) => !message(property, v.value.value, judge(v.value.value, floor), floor));
          });
          if (fixedLater) continue;
          for (const flow of strings(ctx.lang.values(value))) {
            const text = flow.value.value;
            const v = judge(text, floor);
            const msg = message(property, text, v, floor);
            if (!msg) continue;
            const replacement = v.modern ? v.kept.join(',') : floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
            ctx.report(
              flowReport(ctx, flow, {
                sink: value,
                sinkName: `${obj.text}.setProperty`,
                message: `${obj.text}.setProperty: ${msg}`,
                fix: replaceFix(`${property}=${replacement}`, flow.node.startIndex, flow.node.endIndex, `"${replacement}"`),
              }),
            );
          }
        }
      },
    },
    properties: { check: checkProperties },
    'jvm-config': flags,
    gradle: flags,
    shell: flags,
    dockerfile: flags,
    env: flags,
    // pom.xml argLine, app server configs, IDE run configurations
    xml: flags,
    yaml: flags,
    serverconf: flags,
  },
});
