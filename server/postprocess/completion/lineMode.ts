import { lineBefore } from "./lines.js";
import type { CompletionFilter } from "./types.js";

/**
 * Single-line mode (the cursor sits mid-expression): keep only the rest of the current line. A
 * suggestion that starts by breaking the line is not a completion of this line, so it is dropped.
 */
export const limitToLine: CompletionFilter = (text, ctx) => {
  if (ctx.multiline) return text;
  const nl = text.indexOf("\n");
  if (nl < 0) return text;
  const first = text.slice(0, nl).replace(/\r$/, "");
  // An empty line before the cursor means the user is starting a line: the first line is all we want.
  if (first.trim() === "" && lineBefore(ctx.prefix).trim() !== "") return "";
  return first;
};
