/**
 * JUnit XML, for CI systems that show test reports (GitLab `artifacts:reports:junit`, Jenkins,
 * Azure Pipelines, CircleCI, Buildkite...): one test suite per file with findings, one failing test
 * case per finding; a scan without findings is one passing test case. Scan errors are test cases
 * with an `<error>`.
 */
import { relativePath, type ReportInput } from './common.js';

const escapeXml = (s: string) =>
  // characters XML 1.0 cannot carry at all are dropped; markup characters are escaped
  s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  failure?: { message: string; type: string; body: string };
  error?: { message: string; type: string };
}

function suite(name: string, cases: Case[], timestamp: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const body = cases
    .map((c) => {
      const attrs = `name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}"${c.file ? ` file="${escapeXml(c.file)}"` : ''}${c.line ? ` line="${c.line}"` : ''} time="0"`;
      if (c.failure) return `    <testcase ${attrs}>\n      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(c.failure.body)}</failure>\n    </testcase>`;
      if (c.error) return `    <testcase ${attrs}>\n      <error message="${escapeXml(c.error.message)}" type="${escapeXml(c.error.type)}"/>\n    </testcase>`;
      return `    <testcase ${attrs}/>`;
    })
    .join('\n');
  return `  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="0" timestamp="${timestamp}">\n${body}\n  </testsuite>`;
}

export function formatJunit(input: ReportInput): string {
  const timestamp = new Date().toISOString().slice(0, 19);
  const byFile = new Map<string, Case[]>();
  const findings = input.findings.filter((f) => !f.suppression);
  for (const f of [...findings].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.region.startOffset - b.region.startOffset))) {
    const file = relativePath(input.cwd, f.path).split('\\').join('/');
    const where = `${file}:${f.region.startLine}:${f.region.startColumn}`;
    const test = f.tags.includes('test') ? ' (test code)' : '';
    const c: Case = {
      name: `${f.ruleId} at ${f.region.startLine}:${f.region.startColumn}`,
      classname: file,
      file,
      line: f.region.startLine,
      failure: { message: f.message, type: f.severity, body: `${where}: ${f.severity} ${f.ruleId}${test}\n${f.message}\n${f.lineText.trim()}${f.fix ? `\nfix available (tlslint --fix): ${f.fix.description}` : ''}` },
    };
    (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(c);
  }
  const groups: Array<[string, Case[]]> = [...byFile.entries()];
  const errors: Case[] = input.diagnostics
    .filter((d) => d.level === 'error')
    .map((d) => ({ name: `${d.code}${d.path ? ` ${relativePath(input.cwd, d.path)}` : ''}`, classname: 'tlslint', error: { message: d.message, type: d.code } }));
  if (errors.length) groups.push(['tlslint', errors]);
  else if (groups.length === 0) groups.push(['tlslint', [{ name: `no TLS findings in ${input.stats.files} files`, classname: 'tlslint' }]]);
  const cases = groups.flatMap(([, c]) => c);
  const time = (input.stats.durationMs / 1000).toFixed(3);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tlslint" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" errors="${errors.length}" time="${time}">\n` +
    `${groups.map(([name, c]) => suite(name, c, timestamp)).join('\n')}\n</testsuites>\n`
  );
}
