import { conventionsFor, createDocumentStore, scopeAt } from "../../syntax/index.js";
import type { SyntaxDocument } from "../../syntax/types.js";
import { blockCutByIndent } from "./blockEnd.js";
import type { CompletionFilter, CompletionFilterContext } from "./types.js";

/** How much text around the cursor is parsed to find the block (enough for any sane block). */
const WINDOW_BEFORE = 6000;
const WINDOW_AFTER = 3000;

/**
 * Limits a multi-line suggestion to the block the cursor is in: the model often closes the block
 * and carries on with the next function. The syntax tree of the document with the suggestion
 * inserted decides first; indentation decides when there is no tree or no block.
 */
export const limitToScope: CompletionFilter = (text, ctx) => {
  if (!ctx.multiline || !text.includes("\n")) return text;
  const keep = blockEndBySyntax(text, ctx) ?? blockCutByIndent(text, ctx).keep;
  return text.slice(0, keep);
};

/** Length of the suggestion that stays inside the cursor's block per the syntax tree, if it knows. */
export function blockEndBySyntax(text: string, ctx: CompletionFilterContext): number | undefined {
  if (!ctx.language) return undefined;
  const before = windowEnd(ctx.prefix, WINDOW_BEFORE);
  const after = windowStart(ctx.suffix, WINDOW_AFTER);
  const doc = parseOnce(before + text + after, ctx.language);
  const at = before.length;
  const scope = scopeAt(doc, at);
  if (!scope.blockSpan) return undefined;
  const end = scope.blockSpan.endOffset - at;
  if (end >= text.length) return text.length;
  if (end <= 0) return undefined;
  // Keep whole lines: up to the end of the line on which the block ends.
  const nl = text.indexOf("\n", end);
  const cut = nl < 0 ? text.length : nl;
  return text.slice(0, cut).trimEnd().length;
}

/**
 * A private store for one-off parses. NOTE: not `parseText`, whose cache is bounded by text
 * length while trees weigh far more than their text: every suggestion is a new text, so caching
 * them would only pile up trees. A document opened and closed here is freed with its last use.
 */
const scratch = createDocumentStore();

function parseOnce(text: string, language: string): SyntaxDocument {
  const uri = `untitled:completion-scope${conventionsFor(language)?.extensions[0] ?? ""}`;
  const doc = scratch.open(uri, language, 1, text);
  scratch.close(uri);
  return doc;
}

/** The last `max` characters, starting at a line boundary. */
function windowEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  const start = text.indexOf("\n", text.length - max);
  return start < 0 ? text.slice(-max) : text.slice(start + 1);
}

/** The first `max` characters, ending at a line boundary. */
function windowStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.lastIndexOf("\n", max);
  return end < 0 ? text.slice(0, max) : text.slice(0, end);
}
