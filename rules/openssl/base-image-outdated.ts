import { baseImages } from '../../src/formats/dockerfile.js';
import { opensslWithoutTls12, releaseOfImage, splitImage, SUCCESSOR_IMAGE, UPGRADE_COMMAND } from '../../src/formats/openssl-releases.js';
import { defineRule } from '../../src/rule.js';
import { describeImage } from '../inventory.js';
import { NO_TLS12 } from './util.js';

/** Runtimes whose packs report a too-old image themselves (java, python, ruby, go, php runtime rules): one finding, not two. */
const REPORTED_BY_ITS_PACK = new Set(['Java', 'Python', 'Ruby', 'Go', 'PHP']);

export default defineRule({
  id: 'openssl/base-image-outdated',
  fileKind: 'dockerfile',
  severity: 'error',
  kind: 'runtime',
  title: 'Base image whose OpenSSL has no TLS 1.2 (before 1.0.1)',
  description:
    'A Dockerfile builds on a distribution release whose OpenSSL is older than 1.0.1 (CentOS/RHEL 5, Debian 6 squeeze and older, Ubuntu 11.10 and older, SLES 11), directly or through a language image built on one; every stage is judged, and `ARG` defaults are resolved. Every program in the image that uses the system OpenSSL speaks TLS 1.0 at most.',
  help: `**Why it matters.** OpenSSL added TLS 1.1 and 1.2 in 1.0.1. The system OpenSSL of CentOS and
RHEL 5 (0.9.8e), Debian 6 squeeze (0.9.8o) and older, Ubuntu 10.04 to 11.10 (0.9.8k to 1.0.0e)
and SLES 11 (0.9.8j) is older, and these releases never received a newer one: curl, libcurl,
PHP, Python, Ruby, Apache and any C code in the image cannot connect to a server that requires
TLS 1.2. The vendors' guidance for OpenSSL below 1.0.1 is: not compatible, must be updated.
The release of each image and its OpenSSL come from one table (src/formats/openssl-releases.ts),
each row with where the version is published.

**How to fix it.** Taking the release's own updates (\`apt-get install --only-upgrade openssl
libssl-dev\`, \`yum update openssl\`) does not help on these releases: build on a supported one.

\`\`\`dockerfile
FROM rockylinux:9            # instead of centos:5
FROM debian:bookworm-slim    # instead of debian:squeeze
\`\`\`

On CentOS/RHEL 6.0-6.4, \`yum update openssl\` brings OpenSSL 1.0.1e (6.5); on SLES 11, the
Security Module's \`libopenssl1_0_0\` has TLS 1.2. Language images on an old release
(\`python:2.7-squeeze\`) are reported here; language images whose runtime itself is too old
(\`openjdk:7\`, \`python:2.7.8\`, \`ruby:1.9\`, \`golang:1.10\`, \`php:5.5\`) are reported once, by
the pack that owns the runtime.`,
  remedy: 'Build on a supported distribution release (rockylinux:9, debian:bookworm-slim, ubuntu:24.04).',
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'very-high',
  securitySeverity: 7.4,
  triggers: ['centos', 'rhel', 'oraclelinux', 'scientificlinux', 'debian', 'ubuntu', 'sles', 'opensuse', 'squeeze', 'lenny', 'etch', 'hardy', 'lucid', 'maverick', 'natty', 'oneiric', 'ARG'],
  check(ctx) {
    for (const base of baseImages(ctx.file.text)) {
      const release = releaseOfImage(base.image);
      if (!release || !opensslWithoutTls12(release.openssl)) continue;
      // `python:2.7.8-squeeze`: the Python pack reports the image
      if (describeImage(base.image).some((i) => REPORTED_BY_ITS_PACK.has(i.runtime) && i.tooOld)) continue;
      const { name } = splitImage(base.image);
      const shown = base.literal ? `\`${base.written}\`` : `\`${base.written}\` (${base.image})`;
      const what = release.images.test(name) ? `is ${release.label}` : `is built on ${release.label}`;
      const fix = release.remedy
        ? `${release.remedy}, or build on a supported release (${SUCCESSOR_IMAGE[release.manager]})`
        : `taking the release's updates (\`${UPGRADE_COMMAND[release.manager]}\`) keeps it there: build on a supported release (${SUCCESSOR_IMAGE[release.manager]})`;
      ctx.report({
        start: base.start,
        end: base.end,
        message: `${shown} ${what}, whose OpenSSL ${release.openssl} has no TLS 1.2 (${NO_TLS12}); ${fix}.`,
      });
    }
  },
});
