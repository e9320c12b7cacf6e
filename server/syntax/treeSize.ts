/**
 * A tree-sitter tree's native memory per UTF-16 unit of text, roughly: a 2,000-line TypeScript file
 * of 61,000 characters has a 2.4 MB tree. Used to bound caches of trees by memory, not by text.
 */
export const TREE_BYTES_PER_CHAR = 40;
