/**
 * A plain rendering of context chunks for prompts that do not need their own: one fenced block
 * per chunk, headed by its file path, target first.
 */
import type { ContextChunk, ContextResult } from "./types.js";

/** Renders chunks as markdown fenced blocks with a "path" header each (rank order kept). */
export function formatContext(result: ContextResult | readonly ContextChunk[]): string {
  const chunks = Array.isArray(result) ? (result as readonly ContextChunk[]) : (result as ContextResult).chunks;
  return chunks
    .map((c) => {
      const fence = c.text.includes("```") ? "````" : "```";
      return `${c.relativePath || "(current file)"}:\n${fence}${c.language ?? ""}\n${c.text.replace(/\s+$/, "")}\n${fence}`;
    })
    .join("\n\n");
}
