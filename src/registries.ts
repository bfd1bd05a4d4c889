/**
 * Loading the rule registry a scan names. DEFAULT_REGISTRY is src/registry.ts by its URL; a bundle
 * holds that module inside itself, where the URL names no file, so the bundle's entry hands it
 * over (`provideDefaultRegistry`) and it is used instead of an import: the rules the workers run
 * are then the very objects the command line holds. Without a bundle the URL is imported, which
 * gives the same module instance the static imports have.
 *
 * The engine imports no rule module itself (the default registry is imported by URL or handed
 * over), and the bundle has no dynamic import of its own modules: esbuild would wrap every module
 * such an import reaches in a lazy initialiser.
 */
import { DEFAULT_REGISTRY } from './pool-start.js';
import type { ProjectFact } from './context.js';
import type { Rule } from './rule.js';

/** What a registry module exports. */
export interface Registry {
  RULES: readonly Rule[];
  FACTS?: readonly ProjectFact<unknown>[];
}

let provided: Registry | undefined;

/** Makes `registry` the one DEFAULT_REGISTRY names in this thread (the bundle's entry calls it). */
export function provideDefaultRegistry(registry: Registry): void {
  provided = registry;
}

/** The registry at `url` (a module URL, or DEFAULT_REGISTRY). */
export async function importRegistry(url: string): Promise<Registry> {
  if (url === DEFAULT_REGISTRY && provided) return provided;
  return (await import(url)) as Registry;
}
