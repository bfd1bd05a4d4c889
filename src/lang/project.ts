/**
 * The source index of the semantic layer: other files of the same package, module or
 * namespace, opened only when a lookup asks for a name they may define, parsed with the same
 * grammar (tree-sitter kinds by the engine's parser, others by the adapter's `parse`), and kept in a small cache so memory stays flat over a long scan. Reads regular files
 * inside the scanned tree only (no symlinks), and never more than a bounded number per lookup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listFolder } from '../context.js';
import { classify, type FileKind } from '../languages.js';
import { grammarFor, parseText } from '../parsers.js';
import { SourceFile } from '../source.js';
import { Semantics, type FileOpener } from './evaluate.js';
import type { CrossFileContext, Grammar } from './grammar.js';
import type { LangNode } from './model.js';

/** Other files larger than this are not opened for lookups. */
const MAX_OTHER_FILE = 512 * 1024;
/** Parsed other files kept at once. */
const CACHE_SIZE = 12;
/** Files listed by one `below` walk. */
const MAX_BELOW = 5000;
/** Walks kept at once (a scan moves through the tree project by project). */
const WALKS_KEPT = 32;
const SKIPPED_FOLDERS = /^(?:node_modules|vendor|target|dist|build|bin|obj|out|\..*)$/;

const decoder = new TextDecoder('utf-8');

export class SourceIndex implements FileOpener {
  /** Path -> semantics (or null when the file cannot be used); insertion order is recency. One grammar reads a path. */
  private readonly files = new Map<string, Semantics<LangNode> | null>();
  private readonly walks = new Map<string, string[]>();
  private readonly listings = new Map<string, string[]>();

  open<N extends LangNode>(filePath: string, grammar: Grammar<N>): Semantics<N> | undefined {
    const cached = this.files.get(filePath) as Semantics<N> | null | undefined;
    if (cached !== undefined) {
      // refresh recency
      this.files.delete(filePath);
      this.files.set(filePath, cached as Semantics<LangNode> | null);
      return cached ?? undefined;
    }
    const sem = this.load(filePath, grammar);
    this.files.set(filePath, (sem as Semantics<LangNode> | undefined) ?? null);
    if (this.files.size > CACHE_SIZE) this.files.delete(this.files.keys().next().value!);
    return sem;
  }

  private load<N extends LangNode>(filePath: string, grammar: Grammar<N>): Semantics<N> | undefined {
    const kind: FileKind | undefined = classify(filePath);
    if (!kind || !grammar.kinds.includes(kind.id)) return undefined;
    if (kind.parser.type !== 'tree-sitter' && !grammar.parse) return undefined;
    let bytes: Buffer;
    try {
      const stat = fs.lstatSync(filePath);
      if (!stat.isFile() || stat.size > MAX_OTHER_FILE) return undefined;
      bytes = fs.readFileSync(filePath);
    } catch {
      return undefined;
    }
    if (bytes.indexOf(0) !== -1) return undefined;
    const text = decoder.decode(bytes);
    const src = new SourceFile(filePath, text, kind.id);
    if (kind.parser.type !== 'tree-sitter') {
      // another parser (TypeScript's): the adapter parses
      let root: N | undefined;
      try {
        root = grammar.parse!(text, filePath);
      } catch {
        return undefined;
      }
      return root ? new Semantics(grammar, src, root, undefined, this) : undefined;
    }
    const tree = parseText(kind, text);
    if (!tree) return undefined;
    // a grammar read through a facts query reads tree-sitter nodes: N is SyntaxNode
    return new Semantics(grammar, src, tree.rootNode as unknown as N, grammarFor(kind).language, this);
  }

  crossFileContext<N extends LangNode>(sem: Semantics<N>): CrossFileContext {
    return {
      file: sem.src.path,
      packageName: sem.header.packageName,
      imports: sem.header.imports,
      wildcards: sem.header.wildcards,
      list: (dir) => this.list(dir),
      below: (dir, accept) => this.below(dir, accept),
    };
  }

  /** The sorted names in a folder (empty when unreadable), cached. */
  private list(dir: string): string[] {
    return listFolder(this.listings, dir);
  }

  /** Regular files below `dir` (build output, dependencies and hidden folders skipped), bounded. */
  private below(dir: string, accept: (name: string) => boolean): string[] {
    const key = `${dir}\0${accept.toString()}`;
    let out = this.walks.get(key);
    if (out) {
      // refresh recency
      this.walks.delete(key);
      this.walks.set(key, out);
      return out;
    }
    out = [];
    const stack = [dir];
    while (stack.length && out.length < MAX_BELOW) {
      const d = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIPPED_FOLDERS.test(e.name)) stack.push(path.join(d, e.name));
        } else if (e.isFile() && accept(e.name)) {
          out.push(path.join(d, e.name));
        }
      }
    }
    this.walks.set(key, out);
    if (this.walks.size > WALKS_KEPT) this.walks.delete(this.walks.keys().next().value!);
    return out;
  }
}
