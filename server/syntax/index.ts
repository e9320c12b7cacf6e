/**
 * The syntax layer's public API. Every function takes a SyntaxDocument: an open document from
 * `createDocumentStore()` or the result of `parseText()` for a file that is not open. Offsets and
 * positions are UTF-16. Nothing here throws on bad input: unknown languages, oversized or binary
 * files and broken code give plain-text answers (empty lists, undefined).
 */
import { definitions as treeDefinitions } from "./definitions.js";
import { perRevision } from "./perRevision.js";
import { imports as treeImports } from "./symbols.js";
import { createDocumentStore as createTreeStore, type DocumentStoreOptions } from "./store.js";
import type { Definition, DocumentStore, ImportRef, SyntaxDocument } from "./types.js";

export type { DocumentStoreOptions } from "./store.js";
export { parseText } from "./source.js";
export { stubs, enclosingDefinition } from "./definitions.js";
export { references, testCases } from "./symbols.js";

/** Every definition of a document (memoised per text revision, so it costs no parse once the store dropped the tree). */
export const definitions: (doc: SyntaxDocument) => Definition[] = perRevision(treeDefinitions);

/** Every import of a document (memoised per text revision, like `definitions`). */
export const imports: (doc: SyntaxDocument) => ImportRef[] = perRevision(treeImports);
export { nodeInfoAt, scopeAt, parseErrors } from "./nodes.js";
export { languageFor, conventionsFor, knownLanguages } from "./registry.js";
export { DEFAULT_MAX_BYTES } from "./document.js";
export type * from "./types.js";

/**
 * Creates the store of open documents (see store.ts). The trees of documents not used for a while
 * are dropped; their definitions and imports, which the context engine reads from every open
 * document on every request, are computed before that and kept until the text changes.
 */
export function createDocumentStore(options: DocumentStoreOptions = {}): DocumentStore {
  return createTreeStore({
    beforeTreeDrop: (doc) => {
      definitions(doc);
      imports(doc);
    },
    ...options,
  });
}
