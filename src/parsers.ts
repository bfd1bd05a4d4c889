import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import type { FileKind } from './languages.js';

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

const grammars = new Map<string, LoadedGrammar>();

/** Parse time limit per file: a pathological input must not stall a worker. */
const PARSE_TIMEOUT_MICROS = 10_000_000;

/** The cached parser of a tree-sitter file kind; the grammar module loads on first call. */
export function grammarFor(kind: FileKind): LoadedGrammar {
  let loaded = grammars.get(kind.id);
  if (!loaded) {
    if (kind.parser.type !== 'tree-sitter') throw new Error(`${kind.id} is not a tree-sitter kind`);
    const Ctor = treeSitter();
    const language = kind.parser.grammar() as Parser.Language;
    const parser = new Ctor();
    parser.setLanguage(language);
    parser.setTimeoutMicros(PARSE_TIMEOUT_MICROS);
    loaded = { parser, language };
    grammars.set(kind.id, loaded);
  }
  return loaded;
}

/** Which grammars this process has loaded (to prove lazy loading in tests and benchmarks). */
export function loadedGrammars(): string[] {
  return [...grammars.keys()];
}

/** Parses text; returns undefined when the parser gave up (time limit). */
export function parseText(kind: FileKind, text: string): Parser.Tree | undefined {
  const { parser } = grammarFor(kind);
  try {
    // The default buffer is small; a larger one avoids many round trips on big files.
    const tree = parser.parse(text, null, { bufferSize: Math.min(Math.max(text.length + 1, 32 * 1024), 4 * 1024 * 1024) });
    return tree ?? undefined;
  } catch {
    parser.reset();
    return undefined;
  }
}
