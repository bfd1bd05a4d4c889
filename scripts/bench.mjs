#!/usr/bin/env node
// Benchmark (`npm run bench`): tlslint against a ripgrep keyword scan and a parse-everything
// baseline over the same files, with files/s, MB/s and peak RSS. Not a test: numbers go in the README.
//
//   npm run bench                          generated polyglot corpus (20 000 files), plus a linearity check
//   npm run bench -- --files 80000         a bigger generated corpus (--file-size: bytes per file, default 6000)
//   npm run bench -- --corpus DIR          a real folder: the estate of repositories built by scripts/build-corpus.sh
//                                          (also times a quarter and a half of its repositories, for linearity)
//   npm run bench -- --skip-parse-all      leave out the (slow) parse-everything baseline
//   npm run bench -- --rg-keywords FILE    the keyword alternation ripgrep greps for (default: the benchmark's
//                                          ../shared/bench/rg-keywords.alt when present, else tlslint's own triggers)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    files: { type: 'string', default: '20000' },
    'file-size': { type: 'string', default: '6000' },
    'skip-parse-all': { type: 'boolean' },
    'skip-linearity': { type: 'boolean' },
    jobs: { type: 'string' },
    'rg-keywords': { type: 'string' },
  },
});

const { FILE_KINDS, classify } = await import(path.join(root, 'dist/src/languages.js'));
const { RULES } = await import(path.join(root, 'dist/rules/index.js'));
const fg = (await import('fast-glob')).default;

// ------------------------------------------------------------------------------------------------
// Corpus

const TEMPLATES = {
  java: (i, tls) => `package com.example.module${i % 97};

import java.util.List;
import java.util.Map;
${tls === 1 ? 'import javax.net.ssl.SSLContext;\n' : ''}
public class Service${i} {
    private final Map<String, List<String>> index = new java.util.HashMap<>();

    public List<String> lookup(String key) {
        // keep the index warm; the protocol field is unrelated to TLS
        return index.getOrDefault(key, List.of());
    }
${tls === 1 ? `
    SSLContext context() throws Exception {
        return SSLContext.getInstance("TLSv1");
    }
` : tls === 2 ? `
    String protocols() { return "getInstance is only used for logging"; }
` : ''}
    public int size() { return index.size(); }
}
`,
  cs: (i, tls) => `using System;
using System.Collections.Generic;
${tls === 1 ? 'using System.Net;\n' : ''}
namespace Example.Module${i % 97}
{
    public class Service${i}
    {
        private readonly Dictionary<string, List<string>> index = new Dictionary<string, List<string>>();

        public List<string> Lookup(string key) => index.TryGetValue(key, out var v) ? v : new List<string>();
${tls === 1 ? `
        public static void Init() { ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls; }
` : tls === 2 ? `
        // SecurityProtocol is configured by the host
` : ''}
    }
}
`,
  py: (i, tls) => `"""Module ${i}."""
import json
import os
${tls === 1 ? 'import ssl\n' : ''}

def load(path):
    with open(os.path.join("data", path)) as f:
        return json.load(f)

${tls === 1 ? 'CTX = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n' : tls === 2 ? '# the ssl module is not used here\n' : ''}
class Handler${i}:
    def __init__(self, name):
        self.name = name

    def handle(self, event):
        return {"name": self.name, "event": event, "n": ${i}}
`,
  go: (i, tls) => `package module${i % 97}

import (
	"fmt"
	"strings"
${tls === 1 ? '\t"crypto/tls"\n' : ''})

type Service${i} struct {
	names []string
}

func (s *Service${i}) Join() string {
	return strings.Join(s.names, ",")
}
${tls === 1 ? `
var cfg = &tls.Config{MinVersion: tls.VersionTLS10}
` : tls === 2 ? `
// MinVersion is set by the caller
` : ''}
func (s *Service${i}) String() string { return fmt.Sprintf("service %d", len(s.names)) }
`,
  ts: (i) => `export interface Item${i} { id: number; name: string }

export function find${i}(items: Item${i}[], id: number): Item${i} | undefined {
  return items.find((x) => x.id === id);
}
`,
};
const EXT = { java: '.java', cs: '.cs', py: '.py', go: '.go', ts: '.ts' };

/** Ordinary code that pads a file to a realistic size (real source files average 5-10 KB). */
const FILLER = {
  java: (n) => `    public String describe${n}(int count) {\n        StringBuilder out = new StringBuilder();\n        for (int i = 0; i < count; i++) {\n            out.append(i).append(',');\n        }\n        return out.toString();\n    }\n`,
  cs: (n) => `        public string Describe${n}(int count)\n        {\n            var sb = new System.Text.StringBuilder();\n            for (var i = 0; i < count; i++) sb.Append(i).Append(',');\n            return sb.ToString();\n        }\n`,
  py: (n) => `\ndef describe_${n}(count):\n    out = []\n    for i in range(count):\n        out.append(str(i))\n    return ",".join(out)\n`,
  go: (n) => `\nfunc describe${n}(count int) string {\n\tout := make([]string, 0, count)\n\tfor i := 0; i < count; i++ {\n\t\tout = append(out, fmt.Sprint(i))\n\t}\n\treturn strings.Join(out, ",")\n}\n`,
  ts: (n) => `export function describe${n}(count: number): string {\n  return Array.from({ length: count }, (_, i) => String(i)).join(',');\n}\n`,
};

function pad(lang, text, size) {
  const parts = [];
  let length = text.length;
  for (let n = 0; length < size; n++) {
    const chunk = FILLER[lang](n);
    parts.push(chunk);
    length += chunk.length;
  }
  if (parts.length === 0) return text;
  // fillers go before the last closing brace (Java, C#) or at the end (Python, Go, TS)
  if (lang === 'java' || lang === 'cs') {
    const at = text.lastIndexOf('}', text.lastIndexOf('}') - (lang === 'cs' ? 1 : 0));
    return text.slice(0, at) + parts.join('') + text.slice(at);
  }
  return text + parts.join('');
}

function generate(dir, count, size = Number(values['file-size'])) {
  fs.rmSync(dir, { recursive: true, force: true });
  const langs = Object.keys(TEMPLATES);
  for (let i = 0; i < count; i++) {
    const lang = langs[i % langs.length];
    // 1 in 100 files has a finding, 1 in 50 mentions a trigger word without one
    const j = Math.floor(i / langs.length);
    const tls = j % 100 === 7 ? 1 : j % 50 === 3 ? 2 : 0;
    const folder = path.join(dir, `repo${i % 20}`, lang, `pkg${Math.floor(i / 500)}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `f${i}${EXT[lang]}`), pad(lang, TEMPLATES[lang](i, tls), size));
  }
}

// ------------------------------------------------------------------------------------------------
// Measuring

/** Runs a command, polling its peak RSS (VmHWM) from /proc; returns wall time and peak RSS. */
function measure(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // exited
      }
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 1) reject(new Error(`${cmd} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ seconds, peak });
    });
  });
}

function filesOf(dir) {
  const files = fg.sync('**/*', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/.git/**'] });
  let bytes = 0;
  const read = [];
  for (const f of files) {
    const abs = path.join(dir, f);
    if (!classify(abs)) continue;
    read.push(abs);
    bytes += fs.statSync(abs).size;
  }
  return { files: read, bytes };
}

/** ripgrep globs for the files tlslint reads, from the file-kind table. */
function rgGlobs() {
  const globs = new Set();
  for (const k of FILE_KINDS) {
    for (const e of k.extensions ?? []) globs.add(`*${e}`);
    for (const n of k.fileNames ?? []) globs.add(n);
  }
  globs.add('*.gradle');
  globs.add('*.gradle.kts');
  globs.add('Dockerfile*');
  return [...globs].flatMap((g) => ['-g', g]);
}

// plain-string triggers (patterns are left out of the fallback keyword list)
const triggers = [...new Set(RULES.flatMap((r) => [...r.triggers, ...[...r.checkers.values()].flatMap((c) => c.triggers ?? [])]))].filter((t) => typeof t === 'string');

/** tlslint over some folders: wall time, peak RSS, and its own counts (files read, files parsed). */
async function benchTlslint(...dirs) {
  const out = path.join(os.tmpdir(), `tlslint-bench-report-${process.pid}.json`);
  const args = [path.join(root, 'bin/tlslint.js'), '--format', 'json', '--quiet', '--no-config', '-o', out, ...(values.jobs ? ['--jobs', values.jobs] : []), ...dirs];
  const r = await measure(process.execPath, args, { env: { ...process.env, CI: '1' } });
  try {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    return { ...r, stats: report.stats, findings: report.findings.length };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** The keyword alternation an auditor greps for by hand (the benchmark's), when it is at hand. */
const rgKeywordsFile = values['rg-keywords'] ?? path.join(root, '..', 'shared', 'bench', 'rg-keywords.alt');
const rgKeywords = fs.existsSync(rgKeywordsFile) ? fs.readFileSync(rgKeywordsFile, 'utf8').trim() : undefined;

async function benchRg(...dirs) {
  if (spawnSync('rg', ['--version']).status !== 0) return undefined;
  // the benchmark's yardstick: `rg -n -e "(?-u)$(cat rg-keywords.alt)" CORPUS/`, ASCII mode
  if (rgKeywords) return measure('rg', ['-n', '-e', `(?-u)${rgKeywords}`, ...dirs]);
  const dir = dirs[0];
  const patterns = path.join(os.tmpdir(), `tlslint-bench-patterns-${process.pid}.txt`);
  fs.writeFileSync(patterns, triggers.join('\n') + '\n');
  try {
    return await measure('rg', ['--no-ignore', '--hidden', '-F', '-c', '-f', patterns, ...rgGlobs(), dir]);
  } finally {
    fs.rmSync(patterns, { force: true });
  }
}

async function benchParseAll(list) {
  const listFile = path.join(os.tmpdir(), `tlslint-bench-files-${process.pid}.txt`);
  fs.writeFileSync(listFile, list.join('\n'));
  try {
    return await measure(process.execPath, ['--expose-gc', path.join(root, 'scripts/parse-all.mjs'), listFile]);
  } finally {
    fs.rmSync(listFile, { force: true });
  }
}

const mb = (b) => b / 1024 / 1024;
function row(name, r, files, bytes) {
  if (!r) return `| ${name} | n/a | | | |`;
  return `| ${name} | ${r.seconds.toFixed(2)} s | ${Math.round(files / r.seconds).toLocaleString('en')} | ${(mb(bytes) / r.seconds).toFixed(1)} | ${r.peak ? Math.round(mb(r.peak)) + ' MB' : 'n/a'} |`;
}

// ------------------------------------------------------------------------------------------------

let corpus = values.corpus ? path.resolve(values.corpus) : undefined;
const generated = !corpus;
if (!corpus) {
  corpus = path.join(os.tmpdir(), 'tlslint-bench-corpus');
  const n = Number(values.files);
  process.stderr.write(`generating ${n} files in ${corpus}...\n`);
  generate(corpus, n);
}
const { files, bytes } = filesOf(corpus);
process.stderr.write(`corpus: ${files.length} files tlslint reads, ${mb(bytes).toFixed(1)} MB; warming the page cache...\n`);
spawnSync('rg', ['-c', 'x', corpus], { stdio: 'ignore' });
await benchTlslint(corpus); // warm-up

const t = await benchTlslint(corpus);
const rg = await benchRg(corpus);
const parseAll = values['skip-parse-all'] ? undefined : await benchParseAll(files);

console.log(`\ntlslint benchmark: ${files.length.toLocaleString('en')} files, ${mb(bytes).toFixed(1)} MB (${generated ? 'generated' : corpus}), ${os.availableParallelism()} cores, Node ${process.versions.node}\n`);
console.log('| run | wall time | files/s | MB/s | peak RSS |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(row('tlslint --format json (prefilter, parse candidates, rules)', t, files.length, bytes));
console.log(row(rgKeywords ? `ripgrep with ${path.basename(rgKeywordsFile)}` : `ripgrep, ${triggers.length} trigger keywords`, rg, files.length, bytes));
console.log(row('tree-sitter parse of every file, 1 thread', parseAll, files.length, bytes));
console.log('');
console.log(`tlslint read ${t.stats.files.toLocaleString('en')} files, parsed ${t.stats.parsed.toLocaleString('en')} (the prefilter's candidates), reported ${t.findings.toLocaleString('en')} findings`);
if (rg) console.log(`tlslint / ripgrep: ${(t.seconds / rg.seconds).toFixed(2)}x (goal: <= 3x)`);
if (parseAll) console.log(`parse-everything / tlslint: ${(parseAll.seconds / t.seconds).toFixed(1)}x`);
console.log(`tlslint peak RSS: ${Math.round(mb(t.peak))} MB (goal: < 400 MB)`);

if (!generated && !values['skip-linearity']) {
  // a quarter, a half and all of the estate's repositories (by file count): time and memory should grow no faster than the files
  const repos = fs
    .readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(corpus, d.name))
    .sort();
  const count = new Map(repos.map((r) => [r, files.filter((f) => f.startsWith(r + path.sep)).length]));
  console.log('\n| share | repositories | files | tlslint wall | ripgrep wall | ratio | tlslint peak RSS |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const share of [0.25, 0.5, 1]) {
    const chosen = [];
    let n = 0;
    for (const r of repos) {
      if (n >= share * files.length && share < 1) break;
      chosen.push(r);
      n += count.get(r);
    }
    const tt = await benchTlslint(...chosen);
    const rr = await benchRg(...chosen);
    console.log(`| ${share * 100}% | ${chosen.length} | ${n.toLocaleString('en')} | ${tt.seconds.toFixed(2)} s | ${rr ? rr.seconds.toFixed(2) + ' s' : 'n/a'} | ${rr ? (tt.seconds / rr.seconds).toFixed(2) + 'x' : ''} | ${Math.round(mb(tt.peak))} MB |`);
  }
}

if (generated && !values['skip-linearity']) {
  // time against file count: quarter, half and the whole corpus
  console.log('\n| files | tlslint wall time | per 1 000 files |');
  console.log('| ---: | ---: | ---: |');
  const n = Number(values.files);
  for (const part of [n / 4, n / 2, n]) {
    const dir = path.join(os.tmpdir(), `tlslint-bench-linear-${part}`);
    generate(dir, Math.round(part));
    await benchTlslint(dir);
    const r = await benchTlslint(dir);
    console.log(`| ${Math.round(part).toLocaleString('en')} | ${r.seconds.toFixed(2)} s | ${((r.seconds / part) * 1000 * 1000).toFixed(0)} ms |`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
