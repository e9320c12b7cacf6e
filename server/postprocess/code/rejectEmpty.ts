/**
 * Rejects replies with nothing to insert: empty, or only comments (a model that answers "// TODO:
 * implement" has not implemented anything, and inserting it would only look like progress).
 */
import { isCommentLine } from "./stripEcho.js";
import type { CodeSlot } from "./types.js";

/** Returns why the code is not worth inserting, or undefined when it holds real code. */
export function emptyReason(code: string, slot: Pick<CodeSlot, "lineComment" | "blockComment">): string | undefined {
  const lines = code.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) return "the model replied with no code";
  let inBlock = false;
  for (const l of lines) {
    const t = l.trim();
    if (inBlock) {
      if (slot.blockComment && t.includes(slot.blockComment[1])) inBlock = false;
      continue;
    }
    if (slot.blockComment && t.startsWith(slot.blockComment[0])) {
      const rest = t.slice(slot.blockComment[0].length);
      if (!rest.includes(slot.blockComment[1])) inBlock = true;
      else if (rest.slice(rest.indexOf(slot.blockComment[1]) + slot.blockComment[1].length).trim() !== "") return undefined;
      continue;
    }
    if (isCommentLine(l, { lineComment: slot.lineComment })) continue;
    return undefined;
  }
  return "the model replied with only comments";
}
