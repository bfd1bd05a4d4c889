/**
 * The base images of a Dockerfile, one per `FROM` (every stage of a multi-stage build), with
 * `ARG`-substituted references resolved where the default is in the file: `ARG BASE=centos:5`
 * then `FROM ${BASE}`, or `ARG CENTOS=5` then `FROM centos:$CENTOS`. Read by the packs that judge
 * a base image (the OpenSSL under it, the language runtime it bundles) and by the audit.
 */

export interface BaseImage {
  /** The reference as resolved (`centos:5`, `python:2.7.8-slim`), lower case. */
  image: string;
  /** The reference as written (`${BASE}`, `centos:$CENTOS`). */
  written: string;
  /** Offsets of the written reference in the text. */
  start: number;
  end: number;
  /** True when the reference is written as it resolves (no variable): offsets inside it are offsets of the image. */
  literal: boolean;
  /** The stage name (`AS build`). */
  stage?: string;
}

const FROM = /^([ \t]*FROM[ \t]+(?:--\S+[ \t]+)*)(\S+)(?:[ \t]+AS[ \t]+(\S+))?/i;
const ARG = /^[ \t]*ARG[ \t]+([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/i;

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1);
  return v;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alt}` replaced from `args`; undefined when one is unknown. */
export function substitute(text: string, args: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    const value = args.get(name);
    if (op === '-') return value || word || '';
    if (op === '+') return value ? (word ?? '') : '';
    if (value === undefined) {
      unknown = true;
      return '';
    }
    return value;
  });
  return unknown ? undefined : out;
}

/**
 * Every `FROM` of a Dockerfile, in order. A reference to an earlier stage (`FROM build`) and
 * `scratch` are not base images and are left out; so is a reference whose variables have no
 * default in the file.
 */
export function baseImages(text: string): BaseImage[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const out: BaseImage[] = [];
  let offset = 0;
  let seenFrom = false;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const arg = ARG.exec(line);
    if (arg) {
      // global ARGs (before the first FROM) are what FROM lines see; a later ARG without a
      // default only re-declares one inside a stage
      if (!seenFrom && arg[2] !== undefined) args.set(arg[1]!, unquote(arg[2]));
      continue;
    }
    const m = FROM.exec(line);
    if (!m) continue;
    seenFrom = true;
    const written = m[2]!;
    const start = lineStart + m[1]!.length;
    const resolved = substitute(written, args)?.toLowerCase();
    const earlierStage = resolved !== undefined && stages.has(resolved);
    if (m[3]) stages.add(m[3].toLowerCase());
    if (!resolved || resolved === 'scratch' || earlierStage) continue;
    out.push({ image: resolved, written, start, end: start + written.length, literal: !written.includes('$'), ...(m[3] ? { stage: m[3] } : {}) });
  }
  return out;
}

/**
 * Where in the written reference an image's part is (`python:2.7.8` of `python:2.7.8-slim`), less its
 * first `skip` characters: offsets of the part when the reference is literal, else of the whole reference.
 */
export function partOf(base: BaseImage, part: string, skip = 0): { start: number; end: number } {
  const i = base.literal ? base.written.toLowerCase().lastIndexOf(part.toLowerCase()) : -1;
  return i === -1 ? { start: base.start, end: base.end } : { start: base.start + i + skip, end: base.start + i + part.length };
}

export interface ImageVersion {
  base: BaseImage;
  /** The repository's last segment (`python`, `openjdk`). */
  name: string;
  /** The leading version of the tag (`2.7.8` of `2.7.8-slim`). */
  version: string;
  /** Where the version is written (the whole reference when it comes from an ARG). */
  versionAt: { start: number; end: number };
  /** Where `name:version` is written (likewise). */
  refAt: { start: number; end: number };
}

/**
 * The base images whose repository's last segment matches `names` (`python`, `library/python`,
 * `registry/team/python`), with the version their tag starts with (`version`, default up to three
 * numbers).
 */
export function imageVersions(text: string, names: RegExp, version: RegExp = /^\d+(?:\.\d+){0,2}/): ImageVersion[] {
  const out: ImageVersion[] = [];
  for (const base of baseImages(text)) {
    const ref = base.image.replace(/@sha256:[0-9a-f]+$/, '');
    const colon = ref.lastIndexOf(':');
    if (colon === -1 || ref.indexOf('/', colon) !== -1) continue;
    const name = ref.slice(ref.lastIndexOf('/', colon) + 1, colon);
    if (!names.test(name)) continue;
    const m = version.exec(ref.slice(colon + 1));
    if (!m) continue;
    out.push({ base, name, version: m[0], versionAt: partOf(base, `${name}:${m[0]}`, name.length + 1), refAt: partOf(base, `${name}:${m[0]}`) });
  }
  return out;
}

/** How a message names a base image: `The base image`, or `The base image ${BASE} (openjdk:7-jdk)` when ARGs spell it. */
export function baseImageWords(base: BaseImage, noun = 'base image'): string {
  return base.literal ? `The ${noun}` : `The ${noun} ${base.written} (${base.image})`;
}
