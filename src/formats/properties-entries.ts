/**
 * Entries of a Java `.properties` file (`key=value`, `key: value`, `key value`), with offsets of
 * the value, for rules on the shared `properties` text kind. Comment lines (`#`, `!`) are skipped;
 * a value continued with a trailing backslash is read up to the end of its first line.
 */
export interface PropertyEntry {
  key: string;
  value: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export function propertyEntries(text: string): PropertyEntry[] {
  const out: PropertyEntry[] = [];
  let offset = 0;
  let continued = false;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const wasContinued = continued;
    continued = /(?<!\\)(?:\\\\)*\\$/.test(line);
    if (wasContinued) continue;
    const m = /^([ \t\f]*)((?:[^\s:=\\]|\\.)+)([ \t\f]*[:=]?[ \t\f]*)(.*)$/.exec(line);
    if (!m || m[2]!.startsWith('#') || m[2]!.startsWith('!')) continue;
    let value = m[4]!;
    if (continued) value = value.slice(0, -1);
    value = trimEndSpaceTab(value);
    const valueStart = lineStart + m[1]!.length + m[2]!.length + m[3]!.length;
    out.push({ key: m[2]!.replace(/\\(.)/g, '$1'), value, keyStart: lineStart + m[1]!.length, valueStart, valueEnd: valueStart + value.length });
  }
  return out;
}

/** Drops trailing spaces and tabs in linear time (the regex `[ \t]+$` retries at every blank of a long run). */
function trimEndSpaceTab(value: string): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(0, end);
}
