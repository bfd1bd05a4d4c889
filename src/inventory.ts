/**
 * The runtime inventory of an audit: which runtimes and platforms each repository builds for or
 * runs on (Java release, .NET target, Go, Python, Ruby, Node and PHP versions, base images and the
 * OpenSSL they bring), with the ones too old for TLS 1.2 marked: the migration plan vendors'
 * guidance asks for. Packs describe what they know as probes (rules/inventory.ts): a project fact
 * (the same facts rules read) and how to describe its value. A new fact plugs in as one more probe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { factFile, type ProjectFact } from './context.js';
import type { FileTree } from './discover.js';
import { isTestPath } from './testcode.js';

export interface InventoryItem {
  /** `Java`, `.NET Framework`, `.NET`, `Go`, `Python`, `Ruby`, `Node.js`, `PHP`, `OpenSSL`, `base image`... */
  runtime: string;
  /** As stated (`1.7`, `v4.5.2`, `go 1.16`, `python:2.7.8-slim`). */
  version: string;
  /** Too old for TLS 1.2 (or defaults to TLS 1.0): why, and what to move to. */
  tooOld?: string;
}

export interface InventoryEntry extends InventoryItem {
  /** Files stating it, relative to the repository, `/`-separated. */
  files: string[];
}

/** What a pack knows about one kind of runtime statement. */
export interface RuntimeProbe<T = unknown> {
  fact: ProjectFact<T>;
  /** The runtimes a fact value names (a Dockerfile may name several). */
  describe(value: T, file: string): InventoryItem[];
}

const MAX_FILE = 2 * 1024 * 1024;

/**
 * Reads every fact file of a repository once (those the scan would read: .gitignore and excludes
 * honoured; test code left out) and lists what the probes find, the files of each entry merged.
 */
export function takeInventory(root: string, tree: FileTree, probes: readonly RuntimeProbe[]): InventoryEntry[] {
  const byKey = new Map<string, InventoryEntry>();
  const names = new Set(probes.flatMap((p) => p.fact.fileNames ?? []));
  const matchers = probes.filter((p) => p.fact.match).map((p) => p.fact.match!);
  const wanted = (base: string) => names.has(base) || matchers.some((m) => m(base));
  for (const file of tree.filesBelow(root, /.*/)) {
    const base = path.basename(file);
    if (!wanted(base)) continue;
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (isTestPath(rel)) continue;
    let text: string | undefined;
    for (const probe of probes) {
      if (!(probe.fact.fileNames?.includes(base) || probe.fact.match?.(base))) continue;
      try {
        text ??= fs.statSync(file).size <= MAX_FILE ? fs.readFileSync(file, 'utf8') : '';
        const value = probe.fact.parse(text, factFile(file));
        if (value === undefined) continue;
        for (const item of probe.describe(value, rel)) {
          const key = `${item.runtime}\0${item.version}`;
          const entry = byKey.get(key) ?? byKey.set(key, { ...item, files: [] }).get(key)!;
          if (!entry.files.includes(rel)) entry.files.push(rel);
        }
      } catch {
        // an unreadable or unparsable file states nothing
      }
    }
  }
  // too old first, then by runtime and version
  return [...byKey.values()].sort((a, b) => Number(!!b.tooOld) - Number(!!a.tooOld) || a.runtime.localeCompare(b.runtime) || a.version.localeCompare(b.version, 'en', { numeric: true }));
}
