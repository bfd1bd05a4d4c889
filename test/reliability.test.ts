/**
 * Regressions of the inputs that broke tlslint 0.1 (issue 19): every one ends, quickly, with a
 * diagnostic where something was left out, and every other finding of the file and the scan kept.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../src/analyze.js';
import { bicepProperties } from '../src/formats/bicep.js';
import { envAssignments } from '../src/formats/env.js';
import { propertyEntries } from '../src/formats/properties-entries.js';
import { parseConf, parseIni, walkConf } from '../src/formats/serverconf.js';
import { classify } from '../src/languages.js';
import { fileKindById } from '../src/languages.js';
import { limitNesting, MAX_NESTING } from '../src/nesting.js';
import { RULES } from '../src/registry.js';
import { SourceFile } from '../src/source.js';
import { DEFAULT_SETTINGS, runCli, tempTree } from './helpers.js';

const GO_FINDING = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';

interface JsonOut {
  findings: Array<{ path: string; ruleId: string; startLine: number }>;
  diagnostics: Array<{ code: string; level: string; path?: string; line?: number; message: string }>;
}

function scanJson(dir: string, args: string[] = ['.']): { out: JsonOut; status: number; stderr: string } {
  const r = runCli(['--format', 'json', ...args], { cwd: dir });
  return { out: JSON.parse(r.stdout) as JsonOut, status: r.status, stderr: r.stderr };
}

/** Analyzes one in-memory file in this thread (as a worker does) and times it. */
function analyze(name: string, content: string | Buffer) {
  const kind = classify(name)!;
  const analyzer = new Analyzer([...RULES], { settings: DEFAULT_SETTINGS });
  const started = performance.now();
  const result = analyzer.analyze(`/virtual/${name}`, name, Buffer.isBuffer(content) ? content : Buffer.from(content), kind);
  return { ...result, ms: performance.now() - started };
}

/** Milliseconds a call takes (the best of three runs, so a busy machine does not decide). */
function bestOf3(fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe('hand-written parsers: every loop advances, in linear time', () => {
  it('Apache: U+00A0, U+FEFF, U+2028, U+3000, \\v and \\f after a directive (the 25-byte configs that looped until out of memory)', () => {
    for (const blank of ['\u00a0', '\ufeff', '\u2028', '\u3000', '\v', '\f']) {
      const r = analyze('httpd.conf', `SSLProtocol all -SSLv3${blank}\n`);
      expect(r.findings.map((f) => f.ruleId)).toEqual(['apache/ssl-protocol-outdated']);
      expect(r.ms).toBeLessThan(2000);
    }
  });

  it('server configs 100 000 blocks deep are walked without a stack overflow, and their findings kept', () => {
    const depth = 100_000;
    const nginx = `http {\n ssl_protocols TLSv1 TLSv1.2;\n${'a {'.repeat(depth)}${'}'.repeat(depth)}\n}\n`;
    const r = analyze('nginx.conf', nginx);
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toEqual(['nginx/ssl-protocols-outdated:2']);
    const apache = `SSLProtocol all\n${'<Directory x>\n'.repeat(depth)}SSLProtocol TLSv1\n`;
    expect([...walkConf(parseConf(apache, 'apache'))]).toHaveLength(depth + 2);
  });

  it('long runs of blanks and many properties cost linear time in every line reader (no backtracking regular expression, no search to the end per match)', () => {
    const blanks = (k: number) => ' '.repeat(25_000 * k);
    const cases: Array<[string, (k: number) => unknown]> = [
      ['openssl.cnf', (k) => parseIni(`[s]\nMinProtocol = TLSv1${blanks(k)}x\n`)],
      ['properties', (k) => propertyEntries(`jdk.tls.client.protocols=TLSv1${blanks(k)}x${blanks(k)}\n`)],
      ['Dockerfile', (k) => envAssignments(new SourceFile('/Dockerfile', `ENV GODEBUG x${blanks(k)}y${blanks(k)}\n`, 'dockerfile'))],
      ['bicep', (k) => bicepProperties(`resource r 'T@1' = {\n${'  minimumTlsVersion: x\n'.repeat(5000 * k)}}\n`, ['minimumTlsVersion'])],
    ];
    for (const [name, run] of cases) {
      const base = bestOf3(() => run(1));
      const big = bestOf3(() => run(4));
      // four times the input: about four times the time (a quadratic reader takes sixteen)
      expect(big, name).toBeLessThan(Math.max(40, base * 9));
    }
  });
});

describe('deep nesting is blanked past the limit; the rest of the file is checked', () => {
  it('JavaScript with 20 000 nested brackets: the finding after them is kept, with a diagnostic naming the limit', () => {
    const n = 20_000;
    const r = analyze('bracket.js', `const tls=require("tls");\nconst x = ${'['.repeat(n)}${']'.repeat(n)};\ntls.createSecureContext({ minVersion: "TLSv1" });`);
    expect(r.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toEqual(['javascript/tls-version-outdated:3']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'nesting-limit', level: 'note', line: 2 })]);
    expect(r.diagnostics[0]!.message).toContain(`deeper than ${MAX_NESTING} levels`);
  });

  it('Go with 50 000 nested calls: both findings, in seconds rather than minutes', () => {
    const n = 50_000;
    const text = `${GO_FINDING}var x = ${'f('.repeat(n)}${')'.repeat(n)}\nvar B = &tls.Config{MinVersion: tls.VersionTLS11}\n`;
    const r = analyze('deep.go', text);
    expect(r.findings.map((f) => f.region.startLine)).toEqual([5, 7]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['nesting-limit']);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a line comment ends at a carriage return too (a file with CR line ends and 60 000 brackets after a comment)', () => {
    const r = analyze('cr.ts', `import * as https from 'https';\r// a comment\rconst x = ${'('.repeat(60_000)};\rexport const a = new https.Agent({ rejectUnauthorized: false });\n`);
    expect(r.diagnostics.map((d) => d.code)).toContain('nesting-limit');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('internal-error');
  });

  it('YAML nested past the scanner limit and Ruby heredoc identifiers of hundreds of characters are blanked, not parsed (the scanners abort the process)', () => {
    const gateway = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: public\nspec:\n  servers:\n  - port: { number: 443 }\n    tls:\n      mode: SIMPLE\n      minProtocolVersion: TLSV1_1\n';
    for (const deep of [`x: ${'- '.repeat(3000)}x\n`, `${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`]) {
      const yaml = analyze('gateway.yaml', `${gateway}---\n${deep}`);
      expect(yaml.diagnostics.map((d) => d.code)).toContain('nesting-limit');
      expect(yaml.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toEqual(['proxy/envoy-tls-min-version-outdated:10']);
    }
    const ruby = analyze('doc.rb', `require "openssl"\nctx = OpenSSL::SSL::SSLContext.new\nctx.ssl_version = :TLSv1\nx = <<${'E'.repeat(3000)}\nbody\n${'E'.repeat(3000)}\n`);
    expect(ruby.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toEqual(['ruby/ssl-version-outdated:3']);
    expect(ruby.diagnostics.map((d) => d.code)).toContain('nesting-limit');
  });

  it('the bracket scan: comments by the kind\'s markers (some only at the start of a line), strings, any characters', () => {
    const go = fileKindById('go')!;
    const bang = { ...go, lineComments: ['//', '!'] };
    const blanked = (text: string, kind = go) => limitNesting(text, kind, 2)?.text ?? text;
    expect(blanked('f(g(h(x)))')).toBe('f(g(h   ))');
    expect(blanked('é ü 中 f(g(h(x)))')).toBe('é ü 中 f(g(h   ))');
    expect(blanked('x = "(((" + `\n(((` // (((\n')).toBe('x = "(((" + `\n(((` // (((\n');
    // a comment ends with its line, U+2028 included
    expect(blanked('// (((\u2028f(g(h(x)))')).toBe('// (((\u2028f(g(h   ))');
    // `!` opens a comment only where the line holds nothing else before it
    expect(blanked('  ! f(g(h(x)))\n', bang)).toBe('  ! f(g(h(x)))\n');
    expect(blanked('a ! f(g(h(x)))\n', bang)).toBe('a ! f(g(h   ))\n');
    expect(blanked('a\n\t! f(g(h(x)))\n', bang)).toBe('a\n\t! f(g(h(x)))\n');
  });

  it('nesting below the limit, and brackets inside strings and comments, change nothing', () => {
    const inStrings = `const tls=require("tls");\nconst s = "${'('.repeat(5000)}"; // ${'['.repeat(5000)}\n/* ${'{'.repeat(5000)} */\ntls.createSecureContext({ minVersion: "TLSv1" });\n`;
    const r = analyze('strings.js', inStrings);
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map((f) => f.region.startLine)).toEqual([4]);
    const depth = MAX_NESTING - 10;
    const shallow = analyze('ok.js', `const tls=require("tls");\nconst x = ${'['.repeat(depth)}tls.createSecureContext({ minVersion: "TLSv1" })${']'.repeat(depth)};\n`);
    expect(shallow.diagnostics).toEqual([]);
    expect(shallow.findings).toHaveLength(1);
  });
});

describe('encodings', () => {
  const go = 'package main\n\nimport "crypto/tls"\n\nvar cfg = &tls.Config{MinVersion: tls.VersionTLS10}\n';
  const encoded: Record<string, Buffer> = {
    'utf16le.go': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(go, 'utf16le')]),
    'utf16be.go': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(go, 'utf16le').swap16()]),
    'utf32le.go': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...go].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)!); return b; })]),
    'utf32be.go': Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), ...[...go].map((c) => { const b = Buffer.alloc(4); b.writeUInt32BE(c.codePointAt(0)!); return b; })]),
  };

  it('UTF-16 and UTF-32 files with a byte-order mark are decoded and scanned (0.1 skipped them as binary)', () => {
    for (const [name, bytes] of Object.entries(encoded)) {
      const r = analyze(name, bytes);
      expect(r.diagnostics, name).toEqual([]);
      expect(r.findings.map((f) => `${f.ruleId}:${f.region.startLine}:${f.region.startColumn}`), name).toEqual(['go/tls-min-version-too-low:5:35']);
    }
    // UTF-16 without a BOM is still binary to us (NUL bytes), and says so
    expect(analyze('nobom.go', Buffer.from(go, 'utf16le')).diagnostics.map((d) => d.code)).toEqual(['binary-file']);
  });

  it('a C# file saved by Visual Studio as UTF-16 LE', () => {
    const cs = 'class A {\n  void F() { ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls; }\n}\n';
    const r = analyze('Program.cs', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cs, 'utf16le')]));
    expect(r.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toEqual(['dotnet/security-protocol-outdated:2']);
  });
});

describe('discovery of odd trees (through the CLI)', () => {
  it('a .gitignore line of 60 000 characters is a diagnostic, not the end of the scan', () => {
    const dir = tempTree({ '.gitignore': `${'a'.repeat(60_000)}\nignored.go\n`, 'a.go': GO_FINDING, 'ignored.go': GO_FINDING });
    const { out, status, stderr } = scanJson(dir);
    expect(status).toBe(1);
    expect(out.findings.map((f) => f.path)).toEqual(['a.go']);
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'ignore-pattern', path: '.gitignore', line: 1 })]);
    expect(stderr.length).toBeLessThan(1000); // no 100 KB regular expression on the terminal
  });

  it('file and folder names with a newline, bytes that are not UTF-8, or two leading dots are found and reported relative to the root', () => {
    const dir = tempTree({ 'a.go': GO_FINDING, 'new\nline.go': GO_FINDING, 'dir\nnl/b.go': GO_FINDING, '..hidden.go': GO_FINDING });
    fs.writeFileSync(Buffer.from(`${dir}/latin1_\xe9\xff.go`, 'latin1'), GO_FINDING);
    fs.mkdirSync(Buffer.from(`${dir}/caf\xe9`, 'latin1'));
    fs.writeFileSync(Buffer.from(`${dir}/caf\xe9/c.go`, 'latin1'), GO_FINDING);
    const { out, status } = scanJson(dir);
    expect(out.diagnostics).toEqual([]);
    expect(status).toBe(1);
    expect(out.findings.map((f) => f.path).sort()).toEqual(['..hidden.go', 'a.go', 'caf\ufffd/c.go', 'dir\nnl/b.go', 'latin1_\ufffd\ufffd.go', 'new\nline.go']);
    const sarif = JSON.parse(runCli(['--format', 'sarif', '.'], { cwd: dir }).stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(uris.every((u) => u.uriBaseId === '%SRCROOT%' && !u.uri.startsWith('file:'))).toBe(true);
    expect(uris.map((u) => u.uri)).toContain('..hidden.go');
  });

  it('a folder named on the command line is scanned when an enclosing .gitignore hides it; nothing to scan is exit 2', () => {
    const dir = tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'build/\n*.gen.go\n', 'build/sub/a.go': GO_FINDING, 'empty/readme.txt': 'hello\n', 'notes.txt': 'x\n' });
    const hidden = scanJson(dir, ['build']);
    expect(hidden.status).toBe(1);
    expect(hidden.out.findings.map((f) => f.path)).toEqual(['build/sub/a.go']);
    expect(scanJson(dir, ['build/sub']).out.findings).toHaveLength(1);
    const empty = runCli(['empty'], { cwd: dir });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('no files to scan in empty');
    // a file argument of a kind tlslint does not read (pre-commit may pass one) is not an error
    expect(runCli(['notes.txt'], { cwd: dir }).status).toBe(0);
  });
});

describe('rule helpers stay linear in the number of findings', () => {
  const goFile = (n: number) => {
    let t = 'package x\n\nimport "crypto/tls"\n\n';
    for (let i = 0; i < n; i++) t += `var c${i} = &tls.Config{MinVersion: tls.VersionTLS10}\n`;
    return t;
  };

  it('a Go file with 2 000 findings costs about four times one with 500 (0.1: 9 s against 0.3 s)', () => {
    const time = (n: number) => {
      const r = analyze(`f${n}.go`, goFile(n));
      expect(r.findings).toHaveLength(n);
      return Math.min(r.ms, analyze(`f${n}.go`, goFile(n)).ms);
    };
    const small = time(500);
    expect(time(2000)).toBeLessThan(small * 9);
  });

  it('findings among 20 000 unrelated declarations: four times the findings cost far less than four times the time (no whole-tree walk per finding)', () => {
    const file = (findings: number) => {
      let t = 'package x\n\nimport "crypto/tls"\n\n';
      for (let i = 0; i < 20_000; i++) {
        t += `var v${i} = ${i}\n`;
        if (i % (20_000 / findings) === 0) t += `var c${i} = &tls.Config{MinVersion: tls.VersionTLS10}\n`;
      }
      return t;
    };
    const time = (n: number) => {
      const r = analyze(`u${n}.go`, file(n));
      expect(r.findings).toHaveLength(n);
      return Math.min(r.ms, analyze(`u${n}.go`, file(n)).ms);
    };
    const few = time(50);
    expect(time(200)).toBeLessThan(few * 2.5);
  });

  it('a Java declaration of 20 000 declarators (a fuzz mutant took 60 s) reads each declaration once', () => {
    const java = `import javax.net.ssl.SSLContext;\nclass A {\n  String a = x${', TLSv1'.repeat(20_000)};\n  void f() throws Exception { SSLContext c = SSLContext.getInstance("TLSv1"); }\n}\n`;
    const r = analyze('A.java', java);
    expect(r.findings.map((f) => `${f.ruleId}:${f.region.startLine}`)).toContain('java/sslcontext-protocol-outdated:4');
    expect(r.ms).toBeLessThan(8000);
  });

  it('Go lists of 7 000 names (`var a0, a1, ... = f()`, a garbage line of `, TLSv1, TLSv1...`) do not make the facts query quadratic', () => {
    const names = Array.from({ length: 7000 }, (_, i) => `a${i}`).join(', ');
    const spec = analyze('spec.go', `package x\n\nimport "crypto/tls"\n\nvar ${names} = f()\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\nfunc g() { ${names} = h() }\n`);
    expect(spec.findings.map((f) => f.region.startLine)).toEqual([6]);
    expect(spec.ms).toBeLessThan(4000);
    const garbage = analyze('garbage.go', `package x\n\nimport "crypto/tls"\n${', TLSv1'.repeat(7000)}\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n`);
    expect(garbage.ms).toBeLessThan(4000);
  });

  it('a value at the foot of a 10 000-term expression: no walk up to the function per finding (tree-sitter finds a parent from the root)', () => {
    const go = `package x\n\nimport "crypto/tls"\n\nfunc f() *tls.Config {\n\treturn &tls.Config{MinVersion: tls.VersionTLS10}${' + a'.repeat(10_000)}\n}\n`;
    const r = analyze('chain.go', go);
    expect(r.findings.map((f) => f.ruleId)).toContain('go/tls-min-version-too-low');
    expect(r.ms).toBeLessThan(4000);
  });

  it('a Gemfile (Ruby by format) is read by the Ruby semantic layer, not an internal error', () => {
    const r = analyze('Gemfile', 'source "https://rubygems.org"\nctx = OpenSSL::SSL::SSLContext.new\nctx.min_version = OpenSSL::SSL::TLS1_VERSION\n');
    expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  });
});
