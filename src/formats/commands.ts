/**
 * Command invocations with their arguments and offsets, shared by every pack that looks at
 * command-line flags (`curl -k`, `wget --no-check-certificate`, `java -Dhttps.protocols=TLSv1`...):
 * - Dockerfiles: `RUN`, `CMD` and `ENTRYPOINT`, shell form (with `\` continuations, `&&`, `;`,
 *   pipes) and exec form (`["java", "-D...", "-jar", "app.jar"]`);
 * - shell scripts: every `command` node of the tree-sitter-bash tree (so `echo "curl -k"` is one
 *   `echo` with a string argument, not a curl call; heredocs and comments are not commands).
 * Leading `VAR=value` words and wrappers (`sudo`, `exec`, `env`, `nohup`, `time`, `command`) are
 * stripped, and `sh -c "..."` / `bash -c '...'` strings are read as commands too.
 */
import type { Checker, FileContext, MatchContext, SyntaxNode, TextChecker } from '../rule.js';
import type { SourceFile } from '../source.js';

export interface CommandWord {
  /** The word as the program sees it: quotes removed, escapes resolved (approximately). */
  text: string;
  /** Offsets of the raw word (with its quotes) in the file text. */
  start: number;
  end: number;
  /** True when the whole word is one quoted string (its value starts at `start + 1`). */
  quoted?: boolean;
}

export interface CommandInvocation {
  /** Program base name: `/usr/bin/curl` gives `curl`. */
  name: string;
  /** The word naming the program. */
  program: CommandWord;
  /** The arguments after the program. */
  args: CommandWord[];
}

const WRAPPERS = new Set(['sudo', 'exec', 'env', 'nohup', 'time', 'command', 'nice', 'stdbuf', 'doas']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*=/;

function baseName(program: string): string {
  const slash = program.lastIndexOf('/');
  return slash === -1 ? program : program.slice(slash + 1);
}

/**
 * Turns one simple command's words into invocations: strips assignments and wrappers, and
 * expands `sh -c "script"` into the commands of the script.
 */
export function invocationsOf(words: CommandWord[], depth = 0): CommandInvocation[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!.text;
    if (ASSIGNMENT_WORD.test(w)) {
      i++;
      continue;
    }
    const name = baseName(w);
    if (WRAPPERS.has(name)) {
      i++;
      // wrapper options (`sudo -E -u app`, `env -i`): skip words starting with `-`, and the value
      // of sudo's `-u`/`-g`
      while (i < words.length && words[i]!.text.startsWith('-')) {
        const opt = words[i]!.text;
        i += name === 'sudo' && /^-[ugCDhprtT]$/.test(opt) ? 2 : 1;
      }
      continue;
    }
    break;
  }
  if (i >= words.length) return [];
  const program = words[i]!;
  const name = baseName(program.text);
  const args = words.slice(i + 1);
  const out: CommandInvocation[] = [{ name, program, args }];
  if (SHELLS.has(name) && depth < 3) {
    const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a.text));
    const script = c === -1 ? undefined : args[c + 1];
    if (script) {
      out.push(...scriptInvocations(script.text, script.start + (script.quoted ? 1 : 0), depth + 1));
    }
  }
  return out;
}

type Token = { word: CommandWord } | { op: string };

/**
 * Splits shell text into words and control operators. `text` is the script, `base` the offset of
 * its first character in the file. Backslash-newline continuations are whitespace; lines whose
 * first word starts with `#` are comments.
 */
function tokenize(text: string, base: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  let atWordStart = true;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      atWordStart = true;
      continue;
    }
    if (ch === '\n') {
      tokens.push({ op: '\n' });
      i++;
      continue;
    }
    if (ch === '#' && atWordStart) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') {
      tokens.push({ op: two });
      i += 2;
      continue;
    }
    if (ch === ';' || ch === '|' || ch === '&' || ch === '(' || ch === ')' || ch === '`' || ch === '{' && /[\s]/.test(text[i + 1] ?? ' ')) {
      tokens.push({ op: ch });
      i++;
      continue;
    }
    if (ch === '$' && text[i + 1] === '(') {
      tokens.push({ op: '$(' });
      i += 2;
      continue;
    }
    // a word
    const start = i;
    let value = '';
    while (i < n) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')' || c === '`') break;
      if (c === '$' && text[i + 1] === '(') break;
      if (c === '\\') {
        if (text[i + 1] === '\n') break;
        value += text[i + 1] ?? '';
        i += 2;
      } else if (c === "'") {
        const close = text.indexOf("'", i + 1);
        const end = close === -1 ? n : close;
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
            if (text[i + 1] !== '\n') value += text[i + 1];
            i += 2;
          } else {
            value += text[i];
            i++;
          }
        }
        i++;
      } else {
        value += c;
        i++;
      }
    }
    const raw = text.slice(start, Math.min(i, n));
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]!);
    tokens.push({ word: { text: value, start: base + start, end: base + Math.min(i, n), quoted } });
    atWordStart = false;
  }
  return tokens;
}

/** The commands of a shell script snippet starting at offset `base` of the file. */
export function scriptInvocations(script: string, base: number, depth = 0): CommandInvocation[] {
  const out: CommandInvocation[] = [];
  let words: CommandWord[] = [];
  const flush = () => {
    if (words.length) out.push(...invocationsOf(words, depth));
    words = [];
  };
  for (const t of tokenize(script, base)) {
    if ('op' in t) flush();
    else words.push(t.word);
  }
  flush();
  return out;
}

const INSTRUCTION = /^[ \t]*(RUN|CMD|ENTRYPOINT)\b[ \t]*/i;
const JSON_STRING = /"((?:[^"\\\n]|\\.)*)"/g;

/** Commands of a Dockerfile's RUN, CMD and ENTRYPOINT instructions. */
export function dockerfileInvocations(file: SourceFile): CommandInvocation[] {
  const text = file.text;
  const out: CommandInvocation[] = [];
  const lineCount = file.lineCount;
  for (let line = 0; line < lineCount; line++) {
    const lineStart = file.lineStarts[line]!;
    const first = file.lineText(line);
    const m = INSTRUCTION.exec(first);
    if (!m) continue;
    // the instruction's extent: continuation lines end in a backslash; comment lines inside it
    // are dropped by Docker (and by the tokenizer)
    let endLine = line;
    const continues = (l: number) => /\\[ \t]*$/.test(file.lineText(l)) || (l > line && /^[ \t]*(?:#|$)/.test(file.lineText(l)));
    while (endLine + 1 < lineCount && continues(endLine)) endLine++;
    const bodyStart = lineStart + m[0].length;
    const bodyEnd = lineStart + (file.lineStarts[endLine]! - lineStart) + file.lineText(endLine).length;
    const body = text.slice(bodyStart, bodyEnd);
    line = endLine;
    if (body.startsWith('[')) {
      const words: CommandWord[] = [];
      for (const s of body.matchAll(JSON_STRING)) {
        let value: string;
        try {
          value = JSON.parse(s[0]) as string;
        } catch {
          value = s[1]!;
        }
        words.push({ text: value, start: bodyStart + s.index, end: bodyStart + s.index + s[0].length, quoted: true });
      }
      out.push(...invocationsOf(words));
    } else {
      // strip comment lines inside continuations, line break included (Docker removes them before
      // the shell sees it, so the continuation goes on); blanks keep the offsets
      const cleaned = body.replace(/^[ \t]*#[^\n]*(?:\n|$)/gm, (c) => ' '.repeat(c.length));
      out.push(...scriptInvocations(cleaned, bodyStart));
    }
  }
  return out;
}

/** The value of a tree-sitter-bash argument node, quotes removed. */
function bashWordText(node: SyntaxNode): string {
  const t = node.text;
  if (node.type === 'raw_string') return t.slice(1, -1);
  if (node.type === 'string') return t.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  if (node.type === 'word') return t.replace(/\\(.)/g, '$1');
  // concatenation and the rest: drop quote characters
  return t.replace(/\\(.)|["']/g, (_m, esc: string | undefined) => esc ?? '');
}

/** The invocations of one tree-sitter-bash `command` node. */
export function bashCommandInvocations(command: SyntaxNode): CommandInvocation[] {
  const words: CommandWord[] = [];
  for (const child of command.namedChildren) {
    if (child.type === 'variable_assignment') continue;
    if (child.type === 'command_name' || command.childForFieldName('name')?.id === child.id) {
      const inner = child.firstNamedChild ?? child;
      words.push({ text: bashWordText(inner), start: child.startIndex, end: child.endIndex });
      continue;
    }
    if (child.type === 'file_redirect' || child.type === 'herestring_redirect' || child.type === 'comment') continue;
    words.push({ text: bashWordText(child), start: child.startIndex, end: child.endIndex, quoted: child.type === 'string' || child.type === 'raw_string' });
  }
  return invocationsOf(words);
}

/**
 * Checkers for Dockerfiles and shell scripts calling `check` once per invocation of one of
 * `programs` (base names). Rules spread the result into their `files`.
 */
export function commandCheckers(programs: readonly string[], check: (ctx: FileContext, cmd: CommandInvocation) => void): Record<string, Checker> {
  const wanted = new Set(programs);
  const dockerfile: TextChecker = {
    check(ctx) {
      for (const cmd of dockerfileInvocations(ctx.file)) if (wanted.has(cmd.name)) check(ctx, cmd);
    },
  };
  return {
    dockerfile,
    shell: {
      query: '(command) @command',
      check(ctx: MatchContext) {
        const node = ctx.captures.command;
        if (!node) return;
        for (const cmd of bashCommandInvocations(node)) if (wanted.has(cmd.name)) check(ctx, cmd);
      },
    },
  };
}

/**
 * Splits an option word into name and inline value: `--tls-max=1.1` gives
 * `{ name: '--tls-max', value: '1.1', valueOffset: 10 }`.
 */
export function splitOption(word: CommandWord): { name: string; value?: string; valueOffset?: number } {
  const eq = word.text.indexOf('=');
  if (!word.text.startsWith('-') || eq === -1) return { name: word.text };
  return { name: word.text.slice(0, eq), value: word.text.slice(eq + 1), valueOffset: eq + 1 };
}
