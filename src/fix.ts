import type { Finding, TextEdit } from './types.js';

export interface AppliedFixes {
  text: string;
  applied: Finding[];
  /** Findings whose edits overlapped an earlier fix; a second --fix run can take them. */
  skipped: Finding[];
}

/**
 * Applies the fixes of `findings` to `text`. Edits of one fix go in together or not at all; a fix
 * whose edits overlap an already accepted one is skipped. Edits are offsets into `text`.
 */
export function applyFixes(text: string, findings: Finding[]): AppliedFixes {
  const accepted: TextEdit[] = [];
  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  const overlaps = (e: TextEdit) =>
    accepted.some((a) => (e.start < a.end && a.start < e.end) || (e.start === e.end && e.start === a.start) || (a.start === a.end && a.start === e.start));
  for (const finding of findings) {
    const edits = finding.fix?.edits;
    if (!edits || edits.length === 0) continue;
    if (edits.some((e) => e.start < 0 || e.end > text.length || e.start > e.end || overlaps(e))) {
      skipped.push(finding);
      continue;
    }
    accepted.push(...edits);
    applied.push(finding);
  }
  accepted.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
}
