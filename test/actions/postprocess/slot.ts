import type { CodeSlot } from "../../../server/postprocess/code/types.js";

/** A slot for tests: a TypeScript function body by default; override what a case needs. */
export function slot(over: Partial<CodeSlot> = {}): CodeSlot {
  return {
    language: "typescript",
    fenceTags: ["ts", "typescript"],
    name: "add",
    before: ["/** Adds two numbers. */", "export function add(a: number, b: number): number {"],
    after: ["}"],
    lineComment: "//",
    blockComment: ["/*", "*/"],
    indentUnit: "  ",
    baseIndent: "  ",
    eol: "\n",
    ...over,
  };
}
