/**
 * Kept for modules that imported the store from here before the syntax layer existed: the store
 * now keeps a tree-sitter tree per document (see store.ts).
 */
export { createDocumentStore, type DocumentStoreOptions } from "./store.js";
