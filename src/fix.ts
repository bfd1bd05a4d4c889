/**
 * --fix: the rules' edits applied to the files on disk, so that no byte is ever lost or misplaced.
 * A file is rewritten only when it still holds exactly the bytes that were scanned (or those bytes
 * with more appended since, which are kept), only inside the scanned folders, only when the
 * result parses no worse, and only by a whole-file replacement (a temporary file renamed over it)
 * that keeps its encoding, line endings, mode and owner, after a last comparison just before the
 * rename; bytes another process appends in that last instant are carried over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import { temporaryName, trackTemporary } from './atomic.js';
import { isInside } from './discover.js';
import { decode, encode, encodingLabel } from './encoding.js';
import { classify, type FileKind } from './languages.js';
import { limitNesting } from './nesting.js';
import { writersOf } from './openfiles.js';
import { parseText, typeScriptSyntaxErrors } from './parsers.js';
import type { SyntaxNode } from './rule.js';
import { sha256 } from './scanfile.js';
import type { Diagnostic, Finding, TextEdit } from './types.js';

export interface AppliedFixes {
  text: string;
  applied: Finding[];
  /** Findings whose edits overlapped an earlier fix; a second --fix run can take them. */
  skipped: Finding[];
}

/**
 * Applies the fixes of `findings` to `text`. Edits of one fix go in together or not at all; a fix
 * whose edits overlap an already accepted one is skipped. Edits are offsets into `text`.
 */
export function applyFixes(text: string, findings: Finding[]): AppliedFixes {
  const accepted: TextEdit[] = [];
  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  const overlaps = (e: TextEdit) =>
    accepted.some((a) => (e.start < a.end && a.start < e.end) || (e.start === e.end && e.start === a.start) || (a.start === a.end && a.start === e.start));
  for (const finding of findings) {
    const edits = finding.fix?.edits;
    if (!edits || edits.length === 0) continue;
    if (edits.some((e) => e.start < 0 || e.end > text.length || e.start > e.end || overlaps(e))) {
      skipped.push(finding);
      continue;
    }
    accepted.push(...edits);
    applied.push(finding);
  }
  accepted.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
}

/** How many syntax errors the parser finds in `text` (Infinity when it gives up), nesting limited as in a scan. */
export function errorCount(kind: FileKind, text: string, file: string): number {
  if (kind.parser.type === 'text') return 0;
  const limited = limitNesting(text, kind)?.text ?? text;
  if (kind.parser.type === 'typescript') return typeScriptSyntaxErrors(limited, file);
  const tree = parseText(kind, limited);
  if (!tree) return Number.POSITIVE_INFINITY;
  if (!tree.rootNode.hasError) return 0;
  return tree.rootNode.descendantsOfType('ERROR').length + countMissing(tree.rootNode);
}

/** MISSING nodes below `node`, iteratively (a deep tree must not overflow the stack). */
function countMissing(node: SyntaxNode): number {
  let n = 0;
  const stack = [node];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.isMissing) n++;
    if (x.hasError) stack.push(...x.children);
  }
  return n;
}

export interface FixOutcome {
  /** Files changed (or that would change, in a dry run). */
  files: string[];
  /** Findings whose fix was applied. */
  applied: Finding[];
  diagnostics: Diagnostic[];
  /** Unified diffs, for --fix-dry-run. */
  diffs: string[];
}

/** What the scan read of a file: the SHA-256 and length of its bytes. */
export interface ScannedContent {
  sha256: string;
  size: number;
}

export interface FixOptions {
  dryRun: boolean;
  cwd: string;
  /** What the scan read, by path: a file whose bytes differ now is not touched. */
  scanned: ReadonlyMap<string, ScannedContent>;
  /** Real paths of the scanned folders: nothing outside them is written. */
  boundaries: readonly string[];
  /** Paths whose names are not valid UTF-8 (left alone). */
  rawPaths?: ReadonlyMap<string, Buffer>;
}

/** The line ending a text uses most: an inserted line break is written in it. */
function lineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** The findings with their edits' line breaks written in `eol`. */
function withLineEnding(findings: Finding[], eol: '\n' | '\r\n'): Map<Finding, Finding> {
  const out = new Map<Finding, Finding>();
  for (const f of findings) {
    if (!f.fix || eol === '\n') {
      out.set(f, f);
      continue;
    }
    out.set(f, { ...f, fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, text: e.text.replace(/\r?\n/g, eol) })) } });
  }
  return out;
}

/** The real path of a file, or undefined when it cannot be resolved. */
function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

interface Target {
  /** The file written: the real path (through any symbolic link). */
  real: string;
  /** The paths the findings name (a link and its target may both have been scanned). */
  shown: string[];
  findings: Finding[];
  scanned?: ScannedContent;
}

/**
 * Applies fixes to files on disk. Every file that is not fixed is left exactly as it was, with a
 * diagnostic that says why.
 */
export function fixFiles(findings: Finding[], options: FixOptions): FixOutcome {
  const outcome: FixOutcome = { files: [], applied: [], diagnostics: [], diffs: [] };
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) if (f.fix && !f.suppression) (byFile.get(f.path) ?? byFile.set(f.path, []).get(f.path)!).push(f);
  // group by the file that would be written: a link and its target are one file
  const targets = new Map<string, Target>();
  for (const [file, fileFindings] of byFile) {
    const fail = (message: string): void => {
    outcome.diagnostics.push({ code: 'fix-failed', level: 'warning', path: file, message: `not fixed: ${message}` });
  };
    if (options.rawPaths?.has(file)) {
      fail('its name is not valid UTF-8');
      continue;
    }
    const real = realPath(file);
    if (!real) {
      fail('the file is gone');
      continue;
    }
    if (!options.boundaries.some((b) => isInside(b, real))) {
      fail(real === file ? 'outside the scanned folders' : `a symbolic link to ${real}, outside the scanned folders`);
      continue;
    }
    const t = targets.get(real) ?? { real, shown: [], findings: [] };
    t.shown.push(file);
    t.findings.push(...fileFindings);
    t.scanned ??= options.scanned.get(file);
    targets.set(real, t);
  }
  for (const t of targets.values()) fixOne(t, options, outcome);
  return outcome;
}

function fixOne(t: Target, options: FixOptions, outcome: FixOutcome): void {
  const file = t.shown[0]!;
  const fail = (message: string): void => {
    outcome.diagnostics.push({ code: 'fix-failed', level: 'warning', path: file, message: `not fixed: ${message}` });
  };
  const kind = classify(file) ?? classify(t.real);
  if (!t.scanned) return fail('no record of what the scan read');
  let fd: number;
  try {
    fd = fs.openSync(t.real, 'r');
  } catch (err) {
    return fail((err as Error).message);
  }
  try {
    const before = fs.fstatSync(fd);
    const bytes = fs.readFileSync(fd);
    // the scanned bytes, and anything appended since (kept as it is, after the fixed text)
    const scanned = bytes.subarray(0, t.scanned.size);
    if (bytes.length < t.scanned.size || sha256(scanned) !== t.scanned.sha256) return fail('the file changed since the scan; run tlslint again');
    const decoded = decode(scanned);
    if (!decoded.valid) return fail(decoded.encoding === 'utf-8' || decoded.encoding === 'utf-8-bom' ? 'file is not valid UTF-8' : `file is not valid ${encodingLabel(decoded.encoding)}`);
    const text = decoded.text;
    // one fix per span: the same finding seen through a link and its target is applied once
    const unique = new Map<string, Finding>();
    for (const f of t.findings) unique.set(`${f.ruleId}\0${JSON.stringify(f.fix!.edits.map((e) => [e.start, e.end, e.text]))}`, f);
    const eolFixed = withLineEnding([...unique.values()], lineEnding(text));
    const result = applyFixes(text, [...eolFixed.values()]);
    if (result.applied.length === 0 || result.text === text) return;
    try {
      if (kind && errorCount(kind, result.text, file) > errorCount(kind, text, file)) return fail('the fixed text would not parse; left untouched');
    } catch (err) {
      return fail(`the fixed text could not be checked (${(err as Error).message}); left untouched`);
    }
    const original = new Map([...eolFixed].map(([orig, adjusted]) => [adjusted, orig]));
    const appliedKeys = new Set(result.applied.map((f) => original.get(f)!).map((f) => `${f.ruleId}\0${JSON.stringify(f.fix!.edits.map((e) => [e.start, e.end, e.text]))}`));
    const applied = t.findings.filter((f) => appliedKeys.has(`${f.ruleId}\0${JSON.stringify(f.fix!.edits.map((e) => [e.start, e.end, e.text]))}`));
    const fixedHead = encode(result.text, decoded.encoding);
    if (options.dryRun) {
      const rel = path.relative(options.cwd, file).split(path.sep).join('/');
      const { createTwoFilesPatch } = createRequire(import.meta.url)('diff') as typeof Diff;
      outcome.diffs.push(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, text, result.text, '', '', { context: 3 }));
      outcome.files.push(file);
      outcome.applied.push(...applied);
      return;
    }
    if (before.nlink > 1) return fail(`it has ${before.nlink} hard links, which a replacement would split`);
    const written = replaceChecked(t.real, fd, before, bytes, (current) => Buffer.concat([fixedHead, current.subarray(t.scanned!.size)]));
    if (typeof written === 'string') return fail(written);
    if (written.carried) {
      outcome.diagnostics.push({
        code: 'fix-appended',
        level: written.misordered ? 'warning' : 'note',
        path: file,
        message: `${written.carried} bytes another process appended at the moment the file was replaced were carried over into it${written.misordered ? ', after bytes it appended later (their order was not kept)' : ''}`,
      });
    }
    outcome.files.push(file);
    outcome.applied.push(...applied);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `file` (open as `fd`, read as `read` when it looked like `stat`) by `build(current)`:
 * a temporary file beside it with the same mode and owner, compared once more with the file just
 * before the rename. Bytes appended meanwhile are taken into account (build sees them); any other
 * change leaves the file untouched. After the rename, bytes that reached the old file in the last
 * instant are appended to the new one. Returns the final bytes' source, or why nothing was written.
 */
function replaceChecked(
  file: string,
  fd: number,
  stat: fs.Stats,
  read: Buffer,
  build: (current: Buffer) => Buffer,
  depth = 0,
): { current: Buffer; carried: number; misordered: boolean } | string {
  let current = read;
  const tmp = temporaryName(file);
  const untrack = trackTemporary(tmp);
  let out: number | undefined;
  try {
    const data = build(current);
    out = fs.openSync(tmp, 'wx', stat.mode & 0o7777);
    fs.writeFileSync(out, data);
    // keep the owner (when it is not us) and the mode (umask and chown may have changed it)
    if (process.getuid && (stat.uid !== process.getuid() || stat.gid !== process.getgid!())) {
      try {
        fs.fchownSync(out, stat.uid, stat.gid);
      } catch {
        return `cannot give the fixed file its owner back (uid ${stat.uid}, gid ${stat.gid}); left untouched`;
      }
    }
    fs.fchmodSync(out, stat.mode & 0o7777);
    fs.fsyncSync(out);
    // a process writing through a descriptor it keeps open would write past the replacement
    const writers = writersOf(stat);
    if (writers.length) return `process ${writers.join(', ')} has the file open for writing; left untouched`;
    // the last look, repeated while bytes are being appended (they go into the new file too): the
    // rename follows a read during which the file did not change, once it has been quiet for a
    // moment (a writer in the middle of a burst would write its next bytes to the old file)
    const deadline = performance.now() + SETTLE_MS;
    let appended = data.length;
    let misordered = false;
    let lastChange = performance.now();
    for (;;) {
      let atPath: fs.Stats;
      try {
        atPath = fs.lstatSync(file);
      } catch {
        return 'the file was removed during the fix';
      }
      if (atPath.ino !== stat.ino || atPath.dev !== stat.dev) return 'the file was replaced during the fix; left as it is now';
      const before = fs.fstatSync(fd);
      const latest = readAll(fd);
      const after = fs.fstatSync(fd);
      if (latest.length < current.length || !latest.subarray(0, current.length).equals(current)) return 'the file changed during the fix; left untouched';
      if (latest.length > current.length) {
        fs.writeSync(out, latest, current.length, latest.length - current.length, appended);
        appended += latest.length - current.length;
        current = latest;
        lastChange = performance.now();
      }
      const still = after.size === latest.length && after.mtimeMs === before.mtimeMs && after.size === before.size;
      const quiet = Date.now() - after.mtimeMs >= QUIET_MS || performance.now() - lastChange >= QUIET_MS;
      if (still && quiet) {
        fs.renameSync(tmp, file);
        break;
      }
      if (!still) lastChange = performance.now();
      if (performance.now() > deadline) return 'the file kept changing during the fix; left untouched';
      pause(1);
    }
    fs.closeSync(out);
    out = undefined;
    // bytes written to the old file between the last look and the rename (by a writer that
    // opened it just before): carried over, looking again a few times for late arrivals. They
    // belong right after what the new file holds from us, before anything appended to it since.
    let carried = current.length;
    let ours = appended;
    let after = readAll(fd);
    for (let look = 0; ; look++) {
      if (!after.subarray(0, current.length).equals(current)) break;
      if (after.length > carried) {
        const late = Buffer.from(after.subarray(carried));
        if (!insertAt(file, ours, late, depth)) {
          fs.appendFileSync(file, late);
          misordered = true;
        }
        ours += late.length;
        carried = after.length;
      }
      if (look === 3) return { current: after, carried: carried - current.length, misordered };
      pause(GRACE_MS);
      after = readAll(fd);
    }
    // changed in place in that instant: the other writer's version wins, whole (with anything
    // appended to the new file since the rename, past what was carried over from the old file)
    const atPathNow = fs.readFileSync(file);
    const since = atPathNow.length > ours && atPathNow.subarray(0, data.length).equals(data) ? atPathNow.subarray(ours) : Buffer.alloc(0);
    const restore = temporaryName(file);
    fs.writeFileSync(restore, Buffer.concat([after, since]), { mode: stat.mode & 0o7777 });
    fs.renameSync(restore, file);
    return 'the file changed during the fix; the other version was put back, not fixed';
  } catch (err) {
    return (err as Error).message;
  } finally {
    if (out !== undefined) fs.closeSync(out);
    fs.rmSync(tmp, { force: true });
    untrack();
  }
}

/** How long --fix keeps trying to catch a file that is being appended to at rest. */
const SETTLE_MS = 2000;
/** How long a file must have been left alone before it is replaced. */
const QUIET_MS = 20;

/**
 * Puts `bytes` into `file` at offset `at` (before whatever was appended to it since), by the same
 * checked replacement; false when that cannot be done (the caller then appends them).
 */
function insertAt(file: string, at: number, bytes: Buffer, depth: number): boolean {
  if (depth >= 2) return false;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const stat = fs.fstatSync(fd);
    const now = readAll(fd);
    if (now.length < at) return false;
    const done = replaceChecked(file, fd, stat, now, (cur) => Buffer.concat([cur.subarray(0, at), bytes, cur.subarray(at)]), depth + 1);
    return typeof done !== 'string';
  } finally {
    fs.closeSync(fd);
  }
}

/** How long --fix looks again for bytes that reached a replaced file late. */
const GRACE_MS = 5;

/** Blocks this thread for `ms` milliseconds. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The whole content behind a file descriptor, read from its start. */
function readAll(fd: number): Buffer {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const n = fs.readSync(fd, buf, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? buf : buf.subarray(0, at);
}
