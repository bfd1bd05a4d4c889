/**
 * The Java release a project builds for, from Maven and Gradle files: `maven.compiler.release` /
 * `source` / `target` properties, the compiler plugin's `<release>`/`<source>`/`<target>`, Gradle
 * `sourceCompatibility`/`targetCompatibility` (`1.7`, `'1.7'`, `JavaVersion.VERSION_1_7`) and
 * toolchains (`JavaLanguageVersion.of(7)`). Shared by the context fact and the runtime rule.
 */
import type { ProjectFact } from '../../src/context.js';
import { inRanges, xmlCommentRanges } from '../../src/formats/comments.js';

export interface StatedRelease {
  /** Feature release: 6, 7, 8, 11, 17... (`1.7` -> 7). */
  release: number;
  /** The text as written (`1.7`). */
  text: string;
  /** Offsets of the text in the file. */
  start: number;
  end: number;
}

/** `1.7` -> 7, `7` -> 7, `17` -> 17, `VERSION_1_7` -> 7, `VERSION_17` -> 17. */
export function parseRelease(text: string): number | undefined {
  const t = text.replace(/^VERSION_/, '').replace(/_/g, '.');
  const m = /^(?:1\.(\d+)|(\d+))(?:\.\d+)*$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1] ?? m[2]);
  return n >= 1 && n < 100 ? n : undefined;
}

const POM_PROPERTY = /<(maven\.compiler\.(?:release|source|target)|java\.version|jdk\.version|javaVersion)>\s*([^<\s]+)\s*<\//g;
const POM_PLUGIN = /<(release|source|target)>\s*([^<\s]+)\s*<\/\1>/g;

/** Every release a pom.xml states, in document order (properties resolved one level: `${java.version}`). */
export function pomReleases(text: string): StatedRelease[] {
  const comments = xmlCommentRanges(text);
  const props = new Map<string, { value: string; start: number }>();
  for (const m of text.matchAll(/<([\w.-]+)>\s*([^<\s]+)\s*<\/\1>/g)) {
    if (!inRanges(comments, m.index)) props.set(m[1]!, { value: m[2]!, start: m.index + m[0].indexOf(m[2]!, m[1]!.length + 2) });
  }
  const out: StatedRelease[] = [];
  const seen = new Set<number>();
  const add = (value: string, start: number) => {
    let text = value;
    let at = start;
    const ref = /^\$\{([\w.-]+)\}$/.exec(value);
    if (ref) {
      const p = props.get(ref[1]!);
      if (!p) return;
      text = p.value;
      at = p.start;
    }
    const release = parseRelease(text);
    if (release !== undefined && !seen.has(at)) {
      seen.add(at);
      out.push({ release, text, start: at, end: at + text.length });
    }
  };
  for (const m of text.matchAll(POM_PROPERTY)) {
    if (!inRanges(comments, m.index)) add(m[2]!, m.index + m[0].indexOf(m[2]!, m[1]!.length + 2));
  }
  // <source>/<target>/<release> count only inside the maven-compiler-plugin configuration (up to
  // the next </plugin>, found once per plugin rather than searched for from every artifactId)
  let pluginEnd = -1;
  for (const p of text.matchAll(/<artifactId>\s*maven-compiler-plugin\s*<\/artifactId>/g)) {
    if (inRanges(comments, p.index)) continue;
    if (pluginEnd !== text.length && pluginEnd < p.index) {
      const close = text.indexOf('</plugin>', p.index);
      pluginEnd = close === -1 ? text.length : close;
    }
    if (pluginEnd === text.length) break; // no </plugin> after it: not a plugin block
    const body = text.slice(p.index, pluginEnd);
    for (const m of body.matchAll(POM_PLUGIN)) {
      const at = p.index + m.index;
      if (!inRanges(comments, at)) add(m[2]!, at + m[0].indexOf(m[2]!, m[1]!.length + 2));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const GRADLE = /^[ \t]*(?:java\s*\.\s*|java\s*\{[^}]{0,2000}?)?(?:source|target)Compatibility\s*=?\s*(?:JavaVersion\.(VERSION_[\d_]+)|['"]?(\d+(?:\.\d+)?)['"]?)|JavaLanguageVersion\.of\(\s*(\d+)\s*\)|jvmToolchain\(\s*(\d+)\s*\)/gm;

/** Every release a Gradle build script states, outside `//` line comments. */
export function gradleReleases(text: string): StatedRelease[] {
  const out: StatedRelease[] = [];
  for (const m of text.matchAll(GRADLE)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index + m[0].length);
    if (/^\s*(?:\/\/|\*|\/\*)/.test(before)) continue;
    const value = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const release = parseRelease(value);
    if (release === undefined) continue;
    const start = m.index + m[0].lastIndexOf(value);
    out.push({ release, text: value, start, end: start + value.length });
  }
  return out;
}

export interface JavaRelease {
  release: number;
  /** Base name of the build file that states it. */
  file: string;
}

/** The project's Java release: the lowest release its nearest pom.xml or Gradle script states. */
export const javaRelease: ProjectFact<JavaRelease> = {
  id: 'java#release',
  fileNames: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
  parse(text, file) {
    const releases = file.kind === 'pom' ? pomReleases(text) : gradleReleases(text);
    if (releases.length === 0) return undefined;
    return { release: Math.min(...releases.map((r) => r.release)), file: file.name };
  },
};
