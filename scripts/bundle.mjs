#!/usr/bin/env node
// Bundles the compiled command line and scan worker (dist/src) into a few CommonJS files
// (dist/bundle), so that a run loads a handful of files instead of some 250 ES modules and compiles
// the bulk of them from the V8 code cache (src/code-cache.ts; ES modules have no code cache on
// Node 20): resolving, loading and compiling cost a pre-commit run tens of milliseconds in each of
// its two threads. Dependencies stay outside the bundle (they load from node_modules as before).
// Run by `npm run build` after tsc.
//   pool-start.cjs  starting workers (bin/tlslint.js starts one before it loads anything else)
//   code-cache.cjs  loading a module through the code cache
//   tlslint.cjs     the command line, the engine, the rules and the worker's loop
//   worker.cjs      a scan worker's script: loads tlslint.cjs through the code cache
// The bundles share the one pool-start and code-cache module (the prestarted worker lives in
// pool-start's state): the others require them instead of holding copies.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'dist/src');
const out = path.join(root, 'dist/bundle');
const SHARED = ['pool-start', 'code-cache'];

const shared = {
  name: 'shared-modules',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^\\./(${SHARED.join('|')})\\.js$`) }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `./${path.basename(args.path, '.js')}.cjs`, external: true },
    );
  },
};

fs.rmSync(out, { recursive: true, force: true });
const entries = { 'pool-start': 'pool-start.js', 'code-cache': 'code-cache.js', tlslint: 'bundle-entry.js', worker: 'bundle-worker.js' };
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [path.join(src, entry)],
    outfile: path.join(out, `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [shared],
    // the sources find files next to themselves by import.meta.url, which CommonJS does not have
    define: { 'import.meta.url': 'import_meta_url' },
    banner: { js: '"use strict";\nconst import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
}
