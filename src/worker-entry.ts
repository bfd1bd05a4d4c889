/** The scan worker's script when running from the compiled sources (dist/src); the bundle has its own (bundle-worker.ts). */
import { runWorker } from './worker.js';

runWorker();
