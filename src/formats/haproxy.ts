/**
 * HAProxy configuration (`haproxy.cfg`), read with the line parser of src/formats/serverconf.ts
 * (one directive per line, `#` comments, quotes, `\` continuations): each directive with its
 * section (`global`, `defaults`, `frontend web`, `backend api`, `listen stats`...). HAProxy has no
 * nesting: a section keyword starts a section that runs to the next one.
 */
import { parseConf, type ConfDirective, type ConfWord } from './serverconf.js';

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers', 'userlist', 'program', 'http-errors', 'ring', 'cache', 'mailers', 'log-forward', 'crt-store', 'traces']);

export interface HaproxyDirective extends ConfDirective {
  /** The section: `global`, `frontend web`... (empty before the first one). */
  block: string;
}

const cache = new WeakMap<object, HaproxyDirective[]>();

/** The directives of a file (cached per file text object), each with its section. */
export function haproxyDirectives(file: { text: string }): HaproxyDirective[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const out: HaproxyDirective[] = [];
  let section = '';
  for (const d of parseConf(file.text, 'apache')) {
    if (d.section) continue;
    if (SECTIONS.has(d.name)) {
      section = [d.name, ...d.args.map((a) => a.text)].join(' ');
      continue;
    }
    out.push({ ...d, block: section });
  }
  cache.set(file, out);
  return out;
}

/** The TLS options of a directive: the arguments of `ssl-default-bind-options`, or the words after the address of `bind`/`server`/`default-server`. */
export function tlsOptionWords(d: ConfDirective): ConfWord[] {
  if (d.name === 'ssl-default-bind-options' || d.name === 'ssl-default-server-options') return d.args;
  if (d.name === 'bind' || d.name === 'server') return d.args.slice(1);
  if (d.name === 'default-server') return d.args;
  return [];
}
