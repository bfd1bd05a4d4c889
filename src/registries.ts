/**
 * Loading the rule registry a scan names. The default one is this build's own `registry.ts`,
 * imported by its module name rather than by the URL that names it: in the bundle that URL is no
 * file of its own, and the bundled module is the one whose rules the CLI holds (another copy's
 * rules would be other objects). The import stays dynamic: the engine does not depend on the rules.
 */
import { DEFAULT_REGISTRY } from './pool-start.js';
import type { ProjectFact } from './context.js';
import type { Rule } from './rule.js';

/** What a registry module exports. */
export interface Registry {
  RULES: readonly Rule[];
  FACTS?: readonly ProjectFact<unknown>[];
}

/** The registry at `url` (a module URL, or DEFAULT_REGISTRY). */
export async function importRegistry(url: string): Promise<Registry> {
  return (url === DEFAULT_REGISTRY ? await import('./registry.js') : await import(url)) as Registry;
}
