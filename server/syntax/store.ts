import { DEFAULT_MAX_BYTES, SourceDocument } from "./document.js";
import { languageFor } from "./registry.js";
import type { DocumentStore, SyntaxDocument, TextChange } from "./types.js";

/** Options of the tree-keeping document store. */
export interface DocumentStoreOptions {
  /** Files larger than this (UTF-8 bytes) are kept as plain text; a getter follows settings changes. */
  maxBytes?: number | (() => number);
}

/**
 * Creates the store of open documents: text, line index and a tree-sitter tree per document, kept
 * in sync incrementally on every change.
 */
export function createDocumentStore(options: DocumentStoreOptions = {}): DocumentStore {
  const docs = new Map<string, SourceDocument>();
  const limit = options.maxBytes;
  const maxBytes = typeof limit === "function" ? limit : () => limit ?? DEFAULT_MAX_BYTES;
  return {
    open(uri: string, languageId: string, version: number, text: string): SyntaxDocument {
      const doc = new SourceDocument(uri, languageId, languageFor(languageId, uri), version, text, maxBytes);
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
