/**
 * A small line-aware parser for web server and OpenSSL configuration, for which no registry
 * grammar fits:
 * - nginx: `name arg "quoted arg";` directives, `{ }` blocks, `#` comments (at a word start);
 * - Apache httpd: one directive per line (`\` continues it), `<Section args>` ... `</Section>`,
 *   `#` comment lines;
 * - OpenSSL `openssl.cnf` (and other INI-like `*.cnf`): `[section]`, `key = value`, `#` comments.
 * `include`/`Include` lines are ordinary directives: included files are never read (they are
 * scanned on their own when they are part of the scan).
 * Every word keeps its offsets so that rules point at the exact value and fixes edit it.
 */

export type ConfDialect = 'nginx' | 'apache';

export interface ConfWord {
  /** The value: quotes removed, backslash escapes resolved. */
  text: string;
  /** Offsets of the raw word (with quotes) in the file text. */
  start: number;
  end: number;
}

export interface ConfDirective {
  name: string;
  nameStart: number;
  nameEnd: number;
  args: ConfWord[];
  /** End offset of the directive (after `;` for nginx, end of the last word for Apache). */
  end: number;
  /** Children of an nginx block or an Apache `<Section>`. */
  children?: ConfDirective[];
  /** The enclosing block or section. */
  parent?: ConfDirective;
  /** True for Apache `<Section>` directives. */
  section?: boolean;
}

/** Picks the dialect of a `*.conf` file that neither its name nor its folder settles. */
export function sniffDialect(text: string): ConfDialect {
  if (/^[ \t]*<\/?(?:VirtualHost|Directory|IfModule|Location|Files|Proxy|IfDefine|LocationMatch|DirectoryMatch)\b/im.test(text)) return 'apache';
  if (/^[ \t]*SSL(?:Engine|Protocol|CipherSuite|CertificateFile|ProxyProtocol|ProxyEngine)[ \t]/m.test(text)) return 'apache';
  return 'nginx';
}

/** The dialect of a file of kind `nginx`, `apache` or `serverconf`. */
export function dialectOf(kind: string, text: string): ConfDialect {
  if (kind === 'nginx') return 'nginx';
  if (kind === 'apache') return 'apache';
  return sniffDialect(text);
}

const cache = new WeakMap<object, Map<string, ConfDirective[]>>();

/** Parses (and caches per text object) a configuration file. */
export function parseConf(text: string, dialect: ConfDialect): ConfDirective[] {
  return dialect === 'nginx' ? parseNginx(text) : parseApache(text);
}

/**
 * Every directive of a tree, depth first, in file order. Iterative: a file of 100 000 nested
 * blocks neither overflows the stack nor pays a generator frame per level for every directive.
 */
export function* walkConf(list: ConfDirective[]): Generator<ConfDirective> {
  const stack: Array<{ list: ConfDirective[]; i: number }> = [{ list, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const d = top.list[top.i++]!;
    yield d;
    if (d.children?.length) stack.push({ list: d.children, i: 0 });
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function parseNginx(text: string): ConfDirective[] {
  const root: ConfDirective[] = [];
  const stack: ConfDirective[] = [];
  let words: ConfWord[] = [];
  const n = text.length;
  let i = 0;
  const current = () => (stack.length ? stack[stack.length - 1]!.children! : root);
  const make = (end: number): ConfDirective | undefined => {
    if (words.length === 0) return undefined;
    const [name, ...args] = words;
    const d: ConfDirective = { name: name!.text, nameStart: name!.start, nameEnd: name!.end, args, end };
    if (stack.length) d.parent = stack[stack.length - 1];
    current().push(d);
    words = [];
    return d;
  };
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';') {
      i++;
      make(i);
      continue;
    }
    if (c === '{') {
      i++;
      const d = make(i) ?? { name: '', nameStart: i - 1, nameEnd: i - 1, args: [], end: i, ...(stack.length ? { parent: stack[stack.length - 1] } : {}) };
      if (!d.name) current().push(d);
      d.children = [];
      stack.push(d);
      continue;
    }
    if (c === '}') {
      i++;
      make(i - 1); // a directive missing its `;` before `}`: keep it
      const d = stack.pop();
      if (d) d.end = i;
      continue;
    }
    // a word
    const start = i;
    let value = '';
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
    } else {
      while (i < n) {
        const d = text[i]!;
        if (isSpace(d) || d === ';' || d === '{' || d === '}') {
          if (d === '{' && text[i - 1] === '$') {
            // `${var}`
            const close = text.indexOf('}', i);
            if (close !== -1) {
              value += text.slice(i, close + 1);
              i = close + 1;
              continue;
            }
          }
          break;
        }
        if (d === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
    }
    words.push({ text: value, start, end: Math.min(i, n) });
  }
  make(n);
  return root;
}

function parseApache(text: string): ConfDirective[] {
  const root: ConfDirective[] = [];
  const stack: ConfDirective[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // one logical line
    const words: ConfWord[] = [];
    let lineEnd = i;
    let first = true;
    let comment = false;
    while (i < n) {
      const c = text[i]!;
      if (c === '\n') {
        i++;
        break;
      }
      if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
        i += text[i + 1] === '\r' ? 3 : 2;
        continue;
      }
      // every blank the word loop stops at (U+00A0, U+FEFF, \v, \f included) separates words, so a word never starts empty
      if (c !== '\n' && /\s/.test(c)) {
        i++;
        continue;
      }
      if (comment || (c === '#' && (first || words.length > 0))) {
        // comment line, or a trailing `# ...` (not valid Apache syntax, but common): skip
        comment = true;
        i++;
        continue;
      }
      first = false;
      const start = i;
      let value = '';
      if (c === '"' || c === "'") {
        i++;
        while (i < n && text[i] !== c && text[i] !== '\n') {
          if (text[i] === '\\' && i + 1 < n && text[i + 1] !== '\n') {
            value += text[i + 1];
            i += 2;
          } else {
            value += text[i];
            i++;
          }
        }
        if (text[i] === c) i++;
      } else {
        while (i < n && !/[\s]/.test(text[i]!)) {
          // a line continuation ends the word (the sequences the line loop skips; a backslash before a lone CR is part of the word)
          if (text[i] === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) break;
          value += text[i];
          i++;
        }
      }
      words.push({ text: value, start, end: i });
      lineEnd = i;
    }
    if (words.length === 0) continue;
    const head = words[0]!;
    const parent = stack[stack.length - 1];
    const container = parent ? parent.children! : root;
    if (head.text.startsWith('</')) {
      const d = stack.pop();
      if (d) d.end = lineEnd;
      continue;
    }
    if (head.text.startsWith('<')) {
      const name = head.text.slice(1).replace(/>$/, '');
      const args = words.slice(1);
      const last = args[args.length - 1];
      if (last) {
        last.text = last.text.replace(/>$/, '');
        if (last.text === '') args.pop();
        else if (text[last.end - 1] === '>') last.end--;
      }
      const d: ConfDirective = { name, nameStart: head.start + 1, nameEnd: head.start + 1 + name.length, args, end: lineEnd, children: [], section: true };
      if (parent) d.parent = parent;
      container.push(d);
      stack.push(d);
      continue;
    }
    const d: ConfDirective = { name: head.text, nameStart: head.start, nameEnd: head.end, args: words.slice(1), end: lineEnd };
    if (parent) d.parent = parent;
    container.push(d);
  }
  return root;
}

export interface IniEntry {
  /** Section name (`''` before the first `[section]`). */
  section: string;
  key: string;
  keyStart: number;
  /** The value without quotes and trailing comment. */
  value: string;
  valueStart: number;
  valueEnd: number;
}

/** `key = value` entries of an OpenSSL-style INI file; `#` starts a comment anywhere. */
export function parseIni(text: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const hash = rawLine.search(/(?<!\\)#/);
    const line = hash === -1 ? rawLine : rawLine.slice(0, hash);
    const sec = /^\s*\[\s*([^\]\s]+)\s*\]/.exec(line);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    // `(.*)` then trimEnd: a lazy `(.*?)\s*$` is quadratic in a long run of blanks
    const m = /^(\s*)([\w.$-]+)(\s*=\s*)(.*)$/.exec(line);
    if (!m) continue;
    let value = m[4]!.trimEnd();
    let valueStart = lineStart + m[1]!.length + m[2]!.length + m[3]!.length;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) {
      value = value.slice(1, -1);
      valueStart++;
    }
    out.push({ section, key: m[2]!, keyStart: lineStart + m[1]!.length, value, valueStart, valueEnd: valueStart + value.length });
  }
  return out;
}

/** Cached parse per file text, so several rules reading one file parse it once. */
export function cachedConf(file: { text: string; kind: string }): ConfDirective[] {
  let byDialect = cache.get(file);
  if (!byDialect) {
    byDialect = new Map();
    cache.set(file, byDialect);
  }
  const dialect = dialectOf(file.kind, file.text);
  let parsed = byDialect.get(dialect);
  if (!parsed) {
    parsed = parseConf(file.text, dialect);
    byDialect.set(dialect, parsed);
  }
  return parsed;
}
