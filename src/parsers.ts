/**
 * The parsers, one set per thread, each loaded on first use: a tree-sitter parser per grammar, and
 * ts-morph for JavaScript/TypeScript. The engine owns every tree; a tree's life ends with its file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type Parser from 'tree-sitter';
import type * as TsMorph from 'ts-morph';
import type { FileKind } from './languages.js';
import { limitScannerState } from './nesting.js';

const require = createRequire(import.meta.url);

type ParserCtor = typeof Parser;
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
    const Ctor = treeSitter();
    const language = kind.parser.grammar() as Parser.Language;
    const parser = new Ctor();
    parser.setLanguage(language);
    parser.setTimeoutMicros(parseTimeoutMicros);
    loaded = { parser, language };
    grammars.set(kind.parser.name, loaded);
  }
  return loaded;
}

/** Which parsers this process has loaded: grammar names, and `ts-morph` (to prove lazy loading in tests and benchmarks). */
export function loadedGrammars(): string[] {
  return [...grammars.keys(), ...(morph ? ['ts-morph'] : [])];
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

let morph: typeof TsMorph | undefined;
let project: TsMorph.Project | undefined;
let parsedSinceNewProject = 0;

/** A fresh project now and then keeps the type checker's caches from growing over a long scan. */
const FILES_PER_PROJECT = 200;

/** The ts-morph module, loaded on first use (scans without JS/TS candidates never pay its start-up). */
export function tsMorph(): typeof TsMorph {
  morph ??= require('ts-morph') as typeof TsMorph;
  return morph;
}

/** A parsed JavaScript/TypeScript file; `dispose` ends its life. */
export interface TsTree {
  source: TsMorph.SourceFile;
  dispose(): void;
}

/**
 * Parses a JS/TS file into a one-file in-memory project: no lib files, no dependency resolution,
 * so the type checker answers literal types of same-file constants and symbol lookups, nothing
 * more. `fileName` picks the dialect (`.tsx`, `.mjs`...).
 */
export function parseTypeScript(text: string, fileName: string): TsTree {
  const m = tsMorph();
  if (!project || parsedSinceNewProject++ >= FILES_PER_PROJECT) {
    parsedSinceNewProject = 1;
    project = new m.Project({
      useInMemoryFileSystem: true,
      skipFileDependencyResolution: true,
      compilerOptions: { allowJs: true, checkJs: false, noLib: true, noResolve: true, jsx: m.ts.JsxEmit.Preserve },
    });
  }
  const owner = project;
  const ext = /\.(?:[cm]?[jt]sx?)$/i.exec(path.basename(fileName))?.[0].toLowerCase() ?? '.ts';
  const source = owner.createSourceFile(`/file${ext}`, text, { overwrite: true });
  return {
    source,
    dispose() {
      if (!source.wasForgotten()) owner.removeSourceFile(source);
    },
  };
}

/**
 * Parses a JS/TS file into a bare syntax tree (parent pointers set), outside the shared project:
 * for the semantic layer's reads of other files of the project (src/lang/project.ts), which must
 * not replace the source file a rule is reading. No type checker, nothing to dispose.
 */
export function parseTypeScriptSyntax(text: string, fileName: string): TsMorph.ts.SourceFile {
  const { ts } = tsMorph();
  const ext = /\.(?:[cm]?[jt]sx?)$/i.exec(path.basename(fileName))?.[0].toLowerCase() ?? '.ts';
  const kind = ext.endsWith('x') ? (ext.includes('t') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX) : ext.includes('t') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(`/other${ext}`, text, ts.ScriptTarget.Latest, true, kind);
}

/** How many syntax errors TypeScript's parser found in a text (for --fix's re-parse check). */
export function typeScriptSyntaxErrors(text: string, fileName: string): number {
  const tree = parseTypeScript(text, fileName);
  try {
    return (tree.source.compilerNode as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
  } finally {
    tree.dispose();
  }
}
