import { baseImageWords, imageVersions } from '../../src/formats/dockerfile.js';
import { defineRule, type FileContext } from '../../src/rule.js';
import { gradleReleases, pomReleases, type StatedRelease } from './release.js';

const ADVICE =
  'Java 7 clients default to TLS 1.0 and Java 6 has no TLS 1.2; move to Java 8 or later, or on Java 7 set -Dhttps.protocols=TLSv1.2 and SSLContext.getInstance("TLSv1.2")';

/** `FROM openjdk:7-jre`, `FROM java:6`, `eclipse-temurin`, `amazoncorretto`, `azul/zulu-openjdk`... (any registry; ARG defaults resolved). */
export const JAVA_IMAGES = /^(?:openjdk|java|eclipse-temurin|adoptopenjdk|amazoncorretto|zulu-openjdk|ibmjava)$/;

function report(ctx: FileContext, r: StatedRelease, what: string): void {
  ctx.report({ start: r.start, end: r.end, message: `${what} Java ${r.release} (${r.text}): ${ADVICE}.` });
}

export default defineRule({
  id: 'java/runtime-outdated',
  fileKind: 'java',
  severity: 'warning',
  kind: 'runtime',
  title: 'Java release too old for TLS 1.2 by default (Java 7 or older)',
  description:
    'pom.xml (`maven.compiler.source/target/release`, compiler plugin settings), a Gradle build (`sourceCompatibility`, toolchain) or a Dockerfile base image targets Java 7 or older, where clients use TLS 1.0 by default (Java 7) or cannot speak TLS 1.2 at all (Java 6).',
  help: `**Why it matters.** JDK 7 implements TLS 1.2 but enables only TLS 1.0 for clients by default;
JDK 6 (before 6u121, Oracle support only) cannot negotiate TLS 1.2. A project built for these
releases runs on them too, and every HTTPS client it has fails as servers turn TLS 1.0 and 1.1 off.

**How to fix it.** Build and run on Java 8 or later (\`<maven.compiler.release>17</maven.compiler.release>\`,
\`java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\`). Where Java 7 must stay
for a while, the vendors' advice is:

\`\`\`sh
java -Dhttps.protocols=TLSv1.2 -Djdk.tls.client.protocols=TLSv1.2 ...
\`\`\`

and \`SSLContext.getInstance("TLSv1.2")\` in code that builds its own contexts.`,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['maven.compiler', '<source>', '<target>', '<release>', 'Compatibility', 'JavaLanguageVersion', 'jvmToolchain', 'java.version', 'FROM'],
  files: {
    pom: {
      check(ctx) {
        for (const r of pomReleases(ctx.file.text)) if (r.release < 8) report(ctx, r, 'pom.xml builds for');
      },
    },
    gradle: {
      check(ctx) {
        for (const r of gradleReleases(ctx.file.text)) if (r.release < 8) report(ctx, r, 'The Gradle build targets');
      },
    },
    dockerfile: {
      triggers: ['FROM'],
      check(ctx) {
        for (const image of imageVersions(ctx.file.text, JAVA_IMAGES, /^(?:1\.)?\d+(?!\d)/)) {
          const release = Number(image.version.replace(/^1\./, ''));
          if (release >= 8) continue;
          report(ctx, { release, text: image.version, ...image.versionAt }, `${baseImageWords(image.base)} runs`);
        }
      },
    },
  },
});
