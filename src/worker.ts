/** A scan worker: one Analyzer (one parser set) per thread; files arrive in batches. */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, type AnalyzeOptions } from './analyze.js';
import { fileKindById } from './languages.js';
import { scanFile, type ScannedFile } from './scanfile.js';
import { RULES } from '../rules/index.js';

export interface WorkerInit {
  ruleIds: string[];
  options: AnalyzeOptions;
  maxFileSize: number;
}

export interface WorkerBatch {
  id: number;
  files: Array<{ path: string; kind: string; display: string }>;
}

export interface WorkerResult {
  id: number;
  results: ScannedFile[];
}

const init = workerData as WorkerInit;
const wanted = new Set(init.ruleIds);
const analyzer = new Analyzer(RULES.filter((r) => wanted.has(r.id)), init.options);

parentPort!.on('message', (batch: WorkerBatch) => {
  const results = batch.files.map((f) => scanFile(analyzer, f.path, f.display, fileKindById(f.kind)!, init.maxFileSize));
  parentPort!.postMessage({ id: batch.id, results } satisfies WorkerResult);
});
