import type { CompletionFilter } from "./types.js";

/** Drops a suggestion with nothing but whitespace, and trailing blanks from any other. */
export const dropEmpty: CompletionFilter = (text) => (text.trim() === "" ? "" : text.trimEnd());
