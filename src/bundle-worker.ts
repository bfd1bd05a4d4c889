/**
 * The scan worker's script in the bundle (dist/bundle/worker.cjs): it loads the bundle through the
 * V8 code cache (code-cache.ts), a cache of the worker's own, saved once its first batch is
 * scanned, then serves as a worker. Only meaningful bundled: the compiled sources start their
 * workers from worker-entry.ts.
 */
import type * as Bundle from './bundle-entry.js';
import { loadCached } from './code-cache.js';

const bundle = loadCached<typeof Bundle>('./tlslint.cjs', process.env, { dynamicImport: true, role: 'worker' });
bundle.exports.runWorker(() => bundle.save());
