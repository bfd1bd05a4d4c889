#!/usr/bin/env node
// The standing fuzz harness: mutates the project's fixtures and scans the mutants with the real
// command line, in batches, as users run it. Reports process deaths, hangs (files abandoned at the
// time budget), memory blow-ups and internal errors, and checks that unmutated control files in
// every batch still get exactly their findings. Every mutant is derived from the seed and its
// index alone, so a failure is replayed with `--seed S --only I`.
//
//   npm run fuzz                                 10 000 mutants, seed 1 (the run before a release)
//   npm run fuzz -- --count 300 --seed 7         a short run
//   npm run fuzz -- --seed 7 --only 123          replay one mutant (kept in --out, default ./fuzz-replay)
//
// Options: --count N, --from I (first mutant index, default 0), --seed S, --batch N (files per scan, default 500), --jobs N, --file-timeout S
// (default 5), --out DIR (keep the mutants there), --json (a machine-readable summary on stdout).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'tlslint.js');
const FIXTURES = path.join(ROOT, 'fixtures');

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    from: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '500' },
    jobs: { type: 'string' },
    'file-timeout': { type: 'string', default: '5' },
    out: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}
const count = Number(values.count);
const batchSize = Number(values.batch);
const seed = values.seed;
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(batchSize) || batchSize < 1) {
  process.stderr.write('fuzz: --count and --batch take whole numbers >= 1\n');
  process.exit(2);
}

// ---- deterministic randomness -------------------------------------------------------------------

function hash32(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small seeded generator; each mutant gets its own, from the seed and its index. */
function rng(n) {
  let a = n >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (k) => Math.floor(next() * k), pick: (list) => list[Math.floor(next() * list.length)] };
}

// ---- the corpus ---------------------------------------------------------------------------------

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.isFile() && !e.name.endsWith('.snap')) out.push(full);
  }
  return out;
}
const corpus = walk(FIXTURES).map((file) => ({ rel: path.relative(FIXTURES, file), bytes: fs.readFileSync(file) }));
const extOf = (rel) => path.extname(rel).toLowerCase();

// ---- mutations ----------------------------------------------------------------------------------

const ODD_BLANKS = ['\u00a0', '\ufeff', '\u2028', '\u2029', '\u3000', '\v', '\f', '\r', '\t', '\u200b', '\u0085'];
const BRACKETS = ['(', ')', '[', ']', '{', '}', '"', "'", '`', '<', '>', '/*', '*/', '<!--', '-->', '"""', '\\', '${', '#', '//', ';', ':', '='];

const lines = (buf) => buf.toString('latin1').split('\n');
const fromLines = (list) => Buffer.from(list.join('\n'), 'latin1');
const utf8 = (buf) => buf.toString('utf8');

const MUTATIONS = {
  'flip bytes': (buf, r) => {
    const out = Buffer.from(buf);
    for (let k = 1 + r.int(8); k > 0 && out.length; k--) out[r.int(out.length)] ^= 1 << r.int(8);
    return out;
  },
  truncate: (buf, r) => buf.subarray(0, r.int(buf.length + 1)),
  'delete lines': (buf, r) => {
    const l = lines(buf);
    const at = r.int(l.length);
    l.splice(at, 1 + r.int(3));
    return fromLines(l);
  },
  'duplicate lines': (buf, r) => {
    const l = lines(buf);
    const at = r.int(l.length);
    const n = 1 + r.int(3);
    const times = r.next() < 0.2 ? 50 + r.int(150) : 1 + r.int(3);
    l.splice(at, 0, ...Array.from({ length: times }, () => l.slice(at, at + n)).flat());
    return fromLines(l);
  },
  'insert brackets or quotes': (buf, r) => {
    let t = buf.toString('latin1');
    for (let k = 1 + r.int(6); k > 0; k--) {
      const at = r.int(t.length + 1);
      t = t.slice(0, at) + r.pick(BRACKETS) + t.slice(at);
    }
    return Buffer.from(t, 'latin1');
  },
  'deep nesting': (buf, r) => {
    const t = buf.toString('latin1');
    const at = r.int(t.length + 1);
    const [open, close] = r.pick([['(', ')'], ['[', ']'], ['{', '}'], ['f(', ')'], ['<a>', '</a>'], ['- ', '\n']]);
    const depth = 300 + r.int(3000);
    const closed = r.next() < 0.7;
    return Buffer.from(t.slice(0, at) + open.repeat(depth) + (closed ? close.repeat(depth) : '') + t.slice(at), 'latin1');
  },
  'odd whitespace': (buf, r) => {
    let t = utf8(buf);
    for (let k = 1 + r.int(10); k > 0; k--) {
      const at = r.int(t.length + 1);
      t = t.slice(0, at) + r.pick(ODD_BLANKS).repeat(1 + r.int(3)) + t.slice(at);
    }
    if (r.next() < 0.3) t = t.replace(/ /g, () => (r.next() < 0.1 ? r.pick(ODD_BLANKS) : ' '));
    return Buffer.from(t, 'utf8');
  },
  'line endings': (buf, r) => {
    const t = utf8(buf);
    const eol = r.pick(['\r\n', '\r', '\n\r', '\u2028']);
    return Buffer.from(t.replace(/\n/g, () => (r.next() < 0.7 ? eol : '\n')), 'utf8');
  },
  encoding: (buf, r) => {
    const t = utf8(buf);
    switch (r.int(6)) {
      case 0:
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
      case 1:
        return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]);
      case 2: {
        const cps = [...`\ufeff${t}`].map((c) => c.codePointAt(0));
        const out = Buffer.alloc(cps.length * 4);
        cps.forEach((cp, i) => out.writeUInt32LE(cp, i * 4));
        return out;
      }
      case 3:
        return Buffer.from(`\ufeff${t}`, 'utf8');
      case 4:
        return Buffer.from(t, 'utf16le'); // no BOM: NUL bytes
      default: {
        // stray Latin-1 and invalid UTF-8 bytes
        const out = Buffer.from(buf);
        for (let k = 1 + r.int(5); k > 0 && out.length; k--) out[r.int(out.length)] = r.pick([0xe9, 0xff, 0xc0, 0x80, 0xa0, 0xed]);
        return out;
      }
    }
  },
  'long line': (buf, r) => {
    const l = lines(buf);
    const at = r.int(l.length);
    l[at] = (l[at] ?? '') + r.pick([' ', 'x', ', TLSv1', ' + a', '\t', '(']).repeat(5000 + r.int(60000));
    return fromLines(l);
  },
};

/** Splicing needs the corpus: the head of one file and the tail of a file of another language. */
function splice(buf, rel, r) {
  const others = corpus.filter((c) => extOf(c.rel) !== extOf(rel));
  const other = r.pick(others);
  const a = r.int(buf.length + 1);
  const b = r.int(other.bytes.length + 1);
  return { bytes: Buffer.concat([buf.subarray(0, a), other.bytes.subarray(b)]), note: `splice with ${other.rel}` };
}

/** Mutant `index` of the seed: its source fixture, its path and bytes, and what was done to it. */
function mutant(index) {
  const r = rng(hash32(`${seed}:${index}`));
  const source = r.pick(corpus);
  let bytes = source.bytes;
  const done = [];
  const names = Object.keys(MUTATIONS);
  for (let k = 1 + r.int(3); k > 0; k--) {
    if (r.next() < 0.15) {
      const s = splice(bytes, source.rel, r);
      bytes = s.bytes;
      done.push(s.note);
    } else {
      const name = r.pick(names);
      bytes = MUTATIONS[name](bytes, r);
      done.push(name);
    }
  }
  return { index, rel: path.join(`m${index}`, source.rel), source: source.rel, bytes, done };
}

// ---- control files: unmutated, in every batch, with findings that must all come ------------------

const CONTROLS = ['go/tls-min-version-too-low', 'java/sslcontext-protocol-outdated', 'python/ssl-protocol-outdated', 'dotnet/security-protocol-outdated', 'javascript/tls-version-outdated', 'nginx/ssl-protocols-outdated']
  .map((prefix) => corpus.find((c) => c.rel.startsWith(prefix + path.sep) && /expect:/.test(c.bytes.toString('utf8'))))
  .filter(Boolean);

function run(dir) {
  const args = [CLI, '--format', 'json', '--quiet', '--no-config', '--no-gitignore', '--file-timeout', values['file-timeout'], ...(values.jobs ? ['--jobs', values.jobs] : []), '.'];
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - started;
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = undefined;
  }
  return { status: r.status, signal: r.signal, stderr: r.stderr, report, ms };
}

function writeFiles(dir, files) {
  for (const f of files) {
    const full = path.join(dir, f.rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, f.bytes);
  }
}

const findingKey = (f) => `${f.ruleId}:${f.startLine}`;

// expected findings of the controls, from a scan of them alone
const controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-fuzz-controls-'));
writeFiles(controlDir, CONTROLS.map((c) => ({ rel: path.join('control', c.rel), bytes: c.bytes })));
const clean = run(controlDir);
fs.rmSync(controlDir, { recursive: true, force: true });
if (!clean.report) {
  process.stderr.write(`fuzz: the controls alone did not scan (exit ${clean.status}): ${clean.stderr.slice(0, 500)}\n`);
  process.exit(2);
}
const expected = new Map();
for (const f of clean.report.findings) (expected.get(f.path) ?? expected.set(f.path, []).get(f.path)).push(findingKey(f));

// ---- the run ------------------------------------------------------------------------------------

const problems = [];
const totals = { mutants: 0, batches: 0, deaths: 0, hangs: 0, memory: 0, internal: 0, lostControlFindings: 0, findings: 0, diagnostics: {}, ms: 0, slowestBatchMs: 0 };
const from = Number(values.from);
const indices = values.only !== undefined ? [Number(values.only)] : Array.from({ length: count }, (_, i) => from + i);
const started = performance.now();

for (let b = 0; b < indices.length; b += batchSize) {
  const batch = indices.slice(b, b + batchSize).map(mutant);
  const dir = values.out ? path.resolve(values.out, `batch${b / batchSize}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-fuzz-'));
  fs.rmSync(dir, { recursive: true, force: true });
  writeFiles(dir, [...batch, ...CONTROLS.map((c) => ({ rel: path.join('control', c.rel), bytes: c.bytes }))]);
  const res = run(dir);
  totals.batches++;
  totals.mutants += batch.length;
  totals.ms += res.ms;
  totals.slowestBatchMs = Math.max(totals.slowestBatchMs, res.ms);
  const byPath = new Map(batch.map((m) => [m.rel, m]));
  const describe = (rel) => {
    const m = byPath.get(rel) ?? byPath.get(rel?.split(path.sep).join(path.sep));
    return m ? `mutant ${m.index} (${m.source}: ${m.done.join(', ')}); replay: npm run fuzz -- --seed ${seed} --only ${m.index}` : rel;
  };
  if (!res.report || res.signal || ![0, 1, 2].includes(res.status)) {
    totals.deaths++;
    problems.push({ kind: 'process death', detail: `batch ${b / batchSize} (mutants ${batch[0].index}-${batch.at(-1).index}): exit ${res.status}, signal ${res.signal}: ${res.stderr.slice(0, 300)}` });
  } else {
    totals.findings += res.report.findings.length;
    for (const d of res.report.diagnostics) {
      totals.diagnostics[d.code] = (totals.diagnostics[d.code] ?? 0) + 1;
      if (d.code === 'file-timeout') {
        totals.hangs++;
        problems.push({ kind: 'hang', detail: `${describe(d.path)}: ${d.message}` });
      } else if (d.code === 'file-memory') {
        totals.memory++;
        problems.push({ kind: 'memory', detail: `${describe(d.path)}: ${d.message}` });
      } else if (d.code === 'internal-error') {
        totals.internal++;
        problems.push({ kind: 'internal error', detail: `${describe(d.path)}: ${d.message.split('\n')[0]}` });
      }
    }
    for (const [file, keys] of expected) {
      const got = new Set(res.report.findings.filter((f) => f.path === file).map(findingKey));
      const lost = keys.filter((k) => !got.has(k));
      if (lost.length) {
        totals.lostControlFindings += lost.length;
        problems.push({ kind: 'lost findings', detail: `batch ${b / batchSize}: ${file} lost ${lost.join(', ')}` });
      }
    }
  }
  if (!values.out) fs.rmSync(dir, { recursive: true, force: true });
  if (!values.json && indices.length > batchSize) process.stderr.write(`fuzz: ${totals.mutants}/${indices.length} mutants, ${problems.length} problem(s)\n`);
}
totals.wallMs = Math.round(performance.now() - started);

if (values.only !== undefined) {
  const m = mutant(Number(values.only));
  const keep = path.resolve(values.out ?? 'fuzz-replay');
  writeFiles(keep, [m]);
  process.stderr.write(`fuzz: mutant ${m.index} of seed ${seed}: ${m.source}: ${m.done.join(', ')}; written to ${path.join(keep, m.rel)}\n`);
}

if (values.json) {
  process.stdout.write(JSON.stringify({ seed, ...totals, problems }, null, 2) + '\n');
} else {
  process.stdout.write(
    `fuzz: seed ${seed}, ${totals.mutants} mutants in ${totals.batches} batch(es), ${(totals.wallMs / 1000).toFixed(1)} s (slowest batch ${(totals.slowestBatchMs / 1000).toFixed(1)} s)\n` +
      `  process deaths ${totals.deaths}, hangs past the budget ${totals.hangs}, memory ${totals.memory}, internal errors ${totals.internal}, control findings lost ${totals.lostControlFindings}\n` +
      `  findings ${totals.findings}; diagnostics ${Object.entries(totals.diagnostics).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}\n` +
      problems.slice(0, 50).map((p) => `  ${p.kind}: ${p.detail}\n`).join(''),
  );
}
process.exit(problems.length ? 1 : 0);
