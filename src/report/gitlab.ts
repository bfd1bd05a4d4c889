/**
 * GitLab's security report for static analysers (`artifacts:reports:sast`), the format GitLab
 * documents for third-party security scanners: findings show in the merge request widget, the
 * pipeline's Security tab and the vulnerability report. Schema: security-report-schemas
 * sast-report-format.json, version below (validated in test/integrations.test.ts).
 */
import { createHash } from 'node:crypto';
import type { Rule } from '../rule.js';
import type { Severity } from '../types.js';
import { INFORMATION_URI, ruleHelpUri, VERSION } from '../version.js';
import { fixHint, relativePath, type ReportInput } from './common.js';

export const GITLAB_SAST_SCHEMA_VERSION = '15.0.7';
const SCHEMA_URI = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SAST_SCHEMA_VERSION}/dist/sast-report-format.json`;

const SEVERITY: Record<Severity, 'High' | 'Medium' | 'Low'> = { error: 'High', warning: 'Medium', note: 'Low' };

/** `2024-05-01T10:20:30` (the schema's pattern: UTC, no fraction, no zone). */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** A stable UUID-shaped id from the finding's identity, so a vulnerability keeps its id across pipelines. */
function vulnerabilityId(parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function identifiers(ruleId: string, rule: Rule | undefined) {
  return [
    { type: 'tlslint_rule_id', name: `tlslint ${ruleId}`, value: ruleId, url: ruleHelpUri(ruleId) },
    ...(rule?.cwe ?? []).map((cwe) => {
      const n = cwe.replace(/^CWE-/i, '');
      return { type: 'cwe', name: `CWE-${n}`, value: n, url: `https://cwe.mitre.org/data/definitions/${n}.html` };
    }),
  ];
}

export function toGitlab(input: ReportInput) {
  const rules = new Map(input.rules.map((r) => [r.id, r]));
  const end = Date.now();
  const start = end - Math.round(input.stats.durationMs);
  const tool = { id: 'tlslint', name: 'tlslint', version: VERSION, vendor: { name: 'tlslint' }, url: INFORMATION_URI };
  const errors = input.diagnostics.filter((d) => d.level === 'error');
  return {
    version: GITLAB_SAST_SCHEMA_VERSION,
    schema: SCHEMA_URI,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'sast',
      start_time: timestamp(start),
      end_time: timestamp(end),
      status: input.executionSuccessful ? 'success' : 'failure',
      ...(errors.length ? { messages: errors.map((d) => ({ level: d.code === 'internal-error' ? 'fatal' : 'warn', value: `${d.path ? `${relativePath(input.cwd, d.path)}: ` : ''}${d.message}` })) } : {}),
    },
    vulnerabilities: input.findings
      .filter((f) => !f.suppression)
      .map((f) => {
        const rule = rules.get(f.ruleId);
        const file = relativePath(input.cwd, f.path).split('\\').join('/');
        const test = f.tags.includes('test');
        return {
          id: vulnerabilityId([f.ruleId, file, f.fingerprint]),
          name: (rule?.title ?? f.ruleId).slice(0, 255),
          description: `${f.message}${test ? '\n\n(in test code)' : ''}`,
          severity: SEVERITY[f.severity],
          ...(rule ? { solution: fixHint(rule).slice(0, 7000) } : {}),
          identifiers: identifiers(f.ruleId, rule),
          location: { file, start_line: f.region.startLine, end_line: f.region.endLine },
          ...(rule ? { links: [{ name: `tlslint ${f.ruleId}`, url: ruleHelpUri(f.ruleId) }] } : {}),
          ...(f.lineText.length <= 500 ? { raw_source_code_extract: f.lineText } : {}),
        };
      }),
  };
}

export function formatGitlab(input: ReportInput): string {
  return JSON.stringify(toGitlab(input), null, 2) + '\n';
}
