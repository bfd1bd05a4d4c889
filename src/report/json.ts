import { VERSION } from '../version.js';
import { relativePath, type ReportInput } from './common.js';

/** For machines that are not SARIF consumers: one object, stable field names. */
export function formatJson(input: ReportInput): string {
  return (
    JSON.stringify(
      {
        tool: 'tlslint',
        version: VERSION,
        findings: input.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          kind: f.kind,
          message: f.message,
          path: relativePath(input.cwd, f.path),
          startLine: f.region.startLine,
          startColumn: f.region.startColumn,
          endLine: f.region.endLine,
          endColumn: f.region.endColumn,
          fingerprint: f.fingerprint,
          tags: f.tags,
          ...(f.fix ? { fix: { description: f.fix.description, edits: f.fix.edits.map(({ start, end, text }) => ({ start, end, text })) } } : {}),
          ...(f.suppression ? { suppression: f.suppression } : {}),
          ...(f.related?.length ? { related: f.related.map((r) => ({ path: relativePath(input.cwd, r.path), startLine: r.region.startLine, startColumn: r.region.startColumn, message: r.message })) } : {}),
        })),
        diagnostics: input.diagnostics.map((d) => ({ ...d, ...(d.path ? { path: relativePath(input.cwd, d.path) } : {}) })),
        stats: input.stats,
      },
      null,
      2,
    ) + '\n'
  );
}
