import { LRUCache } from "lru-cache";
import type Parser from "tree-sitter";
import { DEFAULT_MAX_BYTES, SourceDocument } from "./document.js";
import { languageFor } from "./registry.js";
import { TREE_BYTES_PER_CHAR } from "./treeSize.js";
import type { Span, SyntaxDocument } from "./types.js";

/**
 * Access to the tree behind a SyntaxDocument. Documents from the store and from `parseText`
 * carry their tree; any other SyntaxDocument (a test double, the old text-only store) is parsed
 * on demand and cached by its text.
 */

// NOTE: the cache is bounded by the estimated size of the trees, not of the texts: a tree weighs
// ~40 times its text, so the former bound of 8 M characters let a workspace scan keep ~300 MB of
// trees (and their definition caches) alive. Callers that index many files keep plain data instead.
// A text whose tree alone exceeds the bound is parsed but not cached.
const parsed = new LRUCache<string, SourceDocument>({
  max: 128,
  maxSize: 24 * 1024 * 1024,
  sizeCalculation: (_doc, key) => Math.max(1, key.length * TREE_BYTES_PER_CHAR),
});

/**
 * Parses text that is not open in the editor (another file of the workspace, model output) and
 * returns a document usable with every function of the syntax layer. Never throws; an unknown
 * language gives a plain-text document.
 */
export function parseText(text: string, language: string | undefined, maxBytes = DEFAULT_MAX_BYTES): SyntaxDocument {
  const key = `${language ?? ""}\u0000${maxBytes}\u0000${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const doc = new SourceDocument("", language ?? "", language, 0, text, () => maxBytes);
  parsed.set(key, doc);
  return doc;
}

/** The document as a SourceDocument (itself, or a parsed copy of a foreign SyntaxDocument). */
export function sourceOf(doc: SyntaxDocument): SourceDocument {
  if (doc instanceof SourceDocument) return doc;
  return parseText(doc.text, doc.language ?? languageFor(doc.languageId, doc.uri)) as SourceDocument;
}

/** The tree of a document, or undefined for plain text. */
export function treeOf(doc: SyntaxDocument): Parser.Tree | undefined {
  return sourceOf(doc).tree;
}

/** A Span for string offsets [start, end) of a document. */
export function spanOf(doc: SyntaxDocument, start: number, end: number): Span {
  return { start: doc.positionAt(start), end: doc.positionAt(end), startOffset: start, endOffset: end };
}

/** The Span of a tree-sitter node (offsets are UTF-16 units; positions from the line index). */
export function nodeSpan(doc: SyntaxDocument, node: Parser.SyntaxNode): Span {
  return spanOf(doc, node.startIndex, node.endIndex);
}

/**
 * Memoises a per-tree computation: results live as long as the tree, and a re-parse (a new tree)
 * invalidates them without bookkeeping.
 */
export function perTree<T>(compute: (doc: SourceDocument, tree: Parser.Tree) => T, empty: () => T): (doc: SyntaxDocument) => T {
  const cache = new WeakMap<Parser.Tree, T>();
  return (doc) => {
    const src = sourceOf(doc);
    const tree = src.tree;
    if (!tree) return empty();
    let value = cache.get(tree);
    if (value === undefined) {
      value = compute(src, tree);
      cache.set(tree, value);
    }
    return value;
  };
}
