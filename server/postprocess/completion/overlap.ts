import { lineAfter, splitLines } from "./lines.js";
import type { CompletionFilter } from "./types.js";

/**
 * Trims the end of the suggestion that repeats the text already after the cursor: the closing
 * `)` or `;` the editor auto-inserted, or the lines below the cursor the model wrote again.
 */
export const trimOverlap: CompletionFilter = (text, ctx) => {
  let out = trimLineOverlap(text, lineAfter(ctx.suffix));
  if (ctx.multiline) out = trimTrailingLines(out, ctx.suffix);
  return out;
};

/**
 * The longest end of `text` that equals a start of the rest of the cursor's line. Overlaps made of
 * punctuation count at any length; overlaps holding word characters only from 4 characters on,
 * so "foo" before "o bar" is not mistaken for an echo.
 */
function trimLineOverlap(text: string, rest: string): string {
  const restTrim = rest.trimEnd();
  if (!restTrim) return text;
  const body = text.trimEnd();
  for (let k = Math.min(body.length, restTrim.length); k >= 1; k--) {
    const piece = restTrim.slice(0, k);
    if (!body.endsWith(piece)) continue;
    if (/\w/.test(piece) && k < 4 && k < restTrim.length) continue;
    return body.slice(0, body.length - k);
  }
  return text;
}

/** Drops the suggestion's last lines when they repeat the first lines after the cursor. */
function trimTrailingLines(text: string, suffix: string): string {
  const lines = splitLines(text);
  if (lines.length < 2) return text;
  const below = splitLines(suffix).slice(1).map((l) => l.trim()).filter((l) => l !== "");
  if (below.length === 0) return text;
  // Find the longest run of the suggestion's last lines equal to the first lines below the cursor.
  for (let n = Math.min(lines.length - 1, below.length); n >= 1; n--) {
    const tail = lines.slice(lines.length - n).map((l) => l.trim());
    const nonBlank = tail.filter((l) => l !== "");
    if (nonBlank.length === 0) continue;
    if (nonBlank.every((l, i) => l === below[i]) && tail[0] !== "") {
      return lines.slice(0, lines.length - n).join("\n").trimEnd();
    }
  }
  return text;
}
