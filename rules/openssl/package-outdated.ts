import { commandCheckers, type CommandInvocation } from '../../src/formats/commands.js';
import { opensslWithoutTls12 } from '../../src/formats/openssl-releases.js';
import { defineRule, type FileContext } from '../../src/rule.js';
import { expand, managerOf, NO_TLS12, oldOpensslPackage, sourceRelease, textVariables, upgradeCommand } from './util.js';

/** Subcommands that install or pin packages. */
const INSTALL = /^(?:install|add|downgrade|reinstall|create|update|upgrade|in)$/;

const variables = new WeakMap<object, Map<string, string>>();

function check(ctx: FileContext, cmd: CommandInvocation): void {
  const manager = managerOf(cmd.name);
  if (manager) {
    if (!cmd.args.some((a) => INSTALL.test(a.text))) return;
    for (const arg of cmd.args) {
      if (arg.text.startsWith('-')) continue;
      const old = oldOpensslPackage(arg.text);
      if (!old) continue;
      ctx.report({
        start: arg.start,
        end: arg.end,
        message: old.byName
          ? `${cmd.name} installs ${arg.text}, the OpenSSL ${old.version} library: programs built or run against it have no TLS 1.2 (${NO_TLS12}). Build and link against the distribution's current OpenSSL instead and take its updates (\`${upgradeCommand(manager)}\`).`
          : `${arg.text} pins OpenSSL ${old.version}, which has no TLS 1.2 (${NO_TLS12}). Remove the pin and take the distribution's updates (\`${upgradeCommand(manager)}\`).`,
      });
    }
    return;
  }
  // building OpenSSL from source: `wget .../openssl-0.9.8zh.tar.gz`, `git clone -b OpenSSL_1_0_0-stable ...`
  let vars = variables.get(ctx.file);
  if (!vars) variables.set(ctx.file, (vars = textVariables(ctx.file.text)));
  for (const arg of cmd.args) {
    const release = sourceRelease(expand(arg.text, vars));
    if (!release || !opensslWithoutTls12(release)) continue;
    ctx.report({
      start: arg.start,
      end: arg.end,
      message: `${cmd.name} fetches the OpenSSL ${release} sources: a build of them has no TLS 1.2 (${NO_TLS12}). Build a supported release (3.x) or use the distribution's OpenSSL.`,
    });
  }
}

/** `- openssl=1.0.0`, `- openssl 1.0.0*`, `- "openssl<1.0.1"` in a conda environment.yml or recipe (meta.yaml). */
const CONDA_DEPENDENCY = /^[ \t]*-[ \t]+(["']?)(openssl(?:[ \t]*(?:==?|<=?|~=?)[ \t]*|[ \t]+)\d[\w.*]*)\1[ \t]*(?:#.*)?$/gm;

export default defineRule({
  id: 'openssl/package-outdated',
  fileKind: 'dockerfile',
  severity: 'error',
  kind: 'runtime',
  title: 'An OpenSSL without TLS 1.2 (before 1.0.1) is installed, pinned or built',
  description:
    'A Dockerfile, shell script or conda environment pins OpenSSL to a release before 1.0.1 (`apt-get install openssl=0.9.8*`, `yum install openssl-0.9.8e`, `apk add openssl=1.0.0r`, `conda install openssl=1.0.0`), installs an old-series library package (`libssl0.9.8`, `openssl098e`, `libopenssl0_9_8`), or downloads OpenSSL 0.9.x/1.0.0 sources to build: everything linked against it cannot speak TLS 1.2.',
  help: `**Why it matters.** OpenSSL added TLS 1.1 and 1.2 in 1.0.1 (2012). A program built or run
against 0.9.8 or 1.0.0 (curl and libcurl, PHP, Python, Ruby, Apache, and your own C code) speaks
TLS 1.0 at most and fails against every server that requires TLS 1.2. The vendors' guidance for
OpenSSL below 1.0.1 is simply: not compatible, must be updated. Pins like these usually survive
from a time when a newer package broke a build.

**How to fix it.** Remove the pin or the compatibility package and take the distribution's
updates, which the vendors' migration guidance names for libcurl and OpenSSL:

\`\`\`sh
apt-get update && apt-get install --only-upgrade openssl libssl-dev   # Debian, Ubuntu
yum update openssl openssl-devel libcurl                              # RHEL, CentOS, Amazon Linux
\`\`\`

Rebuild what linked against the old library. Where a release has no OpenSSL 1.0.1 at all
(CentOS 5, Debian 6, Ubuntu 10.04, SLES 11 without the Security Module), move to a supported
release; building OpenSSL from source, build a supported 3.x release.`,
  remedy: 'Remove the pin and take the distribution\'s OpenSSL updates (apt-get install --only-upgrade openssl libssl-dev, yum update openssl libcurl).',
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['openssl', 'libssl0', 'OpenSSL_'],
  files: {
    ...commandCheckers(['apt-get', 'apt', 'aptitude', 'yum', 'dnf', 'microdnf', 'zypper', 'apk', 'conda', 'mamba', 'micromamba', 'wget', 'curl', 'git'], check),
    yaml: {
      triggers: ['openssl'],
      requires: ['dependencies:', 'requirements:'],
      check(ctx) {
        for (const m of ctx.file.text.matchAll(CONDA_DEPENDENCY)) {
          const spec = m[2]!;
          const old = oldOpensslPackage(spec.replace(/^openssl[ \t]+(?=\d)/, 'openssl='));
          if (!old) continue;
          const start = m.index + m[0].indexOf(spec);
          ctx.report({ start, end: start + spec.length, message: `The conda dependency ${spec} pins OpenSSL ${old.version}, which has no TLS 1.2 (${NO_TLS12}). Require openssl >=3 (or at least 1.1.1) and update the environment (\`conda update openssl\`).` });
        }
      },
    },
  },
});
