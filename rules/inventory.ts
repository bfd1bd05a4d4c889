/**
 * What the packs know about runtimes, for the audit's inventory (src/inventory.ts): each probe is
 * a project fact (mostly the ones rules read) and how to describe its value, with the floor below
 * which a runtime cannot do TLS 1.2 (or does TLS 1.0 by default). Adding a runtime: its fact and
 * one probe here.
 */
import type { ProjectFact } from '../src/context.js';
import { baseImages as dockerBaseImages } from '../src/formats/dockerfile.js';
import { opensslWithoutTls12, releaseOfImage } from '../src/formats/openssl-releases.js';
import type { InventoryItem, RuntimeProbe } from '../src/inventory.js';
import { compareVersion, dotnetTarget, type Target } from './dotnet/framework.js';
import { goModVersion, type GoVersion } from './go/gomod.js';
import { nodeEngine } from './javascript/default-min-version.js';
import { javaRelease, type JavaRelease } from './java/release.js';
import { pythonVersion, tooOldForTls12, type StatedVersion } from './python/util.js';

const num = (s: string | undefined) => (s ? Number(s) : 0);

export function javaFloor(release: number): string | undefined {
  return release < 8 ? 'Java 7 and older: TLS 1.2 is off by default for clients (Java 6 has none); move to Java 8 or later (11+ for TLS 1.3)' : undefined;
}
export function dotnetFloor(version: number[]): string | undefined {
  return compareVersion(version, [4, 6]) < 0 ? '.NET Framework before 4.6 does not offer TLS 1.2 by default (before 4.5 not at all); target 4.7 or later (4.8) and leave the protocol to the OS' : undefined;
}
export function goFloor(major: number, minor: number): string | undefined {
  return major < 1 || (major === 1 && minor < 13) ? 'Go before 1.13: no security fixes for years, TLS 1.0 as the default floor; move to a supported Go release' : undefined;
}
export function pythonFloor(v: { major: number; minor: number; patch: number }, hasPatch: boolean): string | undefined {
  return tooOldForTls12({ ...v, text: '' }, hasPatch) ? 'Python before 2.7.9 (and 3.0-3.3) has no SSLContext with TLS 1.2; move to a supported Python 3' : undefined;
}
export function rubyFloor(major: number): string | undefined {
  return major < 2 ? 'Ruby before 2.0 (built against OpenSSL 0.9.8) cannot negotiate TLS 1.2; move to a supported Ruby' : undefined;
}
export function nodeFloor(major: number, minor: number): string | undefined {
  return major < 11 || (major === 11 && minor < 4) ? 'Node.js before 11.4 accepts TLS 1.0 by default (and is long out of support); move to a supported LTS' : undefined;
}
export function phpFloor(major: number, minor: number): string | undefined {
  return major < 5 || (major === 5 && minor < 6) ? 'PHP before 5.6 has no TLS 1.2 stream crypto methods and weak defaults; move to a supported PHP (7.2+ negotiates TLS 1.2 on tls:// by default)' : undefined;
}
export function opensslFloor(version: string): string | undefined {
  return opensslWithoutTls12(version) ? 'OpenSSL before 1.0.1 has no TLS 1.2 at all; move to a base image with OpenSSL 1.1.1 or 3.x' : undefined;
}

/** The PHP version a Composer project requires: `config.platform.php`, else the lower bound of `require.php`. */
export const phpVersion: ProjectFact<{ major: number; minor: number; text: string }> = {
  id: 'php#version',
  fileNames: ['composer.json'],
  parse(text) {
    try {
      // whole-line `//` comments (which Composer rejects, but annotated copies carry) are left out
      const json = JSON.parse(text.replace(/^[ \t]*\/\/.*$/gm, '')) as { require?: Record<string, unknown>; config?: { platform?: Record<string, unknown> } };
      const stated = json.config?.platform?.php ?? json.require?.php;
      if (typeof stated !== 'string') return undefined;
      const m = /(\d+)\.(\d+)/.exec(stated);
      return m ? { major: num(m[1]), minor: num(m[2]), text: stated } : undefined;
    } catch {
      return undefined;
    }
  },
};

/** The Ruby a project pins: `.ruby-version`, or a Gemfile's `ruby "x.y.z"`. */
export const rubyVersion: ProjectFact<{ major: number; text: string }> = {
  id: 'ruby#version',
  fileNames: ['.ruby-version', 'Gemfile', 'gems.rb'],
  parse(text, file) {
    const m = file.name === '.ruby-version'
      ? /^[ \t]*(?:ruby-)?(\d+\.\d+(?:\.\d+)?)/m.exec(text)
      : /^[ \t]*ruby[ \t(]+["'](?:ruby-)?(\d+\.\d+(?:\.\d+)?)["']/m.exec(text);
    return m ? { major: num(m[1]!.split('.')[0]), text: m[1]! } : undefined;
  },
};

/** The images a Dockerfile builds from (every stage's `FROM`, `ARG` defaults resolved; stage names skipped). */
export const baseImages: ProjectFact<string[]> = {
  id: 'docker#from',
  match: (name) => /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:dockerfile|containerfile)$/i.test(name),
  parse(text) {
    const images = dockerBaseImages(text).map((b) => b.image);
    return images.length ? [...new Set(images)] : undefined;
  },
};

/** What an image reference names: `python:2.7.8-wheezy` -> Python 2.7.8 and the OpenSSL of wheezy. */
export function describeImage(image: string): InventoryItem[] {
  const ref = image.replace(/^(?:docker\.io\/)?(?:library\/)?/, '');
  const [repo = '', tag = 'latest'] = ref.split(/:(?=[^/]*$)/);
  const name = repo.split('/').pop()!;
  const out: InventoryItem[] = [];
  const version = (re: RegExp) => re.exec(tag);
  let m: RegExpExecArray | null;
  if (/^(?:openjdk|java|eclipse-temurin|adoptopenjdk|amazoncorretto|zulu-openjdk|ibmjava|ibm-semeru-runtimes)$/.test(name) && (m = version(/^(?:1\.)?(\d+)/))) {
    out.push({ runtime: 'Java', version: `${name}:${tag}`, ...withFloor(javaFloor(num(m[1]))) });
  } else if (name === 'python' && (m = version(/^(\d+)\.(\d+)(?:\.(\d+))?/))) {
    out.push({ runtime: 'Python', version: `${name}:${tag}`, ...withFloor(pythonFloor({ major: num(m[1]), minor: num(m[2]), patch: num(m[3]) }, m[3] !== undefined)) });
  } else if (name === 'node' && (m = version(/^(\d+)(?:\.(\d+))?/))) {
    out.push({ runtime: 'Node.js', version: `${name}:${tag}`, ...withFloor(nodeFloor(num(m[1]), m[2] === undefined ? 99 : num(m[2]))) });
  } else if (name === 'golang' && (m = version(/^(\d+)\.(\d+)/))) {
    out.push({ runtime: 'Go', version: `${name}:${tag}`, ...withFloor(goFloor(num(m[1]), num(m[2]))) });
  } else if (name === 'ruby' && (m = version(/^(\d+)\.(\d+)/))) {
    out.push({ runtime: 'Ruby', version: `${name}:${tag}`, ...withFloor(rubyFloor(num(m[1]))) });
  } else if (name === 'php' && (m = version(/^(\d+)\.(\d+)/))) {
    out.push({ runtime: 'PHP', version: `${name}:${tag}`, ...withFloor(phpFloor(num(m[1]), num(m[2]))) });
  } else if (/dotnet\/framework\/(?:runtime|aspnet|sdk|wcf)$|^microsoft\/(?:dotnet-framework|aspnet)$/.test(repo) && (m = version(/^(\d)\.(\d)(?:\.(\d))?/))) {
    out.push({ runtime: '.NET Framework', version: `${name}:${tag}`, ...withFloor(dotnetFloor([num(m[1]), num(m[2]), num(m[3])])) });
  } else if (/dotnet\/(?:core\/)?(?:runtime|aspnet|sdk|runtime-deps)$|^microsoft\/dotnet$/.test(repo) && (m = version(/^(\d+\.\d+)/))) {
    out.push({ runtime: '.NET', version: `${name}:${tag}` });
  }
  // the distribution under the image, where its OpenSSL is known
  const release = releaseOfImage(image);
  if (release) out.push({ runtime: 'OpenSSL', version: `${release.openssl} (${name}:${tag})`, ...withFloor(opensslFloor(release.openssl)) });
  return out;
}

function withFloor(reason: string | undefined): { tooOld?: string } {
  return reason ? { tooOld: reason } : {};
}

/**
 * An open lower bound (`>=10`, `>= 5.3`) states what a library supports, not what runs: listed, not
 * flagged. A pin (`10.24.1`), a caret or tilde range (`^8`, `~5.5`) or an upper bound is flagged.
 */
function openLowerBound(range: string): boolean {
  return /^\s*>=?\s*v?\d/.test(range) && !/</.test(range) && !/\|\|/.test(range);
}

export const INVENTORY: readonly RuntimeProbe[] = [
  {
    fact: javaRelease,
    describe: (v) => [{ runtime: 'Java', version: String((v as JavaRelease).release), ...withFloor(javaFloor((v as JavaRelease).release)) }],
  },
  {
    fact: dotnetTarget,
    describe: (v) => {
      const t = v as Target;
      return t.kind === 'framework' ? [{ runtime: '.NET Framework', version: t.text, ...withFloor(dotnetFloor(t.version)) }] : [{ runtime: '.NET', version: t.text }];
    },
  },
  {
    fact: goModVersion,
    describe: (v) => {
      const g = v as GoVersion;
      return [{ runtime: 'Go', version: g.text, ...withFloor(goFloor(g.major, g.minor)) }];
    },
  },
  {
    fact: pythonVersion,
    describe: (v) => {
      const p = v as StatedVersion;
      return [{ runtime: 'Python', version: p.text, ...withFloor(pythonFloor(p, /^\d+\.\d+\.\d+/.test(p.text))) }];
    },
  },
  { fact: rubyVersion, describe: (v) => [{ runtime: 'Ruby', version: (v as { text: string }).text, ...withFloor(rubyFloor((v as { major: number }).major)) }] },
  {
    fact: nodeEngine,
    describe: (v) => {
      const n = v as { version: number[]; text: string };
      return [{ runtime: 'Node.js', version: n.text, ...(openLowerBound(n.text) ? {} : withFloor(nodeFloor(n.version[0] ?? 0, n.version[1] ?? 0))) }];
    },
  },
  {
    fact: phpVersion,
    describe: (v) => {
      const p = v as { major: number; minor: number; text: string };
      return [{ runtime: 'PHP', version: p.text, ...(openLowerBound(p.text) ? {} : withFloor(phpFloor(p.major, p.minor))) }];
    },
  },
  { fact: baseImages, describe: (v) => (v as string[]).flatMap(describeImage) },
] as RuntimeProbe[];
