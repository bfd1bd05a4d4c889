import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Analyzer, FileResult } from './analyze.js';
import type { FileKind } from './languages.js';
import { ScanCancelled } from './cancel.js';

export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

/** A file of more than this many bytes whose lines average above MINIFIED_LINE is minified. */
const MINIFIED_MIN_SIZE = 64 * 1024;
const MINIFIED_LINE = 1000;

export interface ScannedFile extends FileResult {
  path: string;
  bytes: number;
  /** SHA-256 of the bytes scanned, when a finding offers a fix (--fix writes only over these exact bytes). */
  sha256?: string;
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Files up to this size are read into one buffer that the thread reuses, so most files cost no allocation. */
const POOLED_READ = 1024 * 1024;
let pool: Buffer | undefined;

/**
 * A file's bytes, or its size when that is above `maxFileSize`. A file of up to POOLED_READ bytes
 * comes in the thread's reused buffer: the bytes are valid until the next call (scanFile is done
 * with them when it returns). Read to its end, whatever size it had when it was opened.
 */
function readWhole(fsPath: string | Buffer, maxFileSize: number): Buffer | number {
  const fd = fs.openSync(fsPath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxFileSize) return size;
    if (size >= POOLED_READ) return fs.readFileSync(fd);
    pool ??= Buffer.allocUnsafe(POOLED_READ);
    let n = 0;
    for (let got; n < pool.length && (got = fs.readSync(fd, pool, n, pool.length - n, null)) > 0; ) n += got;
    // it grew while being read: the rest as readFileSync reads it
    return n < pool.length ? pool.subarray(0, n) : Buffer.concat([pool, fs.readFileSync(fd)]);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads one file (once) and analyzes it; every failure becomes a diagnostic, never a throw.
 * `raw` is the path's bytes, for a name that is not valid UTF-8.
 */
export function scanFile(analyzer: Analyzer, filePath: string, displayPath: string, kind: FileKind, maxFileSize: number, raw?: Uint8Array): ScannedFile {
  let bytes: Buffer;
  const readStart = analyzer.timing ? performance.now() : 0;
  const fsPath = raw ? Buffer.from(raw) : filePath;
  try {
    const read = readWhole(fsPath, maxFileSize);
    if (typeof read === 'number') {
      return {
        path: filePath,
        bytes: read,
        findings: [],
        parsed: false,
        diagnostics: [
          {
            code: 'too-large',
            level: 'warning',
            path: filePath,
            message: `skipped: ${(read / 1048576).toFixed(1)} MB is above the ${(maxFileSize / 1048576).toFixed(1)} MB limit (--max-file-size)`,
          },
        ],
      };
    }
    bytes = read;
    analyzer.timing?.add('read', performance.now() - readStart);
  } catch (err) {
    return {
      path: filePath,
      bytes: 0,
      findings: [],
      parsed: false,
      diagnostics: [{ code: 'read-error', level: 'error', path: filePath, message: `cannot read: ${(err as Error).message}` }],
    };
  }
  if (bytes.length > MINIFIED_MIN_SIZE && bytes.length / (countNewlines(bytes) + 1) > MINIFIED_LINE) {
    return {
      path: filePath,
      bytes: bytes.length,
      findings: [],
      parsed: false,
      diagnostics: [{ code: 'minified', level: 'note', path: filePath, message: 'skipped: looks minified or generated (very long lines)' }],
    };
  }
  try {
    const result: ScannedFile = { path: filePath, bytes: bytes.length, ...analyzer.analyze(filePath, displayPath, bytes, kind) };
    if (result.findings.some((f) => f.fix)) result.sha256 = sha256(bytes);
    return result;
  } catch (err) {
    if (err instanceof ScanCancelled) throw err;
    return {
      path: filePath,
      bytes: bytes.length,
      findings: [],
      parsed: false,
      diagnostics: [{ code: 'internal-error', level: 'error', path: filePath, message: `internal error: ${(err as Error).stack ?? String(err)}` }],
    };
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
