/** The distribution -> OpenSSL table and the Dockerfile base-image reader every OpenSSL check shares. */
import { describe, expect, it } from 'vitest';
import { baseImages, imageVersions, substitute } from '../src/formats/dockerfile.js';
import { DISTRO_RELEASES, opensslAtLeast, opensslWithoutTls12, parseOpensslVersion, releaseOfImage } from '../src/formats/openssl-releases.js';

describe('distribution releases and their OpenSSL', () => {
  it('every row names its OpenSSL, its package manager and where that is published', () => {
    for (const r of DISTRO_RELEASES) {
      expect(parseOpensslVersion(r.openssl), r.label).toBeDefined();
      expect(r.source.length, r.label).toBeGreaterThan(10);
    }
  });

  it('finds the release under distribution images and language images with a codename', () => {
    const openssl = (image: string) => releaseOfImage(image)?.openssl;
    expect(openssl('centos:5')).toBe('0.9.8e');
    expect(openssl('centos:centos5')).toBe('0.9.8e');
    expect(openssl('centos:5.11')).toBe('0.9.8e');
    expect(openssl('centos:6')).toBe('1.0.1e');
    expect(openssl('centos:6.4')).toBe('1.0.0');
    expect(openssl('centos:7.9.2009')).toBe('1.0.2k');
    expect(openssl('oraclelinux:5')).toBe('0.9.8e');
    expect(openssl('debian:squeeze')).toBe('0.9.8o');
    expect(openssl('docker.io/library/debian:6.0.10')).toBe('0.9.8o');
    expect(openssl('debian:lenny-slim')).toBe('0.9.8g');
    expect(openssl('debian:wheezy')).toBe('1.0.1t');
    expect(openssl('ubuntu:10.04')).toBe('0.9.8k');
    expect(openssl('ubuntu:natty')).toBe('0.9.8o');
    expect(openssl('ubuntu:11.10')).toBe('1.0.0e');
    expect(openssl('ubuntu:12.04')).toBe('1.0.1');
    expect(openssl('registry.suse.com/suse/sles11sp4')).toBe('0.9.8j');
    expect(openssl('python:2.7-squeeze')).toBe('0.9.8o');
    expect(openssl('python:2.7.8-wheezy')).toBe('1.0.1t');
    // not a release: unknown, never guessed
    expect(openssl('centos:latest')).toBeUndefined();
    expect(openssl('alpine:3.4')).toBeUndefined();
    expect(openssl('myorg/debian-tools:6')).toBeUndefined();
  });

  it('compares OpenSSL versions with their letters', () => {
    expect(opensslWithoutTls12('0.9.8zh')).toBe(true);
    expect(opensslWithoutTls12('1.0.0t')).toBe(true);
    expect(opensslWithoutTls12('1.0.1')).toBe(false);
    expect(opensslWithoutTls12('1.0.1e')).toBe(false);
    expect(opensslAtLeast('1.0.2k', '1.0.2')).toBe(true);
    expect(opensslAtLeast('1.0.1u', '1.0.2')).toBe(false);
    expect(opensslAtLeast('3.0.2', '3.0')).toBe(true);
  });
});

describe('Dockerfile base images', () => {
  it('reads every stage, resolves global ARG defaults, skips stage references and scratch', () => {
    const text = [
      'ARG BASE=centos:5',
      'ARG TAG="squeeze"',
      'ARG NODEFAULT',
      'FROM ${BASE} AS build',
      'ARG BASE=ignored:1',
      'FROM debian:$TAG',
      'FROM build AS test',
      'FROM --platform=linux/amd64 ubuntu:${UBUNTU:-10.04}',
      'FROM scratch',
      'from python:${NODEFAULT}',
    ].join('\n');
    const images = baseImages(text);
    expect(images.map((b) => [b.image, b.literal, b.stage ?? ''])).toEqual([
      ['centos:5', false, 'build'],
      ['debian:squeeze', false, ''],
      ['ubuntu:10.04', false, ''],
    ]);
    expect(text.slice(images[0]!.start, images[0]!.end)).toBe('${BASE}');
    expect(substitute('${A:+x}${B:-y}', new Map([['A', '1']]))).toBe('xy');
  });

  it('gives the version of a language image and where it is written', () => {
    const text = 'FROM docker.io/library/python:2.7.8-slim\n';
    const [v] = imageVersions(text, /^python$/);
    expect(v!.version).toBe('2.7.8');
    expect(text.slice(v!.refAt.start, v!.refAt.end)).toBe('python:2.7.8');
    expect(text.slice(v!.versionAt.start, v!.versionAt.end)).toBe('2.7.8');
  });
});
