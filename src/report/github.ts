import { relativePath, type ReportInput } from './common.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one annotation per finding, shown on the pull request diff. */
export function formatGithub(input: ReportInput): string {
  return input.findings
    .map((f) => {
      const command = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeProperty(relativePath(input.cwd, f.path).split('\\').join('/'))}`,
        `line=${f.region.startLine}`,
        `col=${f.region.startColumn}`,
        `endLine=${f.region.endLine}`,
        `endColumn=${f.region.endColumn}`,
        `title=${escapeProperty(`tlslint ${f.ruleId}`)}`,
      ];
      return `::${command} ${props.join(',')}::${escapeData(f.message)}\n`;
    })
    .join('');
}
