#!/usr/bin/env node
// Cold start of a pre-commit run: a fresh `tlslint` process over a handful of staged files,
// as the pre-commit framework runs it. Usage: node scripts/bench-precommit.mjs [runs] [files...]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
const files = process.argv.length > 3 ? process.argv.slice(3) : [
  'demo/legacy-go-service/internal/partner/client.go',
  'demo/legacy-go-service/cmd/server/main.go',
  'demo/legacy-go-service/go.mod',
  'demo/legacy-go-service/Dockerfile',
  'fixtures/go/tls-min-version-missing/go117/client.go',
];

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

const fmt = (s) => `median ${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;
const node = time(['-e', '']);
const tlslint = time(['bin/tlslint.js', '--quiet', ...files]);
console.log(`${runs} runs each, ${files.length} files: ${files.join(', ')}`);
console.log(`node -e ''          ${fmt(node)}`);
console.log(`tlslint (5 files)   ${fmt(tlslint)}`);
console.log(`tlslint over node   ${(tlslint.median - node.median).toFixed(0)} ms`);
