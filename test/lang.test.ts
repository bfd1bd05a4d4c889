/**
 * The semantic layer's own behaviour, language-neutral where it can be: what values a use may
 * hold, which assignments reach it, how far lookups go and where they stop. Pack behaviour is
 * pinned by the fixtures; these tests pin the engine the packs share.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { semanticsOf } from '../src/lang/index.js';
import type { Flow, Value } from '../src/lang/model.js';
import { SourceIndex } from '../src/lang/project.js';
import { classify } from '../src/languages.js';
import { grammarFor, parseText } from '../src/parsers.js';
import { SourceFile } from '../src/source.js';
import { tempTree } from './helpers.js';

/** The Semantics of a file on disk, and the argument of every `use(...)` call in it, in order. */
function open(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = classify(file)!;
  const tree = parseText(kind, text)!;
  const sem = semanticsOf(new SourceFile(file, text, kind.id), tree.rootNode, grammarFor(kind).language, new SourceIndex());
  const uses = tree.rootNode.descendantsOfType('method_invocation').filter((c) => c.childForFieldName('name')?.text === 'use');
  return { sem, args: uses.map((u) => u.childForFieldName('arguments')!.namedChildren[0]!) };
}

function show(v: Value): string {
  switch (v.type) {
    case 'string':
      return JSON.stringify(v.value);
    case 'number':
      return String(v.value) + (v.cast ? `:${v.cast}` : '');
    case 'bool':
      return String(v.value);
    case 'symbol':
      return v.name;
    case 'list':
      return `[${v.items.map((i) => show(i.value)).join(', ')}]`;
    case 'bits':
      return `bits(${v.parts.map((p) => show(p.value)).join('|')}${v.removed.length ? ` -${v.removed.map((p) => show(p.value)).join('|')}` : ''})`;
    case 'unknown':
      return `?${v.why}`;
    default:
      return v.type;
  }
}

const values = (flows: Flow[]) => flows.map((f) => show(f.value));

function java(body: string, extra: Record<string, string> = {}) {
  const dir = tempTree({ 'T.java': body, ...extra });
  return open(path.join(dir, 'T.java'));
}

describe('semantic layer: values at a use', () => {
  it('takes the last assignment before the use, and every one when branches differ', () => {
    const { sem, args } = java(`class T { void m(boolean b) {
      String a = "x"; a = "y"; use(a);
      String c = "1"; if (b) { c = "2"; } use(c);
      String d; if (b) d = "p"; else d = "q"; use(d);
      String e = "TLSv1"; if (b) { e = "TLSv1.2"; use(e); }
    } }`);
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"y"'], ['"1"', '"2"'], ['"p"', '"q"'], ['"TLSv1.2"']]);
  });

  it('names the condition of a branch or a ternary as the guard', () => {
    const { sem, args } = java(`class T { void m(boolean legacy) {
      String c = "TLSv1.2"; if (legacy) { c = "TLSv1"; } use(c);
      use(legacy ? "TLSv1" : "TLSv1.2");
    } }`);
    expect(sem.values(args[0]!).map((f) => f.guard?.text)).toEqual([undefined, 'legacy']);
    expect(sem.values(args[1]!).map((f) => [f.guard?.text, f.guard?.negated])).toEqual([
      ['legacy', false],
      ['legacy', true],
    ]);
  });

  it('folds strings, numbers, casts and flag unions; `& ~` removes flags', () => {
    const { sem, args } = java(`class T { void m() {
      use("TLS" + "v1." + 1);
      use((SslProtocols)(192 | 768));
      use((SecurityProtocolType)(24 + 24));
      int f = 48; f |= 192; f &= ~48; use(f);
      use(SslProtocols.Tls | SslProtocols.Tls11);
      SecurityProtocolType p = SecurityProtocolType.Tls | SecurityProtocolType.Tls12; p &= ~SecurityProtocolType.Tls; use(p);
    } }`);
    expect(args.map((a) => values(sem.values(a)))).toEqual([
      ['"TLSv1.1"'],
      ['960:SslProtocols'],
      ['48:SecurityProtocolType'],
      ['192'],
      ['bits(SslProtocols.Tls|SslProtocols.Tls11)'],
      ['bits(SecurityProtocolType.Tls|SecurityProtocolType.Tls12 -SecurityProtocolType.Tls)'],
    ]);
  });

  it('follows parameters to their call sites (weak and safe arguments apart) and varargs', () => {
    const { sem, args } = java(`class T {
      void open(String p) { use(p); }
      void many(String... ps) { use(ps); }
      void callers() { open("TLSv1"); open("TLSv1.2"); many("a", "b"); }
    }`);
    expect(values(sem.values(args[0]!))).toEqual(['"TLSv1"', '"TLSv1.2"']);
    expect(sem.values(args[0]!).map((f) => f.steps.map((s) => s.via))).toEqual([
      ['parameter', 'call-site'],
      ['parameter', 'call-site'],
    ]);
    expect(values(sem.values(args[1]!))).toEqual(['["a", "b"]']);
  });

  it('evaluates factories with their arguments bound, in this file and in another', () => {
    const { sem, args } = java(
      `class T {
        static String pick(String v) { return v; }
        void m() { use(pick("TLSv1.1")); use(Defaults.legacy()); use(Defaults.OLD); }
      }`,
      { 'Defaults.java': 'class Defaults { static final String OLD = "SSLv3"; static String legacy() { return "TLSv1"; } }' },
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"TLSv1.1"'], ['"TLSv1"'], ['"SSLv3"']]);
    expect(path.basename(sem.values(args[2]!)[0]!.src.path)).toBe('Defaults.java');
  });

  it('ends cyclic and very deep definitions as unknown, never the scan', () => {
    const deep = Array.from({ length: 3000 }, (_, i) => (i === 0 ? 'static final String C0 = "TLSv1";' : `static final String C${i} = C${i - 1};`)).join('\n');
    const { sem, args } = java(`class T {
      static final String A = B; static final String B = A;
      String f() { return f(); }
      ${deep}
      void m() { use(A); use(f()); use(C2999); }
    }`);
    expect(args.map((a) => values(sem.values(a)))).toEqual([['?limit'], ['?call'], ['?limit']]);
  });

  it('restricting code after a value: later writes and calls on the same object, in the same function', () => {
    const { sem, args } = java(`class T { void m(Cfg cfg, Cfg other) {
      use(cfg);
      cfg.min = "TLSv1.2";
      other.min = "TLSv1";
      cfg.setProtocols("TLSv1.3");
    } }`);
    const later = sem.laterOnObject('cfg', args[0]!.endIndex, args[0]!);
    expect(later.map((u) => `${u.kind}:${u.name}`)).toEqual(['write:min', 'call:setProtocols']);
  });
});
