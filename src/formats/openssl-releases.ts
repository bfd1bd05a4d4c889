/**
 * The OpenSSL that distribution releases ship, in one table, each row with where that is
 * published; and what OpenSSL versions mean for TLS. Every check that judges an OpenSSL by
 * its platform reads it here: base images of Dockerfiles (rules/openssl/base-image-outdated.ts),
 * package pins and the upgrade command they need (rules/openssl/package-outdated.ts), and the
 * audit's runtime inventory (rules/inventory.ts).
 *
 * OpenSSL 1.0.1 (March 2012) is the first release with TLS 1.1 and 1.2: anything older speaks TLS
 * 1.0 at most, and no configuration changes that.
 */

export type PackageManager = 'apt' | 'yum' | 'zypper' | 'apk';

export interface DistroRelease {
  /** How messages name the release: `CentOS 5`, `Debian 6 (squeeze)`. */
  label: string;
  /** Image repository names (the last path segment: `centos`, `library/debian`, `suse/sles11sp4`). */
  images: RegExp;
  /** Tags of those images that name the release. */
  tags: RegExp;
  /** The codename language images append to their tags (`python:2.7-wheezy`). */
  codename?: string;
  /** The OpenSSL the release ships (its last update where the release kept one series). */
  openssl: string;
  manager: PackageManager;
  /** Where the version is published. */
  source: string;
  /** How to get an OpenSSL with TLS 1.2 on the release itself, where there is a way. */
  remedy?: string;
}

const RHEL = /^(?:centos|rhel|rhel\d?|oraclelinux|oracle-linux|scientificlinux|sl)$/;
const DEBIAN = /^debian$/;
const UBUNTU = /^ubuntu$/;

/** One row per release; the first row whose image and tag match wins. */
export const DISTRO_RELEASES: readonly DistroRelease[] = [
  // Red Hat Enterprise Linux and its rebuilds
  { label: 'RHEL/CentOS 5', images: RHEL, tags: /^(?:centos)?5(?:\.\d+)?(?:$|[^\d.])/, openssl: '0.9.8e', manager: 'yum', source: 'openssl-0.9.8e-*.el5 in the CentOS 5 base repository (vault.centos.org/5.11/os/x86_64/CentOS/)' },
  {
    label: 'RHEL/CentOS 6.0-6.4',
    images: RHEL,
    tags: /^(?:centos)?6\.[0-4](?:$|[^\d.])/,
    openssl: '1.0.0',
    manager: 'yum',
    source: 'openssl-1.0.0-*.el6 until the rebase to 1.0.1e in RHEL 6.5 (RHEL 6.5 Technical Notes, openssl)',
    remedy: 'update to 6.5 or later (`yum update openssl`), whose OpenSSL 1.0.1e has TLS 1.2',
  },
  { label: 'RHEL/CentOS 6', images: RHEL, tags: /^(?:centos)?6(?:\.\d+)?(?:$|[^\d.])/, openssl: '1.0.1e', manager: 'yum', source: 'openssl-1.0.1e-*.el6 from RHEL 6.5 on (RHEL 6.5 Technical Notes, openssl)' },
  { label: 'RHEL/CentOS 7', images: RHEL, tags: /^(?:centos)?7(?:\.\d+)*(?:$|[^\d.])/, openssl: '1.0.2k', manager: 'yum', source: 'openssl-1.0.2k-*.el7 from CentOS 7.4 on (vault.centos.org/7.9.2009/os/x86_64/Packages/)' },
  { label: 'RHEL 8', images: /^(?:ubi8|rockylinux|almalinux|oraclelinux|centos)$/, tags: /^8(?:\.\d+)?(?:$|[^\d.])|^stream8$/, openssl: '1.1.1k', manager: 'yum', source: 'openssl-1.1.1k-*.el8 (RHEL 8.4 and later package list)' },
  { label: 'RHEL 9', images: /^(?:ubi9|rockylinux|almalinux|oraclelinux|centos)$/, tags: /^9(?:\.\d+)?(?:$|[^\d.])|^stream9$/, openssl: '3.0.7', manager: 'yum', source: 'openssl-3.0.7-*.el9 (RHEL 9.2 and later package list)' },
  // Debian
  { label: 'Debian 4 (etch)', images: DEBIAN, tags: /^(?:4(?:\.\d+)*|etch)(?:$|[^\d.])/, codename: 'etch', openssl: '0.9.8c', manager: 'apt', source: 'packages.debian.org/etch/openssl (0.9.8c-4etch9)' },
  { label: 'Debian 5 (lenny)', images: DEBIAN, tags: /^(?:5(?:\.\d+)*|lenny)(?:$|[^\d.])/, codename: 'lenny', openssl: '0.9.8g', manager: 'apt', source: 'packages.debian.org/lenny/openssl (0.9.8g-15+lenny16)' },
  { label: 'Debian 6 (squeeze)', images: DEBIAN, tags: /^(?:6(?:\.\d+)*|squeeze)(?:$|[^\d.])/, codename: 'squeeze', openssl: '0.9.8o', manager: 'apt', source: 'packages.debian.org/squeeze/openssl (0.9.8o-4squeeze23, squeeze LTS)' },
  { label: 'Debian 7 (wheezy)', images: DEBIAN, tags: /^(?:7(?:\.\d+)*|wheezy)(?:$|[^\d.])/, codename: 'wheezy', openssl: '1.0.1t', manager: 'apt', source: 'packages.debian.org/wheezy/openssl (1.0.1t-1+deb7u4, wheezy LTS)' },
  { label: 'Debian 8 (jessie)', images: DEBIAN, tags: /^(?:8(?:\.\d+)*|jessie)(?:$|[^\d.])/, codename: 'jessie', openssl: '1.0.1t', manager: 'apt', source: 'packages.debian.org/jessie/openssl (1.0.1t-1+deb8u12)' },
  { label: 'Debian 9 (stretch)', images: DEBIAN, tags: /^(?:9(?:\.\d+)*|stretch)(?:$|[^\d.])/, codename: 'stretch', openssl: '1.1.0l', manager: 'apt', source: 'packages.debian.org/stretch/openssl (1.1.0l-1~deb9u1)' },
  { label: 'Debian 10 (buster)', images: DEBIAN, tags: /^(?:10(?:\.\d+)*|buster)(?:$|[^\d.])/, codename: 'buster', openssl: '1.1.1n', manager: 'apt', source: 'packages.debian.org/buster/openssl (1.1.1n-0+deb10u6)' },
  { label: 'Debian 11 (bullseye)', images: DEBIAN, tags: /^(?:11(?:\.\d+)*|bullseye)(?:$|[^\d.])/, codename: 'bullseye', openssl: '1.1.1w', manager: 'apt', source: 'packages.debian.org/bullseye/openssl (1.1.1w-0+deb11u1)' },
  { label: 'Debian 12 (bookworm)', images: DEBIAN, tags: /^(?:12(?:\.\d+)*|bookworm)(?:$|[^\d.])/, codename: 'bookworm', openssl: '3.0.15', manager: 'apt', source: 'packages.debian.org/bookworm/openssl (3.0.15-1~deb12u1)' },
  // Ubuntu
  { label: 'Ubuntu 8.04 (hardy)', images: UBUNTU, tags: /^(?:8\.04|hardy)(?:$|[^\d.])/, codename: 'hardy', openssl: '0.9.8g', manager: 'apt', source: 'launchpad.net/ubuntu/hardy/+source/openssl (0.9.8g-4ubuntu3)' },
  { label: 'Ubuntu 10.04 (lucid)', images: UBUNTU, tags: /^(?:10\.04|lucid)(?:$|[^\d.])/, codename: 'lucid', openssl: '0.9.8k', manager: 'apt', source: 'launchpad.net/ubuntu/lucid/+source/openssl (0.9.8k-7ubuntu8)' },
  { label: 'Ubuntu 10.10 (maverick)', images: UBUNTU, tags: /^(?:10\.10|maverick)(?:$|[^\d.])/, codename: 'maverick', openssl: '0.9.8o', manager: 'apt', source: 'launchpad.net/ubuntu/maverick/+source/openssl (0.9.8o-1ubuntu4)' },
  { label: 'Ubuntu 11.04 (natty)', images: UBUNTU, tags: /^(?:11\.04|natty)(?:$|[^\d.])/, codename: 'natty', openssl: '0.9.8o', manager: 'apt', source: 'launchpad.net/ubuntu/natty/+source/openssl (0.9.8o-5ubuntu1)' },
  { label: 'Ubuntu 11.10 (oneiric)', images: UBUNTU, tags: /^(?:11\.10|oneiric)(?:$|[^\d.])/, codename: 'oneiric', openssl: '1.0.0e', manager: 'apt', source: 'launchpad.net/ubuntu/oneiric/+source/openssl (1.0.0e-2ubuntu4)' },
  { label: 'Ubuntu 12.04 (precise)', images: UBUNTU, tags: /^(?:12\.04|precise)(?:$|[^\d.])/, codename: 'precise', openssl: '1.0.1', manager: 'apt', source: 'launchpad.net/ubuntu/precise/+source/openssl (1.0.1-4ubuntu5)' },
  { label: 'Ubuntu 14.04 (trusty)', images: UBUNTU, tags: /^(?:14\.04|trusty)(?:$|[^\d.])/, codename: 'trusty', openssl: '1.0.1f', manager: 'apt', source: 'launchpad.net/ubuntu/trusty/+source/openssl (1.0.1f-1ubuntu2)' },
  { label: 'Ubuntu 16.04 (xenial)', images: UBUNTU, tags: /^(?:16\.04|xenial)(?:$|[^\d.])/, codename: 'xenial', openssl: '1.0.2g', manager: 'apt', source: 'launchpad.net/ubuntu/xenial/+source/openssl (1.0.2g-1ubuntu4)' },
  { label: 'Ubuntu 18.04 (bionic)', images: UBUNTU, tags: /^(?:18\.04|bionic)(?:$|[^\d.])/, codename: 'bionic', openssl: '1.1.1', manager: 'apt', source: 'launchpad.net/ubuntu/bionic/+source/openssl (1.1.1-1ubuntu2)' },
  { label: 'Ubuntu 20.04 (focal)', images: UBUNTU, tags: /^(?:20\.04|focal)(?:$|[^\d.])/, codename: 'focal', openssl: '1.1.1f', manager: 'apt', source: 'launchpad.net/ubuntu/focal/+source/openssl (1.1.1f-1ubuntu2)' },
  { label: 'Ubuntu 22.04 (jammy)', images: UBUNTU, tags: /^(?:22\.04|jammy)(?:$|[^\d.])/, codename: 'jammy', openssl: '3.0.2', manager: 'apt', source: 'launchpad.net/ubuntu/jammy/+source/openssl (3.0.2-0ubuntu1)' },
  { label: 'Ubuntu 24.04 (noble)', images: UBUNTU, tags: /^(?:24\.04|noble)(?:$|[^\d.])/, codename: 'noble', openssl: '3.0.13', manager: 'apt', source: 'launchpad.net/ubuntu/noble/+source/openssl (3.0.13-0ubuntu3)' },
  // SUSE
  {
    label: 'SLES 11',
    images: /^sles11(?:sp\d)?$/,
    tags: /./,
    openssl: '0.9.8j',
    manager: 'zypper',
    source: 'SUSE Best Practices, "Security Module in SUSE Linux Enterprise 11" (OpenSSL 0.9.8j; openssl1 1.0.1 in the Security Module)',
    remedy: 'add the SLE 11 Security Module and build against its OpenSSL 1.0.1 (`zypper install libopenssl1_0_0 libopenssl1-devel`)',
  },
  { label: 'SLES 12', images: /^sles12(?:sp\d)?$/, tags: /./, openssl: '1.0.2p', manager: 'zypper', source: 'SUSE Linux Enterprise 12 SP5 package list (openssl-1_0_0 1.0.2p)' },
  { label: 'openSUSE 11.x', images: /^opensuse$/, tags: /^11\.\d(?:$|[^\d.])/, openssl: '1.0.0c', manager: 'zypper', source: 'openSUSE 11.4 repository (openssl 1.0.0c; 11.3 and older 0.9.8)' },
  { label: 'openSUSE 12.1', images: /^opensuse$/, tags: /^12\.1(?:$|[^\d.])/, openssl: '1.0.0e', manager: 'zypper', source: 'openSUSE 12.1 repository (openssl 1.0.0e)' },
  { label: 'openSUSE 13.x', images: /^opensuse$/, tags: /^13\.\d(?:$|[^\d.])/, openssl: '1.0.1e', manager: 'zypper', source: 'openSUSE 13.1 repository (openssl 1.0.1e)' },
  // Amazon Linux
  { label: 'Amazon Linux 1 and 2', images: /^amazonlinux$/, tags: /^(?:1|2|2016\.\d+|2017\.\d+|2018\.\d+)(?:$|[^\d.])/, openssl: '1.0.2k', manager: 'yum', source: 'Amazon Linux 2 package list (openssl-1.0.2k-*.amzn2)' },
];

/** How to take a distribution's OpenSSL updates (the vendors' guidance for libcurl and OpenSSL). */
export const UPGRADE_COMMAND: Record<PackageManager, string> = {
  apt: 'apt-get update && apt-get install --only-upgrade openssl libssl-dev',
  yum: 'yum update openssl openssl-devel libcurl',
  zypper: 'zypper update openssl libopenssl-devel libcurl4',
  apk: 'apk upgrade openssl libcurl',
};

/** A current base image of the same family, for messages. */
export const SUCCESSOR_IMAGE: Record<PackageManager, string> = {
  apt: 'debian:bookworm-slim or ubuntu:24.04',
  yum: 'rockylinux:9, almalinux:9 or ubi9',
  zypper: 'registry.suse.com/bci/bci-base:15.6',
  apk: 'alpine:3.20',
};

/** `1.0.1e` as numbers: [1, 0, 1, 5]; the letter counts as a patch level. */
export function parseOpensslVersion(text: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?([a-z]{1,2})?/.exec(text.trim());
  if (!m) return undefined;
  const letters = m[4] ? [...m[4]].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 96), 0) : 0;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), letters];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** True for an OpenSSL without TLS 1.2 (before 1.0.1). */
export function opensslWithoutTls12(version: string): boolean {
  const v = parseOpensslVersion(version);
  return !!v && compare(v, [1, 0, 1]) < 0;
}

/** True for an OpenSSL at or after `than` (`3.0`, `1.1.0`). */
export function opensslAtLeast(version: string, than: string): boolean {
  const v = parseOpensslVersion(version);
  const t = parseOpensslVersion(than);
  return !!v && !!t && compare(v, t) >= 0;
}

/** An image reference split: `docker.io/library/debian:squeeze` gives name `debian`, tag `squeeze`. */
export function splitImage(image: string): { repo: string; name: string; tag: string } {
  const ref = image.replace(/@sha256:[0-9a-f]+$/i, '').replace(/^(?:docker\.io\/)?(?:library\/)?/, '');
  const [repo = '', tag = 'latest'] = ref.split(/:(?=[^/]*$)/);
  return { repo, name: repo.split('/').pop()!.toLowerCase(), tag: tag.toLowerCase() };
}

/** The release an image is built on: the distribution itself (`debian:squeeze`) or a language image's codename suffix (`python:2.7-wheezy`). */
export function releaseOfImage(image: string): DistroRelease | undefined {
  const { name, tag } = splitImage(image);
  const parts = tag.split('-');
  for (const r of DISTRO_RELEASES) if (r.images.test(name) && r.tags.test(tag)) return r;
  for (const r of DISTRO_RELEASES) if (r.codename && parts.slice(1).includes(r.codename)) return r;
  return undefined;
}
