/**
 * The parsers, one set per thread, each loaded on first use: a tree-sitter parser per grammar, and
 * TypeScript's parser for JavaScript/TypeScript. The engine owns every tree; a tree's life ends with its file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type Parser from 'tree-sitter';
import type * as TsModule from 'typescript';
import { uncharged } from './cancel.js';
import { loadCached, type CachedModule } from './code-cache.js';
import type { FileKind } from './languages.js';
import { limitScannerState } from './nesting.js';

const require = createRequire(import.meta.url);

type ParserCtor = typeof Parser;
type Ts = typeof TsModule;
let TreeSitter: ParserCtor | undefined;

/** The tree-sitter binding itself, loaded on first use. */
export function treeSitter(): ParserCtor {
  TreeSitter ??= require('tree-sitter') as ParserCtor;
  return TreeSitter;
}

interface LoadedGrammar {
  parser: Parser;
  language: Parser.Language;
}

/** By grammar name: kinds that share a grammar (xml, pom, web.config...) share one parser. */
const grammars = new Map<string, LoadedGrammar>();

/** Parse time limit per file: a pathological input must not stall a worker. */
let parseTimeoutMicros = 10_000_000;

/**
 * In-progress matches a query cursor keeps (tree-sitter drops the oldest past it): anchored
 * patterns over thousands of siblings (a garbage line of `, x, x, ...` in an ERROR node) otherwise
 * keep thousands of states alive and run quadratically.
 */
const MATCH_LIMIT = 256;

/**
 * Options for every tree-sitter query run: a query over a pathological tree can take minutes in
 * native code, where nothing can stop it, so it gives up (with the matches found so far) after the
 * parse time limit; the file's budget then abandons the file.
 */
export function queryLimits(): { timeoutMicros: number; matchLimit: number } {
  return { timeoutMicros: parseTimeoutMicros, matchLimit: MATCH_LIMIT };
}

/** In a scan worker: tree-sitter parses and queries give up after the file's time budget too. */
export function limitParseTime(timeoutMs: number): void {
  if (timeoutMs <= 0) return;
  parseTimeoutMicros = Math.min(parseTimeoutMicros, timeoutMs * 1000);
  for (const g of grammars.values()) g.parser.setTimeoutMicros(parseTimeoutMicros);
}

/** The cached parser of a tree-sitter file kind; the grammar module loads on first call. */
export function grammarFor(kind: FileKind): LoadedGrammar {
  if (kind.parser.type !== 'tree-sitter') throw new Error(`${kind.id} is not a tree-sitter kind`);
  let loaded = grammars.get(kind.parser.name);
  if (!loaded) {
    const grammar = kind.parser.grammar;
    // loaded once per worker: not the file's time (cancel.ts)
    loaded = uncharged(() => {
      const Ctor = treeSitter();
      const language = grammar() as Parser.Language;
      const parser = new Ctor();
      parser.setLanguage(language);
      parser.setTimeoutMicros(parseTimeoutMicros);
      return { parser, language };
    });
    grammars.set(kind.parser.name, loaded);
  }
  return loaded;
}

/** Which parsers this process has loaded: grammar names, and `typescript` (to prove lazy loading in tests and benchmarks). */
export function loadedGrammars(): string[] {
  return [...grammars.keys(), ...(compiler ? ['typescript'] : [])];
}

/** Parses text; returns undefined when the parser gave up (time limit). */
export function parseText(kind: FileKind, text: string): Parser.Tree | undefined {
  const { parser } = grammarFor(kind);
  // inputs that would make the grammar's scanner abort the process never reach it
  text = limitScannerState(text, kind)?.text ?? text;
  try {
    // The default buffer is small; a larger one avoids many round trips on big files.
    const tree = parser.parse(text, null, { bufferSize: Math.min(Math.max(text.length + 1, 32 * 1024), 4 * 1024 * 1024) });
    return tree ?? undefined;
  } catch {
    parser.reset();
    return undefined;
  }
}

let compiler: CachedModule<Ts> | undefined;

/**
 * The TypeScript compiler, loaded on first use (scans without JS/TS candidates never pay its
 * start-up) through a V8 code cache (src/code-cache.ts). Only its parser is used: the semantic
 * layer reads the syntax tree; there is no program and no type checker.
 */
export function typeScript(): Ts {
  compiler ??= uncharged(() => loadCached<Ts>('typescript'));
  return compiler.exports;
}

/** The extension of a JS/TS file name that picks its dialect (`.tsx`, `.mjs`...); `.ts` when the name says nothing. */
function dialect(fileName: string): string {
  return /\.(?:[cm]?[jt]sx?)$/i.exec(path.basename(fileName))?.[0].toLowerCase() ?? '.ts';
}

/**
 * Parses a JavaScript/TypeScript file into a syntax tree with parent pointers; `fileName` picks the
 * dialect. JSDoc comments are not parsed (no rule reads types). The tree holds no native memory:
 * its life ends when nothing refers to it.
 */
export function parseTypeScript(text: string, fileName: string): TsModule.SourceFile {
  const ts = typeScript();
  const ext = dialect(fileName);
  const kind = ext.endsWith('x') ? (ext.includes('t') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX) : ext.includes('t') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(`/file${ext}`, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, kind);
  // the parser has run: the cache, written once, holds it too
  compiler!.save();
  return sf;
}

/** How many syntax errors TypeScript's parser found in a text (for --fix's re-parse check). */
export function typeScriptSyntaxErrors(text: string, fileName: string): number {
  return (parseTypeScript(text, fileName) as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
}
