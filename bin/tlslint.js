#!/usr/bin/env node
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
// a scan reads its files in a worker thread; starting it first lets it load the rules while this
// thread loads the same code (not for the commands and options that scan nothing)
if (!['audit', 'merge'].includes(args[0]) && !args.some((a) => ['-', '-h', '--help', '-v', '--version', '--list-rules'].includes(a))) {
  require('../dist/bundle/pool-start.cjs').prestartWorker();
}
// the command line, engine and rules: one bundle, compiled from the V8 code cache after the first
// run (src/code-cache.ts; a scan worker keeps a cache of its own)
const bundle = require('../dist/bundle/code-cache.cjs').loadCached('./tlslint.cjs', process.env, { dynamicImport: true, role: 'main' });
process.exitCode = await bundle.exports.main(args, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
// once this run has compiled what it used, for the next run to find compiled
bundle.save();
