import { baseImageWords, imageVersions } from '../../src/formats/dockerfile.js';
import { defineRule, type FileContext } from '../../src/rule.js';
import { parsePythonVersion, statedVersion, tooOldForTls12 } from './util.js';

/** The file kinds that state a Python version, and the file each is (the key of VERSION_SOURCES). */
const VERSION_FILES: Record<string, string> = {
  'runtime-txt': 'runtime.txt',
  'python-version': '.python-version',
  pipfile: 'Pipfile',
  pyproject: 'pyproject.toml',
  'setup-cfg': 'setup.cfg',
};

const ADVICE =
  'upgrade to a supported Python 3 (TLS 1.2 needs at least 2.7.9 or 3.4 built against OpenSSL 1.0.1+)';

function report(ctx: FileContext, start: number, end: number, version: string, what: string): void {
  ctx.report({
    start,
    end,
    message: `${what} Python ${version}, which cannot negotiate TLS 1.2 reliably (no SSLContext or TLS 1.2 support in its ssl module); ${ADVICE}.`,
  });
}

export default defineRule({
  id: 'python/runtime-outdated',
  fileKind: 'python',
  severity: 'warning',
  kind: 'runtime',
  title: 'Python runtime too old for TLS 1.2 (before 2.7.9, or 3.0-3.3)',
  description:
    'runtime.txt, .python-version, Pipfile python_version, a requires-python / python_requires floor or a Dockerfile FROM python:X names a Python before 2.7.9 or 3.0-3.3, whose ssl module cannot use TLS 1.2 properly.',
  help: `**Why it matters.** Python's \`ssl\` module learned \`SSLContext\`, SNI and the TLS 1.2
protocol constants in 2.7.9 (backported from 3.4). Older interpreters, Python 3.0-3.3 included,
cannot set a TLS 1.2 floor, often cannot negotiate TLS 1.2 at all, and verify no certificates by
default; every HTTPS client on them (urllib2, requests, pip itself) breaks as servers turn TLS 1.0
and 1.1 off. A package whose \`requires-python\` floor is below 2.7.9 invites installs on such
interpreters.

**How to fix it.** Move to a supported Python 3 release and state it (\`runtime.txt\`,
\`.python-version\`, the \`FROM python:3.12-slim\` base image, \`requires-python = ">=3.9"\`). Where an
old Python 3 must stay for a while, \`pip install urllib3[secure]\` / pyOpenSSL injection
(\`urllib3.contrib.pyopenssl.inject_into_urllib3()\`) lets requests speak TLS 1.2 through a newer
OpenSSL. A bare \`2.7\` names the 2.7 line, whose last releases can do TLS 1.2, so it is not
reported; Python 2.7 itself has been out of support since 2020.`,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['python', '2.', '3.'],
  files: {
    ...Object.fromEntries(
      Object.entries(VERSION_FILES).map(([kind, fileName]) => [
        kind,
        {
          triggers: ['python', '2.', '3.'],
          check(ctx: FileContext) {
            const v = statedVersion(ctx.file.text, fileName);
            if (!v || !tooOldForTls12(v, v.text.split('.').length > 2)) return;
            report(ctx, v.start, v.end, v.text, v.pinned ? `${v.file} pins` : `${v.file} allows installs on`);
          },
        },
      ]),
    ),
    'setup-py': {
      triggers: ['python_requires'],
      query: `(keyword_argument name: (identifier) @kw (#eq? @kw "python_requires") value: (string) @value)`,
      check(ctx) {
        const value = ctx.captures.value!;
        const m = /^[rbuRBU]*['"][ \t]*(?:>=|~=|==)?[ \t]*(\d+\.\d+(?:\.\d+)?)/.exec(value.text);
        const v = m ? parsePythonVersion(m[1]!) : undefined;
        if (!m || !v || !tooOldForTls12(v, m[1]!.split('.').length > 2)) return;
        const start = value.startIndex + m[0].length - m[1]!.length;
        report(ctx, start, start + m[1]!.length, m[1]!, 'setup.py python_requires allows installs on');
      },
    },
    dockerfile: {
      triggers: ['python:'],
      check(ctx) {
        // `FROM [--platform=...] python:2.7.8-slim [AS build]` (any registry; ARG defaults resolved)
        for (const image of imageVersions(ctx.file.text, /^python$/, /^\d+(?:\.\d+){1,2}/)) {
          const v = parsePythonVersion(image.version);
          if (!v || !tooOldForTls12(v, image.version.split('.').length > 2)) continue;
          report(ctx, image.refAt.start, image.refAt.end, image.version, `${baseImageWords(image.base)} runs`);
        }
      },
    },
  },
});
