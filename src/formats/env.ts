/**
 * Environment variable assignments in line-oriented files, shared by every pack that looks for
 * settings passed through the environment (GODEBUG, NODE_OPTIONS, JAVA_TOOL_OPTIONS,
 * NODE_TLS_REJECT_UNAUTHORIZED...): `.env` files, Dockerfiles (`ENV`, `ARG`, `RUN X=y cmd`,
 * exec-form arrays), shell-style `export X=y`.
 */
import type { SourceFile } from '../source.js';

export interface EnvAssignment {
  name: string;
  /** The value without surrounding quotes. */
  value: string;
  /** Offsets of the value (inside the quotes) in the file text. */
  valueStart: number;
  valueEnd: number;
}

const ASSIGNMENT = /(?<![\w.$-])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"';&|]*)/g;
const DOCKER_ENV_LEGACY = /^([ \t]*ENV[ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]+(.+?)[ \t]*$/gim;

function isCommentLine(file: SourceFile, offset: number): boolean {
  const lineStart = file.lineStarts[file.lineOf(offset)]!;
  const before = file.text.slice(lineStart, offset);
  return /^[ \t]*#/.test(before) || /[ \t]#/.test(before);
}

/** All `NAME=value` assignments outside comments, optionally only for the given names. */
export function envAssignments(file: SourceFile, names?: ReadonlySet<string>): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const text = file.text;
  for (const m of text.matchAll(ASSIGNMENT)) {
    const name = m[1]!;
    if (names && !names.has(name)) continue;
    if (isCommentLine(file, m.index)) continue;
    const raw = m[2]!;
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]!);
    const valueStart = m.index + name.length + 1 + (quoted ? 1 : 0);
    const value = quoted ? raw.slice(1, -1) : raw;
    out.push({ name, value, valueStart, valueEnd: valueStart + value.length });
  }
  if (file.kind === 'dockerfile') {
    for (const m of text.matchAll(DOCKER_ENV_LEGACY)) {
      const name = m[2]!;
      if (names && !names.has(name)) continue;
      let value = m[3]!;
      let valueStart = m.index + m[0].indexOf(value, m[1]!.length + name.length);
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) {
        value = value.slice(1, -1);
        valueStart++;
      }
      out.push({ name, value, valueStart, valueEnd: valueStart + value.length });
    }
  }
  return out.sort((a, b) => a.valueStart - b.valueStart);
}
