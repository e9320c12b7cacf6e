import { DEFAULT_MAX_BYTES, SourceDocument } from "./document.js";
import { languageFor } from "./registry.js";
import { TREE_BYTES_PER_CHAR } from "./treeSize.js";
import type { DocumentStore, SyntaxDocument, TextChange } from "./types.js";

/** Options of the tree-keeping document store. */
export interface DocumentStoreOptions {
  /** Files larger than this (UTF-8 bytes) are kept as plain text; a getter follows settings changes. */
  maxBytes?: number | (() => number);
  /**
   * How much tree memory (estimated, bytes) the store keeps; the trees of the least recently used
   * documents beyond it are dropped and parsed again when next needed. The most recently used
   * document always keeps its tree.
   */
  treeBudgetBytes?: number;
  /**
   * Runs just before a document's tree is dropped, while it can still be read: the place to keep
   * what will be asked of the document again (memoised per revision), so that it is not parsed
   * again for that.
   */
  beforeTreeDrop?: (doc: SyntaxDocument) => void;
}

/**
 * About 2 documents of 2,000 lines (a tree of 61,000 characters weighs 2.1 MB): the one being
 * edited and the one before. Any other document is parsed again when next read (~4 ms for 2,000
 * lines) and edited incrementally from there. NOTE: was 32 MB; 50 open 2,000-line documents then
 * held ~15 trees, 30 MB of the burst benchmark's 215 MB peak.
 */
export const DEFAULT_TREE_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * Creates the store of open documents: text, line index and a tree-sitter tree per document, kept
 * in sync incrementally on every change.
 */
export function createDocumentStore(options: DocumentStoreOptions = {}): DocumentStore {
  const docs = new Map<string, SourceDocument>();
  const limit = options.maxBytes;
  const maxBytes = typeof limit === "function" ? limit : () => limit ?? DEFAULT_MAX_BYTES;
  const budget = options.treeBudgetBytes ?? DEFAULT_TREE_BUDGET_BYTES;
  // NOTE: trees are kept for the most recently used documents only (a 2,000-line file's tree is
  // ~2.5 MB of native memory, so 50 open files held ~125 MB). Insertion order is recency order.
  const recent = new Map<SourceDocument, number>();
  let held = 0;
  let newest: SourceDocument | undefined;
  let evicting = false;
  const use = (doc: SourceDocument) => {
    // Reads of the tree while a document is being dropped must not reorder the list; and the
    // newest document reading its own tree again (the common case) changes nothing.
    if (evicting || (doc === newest && doc.hasTree && recent.get(doc) === doc.length * TREE_BYTES_PER_CHAR)) return;
    newest = doc;
    const before = recent.get(doc);
    if (before !== undefined) {
      recent.delete(doc);
      held -= before;
    }
    if (!doc.hasTree) return;
    const size = doc.length * TREE_BYTES_PER_CHAR;
    recent.set(doc, size);
    held += size;
    for (const [old, oldSize] of recent) {
      if (held <= budget || old === doc) break;
      recent.delete(old);
      held -= oldSize;
      evicting = true;
      try {
        options.beforeTreeDrop?.(old);
      } catch {
        // Whatever it could not keep is computed again (with a parse) when asked for.
      } finally {
        evicting = false;
      }
      old.dropTree();
    }
  };
  const forget = (doc: SourceDocument) => {
    if (newest === doc) newest = undefined;
    const size = recent.get(doc);
    if (size === undefined) return;
    recent.delete(doc);
    held -= size;
  };
  return {
    open(uri: string, languageId: string, version: number, text: string): SyntaxDocument {
      const old = docs.get(uri);
      if (old) forget(old);
      const doc = new SourceDocument(uri, languageId, languageFor(languageId, uri), version, text, maxBytes);
      doc.onTreeUse = use;
      use(doc);
      docs.set(uri, doc);
      return doc;
    },
    change(uri: string, version: number, changes: TextChange[]): SyntaxDocument | undefined {
      const doc = docs.get(uri);
      if (!doc) return undefined;
      doc.applyChanges(version, changes);
      return doc;
    },
    close(uri: string): void {
      const doc = docs.get(uri);
      if (doc) forget(doc);
      docs.delete(uri);
    },
    get(uri: string): SyntaxDocument | undefined {
      return docs.get(uri);
    },
    all(): SyntaxDocument[] {
      return [...docs.values()];
    },
  };
}
