/** Text edits on the syntax the semantic layer reads, shared by the packs' fixes. */
import type { TextEdit } from '../types.js';
import type { LangNode } from './model.js';

/**
 * Deletions of the elements of a list (array initializer, argument list) whose ids are in `drop`,
 * with their separators, never overlapping, keeping the formatting of the rest: an element before
 * a kept one goes with what follows it up to the next element; the elements after the last kept
 * one go in one edit from the end of that kept element.
 */
export function elementRemovals(elements: readonly LangNode[], drop: ReadonlySet<number>): TextEdit[] {
  const edits: TextEdit[] = [];
  let lastKept = -1;
  for (let i = 0; i < elements.length; i++) if (!drop.has(elements[i]!.id)) lastKept = i;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (!drop.has(e.id)) continue;
    if (i < lastKept) {
      edits.push({ start: e.startIndex, end: elements[i + 1]!.startIndex, text: '' });
    } else {
      // everything after the last kept element goes in one edit
      const from = lastKept >= 0 ? elements[lastKept]!.endIndex : e.startIndex;
      edits.push({ start: from, end: elements[elements.length - 1]!.endIndex, text: '' });
      break;
    }
  }
  return edits;
}
