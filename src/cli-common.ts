/**
 * What the scan, audit and merge commands share: their I/O, usage errors, the options both scan
 * and audit take (config, rules, TLS floor, fail level, jobs, file size, shard) and the progress bar.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type CliProgress from 'cli-progress';
import { BaselineError } from './baseline.js';
import { ConfigError, defaultConfig, findConfig, loadConfig, type Config } from './config.js';
import { RULES } from './registry.js';
import type { Rule, RuleSettings } from './rule.js';
import { SelectionError, selectRules } from './select.js';
import { parseShard, type Shard } from './shard.js';
import { isSeverity, type Severity } from './types.js';

export interface Io {
  /** Standard input (for `-` with --stdin-filename); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command-line mistake: printed without a stack, exit status 2. */
export class UsageError extends Error {}

/** True for mistakes in the command line, the config or the baseline (as opposed to tlslint bugs). */
export function isUsageError(err: unknown): err is Error {
  return (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof SelectionError ||
    err instanceof BaselineError ||
    !!(err as NodeJS.ErrnoException | undefined)?.code?.startsWith('ERR_PARSE_ARGS')
  );
}

/** `500000`, `512k`, `4m` -> bytes. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: "${value}" is not a size (e.g. 500000, 512k, 4m)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

/** Repeatable, comma-separated option values as one list. */
export function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** A whole number >= 1, or a usage error naming the option. */
export function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number >= 1, not "${value}"`);
  return n;
}

/** A whole number >= `min`, or a usage error naming the option. */
function atLeast(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number >= ${min}, not "${value}"`);
  return n;
}

/** The `parseArgs` declarations of the options that scan and audit share. */
export const SHARED_OPTIONS = {
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  rule: { type: 'string', multiple: true },
  'disable-rule': { type: 'string', multiple: true },
  'min-tls': { type: 'string' },
  config: { type: 'string', short: 'c' },
  'max-file-size': { type: 'string' },
  'file-timeout': { type: 'string' },
  'worker-memory': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface SharedValues {
  'fail-on'?: string;
  rule?: string[];
  'disable-rule'?: string[];
  'min-tls'?: string;
  config?: string;
  'max-file-size'?: string;
  'file-timeout'?: string;
  'worker-memory'?: string;
  jobs?: string;
  shard?: string;
}

/**
 * The configuration: `--config FILE` (which must exist), else the nearest config file at or
 * above `searchFrom` (omit it to use only an explicit file), else the defaults.
 */
export function readConfig(cwd: string, explicit: string | undefined, searchFrom?: string): Config {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new UsageError(`--config: no such file ${explicit}`);
    return loadConfig(file);
  }
  const found = searchFrom !== undefined ? findConfig(searchFrom) : undefined;
  return found ? loadConfig(found) : defaultConfig();
}

export interface SharedSettings {
  failOn: Severity;
  settings: RuleSettings;
  rules: Rule[];
  severities: Record<string, Severity>;
  jobs?: number;
  maxFileSize?: number;
  shard?: Shard;
  /** Milliseconds; 0 turns the budget off. */
  fileTimeout?: number;
  /** MB. */
  workerMemory?: number;
}

/** `5`, `2.5s`, `500ms` -> milliseconds; `0` turns the budget off. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--file-timeout: "${value}" is not a duration in seconds (e.g. 5, 2.5, 500ms; 0 for none)`);
  return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
}

/** The shared options checked and combined with the config (options win). */
export function sharedSettings(values: SharedValues, config: Config): SharedSettings {
  const failOn = values['fail-on'] ?? config.failOn ?? 'warning';
  if (!isSeverity(failOn)) throw new UsageError(`--fail-on must be error, warning or note, not "${failOn}"`);
  const minTls = values['min-tls'] ?? config.minTlsVersion;
  if (minTls !== '1.2' && minTls !== '1.3') throw new UsageError(`--min-tls must be 1.2 or 1.3, not "${minTls}"`);
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    try {
      shard = parseShard(values.shard);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const { rules, severities } = selectRules(RULES, config, list(values.rule), list(values['disable-rule']));
  return {
    failOn,
    settings: { minTlsVersion: minTls },
    rules,
    severities,
    jobs: values.jobs !== undefined ? positiveInt('--jobs', values.jobs) : undefined,
    maxFileSize: values['max-file-size'] !== undefined ? parseSize(values['max-file-size']) : config.maxFileSize,
    shard,
    ...(values['file-timeout'] !== undefined ? { fileTimeout: parseDuration(values['file-timeout']) } : {}),
    ...(values['worker-memory'] !== undefined ? { workerMemory: atLeast('--worker-memory', values['worker-memory'], 64) } : {}),
  };
}

/** True when a progress bar may be drawn: asked for, on a terminal, not in CI. */
export function wantsProgress(io: Io, quiet: boolean | undefined): boolean {
  return !quiet && !!io.stderr.isTTY && !io.env.CI;
}

/** A progress bar on stderr; cli-progress loads only when one is drawn. */
export function progressBar(io: Io, format: string, etaBuffer: number): CliProgress.SingleBar {
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  return new cliProgress.SingleBar({ format, stream: io.stderr, hideCursor: true, clearOnComplete: true, etaBuffer }, cliProgress.Presets.shades_classic);
}
