/**
 * What the bundle (dist/bundle/tlslint.cjs, built by scripts/bundle.mjs) holds: the command line
 * and the scan worker, with the engine and rules they share. bin/tlslint.js and the bundle's worker
 * script (bundle-worker.ts) load it through the V8 code cache (code-cache.ts). The default
 * registry is this bundle's own (registries.ts).
 */
import { provideDefaultRegistry } from './registries.js';
import * as registry from './registry.js';

provideDefaultRegistry(registry);

export { main } from './cli.js';
export { runWorker } from './worker.js';
