/**
 * OpenSSL at system level, shared by the openssl pack's image, package and build rules: which
 * package names and versions mean an OpenSSL without TLS 1.2, and the words messages use. The
 * release table and the version arithmetic are in src/formats/openssl-releases.ts.
 */
import { opensslWithoutTls12, UPGRADE_COMMAND, type PackageManager } from '../../src/formats/openssl-releases.js';

/** The package manager a command is, for the upgrade command a message names. */
export function managerOf(program: string): PackageManager | 'conda' | undefined {
  if (program === 'apt-get' || program === 'apt' || program === 'aptitude') return 'apt';
  if (program === 'yum' || program === 'dnf' || program === 'microdnf') return 'yum';
  if (program === 'zypper') return 'zypper';
  if (program === 'apk') return 'apk';
  if (program === 'conda' || program === 'mamba' || program === 'micromamba') return 'conda';
  return undefined;
}

export function upgradeCommand(manager: PackageManager | 'conda'): string {
  return manager === 'conda' ? 'conda update openssl' : UPGRADE_COMMAND[manager];
}

/** Package names that are OpenSSL 0.9.8 or 1.0.0 libraries whatever version is asked for. */
const OLD_LIBRARY_PACKAGES: Record<string, string> = {
  'libssl0.9.8': '0.9.8',
  'libssl0.9.7': '0.9.7',
  'libssl-0.9.8': '0.9.8',
  openssl098e: '0.9.8e',
  openssl097a: '0.9.7a',
  'compat-openssl098': '0.9.8',
  libopenssl0_9_8: '0.9.8j',
  'libopenssl0_9_8-32bit': '0.9.8j',
};

/** OpenSSL packages whose version a pin names (`openssl=0.9.8*`, `openssl-devel-0.9.8e-40.el5`). */
const OPENSSL_PACKAGE = /^(?:openssl|openssl-devel|openssl-libs|libssl-dev|libssl|libopenssl-devel|libressl)$/;

export interface OldPackage {
  /** The OpenSSL version the word installs (`0.9.8`, `1.0.0e`). */
  version: string;
  /** True when the package's name says it (a library of an old series), not a version pin. */
  byName: boolean;
}

/**
 * What a package argument installs when that is an OpenSSL without TLS 1.2: a pinned version
 * (`openssl=0.9.8*`, `libssl-dev=0.9.8o-4squeeze14`, `openssl-0.9.8e`, `openssl<1.0.1`,
 * `openssl==1.0.0`), or a library package of an old series (`libssl0.9.8`, `openssl098e`,
 * `libopenssl0_9_8`).
 */
export function oldOpensslPackage(word: string): OldPackage | undefined {
  const w = word.trim().replace(/^["']|["']$/g, '');
  const bare = w.replace(/[=<>~!].*$/, '').replace(/:(?:amd64|i386|arm64|armhf)$/, '');
  const library = OLD_LIBRARY_PACKAGES[bare.toLowerCase()];
  if (library) return { version: library, byName: true };
  // name=version (apt, apk, conda), name==version (conda, pip-like), name<1.0.1 (an upper bound)
  const op = /^([\w.+-]+?)(?::\w+)?[ \t]*(==?|<=?|~=?)[ \t]*(?:\d+:)?(\d+\.\d+(?:\.\d+)?[a-z]{0,2})/.exec(w);
  if (op && OPENSSL_PACKAGE.test(op[1]!.toLowerCase())) {
    const version = op[3]!;
    // `openssl<1.0.1` asks for anything before 1.0.1; `openssl<=1.0.0` and `openssl=1.0.0` for that version or older
    const old = op[2] === '<' ? opensslWithoutTls12(version) || version === '1.0.1' : opensslWithoutTls12(version);
    if (!old) return undefined;
    return { version: op[2] === '<' ? `before ${version}` : version, byName: false };
  }
  // name-version (yum, zypper): `openssl-0.9.8e`, `openssl-devel-1.0.0-27.el6`
  const dash = /^(openssl|openssl-devel|openssl-libs|libopenssl-devel)-(\d+\.\d+\.\d+[a-z]{0,2})(?:[-.][\w.]+)?$/.exec(w);
  if (dash && opensslWithoutTls12(dash[2]!)) return { version: dash[2]!, byName: false };
  return undefined;
}

/** `openssl-0.9.8zh.tar.gz`, `OpenSSL_1_0_0-stable`, `OpenSSL_0_9_8zf`: the OpenSSL a source download or checkout names. */
export function sourceRelease(word: string): string | undefined {
  const tarball = /(?:^|[/=])openssl-(\d+\.\d+\.\d+[a-z]{0,2})\.(?:tar|tgz|zip)/i.exec(word);
  if (tarball) return tarball[1];
  const tag = /(?:^|[/=\s])OpenSSL_(\d+)_(\d+)_(\d+)([a-z]{0,2})(?:-stable)?\b/.exec(word);
  return tag ? `${tag[1]}.${tag[2]}.${tag[3]}${tag[4]}` : undefined;
}

/**
 * Variables a Dockerfile, script or build file sets (`ARG OPENSSL_VERSION=0.9.8zh`, `ENV
 * OPENSSL_VERSION 1.0.0t`, `OPENSSL_VERSION=1.0.0t`, `export V=...`, CMake `set(V 0.9.8)`), for the
 * words that use them.
 */
export function textVariables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*(?:(?:ARG|ENV|export|readonly|declare)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)(?:=|(?<=ENV[ \t]+[A-Za-z_][A-Za-z0-9_]*)[ \t]+)["']?([^\s"'$;&|]+)["']?/gm)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2]!);
  }
  // CMake: `set(OPENSSL_MIN_VERSION 0.9.8)`
  for (const m of text.matchAll(/^[ \t]*set[ \t]*\([ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]+"?([\w.]+)"?[ \t]*\)/gim)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** `$NAME` and `${NAME}` in a word replaced by `vars`; undefined names stay as written. */
export function expand(word: string, vars: ReadonlyMap<string, string>): string {
  return word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, b: string | undefined) => vars.get(a ?? b!) ?? m);
}

export const NO_TLS12 = 'OpenSSL before 1.0.1 speaks TLS 1.0 at most, and no configuration adds TLS 1.2';
