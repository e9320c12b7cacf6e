import { lineBefore, nearbyLines, splitLines } from "./lines.js";
import type { CompletionFilter } from "./types.js";

/** How many lines on each side of the cursor count as "existing". */
const NEARBY = 5;

/**
 * Drops a suggestion that only repeats code already there: the finished line (what is before the
 * cursor plus the suggestion's first line) equal to the line just above or just below, or every
 * line of a multi-line suggestion already present around the cursor.
 */
export const dropDuplicateLines: CompletionFilter = (text, ctx) => {
  const { before, after } = nearbyLines(ctx.prefix, ctx.suffix, NEARBY);
  const lines = splitLines(text);
  const finished = (lineBefore(ctx.prefix) + lines[0]!).trim();
  const meaningful = (l: string) => l.length > 3;
  if (lines.length === 1) {
    const neighbours = [before.at(-1), after[0]].map((l) => l?.trim());
    return meaningful(finished) && neighbours.includes(finished) ? "" : text;
  }
  const nearby = new Set([...before, ...after].map((l) => l.trim()));
  const all = [finished, ...lines.slice(1).map((l) => l.trim())].filter((l) => l !== "");
  const substantial = all.filter(meaningful);
  if (substantial.length > 0 && substantial.every((l) => nearby.has(l))) return "";
  return text;
};
