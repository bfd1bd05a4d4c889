/** The audit's runtime inventory: what each repository states, too old for TLS 1.2 marked. */
import { describe, expect, it } from 'vitest';
import { describeImage, INVENTORY } from '../rules/inventory.js';
import { discover } from '../src/discover.js';
import { takeInventory } from '../src/inventory.js';
import { tempTree } from './helpers.js';

function inventoryOf(files: Record<string, string>) {
  const dir = tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  const found = discover([dir], { cwd: dir });
  return takeInventory(dir, found.tree, INVENTORY).map((e) => ({ runtime: e.runtime, version: e.version, files: e.files, old: !!e.tooOld }));
}

describe('runtime inventory', () => {
  it('lists every runtime the repository states, too old ones first, from the files the scan reads', () => {
    const inv = inventoryOf({
      'go.mod': 'module x\n\ngo 1.11\n',
      'svc/go.mod': 'module y\n\ngo 1.22\n',
      'pom.xml': '<project><properties><maven.compiler.source>1.7</maven.compiler.source></properties></project>',
      'web/Web.csproj': '<Project><PropertyGroup><TargetFrameworkVersion>v4.5.2</TargetFrameworkVersion></PropertyGroup></Project>',
      'api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
      'runtime.txt': 'python-2.7.8\n',
      '.ruby-version': '1.9.3\n',
      'package.json': JSON.stringify({ engines: { node: '^8.9' } }),
      'lib/package.json': JSON.stringify({ engines: { node: '>=10' } }),
      'composer.json': JSON.stringify({ require: { php: '>=5.3' }, config: { platform: { php: '5.5.9' } } }),
      'Dockerfile': 'FROM debian:squeeze AS base\nFROM python:2.7.8-wheezy\nFROM base\nFROM node:20-bookworm-slim\n',
      // test code and ignored folders state nothing
      'test/go.mod': 'module t\n\ngo 1.5\n',
      'node_modules/dep/package.json': JSON.stringify({ engines: { node: '0.10' } }),
    });
    const old = inv.filter((e) => e.old).map((e) => `${e.runtime} ${e.version} ${e.files.join(',')}`);
    expect(old.sort()).toEqual(
      [
        '.NET Framework v4.5.2 web/Web.csproj',
        'Go 1.11 go.mod',
        'Java 7 pom.xml',
        'Node.js ^8.9 package.json',
        'OpenSSL 0.9.8o (debian:squeeze) Dockerfile',
        'PHP 5.5.9 composer.json',
        'Python 2.7.8 runtime.txt',
        'Python python:2.7.8-wheezy Dockerfile',
        'Ruby 1.9.3 .ruby-version',
      ].sort(),
    );
    const fine = inv.filter((e) => !e.old).map((e) => `${e.runtime} ${e.version}`);
    // an open lower bound (a library's supported range) is listed, not flagged
    expect(fine).toEqual(expect.arrayContaining(['Go 1.22', '.NET net8.0', 'Node.js >=10', 'Node.js node:20-bookworm-slim', 'OpenSSL 3.0.15 (node:20-bookworm-slim)', 'OpenSSL 1.0.1t (python:2.7.8-wheezy)']));
    expect(inv.some((e) => e.files.some((f) => f.startsWith('test/') || f.includes('node_modules')))).toBe(false);
    // too old first
    expect(inv.findIndex((e) => !e.old)).toBe(old.length);
  });

  it('reads runtimes and the OpenSSL of the distribution from image references', () => {
    const names = (image: string) => describeImage(image).map((i) => `${i.runtime}${i.tooOld ? ' (too old)' : ''}`);
    expect(names('openjdk:7-jre')).toEqual(['Java (too old)']);
    expect(names('eclipse-temurin:17-jre')).toEqual(['Java']);
    expect(names('docker.io/library/golang:1.10-alpine')).toEqual(['Go (too old)']);
    expect(names('mcr.microsoft.com/dotnet/framework/aspnet:4.8')).toEqual(['.NET Framework']);
    expect(names('mcr.microsoft.com/dotnet/framework/aspnet:4.5.2')).toEqual(['.NET Framework (too old)']);
    expect(names('centos:5')).toEqual(['OpenSSL (too old)']);
    expect(names('ubuntu:22.04')).toEqual(['OpenSSL']);
    expect(names('php:5.5-apache')).toEqual(['PHP (too old)']);
    expect(names('node:8-jessie')).toEqual(['Node.js (too old)', 'OpenSSL']);
    expect(names('registry.example.com/team/base:1.0')).toEqual([]);
  });
});
