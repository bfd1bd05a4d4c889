import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from './types.js';
import { VERSION } from './version.js';

/**
 * Baselines let a legacy repository adopt tlslint: findings recorded once are not reported again.
 * A finding matches a baseline entry by rule, file and fingerprint (which ignores line numbers, so
 * edits elsewhere in the file do not resurrect it).
 */
export interface BaselineEntry {
  ruleId: string;
  path: string;
  fingerprint: string;
}

export class BaselineError extends Error {}

const posix = (p: string) => p.split(path.sep).join('/');

function key(e: BaselineEntry): string {
  return `${e.ruleId}\0${e.path}\0${e.fingerprint}`;
}

export function writeBaseline(file: string, findings: Finding[], cwd: string): void {
  const entries = findings
    .map((f) => ({ ruleId: f.ruleId, path: posix(path.relative(cwd, f.path)), fingerprint: f.fingerprint }))
    .sort((a, b) => key(a).localeCompare(key(b)));
  fs.writeFileSync(file, JSON.stringify({ tool: 'tlslint', version: VERSION, kind: 'baseline', findings: entries }, null, 2) + '\n');
}

interface SarifLike {
  runs?: Array<{
    results?: Array<{
      ruleId?: string;
      partialFingerprints?: Record<string, string>;
      locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string } } }>;
    }>;
  }>;
}

/** Reads a tlslint baseline or a tlslint SARIF file (paths relative to `cwd`). */
export function readBaseline(file: string, cwd: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BaselineError(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const out = new Set<string>();
  const obj = data as { kind?: string; findings?: BaselineEntry[] } & SarifLike;
  if (obj.kind === 'baseline' && Array.isArray(obj.findings)) {
    for (const e of obj.findings) out.add(key(e));
    return out;
  }
  if (Array.isArray(obj.runs)) {
    for (const run of obj.runs) {
      for (const r of run.results ?? []) {
        const fp = r.partialFingerprints?.['tlslintFindingHash/v1'];
        const loc = r.locations?.[0]?.physicalLocation?.artifactLocation;
        if (!fp || !r.ruleId || !loc?.uri) continue;
        // uris relative to %SRCROOT% are taken as relative to this run's folder: the SARIF may
        // come from another machine (CI) where the checkout lived elsewhere
        const rel = loc.uri.startsWith('file:') ? posix(path.relative(cwd, fileURLToPath(loc.uri))) : decodeURIComponent(loc.uri);
        out.add(key({ ruleId: r.ruleId, path: rel, fingerprint: fp }));
      }
    }
    return out;
  }
  throw new BaselineError(`${file} is neither a tlslint baseline (--write-baseline) nor a SARIF log`);
}

/** Findings not in the baseline. */
export function filterBaseline(findings: Finding[], baseline: Set<string>, cwd: string): Finding[] {
  return findings.filter((f) => !baseline.has(key({ ruleId: f.ruleId, path: posix(path.relative(cwd, f.path)), fingerprint: f.fingerprint })));
}
