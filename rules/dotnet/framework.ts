/**
 * The .NET target of a project: `TargetFrameworkVersion` (v4.5.2), `TargetFramework(s)` (net452,
 * net48, netcoreapp3.1, net8.0) in `*.csproj`/`*.vbproj`, and `targetFramework` of
 * `<httpRuntime>`/`<compilation>` in web.config/app.config.
 */
import type { ProjectFact } from '../../src/context.js';
import { inRanges, xmlCommentRanges } from '../../src/formats/comments.js';

export type Target = { kind: 'framework'; version: number[]; text: string } | { kind: 'core'; text: string };

/** `v4.5.2`, `4.5`, `net452`, `net48`, `net8.0`, `netcoreapp3.1` -> a target; undefined for netstandard and unknowns. */
export function parseTarget(raw: string): Target | undefined {
  const text = raw.trim();
  let m = /^v?(\d)\.(\d)(?:\.(\d))?$/.exec(text);
  if (m) return { kind: 'framework', version: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], text };
  m = /^net(\d)(\d)(\d)?$/i.exec(text);
  if (m && Number(m[1]) <= 4) return { kind: 'framework', version: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], text };
  if (/^net(?:coreapp\d|[5-9]\.|\d\d\.)/i.test(text)) return { kind: 'core', text };
  return undefined;
}

export function compareVersion(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface StatedTarget {
  target: Target;
  start: number;
  end: number;
}

/** Every target a project file (`project`) or a web.config/app.config states, with offsets. */
export function statedTargets(text: string, project: boolean): StatedTarget[] {
  const comments = xmlCommentRanges(text);
  const out: StatedTarget[] = [];
  const re = project
    ? /<(TargetFrameworkVersion|TargetFrameworks?)>\s*([^<]{1,2000}?)\s*<\//g
    : /<(httpRuntime|compilation)\b[^>]{0,2000}?\btargetFramework\s*=\s*"([^"]+)"/g;
  for (const m of text.matchAll(re)) {
    if (inRanges(comments, m.index)) continue;
    const list = m[2]!;
    const listStart = m.index + m[0].lastIndexOf(list);
    for (const part of list.matchAll(/[^;\s]+/g)) {
      const target = parseTarget(part[0]);
      if (target) out.push({ target, start: listStart + part.index, end: listStart + part.index + part[0].length });
    }
  }
  return out;
}

/** The lowest .NET Framework target of a set, or a Core target when there is no Framework one. */
export function lowest(targets: Target[]): Target | undefined {
  const fw = targets.filter((t): t is Extract<Target, { kind: 'framework' }> => t.kind === 'framework');
  if (fw.length) return fw.reduce((a, b) => (compareVersion(a.version, b.version) <= 0 ? a : b));
  return targets[0];
}

export const isProjectFile = (name: string) => /\.(?:cs|vb)proj$/i.test(name);
export const isConfigFile = (name: string) => /^(?:web|app)\.config$/i.test(name);

/** The target of the nearest project file (or web/app.config) above a source file. */
export const dotnetTarget: ProjectFact<Target> = {
  id: 'dotnet#target',
  match: (name) => isProjectFile(name) || isConfigFile(name),
  parse(text, file) {
    return lowest(statedTargets(text, file.kind === 'dotnet-project').map((s) => s.target));
  },
};

/** True on .NET Framework 4.7 or later, or .NET Core / .NET 5+: the OS default is the right choice. */
export function usesSystemDefault(t: Target): boolean {
  return t.kind === 'core' || compareVersion(t.version, [4, 7]) >= 0;
}
