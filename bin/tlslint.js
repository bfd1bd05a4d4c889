#!/usr/bin/env node
const args = process.argv.slice(2);
// a scan reads its files in a worker thread; starting it first lets it load the rules while this
// thread loads the same modules (not for the commands and options that scan nothing)
if (!['audit', 'merge'].includes(args[0]) && !args.some((a) => ['-', '-h', '--help', '-v', '--version', '--list-rules'].includes(a))) {
  (await import('../dist/bundle/pool-start.js')).prestartWorker();
}
const { main } = await import('../dist/bundle/cli.js');

process.exitCode = await main(args, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
