import { defineRule } from '../../src/rule.js';
import { javaRelease } from './release.js';
import { flowReport } from '../../src/lang/report.js';
import { strings } from './util.js';

export default defineRule({
  id: 'java/sslcontext-default-protocol',
  fileKind: 'java',
  severity: 'warning',
  kind: 'default',
  title: 'SSLContext.getInstance("TLS") on Java 7 or older leaves the client at TLS 1.0',
  description:
    '`SSLContext.getInstance("TLS")` or `"Default"` in a project whose Maven or Gradle build targets Java 7 or older: the JDK 7 client enables only TLS 1.0 by default, so such contexts cannot reach TLS-1.2-only servers. Silent on Java 8 and later, where the same call is the right one.',
  help: `**Why it matters.** On JDK 7 the client side of a \`"TLS"\` or default context enables TLS 1.0
only (TLS 1.1 and 1.2 are implemented but off for clients); JDK 6 knows no TLS 1.2 at all. A
project built for Java 7 therefore talks TLS 1.0 unless something raises the protocols. On Java 8
and later \`"TLS"\` enables TLS 1.2 (and 1.3), so this rule stays silent there.

**How to fix it.** On Java 7, ask for TLS 1.2 explicitly and set the JVM-wide defaults:

\`\`\`java
SSLContext ctx = SSLContext.getInstance("TLSv1.2");
\`\`\`

\`\`\`sh
java -Dhttps.protocols=TLSv1.2 -Djdk.tls.client.protocols=TLSv1.2 ...
\`\`\`

Better, move to Java 8 or later (the release is read from \`pom.xml\`/\`build.gradle\`).`,
  remedy: 'On Java 7 use SSLContext.getInstance("TLSv1.2") and -Dhttps.protocols=TLSv1.2; better, move to Java 8 or later.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'high',
  triggers: ['SSLContext'],
  // only a project that states a Java release before 8 has the old default
  applies: (project) => (project.nearest(javaRelease)?.value.release ?? 8) < 8,
  // every match spans its trigger: the engine queries only around the triggers
  query: `(method_invocation object: (_) @obj name: (identifier) @name (#eq? @name "getInstance") arguments: (argument_list . (_) @arg)) @call`,
  check(ctx) {
    const { obj, arg } = ctx.captures;
    if (!obj || !arg || !/(?:^|\.)SSLContext$/.test(obj.text)) return;
    const release = ctx.project.nearest(javaRelease);
    if (!release || release.value.release >= 8) return;
    for (const flow of strings(ctx.lang.values(arg))) {
      const value = flow.value.value;
      if (value !== 'TLS' && value !== 'Default') continue;
      ctx.report(
        flowReport(ctx, flow, {
          sink: arg,
          sinkName: 'SSLContext.getInstance',
          message: `SSLContext.getInstance("${value}") on Java ${release.value.release} (${release.value.file}) enables only TLS 1.0 for clients; use "TLSv1.2" and -Dhttps.protocols=TLSv1.2, or move to Java 8+.`,
        }),
      );
    }
  },
});
