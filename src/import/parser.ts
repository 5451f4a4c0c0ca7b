// The C parser: web-tree-sitter running tree-sitter-c's own grammar wasm (both pinned exactly in
// package.json). Nothing is built natively and nothing is downloaded: the grammar wasm shipped
// inside the tree-sitter-c package is loaded from its location in node_modules, or from bytes or
// a URL the caller gives (a browser page passes the bytes it fetched).

import { Language, Parser, type Tree } from 'web-tree-sitter';
import { blankAttributeMacros } from './preprocess.js';

/** A loaded C parser. One per process is enough: `loadCParser()` caches it. */
export interface CParser {
  readonly parser: Parser;
  readonly language: Language;
}

/** Where the wasm files come from; every field defaults to the installed packages. */
export interface CParserWasm {
  /** web-tree-sitter's runtime (`web-tree-sitter.wasm`), as bytes. */
  readonly runtime?: Uint8Array;
  /** tree-sitter-c's grammar (`tree-sitter-c.wasm`), as bytes or a URL. */
  readonly language?: Uint8Array | URL;
}

/** The grammar wasm inside the tree-sitter-c package (which has no `exports` map). */
export function defaultGrammarUrl(): URL {
  return new URL(import.meta.resolve('tree-sitter-c/tree-sitter-c.wasm'));
}

let cached: Promise<CParser> | undefined;

/** Loads the wasm once (the default location) or anew (given wasm). */
export function loadCParser(wasm?: CParserWasm): Promise<CParser> {
  if (wasm !== undefined) return load(wasm);
  cached ??= load({});
  return cached;
}

async function load(wasm: CParserWasm): Promise<CParser> {
  await Parser.init(wasm.runtime === undefined ? undefined : { wasmBinary: wasm.runtime });
  const language = await Language.load(wasm.language ?? defaultGrammarUrl());
  const parser = new Parser();
  parser.setLanguage(language);
  return { parser, language };
}

/**
 * Parses kernel C: attribute macros are blanked first (same length, so every offset, line and
 * column of the tree is the file's own).
 */
export function parseC(p: CParser, text: string): Tree {
  const tree = p.parser.parse(blankAttributeMacros(text));
  if (tree === null) throw new Error('tree-sitter returned no tree');
  return tree;
}
