import { defineRule, type FileContext } from '../../src/rule.js';
import { inRanges, xmlCommentRanges } from '../../src/formats/comments.js';

const MESSAGE =
  'Jakarta Commons HttpClient 3.x reached end of life in 2011: it predates TLS 1.2 defaults, SNI and proper host name checks; move to Apache HttpClient 4.5+/5.x (org.apache.httpcomponents) or java.net.http.HttpClient.';

function checkGradle(ctx: FileContext): void {
  for (const m of ctx.file.text.matchAll(/['"](commons-httpclient:commons-httpclient)(?::[^'"]*)?['"]|group\s*[:=]\s*['"]commons-httpclient['"]\s*,\s*name\s*[:=]\s*['"]commons-httpclient['"]/g)) {
    const line = ctx.file.lineText(ctx.file.lineOf(m.index));
    if (/^\s*(?:\/\/|\*|\/\*)/.test(line)) continue;
    ctx.report({ start: m.index, end: m.index + m[0].length, message: `Dependency on commons-httpclient: ${MESSAGE}` });
  }
}

export default defineRule({
  id: 'java/commons-httpclient-eol',
  fileKind: 'java',
  severity: 'warning',
  kind: 'runtime',
  title: 'Jakarta Commons HttpClient 3.x (end of life) in use',
  description:
    'Imports of `org.apache.commons.httpclient`, or the `commons-httpclient:commons-httpclient` dependency in pom.xml or a Gradle build: a client library unmaintained since 2011 whose TLS handling predates TLS 1.2 by default, SNI and reliable host name verification.',
  help: `**Why it matters.** Commons HttpClient 3.1 was the last release (2007; end of life 2011). Its
\`SSLProtocolSocketFactory\` takes whatever the JVM defaults to (TLS 1.0 on Java 7 clients), does not
send SNI, and host name verification is left to custom code; no fixes will come. The vendors'
migration guides list it among the libraries to replace.

**How to fix it.** Move to Apache HttpClient 5 (\`org.apache.httpcomponents.client5:httpclient5\`)
or 4.5 (\`org.apache.httpcomponents:httpclient\`), or \`java.net.http.HttpClient\` on Java 11+:

\`\`\`xml
<dependency>
  <groupId>org.apache.httpcomponents.client5</groupId>
  <artifactId>httpclient5</artifactId>
  <version>5.4.1</version>
</dependency>
\`\`\``,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'very-high',
  securitySeverity: 5.3,
  triggers: ['commons.httpclient', 'commons-httpclient'],
  files: {
    java: {
      triggers: ['org.apache.commons.httpclient'],
      query: `(import_declaration) @import`,
      check(ctx) {
        const node = ctx.captures.import!;
        if (!/^import\s+(?:static\s+)?org\.apache\.commons\.httpclient\b/.test(node.text)) return;
        // one finding per file: the first import
        const first = ctx.root.descendantsOfType('import_declaration').find((i) => /org\.apache\.commons\.httpclient\b/.test(i.text));
        if (first?.id !== node.id) return;
        ctx.report({ node, message: MESSAGE });
      },
    },
    pom: {
      triggers: ['commons-httpclient'],
      check(ctx) {
        const text = ctx.file.text;
        const comments = xmlCommentRanges(text);
        for (const m of text.matchAll(/<dependency>(?:(?!<\/dependency>)[\s\S])*?<\/dependency>/g)) {
          if (!/<groupId>\s*commons-httpclient\s*<\/groupId>/.test(m[0]) || !/<artifactId>\s*commons-httpclient\s*<\/artifactId>/.test(m[0])) continue;
          if (inRanges(comments, m.index)) continue;
          const a = m[0].indexOf('<artifactId>');
          ctx.report({ start: m.index + a, end: m.index + m[0].indexOf('</artifactId>', a) + '</artifactId>'.length, message: `Dependency on commons-httpclient: ${MESSAGE}` });
        }
      },
    },
    gradle: { triggers: ['commons-httpclient'], check: checkGradle },
  },
});
