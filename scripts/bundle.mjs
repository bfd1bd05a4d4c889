#!/usr/bin/env node
// Bundles the compiled command line and scan worker (dist/src) into a few files (dist/bundle), so
// that a run loads a handful of modules instead of some 250: resolving and loading each ES module
// cost a pre-commit run about 0.15 s in each of its two threads. Dependencies stay outside the
// bundle (they load from node_modules as before). Run by `npm run build` after tsc.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'dist/src');
const out = path.join(root, 'dist/bundle');

fs.rmSync(out, { recursive: true, force: true });
await build({
  // the entries the command line and the engine load by path: the CLI, the worker script
  // (pool-start.ts names it next to itself), the default rule registry the workers import, and
  // pool-start itself (bin/tlslint.js starts a worker before it loads the CLI)
  entryPoints: ['cli.js', 'worker.js', 'registry.js', 'pool-start.js'].map((f) => path.join(src, f)),
  outdir: out,
  bundle: true,
  // one copy of each module shared by the entries: the CLI's rules are the registry's rules
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
