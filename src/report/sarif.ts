import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { relativeInside } from '../paths.js';
import type { Rule } from '../rule.js';
import type { Diagnostic, Finding, Region, Severity } from '../types.js';
import { INFORMATION_URI, ruleHelpUri, VERSION } from '../version.js';
import type { ReportInput } from './common.js';

const SRCROOT = '%SRCROOT%';

function level(severity: Severity): 'error' | 'warning' | 'note' {
  return severity;
}

/** An artifact location: relative to %SRCROOT% when under it, else an absolute file URI. */
function artifactLocation(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = relativeInside(cwd, file);
  if (rel !== undefined) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(file).href };
}

function sarifRegion(r: Region) {
  return { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn };
}

/** `go/tls-min-version-too-low` -> `GoTlsMinVersionTooLow` (SARIF's rule `name`). */
export function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function ruleDescriptor(rule: Rule) {
  const helpText = rule.help
    .replace(/```\w*\n?/g, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    helpUri: ruleHelpUri(rule.id),
    help: { text: helpText, markdown: rule.help },
    defaultConfiguration: { level: level(rule.severity) },
    properties: {
      tags: ['security', ...rule.cwe.map((c) => `external/cwe/${c.toLowerCase()}`), `tls/${rule.kind}`],
      precision: rule.precision,
      'security-severity': rule.securitySeverity.toFixed(1),
      'problem.severity': rule.severity === 'note' ? 'recommendation' : rule.severity,
    },
  };
}

function result(f: Finding, ruleIndex: number, cwd: string) {
  const location = artifactLocation(cwd, f.path);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: level(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: sarifRegion(f.region) } }],
    partialFingerprints: { 'tlslintFindingHash/v1': f.fingerprint, ...(f.lineHash ? { primaryLocationLineHash: f.lineHash } : {}) },
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: artifactLocation(cwd, r.path), region: sarifRegion(r.region) },
            message: { text: r.message },
          })),
        }
      : {}),
    ...(f.fix
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              artifactChanges: [
                {
                  artifactLocation: location,
                  replacements: f.fix.edits.map((e) => ({
                    deletedRegion: e.region ? sarifRegion(e.region) : { charOffset: e.start, charLength: e.end - e.start },
                    insertedContent: { text: e.text },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
    ...(f.suppression ? { suppressions: [{ kind: 'inSource', justification: f.suppression.justification || 'suppressed in source' }] } : {}),
    properties: { tags: [f.kind, ...f.tags] },
  };
}

function notification(d: Diagnostic, cwd: string) {
  return {
    level: d.level,
    message: { text: d.message },
    descriptor: { id: d.code },
    ...(d.path
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(cwd, d.path),
                ...(d.line ? { region: { startLine: d.line } } : {}),
              },
            },
          ],
        }
      : {}),
  };
}

/** SARIF 2.1.0 for GitHub code scanning: one run, every rule, results with fixes and fingerprints. */
export function toSarif(input: ReportInput) {
  const index = new Map(input.rules.map((r, i) => [r.id, i]));
  const cwdUri = pathToFileURL(input.cwd.endsWith(path.sep) ? input.cwd : input.cwd + path.sep).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tlslint',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: input.rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: input.executionSuccessful,
            toolExecutionNotifications: input.diagnostics.map((d) => notification(d, input.cwd)),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: cwdUri } },
        columnKind: 'utf16CodeUnits',
        results: input.findings.map((f) => result(f, index.get(f.ruleId) ?? -1, input.cwd)),
      },
    ],
  };
}

export function formatSarif(input: ReportInput): string {
  return JSON.stringify(toSarif(input), null, 2) + '\n';
}
