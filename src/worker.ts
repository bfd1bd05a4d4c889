/**
 * A scan worker: one Analyzer (one parser set) per thread; files arrive in batches. The worker is
 * handed the rules it runs (a registry module and rule ids) and refuses to start when an id is
 * not in that registry, so a rule can never vanish silently from a pooled scan. Project facts come
 * from the main thread, which reads each once for the whole scan.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { RemoteContext } from './context.js';
import { fileKindById } from './languages.js';
import type { Rule } from './rule.js';
import { scanFile, type ScannedFile } from './scanfile.js';
import type { TimingData } from './timing.js';

export interface WorkerInit {
  /** URL of a module that exports `RULES` (src/registry.ts unless the caller brings its own). */
  registry: string;
  ruleIds: string[];
  options: AnalyzeOptions;
  maxFileSize: number;
  /** Where project questions go: the main thread answers them once for the whole scan. */
  context: { port: MessagePort; signal: Int32Array };
}

export interface WorkerBatch {
  id: number;
  files: Array<{ path: string; kind: string; display: string; raw?: Uint8Array }>;
}

export interface WorkerResult {
  id: number;
  results: ScannedFile[];
  /** Time measured for this batch (`--timing`). */
  timing?: TimingData;
}

const init = workerData as WorkerInit;
const { RULES } = (await import(init.registry)) as { RULES: readonly Rule[] };
const byId = new Map(RULES.map((r) => [r.id, r]));
const unknown = init.ruleIds.filter((id) => !byId.has(id));
if (unknown.length) throw new Error(`rule ${unknown.join(', ')} is not in the registry ${init.registry}`);
const analyzer = new Analyzer(
  init.ruleIds.map((id) => byId.get(id)!),
  init.options,
  new RemoteContext(init.context.port, init.context.signal),
);

parentPort!.on('message', (batch: WorkerBatch) => {
  const results = batch.files.map((f) => scanFile(analyzer, f.path, f.display, fileKindById(f.kind)!, init.maxFileSize, f.raw));
  parentPort!.postMessage({ id: batch.id, results, timing: analyzer.timing?.take() } satisfies WorkerResult);
});
