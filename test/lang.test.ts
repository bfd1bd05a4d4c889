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
import { grammarFor, parseText, parseTypeScript } from '../src/parsers.js';
import { tsRoot } from '../src/lang/typescript.js';
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
    // the value every path sets holds unless the condition that overrides it
    expect(sem.values(args[0]!).map((f) => [f.guard?.text, f.guard?.negated])).toEqual([
      ['legacy', true],
      ['legacy', false],
    ]);
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

/** The Semantics of a JS/TS file on disk (through TypeScript's parser, as the analyzer builds it), and the argument of every `use(...)` call. */
function openTs(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = classify(file)!;
  const root = tsRoot(parseTypeScript(text, file));
  const sem = semanticsOf(new SourceFile(file, text, kind.id), root, undefined, new SourceIndex());
  const uses = (sem.facts.calls.get('use') ?? []).map((c) => sem.shape(c.node)).flatMap((s) => (s.t === 'call' ? [s.args[0]!.node] : []));
  return { sem, args: uses };
}

function js(body: string, extra: Record<string, string> = {}, name = 't.js') {
  const dir = tempTree({ [name]: body, ...extra });
  return openTs(path.join(dir, name));
}

describe('semantic layer over TypeScript\'s parser (JavaScript/TypeScript)', () => {
  it('follows locals, parameters to call sites, defaults and destructured parameters', () => {
    const { sem, args } = js(`
      let a = 'x'; a = 'TLSv1.1'; use(a);
      function open(host, version = 'TLSv1') { use(version); }
      open('h', 'SSLv3'); open('h');
      function take({ minVersion, verify = false }) { use(minVersion); use(verify); }
      take({ minVersion: 'TLSv1' });
    `);
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"TLSv1.1"'], ['"SSLv3"', '"TLSv1"'], ['"TLSv1"'], ['?field', 'false']]);
  });

  it('reads object literals as maps: entries, spreads (a later spread overrides), nested entries, entries of what a call gives', () => {
    const { sem, args } = js(`
      const base = { minVersion: 'TLSv1' };
      const opts = { ...base, host: 'h' };
      const over = { minVersion: 'TLSv1.3', ...base };
      const config = { tls: { minVersion: 'TLSv1.1' } };
      const make = () => ({ minVersion: 'SSLv3' });
      use(opts.minVersion); use(over.minVersion); use(config.tls.minVersion); use(make().minVersion);
      use(['TLSv1', 'TLSv1.2'][1]);
      use(opts); use({ ...unknownOptions, host: 'h' });
    `);
    expect(args.slice(0, 5).map((a) => values(sem.values(a)))).toEqual([['"TLSv1"'], ['"TLSv1"'], ['"TLSv1.1"'], ['"SSLv3"'], ['"TLSv1.2"']]);
    // entryOf: what rules ask of an options object; nothing when no map has the key, unknown when a spread may hold it
    expect(values(sem.entryOf(sem.values(args[5]!), 'minVersion'))).toEqual(['"TLSv1"']);
    expect(sem.entryOf(sem.values(args[5]!), 'maxVersion')).toEqual([]);
    expect(values(sem.entryOf(sem.values(args[6]!), 'minVersion'))).toEqual(['?field']);
  });

  it('joins lists of known strings (`[...].join(sep)`, default `,`), with the path of the list; anything unknown stays unknown', () => {
    const { sem, args } = js(`
      const SUITES = ['ECDHE-RSA-AES128-GCM-SHA256', 'RC4-SHA'];
      use(SUITES.join(':')); use(['A', 'B'].join()); use([x, 'B'].join(':')); use(SUITES.join(sep));
    `);
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA"'], ['"A,B"'], ['?call'], ['?call']]);
    expect(sem.values(args[0]!)[0]!.steps.map((s) => s.name)).toEqual(['SUITES']);
  });

  it('reads constants and factories of other modules: require (bound, destructured, inline), ES imports (named, namespace, default)', () => {
    const { sem, args } = js(
      `
      const cfg = require('./cfg');
      const { OLD } = require('./cfg');
      import { LEGACY, legacy } from './esm';
      import * as esm from './esm';
      use(cfg.OLD); use(OLD); use(require('./cfg').OLD); use(LEGACY); use(esm.LEGACY); use(legacy()); use(esm.legacy());
    `,
      {
        'cfg.js': "const OLD = 'SSLv3';\nmodule.exports = { OLD };\n",
        'esm.ts': "export const LEGACY = 'TLSv1' as const;\nexport function legacy() { return 'TLSv1.1'; }\n",
      },
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"SSLv3"'], ['"SSLv3"'], ['"SSLv3"'], ['"TLSv1"'], ['"TLSv1"'], ['"TLSv1.1"'], ['"TLSv1.1"']]);
    expect(path.basename(sem.values(args[3]!)[0]!.src.path)).toBe('esm.ts');
  });

  it('fields, enums, wrappers (as, satisfies, !), ?? and ternaries with their guards, minified booleans', () => {
    const { sem, args } = js(
      `
      enum Floor { Legacy = 'TLSv1' }
      class C { private readonly v = 'TLSv1.1'; m(o?: { min?: string }, legacy?: boolean) {
        use(this.v); use(Floor.Legacy); use(('SSLv3' as string)! satisfies string);
        use(o?.min ?? 'TLSv1'); use(legacy ? 'TLSv1' : 'TLSv1.3'); use(!1);
      } }
    `,
      {},
      't.ts',
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([['"TLSv1.1"'], ['"TLSv1"'], ['"SSLv3"'], ['?field', '"TLSv1"'], ['"TLSv1"', '"TLSv1.3"'], ['false']]);
    expect(sem.values(args[4]!).map((f) => [f.guard?.text, f.guard?.negated])).toEqual([
      ['legacy', false],
      ['legacy', true],
    ]);
  });

  it('function values: arrows in locals and fields, methods, named functions, and what they return', () => {
    const { sem, args } = js(`
      const skip = () => undefined;
      function none() {}
      class K { constructor() { this.cb = function () { return null; }; } m() { use(this.cb); use(this.n); } n() {} }
      use(skip); use(none);
    `);
    const fns = args.map((a) => sem.values(a)[0]!);
    expect(fns.map((f) => f.value.type)).toEqual(['function', 'function', 'function', 'function']);
    // in source order: this.cb, this.n, skip, none
    expect(fns.map((f) => (f.value.type === 'function' ? values(sem.returnsOf(f.value.node)) : []))).toEqual([['null'], [], ['null'], []]);
  });

  it('ends cyclic requires and definitions as unknown, never the scan', () => {
    const { sem, args } = js(
      `
      const a = require('./a'); const b = require('./b');
      let p = q; let q = p;
      function f(x) { return f(x); }
      use(b.B); use(p); use(f(1));
    `,
      { 'a.js': "exports.A = require('./b').B;\n", 'b.js': "exports.B = require('./a').A;\n" },
    );
    // a module-level name used before its declaration is left as a name
    expect(args.map((a) => values(sem.values(a)))).toEqual([['?limit'], ['q'], ['?call']]);
  });
});

/** The Semantics of a tree-sitter file on disk, and the first argument of every call of `sink(...)` in it. */
function openSink(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = classify(file)!;
  const tree = parseText(kind, text)!;
  const sem = semanticsOf(new SourceFile(file, text, kind.id), tree.rootNode, grammarFor(kind).language, new SourceIndex());
  const args = (sem.facts.calls.get('sink') ?? []).map((c) => sem.shape(c.node)).flatMap((s) => (s.t === 'call' ? [s.args[0]!.node] : []));
  return { sem, args, tree };
}

function cFile(body: string, extra: Record<string, string> = {}, name = 't.c') {
  const dir = tempTree({ [name]: body, ...extra });
  return openSink(path.join(dir, name));
}

describe('semantic layer over C and C++', () => {
  it('reads #define values as expressions at their own offsets, consts, enumerators and locals', () => {
    const src = `#include <curl/curl.h>
#define SSLV (long)CURL_SSLVERSION_TLSv1 /* old */
#define OPTS SSL_OP_NO_SSLv3 | \\
             SSL_OP_NO_TLSv1
#define CIPHERS "RC4-SHA:" "HIGH"
#define BEGIN {
static const long LEVEL = 0x0301;
enum { MODE = 4 };
void f(CURL *h, int legacy) {
  long v = CURL_SSLVERSION_TLSv1_2;
  if (legacy) v = SSLV;
  sink(v); sink(OPTS); sink(CIPHERS); sink(LEVEL); sink(MODE); sink(1L); sink(TRUE);
}`;
    const { sem, args } = cFile(src);
    expect(args.map((a) => values(sem.values(a)))).toEqual([
      ['CURL_SSLVERSION_TLSv1_2', 'CURL_SSLVERSION_TLSv1'],
      ['bits(SSL_OP_NO_SSLv3|SSL_OP_NO_TLSv1)'],
      ['"RC4-SHA:HIGH"'],
      ['769'],
      ['4'],
      ['1'],
      ['true'],
    ]);
    // the macro's value node points into the file, on the #define's line
    const old = sem.values(args[0]!)[1]!;
    expect(src.slice(old.node.startIndex, old.node.endIndex)).toBe('CURL_SSLVERSION_TLSv1');
    expect(old.node.startPosition.row).toBe(1);
    expect(old.steps.map((s) => `${s.via}:${s.name}`)).toEqual(['local:v', 'constant:SSLV']);
  });

  it('names the preprocessor branch as the guard, #ifndef and #else negated', () => {
    const { sem, args } = cFile(`void f(void) {
#if OPENSSL_VERSION_NUMBER < 0x10100000L
  sink(SSLv23_method());
#else
  sink(TLS_method());
#endif
#ifndef OPENSSL_NO_SSL3
  sink(SSLv3_method());
#endif
}`);
    expect(args.map((a) => [sem.guardOf(a)?.text, sem.guardOf(a)?.negated])).toEqual([
      ['OPENSSL_VERSION_NUMBER < 0x10100000L', false],
      ['OPENSSL_VERSION_NUMBER < 0x10100000L', true],
      ['OPENSSL_NO_SSL3', true],
    ]);
  });

  it('follows parameters to call sites, callbacks to their returns, and macros of included headers', () => {
    const { sem, args } = cFile(
      `#include "tls_conf.h"
static int accept_all(int ok, X509_STORE_CTX *c) { return 1; }
static void setup(CURL *h, long version) { sink(version); }
void go(CURL *h) { setup(h, CURL_SSLVERSION_TLSv1_1); sink(&accept_all); sink(CONF_VERSION); }`,
      { 'tls_conf.h': '#define CONF_VERSION CURL_SSLVERSION_SSLv3\n' },
    );
    expect(values(sem.values(args[0]!))).toEqual(['CURL_SSLVERSION_TLSv1_1']);
    const cb = sem.values(args[1]!)[0]!;
    expect(cb.value.type).toBe('function');
    expect(values(sem.returnsOf((cb.value as { node: typeof cb.node }).node))).toEqual(['1']);
    expect(values(sem.values(args[2]!))).toEqual(['CURL_SSLVERSION_SSLv3']);
    expect(path.basename(sem.values(args[2]!)[0]!.src.path)).toBe('tls_conf.h');
  });

  it('reads C++ class constants, namespaces, members set in constructors and static_cast', () => {
    const { sem, args } = cFile(
      `namespace tls { constexpr long kVersion = CURL_SSLVERSION_TLSv1; }
class Client {
  static const int kLevel = 0;
  const char *ciphers_;
 public:
  Client() : ciphers_("DES-CBC3-SHA") {}
  void go() { sink(tls::kVersion); sink(kLevel); sink(static_cast<long>(Client::kLevel)); sink(this->ciphers_); }
};`,
      {},
      't.cpp',
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([['CURL_SSLVERSION_TLSv1'], ['0'], ['0'], ['"DES-CBC3-SHA"']]);
  });
});

describe('semantic layer over PHP', () => {
  it('reads variables, define(), const, class constants, properties and array keys', () => {
    const { sem, args } = cFile(
      `<?php
define('SSLV', CURL_SSLVERSION_TLSv1);
const LEVEL = 4;
class Client {
    const VERSION = CURL_SSLVERSION_TLSv1_1;
    private $opts = array('ssl' => array('verify_peer' => false));
    public function get($ch, $legacy) {
        $v = CURL_SSLVERSION_TLSv1_2;
        if ($legacy) { $v = SSLV; }
        sink($v); sink(self::VERSION); sink(Client::VERSION); sink(LEVEL);
        sink($this->opts['ssl']['verify_peer']);
        $o = [CURLOPT_SSLVERSION => \\CURL_SSLVERSION_SSLv3]; sink($o[CURLOPT_SSLVERSION]);
        sink("tls://" . 'example.org'); sink(constant('SSLV'));
    }
}`,
      {},
      't.php',
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([
      ['CURL_SSLVERSION_TLSv1_2', 'CURL_SSLVERSION_TLSv1'],
      ['CURL_SSLVERSION_TLSv1_1'],
      ['CURL_SSLVERSION_TLSv1_1'],
      ['4'],
      ['false'],
      ['CURL_SSLVERSION_SSLv3'],
      ['"tls://example.org"'],
      ['CURL_SSLVERSION_TLSv1'],
    ]);
  });

  it('follows parameters to call sites and constants of required files and of imported classes', () => {
    const { sem, args } = cFile(
      `<?php
namespace App\\Http;
use App\\Config\\Tls;
require_once __DIR__ . '/config.php';
function connect($method = STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT) { sink($method); }
connect(STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT); connect();
sink(LEGACY_METHOD); sink(Tls::METHOD);`,
      {
        'config.php': "<?php define('LEGACY_METHOD', STREAM_CRYPTO_METHOD_SSLv3_CLIENT);",
        'composer.json': '{}',
        'src/Config/Tls.php': '<?php namespace App\\Config; class Tls { const METHOD = STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT; }',
      },
      't.php',
    );
    expect(args.map((a) => values(sem.values(a)))).toEqual([
      ['STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT', 'STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT'],
      ['STREAM_CRYPTO_METHOD_SSLv3_CLIENT'],
      ['STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT'],
    ]);
  });
});
