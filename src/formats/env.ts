/**
 * Environment variable assignments in line-oriented files, shared by every pack that looks for
 * settings passed through the environment (GODEBUG, NODE_OPTIONS, JAVA_TOOL_OPTIONS,
 * NODE_TLS_REJECT_UNAUTHORIZED...): `.env` files, Dockerfiles (`ENV`, `ARG`, `RUN X=y cmd`,
 * exec-form arrays), shell-style `export X=y`.
 */
import type { Checker, FileContext, MatchContext, TextChecker } from '../rule.js';
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
// the value is trimmed by hand: a lazy `(.+?)[ \t]*$` is quadratic in a long run of blanks
const DOCKER_ENV_LEGACY = /^([ \t]*ENV[ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]+(.+)$/gim;

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
      let end = value.length;
      while (end > 0 && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
      value = value.slice(0, end);
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) {
        value = value.slice(1, -1);
        valueStart++;
      }
      out.push({ name, value, valueStart, valueEnd: valueStart + value.length });
    }
  }
  return out.sort((a, b) => a.valueStart - b.valueStart);
}

/** Shell scripts are parsed with tree-sitter-bash: only real assignments count, not echoed text. */
const SHELL_ASSIGNMENT_QUERY = '(variable_assignment name: (variable_name) @name value: (_) @value) @assignment';

function shellAssignment(ctx: MatchContext): EnvAssignment | undefined {
  const { name, value } = ctx.captures;
  if (!name || !value) return undefined;
  let start = value.startIndex;
  let end = value.endIndex;
  if (value.type === 'string' || value.type === 'raw_string') {
    start++;
    end--;
  }
  return { name: name.text, value: ctx.file.text.slice(start, end), valueStart: start, valueEnd: end };
}

/**
 * Checkers for every file kind that sets environment variables (Dockerfile, .env, shell), calling
 * `check` once per assignment of one of `names`. Rules spread the result into their `files`.
 */
export function envCheckers(names: readonly string[], check: (ctx: FileContext, assignment: EnvAssignment) => void): Record<string, Checker> {
  const wanted = new Set(names);
  const text: TextChecker = {
    check(ctx) {
      for (const a of envAssignments(ctx.file, wanted)) check(ctx, a);
    },
  };
  return {
    dockerfile: text,
    env: text,
    shell: {
      query: SHELL_ASSIGNMENT_QUERY,
      check(ctx) {
        const a = shellAssignment(ctx);
        if (a && wanted.has(a.name)) check(ctx, a);
      },
    },
  };
}
