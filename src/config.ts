import fs from 'node:fs';
import path from 'node:path';
import { isSeverity, type Severity } from './types.js';

/**
 * The project configuration: `tlslint.json` or `.tlslintrc.json`, JSON only (tlslint never runs
 * code from the repository it scans).
 */
export interface Config {
  /** Rule id (or pack prefix like `go`) -> 'off' | 'on' | a severity. */
  rules: Record<string, 'off' | 'on' | Severity>;
  /** gitignore-style patterns of files and folders not to scan. */
  exclude: string[];
  /** The lowest TLS version the organisation accepts. */
  minTlsVersion: '1.2' | '1.3';
  /** Scan test code (tagged `test` in reports). */
  tests: boolean;
  failOn?: Severity;
  maxFileSize?: number;
  /** Honour .gitignore files. */
  gitignore: boolean;
}

export const CONFIG_FILES = ['tlslint.json', '.tlslintrc.json'];

export class ConfigError extends Error {}

export function defaultConfig(): Config {
  return { rules: {}, exclude: [], minTlsVersion: '1.2', tests: true, gitignore: true };
}

/** The nearest config file at or above `start`, stopping after the repository root. */
export function findConfig(start: string): string | undefined {
  let dir = start;
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const KNOWN_KEYS = new Set(['$schema', 'rules', 'exclude', 'minTlsVersion', 'tests', 'failOn', 'maxFileSize', 'gitignore']);

/** Reads and validates a config file; every problem is a ConfigError naming the file and key. */
export function loadConfig(file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  const fail = (msg: string): never => {
    throw new ConfigError(`${file}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('the configuration must be a JSON object');
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!KNOWN_KEYS.has(key)) fail(`unknown key "${key}" (known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')})`);
  const config = defaultConfig();
  if (obj.rules !== undefined) {
    if (!obj.rules || typeof obj.rules !== 'object' || Array.isArray(obj.rules)) fail('"rules" must be an object of rule id -> "off" | "on" | "error" | "warning" | "note"');
    for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (value !== 'off' && value !== 'on' && !isSeverity(value)) fail(`rules["${id}"] must be "off", "on", "error", "warning" or "note"`);
      config.rules[id] = value as Config['rules'][string];
    }
  }
  if (obj.exclude !== undefined) {
    if (!Array.isArray(obj.exclude) || obj.exclude.some((e) => typeof e !== 'string')) fail('"exclude" must be an array of strings');
    config.exclude = obj.exclude as string[];
  }
  if (obj.minTlsVersion !== undefined) {
    if (obj.minTlsVersion !== '1.2' && obj.minTlsVersion !== '1.3') fail('"minTlsVersion" must be "1.2" or "1.3"');
    config.minTlsVersion = obj.minTlsVersion as '1.2' | '1.3';
  }
  for (const key of ['tests', 'gitignore'] as const) {
    if (obj[key] !== undefined) {
      if (typeof obj[key] !== 'boolean') fail(`"${key}" must be true or false`);
      config[key] = obj[key] as boolean;
    }
  }
  if (obj.failOn !== undefined) {
    if (!isSeverity(obj.failOn)) fail('"failOn" must be "error", "warning" or "note"');
    config.failOn = obj.failOn as Severity;
  }
  if (obj.maxFileSize !== undefined) {
    if (typeof obj.maxFileSize !== 'number' || !(obj.maxFileSize > 0)) fail('"maxFileSize" must be a positive number of bytes');
    config.maxFileSize = obj.maxFileSize as number;
  }
  return config;
}
