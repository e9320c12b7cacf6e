import { blockCutByIndent } from "./blockEnd.js";
import { extractChatReply } from "./chatReply.js";
import { dropDuplicateLines } from "./duplicates.js";
import { dropEmpty } from "./empty.js";
import { fixIndentation } from "./indentation.js";
import { limitToLine } from "./lineMode.js";
import { trimOverlap } from "./overlap.js";
import { cutRepetition } from "./repetition.js";
import { cutSpecialTokens } from "./specialTokens.js";
import { limitToScope } from "./scope.js";
import type { CompletionFilter, CompletionFilterContext } from "./types.js";

export type { CompletionFilter, CompletionFilterContext } from "./types.js";

/**
 * The filters in order. Shape first (chat extraction, one line or a block, indentation), then
 * cut (loops, the block's end), then compare with what is already there (overlap, duplicates).
 */
export const completionFilters: ReadonlyArray<[string, CompletionFilter]> = [
  ["cutSpecialTokens", cutSpecialTokens],
  ["extractChatReply", extractChatReply],
  ["limitToLine", limitToLine],
  ["fixIndentation", fixIndentation],
  ["cutRepetition", cutRepetition],
  ["limitToScope", limitToScope],
  ["trimOverlap", trimOverlap],
  ["dropDuplicateLines", dropDuplicateLines],
  ["dropEmpty", dropEmpty],
];

/** Cleans a raw model continuation into what the editor shows; "" means show nothing. */
export function postprocessCompletion(raw: string, ctx: CompletionFilterContext): string {
  let text = raw.replace(/\r\n/g, "\n");
  for (const [, filter] of completionFilters) {
    text = filter(text, ctx);
    if (text === "") return "";
  }
  return text;
}

/**
 * Whether a streamed suggestion is already complete, so the stream can stop early: the line is
 * finished in single-line mode, or a line left the cursor's block in multi-line mode.
 */
export function completionIsComplete(textSoFar: string, ctx: CompletionFilterContext): boolean {
  if (ctx.chat) return false;
  const nl = textSoFar.indexOf("\n");
  if (nl < 0) return false;
  // One line wanted: whatever comes after the first line break is cut anyway.
  if (!ctx.multiline) return true;
  return blockCutByIndent(textSoFar, ctx, true).complete;
}
