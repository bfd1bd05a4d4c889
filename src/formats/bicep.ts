/**
 * A small reader for Azure Bicep templates: enough to find a resource property's value and follow
 * it to a literal. It knows `resource name 'Type@version' = {`, `param name type = default`,
 * `var name = value`, single-quoted strings (with `\'` escapes, no interpolation), `//` and
 * `/* *\/` comments, and the conditional `cond ? a : b`. Every scan moves forward by at least one
 * character per step, whatever the input.
 */

export interface BicepLiteral {
  value: string;
  /** Offsets of the string's content (inside the quotes). */
  start: number;
  end: number;
  /** The `param`/`var` the value came through, with where it is declared. */
  via?: { kind: 'param' | 'var'; name: string; start: number; end: number };
  /** The condition that chooses it, and whether it is the `false` branch. */
  guard?: { text: string; start: number; end: number; negated: boolean };
}

export interface BicepProperty {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value expression as written, and its offsets. */
  expr: string;
  exprStart: number;
  exprEnd: number;
  /** The `Type@version` of the resource around it, if any. */
  resourceType?: string;
  /** The string literals the value may be. */
  literals: BicepLiteral[];
}

/** The text with comments and strings blanked out (same length), so searches never match inside them. */
export function codeOnly(text: string): string {
  const out = text.split('');
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (; i < stop; i++) if (text[i] !== '\n') out[i] = ' ';
      continue;
    }
    if (c === "'") {
      i++;
      while (i < n && text[i] !== "'" && text[i] !== '\n') {
        if (text[i] === '\\' && i + 1 < n) out[i++] = ' ';
        out[i++] = ' ';
      }
      i++;
      continue;
    }
    i++;
  }
  return out.join('');
}

/** A single-quoted string starting at `at` (the quote): its decoded value and content offsets. */
function stringAt(text: string, at: number): { value: string; start: number; end: number } | undefined {
  if (text[at] !== "'") return undefined;
  let i = at + 1;
  let value = '';
  while (i < text.length && text[i] !== "'" && text[i] !== '\n') {
    if (text[i] === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else {
      value += text[i];
      i++;
    }
  }
  if (text[i] !== "'" || value.includes('${')) return undefined;
  return { value, start: at + 1, end: i };
}

interface Declared {
  kind: 'param' | 'var';
  name: string;
  start: number;
  end: number;
  /** The value expression's offsets. */
  valueStart: number;
  valueEnd: number;
}

/** `param name type = value` and `var name = value` declarations, by name. */
function declarations(code: string): Map<string, Declared> {
  const out = new Map<string, Declared>();
  for (const m of code.matchAll(/^[ \t]*(param|var)[ \t]+([A-Za-z_]\w*)(?:[ \t]+[A-Za-z_][\w.]*(?:\[\])?)?[ \t]*=[ \t]*/gm)) {
    const valueStart = m.index + m[0].length;
    const eol = code.indexOf('\n', valueStart);
    out.set(m[2]!, { kind: m[1] as 'param' | 'var', name: m[2]!, start: m.index + m[0].indexOf(m[2]!, m[1]!.length), end: m.index + m[0].indexOf(m[2]!, m[1]!.length) + m[2]!.length, valueStart, valueEnd: eol === -1 ? code.length : eol });
  }
  return out;
}

/** The first `c` in `text[from, to)`, or -1. */
function indexBefore(text: string, c: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text[i] === c) return i;
  return -1;
}

/** The literals an expression (`'x'`, `name`, `cond ? a : b`) may be, following params and vars (bounded). */
function literalsOf(text: string, code: string, start: number, end: number, decls: Map<string, Declared>, depth = 0): BicepLiteral[] {
  if (depth > 8) return [];
  const expr = code.slice(start, end);
  const lead = expr.length - expr.trimStart().length;
  const s = start + lead;
  const e = start + expr.trimEnd().length;
  if (s >= e) return [];
  // `cond ? a : b` (outside strings: `code` has them blanked)
  // searched within the expression only: a search to the end of the file per property is quadratic
  const q = indexBefore(code, '?', s, e);
  if (q !== -1 && code[q + 1] !== '?' && code[q + 1] !== '.') {
    const colon = indexBefore(code, ':', q + 1, e);
    if (colon !== -1) {
      const cond = text.slice(s, q).trim();
      const guard = (negated: boolean) => ({ text: cond, start: s, end: q, negated });
      return [
        ...literalsOf(text, code, q + 1, colon, decls, depth + 1).map((l) => ({ ...l, guard: l.guard ?? guard(false) })),
        ...literalsOf(text, code, colon + 1, e, decls, depth + 1).map((l) => ({ ...l, guard: l.guard ?? guard(true) })),
      ];
    }
  }
  const str = stringAt(text, s);
  if (str && str.end + 1 === e) return [str];
  const name = /^[A-Za-z_]\w*$/.exec(text.slice(s, e))?.[0];
  const d = name ? decls.get(name) : undefined;
  if (!d) return [];
  return literalsOf(text, code, d.valueStart, d.valueEnd, decls, depth + 1).map((l) => ({ ...l, via: l.via ?? { kind: d.kind, name: d.name, start: d.start, end: d.end } }));
}

/** Every `key: value` property with one of `keys` (outside comments and strings), with what its value may be. */
export function bicepProperties(text: string, keys: readonly string[]): BicepProperty[] {
  const code = codeOnly(text);
  const decls = declarations(code);
  const resources = [...code.matchAll(/^[ \t]*resource[ \t]+\w+[ \t]+'/gm)].map((m) => {
    const at = m.index + m[0].length - 1;
    return { at, type: stringAt(text, at)?.value };
  });
  const out: BicepProperty[] = [];
  const alternation = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // properties come in file order: the resource around each is found by one forward pass
  let resourceIndex = 0;
  let resourceType: string | undefined;
  for (const m of code.matchAll(new RegExp(`(?<![\\w.'])(${alternation})[ \\t]*:[ \\t]*`, 'g'))) {
    const exprStart = m.index + m[0].length;
    const eol = code.indexOf('\n', exprStart);
    const lineEnd = eol === -1 ? code.length : eol;
    const exprEnd = exprStart + code.slice(exprStart, lineEnd).trimEnd().length;
    while (resourceIndex < resources.length && resources[resourceIndex]!.at < m.index) resourceType = resources[resourceIndex++]!.type;
    out.push({
      key: m[1]!,
      keyStart: m.index,
      keyEnd: m.index + m[1]!.length,
      expr: text.slice(exprStart, exprEnd),
      exprStart,
      exprEnd,
      ...(resourceType ? { resourceType } : {}),
      literals: literalsOf(text, code, exprStart, exprEnd, decls),
    });
  }
  return out;
}

/** Quoted property names (`'Microsoft.WindowsAzure...Tls10': 'true'`) matching `key`, with their values. */
export function bicepQuotedProperties(text: string, key: RegExp): Array<{ name: string; start: number; end: number; value?: { value: string; start: number; end: number } }> {
  const code = codeOnly(text);
  const out: Array<{ name: string; start: number; end: number; value?: { value: string; start: number; end: number } }> = [];
  for (const m of text.matchAll(/'([^'\n]{1,200})'[ \t]*:[ \t]*/g)) {
    // a quote that is code, not inside a comment
    if (code[m.index] !== "'" || !key.test(m[1]!)) continue;
    const at = m.index + m[0].length;
    const str = stringAt(text, at);
    const bare = /^(true|false)\b/.exec(text.slice(at, at + 5));
    const value = str ?? (bare ? { value: bare[1]!, start: at, end: at + bare[1]!.length } : undefined);
    out.push({ name: m[1]!, start: m.index, end: m.index + m[1]!.length + 2, ...(value ? { value } : {}) });
  }
  return out;
}
