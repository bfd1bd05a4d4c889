/** go.mod reading shared by the Go rules: the `go` directive as a project fact. */
import type { ProjectFact } from '../../src/context.js';

export interface GoVersion {
  major: number;
  minor: number;
  /** As written, e.g. `1.21.3`. */
  text: string;
  /** 1-based line of the directive; 0 when go.mod has none (Go then assumes 1.16). */
  line: number;
}

const GO_DIRECTIVE = /^[ \t]*go[ \t]+(\d+)\.(\d+)(\S*)/m;

/** Reads the `go` directive of a go.mod text. A go.mod without one means go 1.16. */
export function parseGoDirective(text: string): { version: GoVersion; start: number; end: number } | undefined {
  const m = GO_DIRECTIVE.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].indexOf(m[1]!);
  const end = m.index + m[0].length;
  const line = text.slice(0, m.index).split('\n').length;
  return { version: { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}${m[3]}`, line }, start, end };
}

export const goModVersion: ProjectFact<GoVersion> = {
  id: 'go.mod#go',
  fileNames: ['go.mod'],
  parse(text) {
    return parseGoDirective(text)?.version ?? { major: 1, minor: 16, text: '1.16 (no go directive)', line: 0 };
  },
};

export function goAtLeast(version: GoVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
