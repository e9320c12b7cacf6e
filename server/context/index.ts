/**
 * The context engine's public entry points. Features call `buildContext` with a target and a token
 * budget and receive ranked, whole syntactic chunks; `countTokens` is the one token counter.
 */
import { countTokens } from "./tokens.js";
import type { ContextChunk, ContextRequest, ContextResult } from "./types.js";

export { countTokens, warmUpTokenizer } from "./tokens.js";
export type * from "./types.js";

/** Builds the context a target needs under `request.budgetTokens`; deterministic for the same input. */
export async function buildContext(request: ContextRequest): Promise<ContextResult> {
  // First version: the target's own text (or a window around the cursor), so that features can
  // integrate now; the ranked engine replaces this body.
  request.signal?.throwIfAborted();
  const { document, target } = request;
  const text = document.text;
  let start = 0;
  let end = text.length;
  if (target.kind === "stub" || target.kind === "function") {
    const def = target.kind === "stub" ? target.stub : target.definition;
    start = def.span.startOffset;
    end = def.span.endOffset;
  } else if (target.kind === "selection") {
    start = target.startOffset;
    end = target.endOffset;
  } else {
    start = Math.max(0, target.offset - 2000);
    end = Math.min(text.length, target.offset + 1000);
  }
  const chunkText = text.slice(start, end);
  const chunk: ContextChunk = {
    source: "target",
    filePath: "",
    relativePath: "",
    language: document.language,
    text: chunkText,
    tokens: countTokens(chunkText),
    elided: false,
    startOffset: start,
    endOffset: end,
  };
  const chunks = chunk.tokens <= request.budgetTokens ? [chunk] : [];
  const result: ContextResult = { chunks, totalTokens: chunks.reduce((n, c) => n + c.tokens, 0) };
  if (target.kind === "cursor") {
    result.cursor = { prefix: text.slice(start, target.offset), suffix: text.slice(target.offset, end), startOffset: start, endOffset: end };
  }
  return result;
}
