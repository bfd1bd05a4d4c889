/**
 * Where Node's command-line flags are written, shared by the rules that read them
 * (`--tls-min-v1.0`, `--tls-cipher-list=...`): lines of scripts, Dockerfiles, .env files, YAML and
 * package.json scripts (read as text), and in JavaScript/TypeScript the arguments of calls that
 * start a process (`spawn`, `fork`, `exec`, execa) and the `execArgv`/`NODE_OPTIONS` settings,
 * whose values come from the semantic layer.
 */
import type { TsNode } from '../../src/lang/typescript.js';
import type { FileContext, TsContext } from '../../src/rule.js';
import { settingSites } from './settings.js';

/** True when the line of `offset` is a comment (`#` in scripts and YAML, `//` in code). */
export function inCommentLine(ctx: FileContext, offset: number): boolean {
  const line = ctx.file.lineText(ctx.file.lineOf(offset));
  return /^\s*(?:#|\/\/)/.test(line);
}

/** Calls that start a Node process with arguments, and the options that carry its flags. */
const SPAWNS = ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync', 'execa', 'execaNode', 'execaSync'];
const OPTION_NAMES = new Set(['NODE_OPTIONS', 'execArgv']);

/** Every expression of a JavaScript/TypeScript file that may hold flags for a Node process, with what it is. */
export function flagSinks(ctx: TsContext): Array<{ node: TsNode; name: string }> {
  const sinks: Array<{ node: TsNode; name: string }> = [];
  for (const name of SPAWNS) {
    for (const site of ctx.lang.facts.calls.get(name) ?? []) {
      const s = ctx.lang.shape(site.node);
      if (s.t === 'call') for (const a of s.args) sinks.push({ node: a.node, name: `${name}()` });
    }
  }
  for (const s of settingSites(ctx.root, OPTION_NAMES)) sinks.push({ node: s.value, name: s.name });
  return sinks;
}
