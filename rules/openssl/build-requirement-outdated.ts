import { opensslWithoutTls12 } from '../../src/formats/openssl-releases.js';
import { defineRule, type FileContext } from '../../src/rule.js';
import { expand, NO_TLS12, textVariables } from './util.js';

interface Requirement {
  /** The requirement as written, for the message. */
  text: string;
  start: number;
  end: number;
  /** `>=` a floor, `<`/`<=` a ceiling, `=` an exact version. */
  op: '>=' | '<' | '<=' | '=';
  version: string;
}

const VERSION = String.raw`(\$\{?\w+\}?|\d+(?:\.\d+){0,2}[a-z]{0,2})`;

/**
 * OpenSSL requirements in build files: CMake's `find_package(OpenSSL 0.9.8)`, pkg-config module
 * specs (`openssl >= 0.9.8` in `PKG_CHECK_MODULES`, `pkg_check_modules`, `pkg-config --exists`),
 * pkg-config's `--atleast-version=`, `--exact-version=` and `--max-version=` options around
 * `openssl`, and meson's `dependency('openssl', version: '>=0.9.8')`. Each with the group of its
 * operator (or a fixed one) and of its version.
 */
const PATTERNS: Array<{ re: RegExp; op?: string; opGroup?: number; versionGroup: number }> = [
  { re: new RegExp(String.raw`find_package\s*\(\s*OpenSSL\s+${VERSION}`, 'gi'), op: '>=', versionGroup: 1 },
  { re: new RegExp(String.raw`\bopenssl\s*(>=|<=|=|<|>)\s*${VERSION}`, 'g'), opGroup: 1, versionGroup: 2 },
  { re: new RegExp(String.raw`--(atleast|exact|max)-version[= ]${VERSION}\s+(?:--\S+\s+)*openssl\b`, 'g'), opGroup: 1, versionGroup: 2 },
  { re: new RegExp(String.raw`\bopenssl\s+(?:--\S+\s+)*--(atleast|exact|max)-version[= ]${VERSION}`, 'g'), opGroup: 1, versionGroup: 2 },
  { re: new RegExp(String.raw`dependency\s*\(\s*['"]openssl['"][^)]*?version\s*:\s*\[?\s*['"]\s*(>=|<=|==|=|<|>)?\s*${VERSION}`, 'g'), opGroup: 1, versionGroup: 2 },
];

const OPERATORS: Record<string, Requirement['op']> = { '>=': '>=', '>': '>=', atleast: '>=', '<=': '<=', max: '<=', '<': '<', '=': '=', '==': '=', exact: '=' };

/** A matched call as messages show it, its open quote and brackets closed: `find_package(OpenSSL 0.9.8)`. */
function closed(text: string): string {
  let t = text;
  const count = (c: string) => t.split(c).length - 1;
  if (count("'") % 2) t += "'";
  if (count('"') % 2) t += '"';
  if (count('[') > count(']')) t += ']';
  while (count('(') > count(')')) t += ')';
  return t;
}

function requirements(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const op = OPERATORS[p.op ?? m[p.opGroup!] ?? '>='] ?? '>=';
      out.push({ text: closed(m[0].replace(/\s+/g, ' ')), start: m.index, end: m.index + m[0].length, op, version: m[p.versionGroup]! });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function check(ctx: FileContext): void {
  let vars: Map<string, string> | undefined;
  for (const r of requirements(ctx.file.text)) {
    const version = r.version.startsWith('$') ? expand(r.version, (vars ??= textVariables(ctx.file.text))) : r.version;
    if (!/^\d/.test(version)) continue;
    const through = version !== r.version ? ` (${r.version} is ${version})` : '';
    if (r.op === '>=') {
      // `>= 1.0` and `>= 1.0.0` accept 1.0.0; `>= 1.0.1` is the first floor with TLS 1.2
      if (!opensslWithoutTls12(version.split('.').length < 3 ? `${version}.0` : version)) continue;
      ctx.report({
        start: r.start,
        end: r.end,
        severity: 'warning',
        message: `${r.text}${through} accepts OpenSSL ${version}, which has no TLS 1.2: the project builds against an OpenSSL without TLS 1.2 wherever one is installed (${NO_TLS12}). Require 1.1.1 or later (3.0 where the platforms allow).`,
      });
    } else if (r.op === '=' ? opensslWithoutTls12(version) : r.op === '<' ? opensslWithoutTls12(version) || version === '1.0.1' : opensslWithoutTls12(version)) {
      ctx.report({
        start: r.start,
        end: r.end,
        message: `${r.text}${through} requires an OpenSSL before 1.0.1, which has no TLS 1.2 (${NO_TLS12}). Drop the upper bound and require 1.1.1 or later.`,
      });
    }
  }
}

export default defineRule({
  id: 'openssl/build-requirement-outdated',
  fileKind: 'cmake',
  severity: 'error',
  kind: 'runtime',
  title: 'Build files accept or require an OpenSSL without TLS 1.2 (before 1.0.1)',
  description:
    'CMake (`find_package(OpenSSL 0.9.8)`, `pkg_check_modules(... openssl>=0.9.8)`), Autoconf (`PKG_CHECK_MODULES([SSL], [openssl >= 0.9.8])`), meson (`dependency(\'openssl\', version: \'>=0.9.8\')`), Makefiles and scripts (`pkg-config --atleast-version=0.9.8 openssl`) state an OpenSSL requirement that an OpenSSL before 1.0.1 meets (a warning), or an upper bound or exact version that only such an OpenSSL meets (an error).',
  help: `**Why it matters.** A native project's build files say which OpenSSL it may be built
against. A floor below 1.0.1 lets the build succeed on a system whose OpenSSL has no TLS 1.1 or
1.2 (CentOS 5, Debian 6, SLES 11), producing a binary that cannot connect to a TLS 1.2 server; an
upper bound such as \`openssl < 1.0.1\` or \`--max-version=1.0.0\` demands such an OpenSSL. The
vendors' guidance for OpenSSL below 1.0.1 is: not compatible, must be updated.

**How to fix it.** Raise the floor to a release with TLS 1.2, and preferably to a supported one:

\`\`\`cmake
find_package(OpenSSL 1.1.1 REQUIRED)
pkg_check_modules(OPENSSL REQUIRED openssl>=1.1.1)
\`\`\`

\`\`\`m4
PKG_CHECK_MODULES([OPENSSL], [openssl >= 1.1.1])
\`\`\`

Drop upper bounds below 1.0.1 and port the code that needed them (usually the OpenSSL 1.1.0
opaque structures: \`SSL_CTX\`, \`X509\`, \`EVP_MD_CTX\` accessors). No automatic fix: the floor is the
project's decision.`,
  remedy: 'Require OpenSSL 1.1.1 or later in the build files (find_package(OpenSSL 1.1.1 REQUIRED), openssl >= 1.1.1).',
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  triggers: ['OpenSSL', 'openssl'],
  check,
  files: {
    autoconf: { check },
    makefile: { check },
    meson: { check },
    shell: { triggers: ['pkg-config', 'pkgconf'], check },
    dockerfile: { triggers: ['pkg-config', 'pkgconf'], check },
  },
});
