/**
 * The syntax layer's public API. Every function takes a SyntaxDocument: an open document from
 * `createDocumentStore()` or the result of `parseText()` for a file that is not open. Offsets and
 * positions are UTF-16. Nothing here throws on bad input: unknown languages, oversized or binary
 * files and broken code give plain-text answers (empty lists, undefined).
 */
export { createDocumentStore, type DocumentStoreOptions } from "./store.js";
export { parseText } from "./source.js";
export { definitions, stubs, enclosingDefinition } from "./definitions.js";
export { imports, references, testCases } from "./symbols.js";
export { nodeInfoAt, scopeAt, parseErrors } from "./nodes.js";
export { languageFor, conventionsFor, knownLanguages } from "./registry.js";
export { DEFAULT_MAX_BYTES } from "./document.js";
export type * from "./types.js";
