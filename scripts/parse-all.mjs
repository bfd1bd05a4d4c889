#!/usr/bin/env node
// The parse-everything baseline of `npm run bench`: parses every listed file that has a
// tree-sitter grammar with tlslint's own parsers, in one thread, without running rules.
// Usage: node --expose-gc scripts/parse-all.mjs FILE_LIST
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { classify } = await import(path.join(root, 'dist/src/languages.js'));
const { grammarFor } = await import(path.join(root, 'dist/src/parsers.js'));

const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let parsed = 0;
for (let i = 0; i < files.length; i++) {
  const kind = classify(files[i]);
  if (!kind || kind.parser.type !== 'tree-sitter') continue;
  const { parser } = grammarFor(kind);
  const tree = parser.parse(fs.readFileSync(files[i], 'utf8'));
  if (tree.rootNode.type) parsed++;
  // give finalizers a chance to free native trees, as the scanner does
  if (i % 64 === 63) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
process.stderr.write(`parsed ${parsed} files\n`);
