/**
 * The code cleaning pipeline for code actions: one filter per file, applied in order. Each filter
 * takes plain text and returns plain text, so each is tested alone.
 */
import { dropProse } from "./dropProse.js";
import { extractFence } from "./extractFence.js";
import { toLineEndings } from "./lineEndings.js";
import { reindent } from "./reindent.js";
import { emptyReason } from "./rejectEmpty.js";
import { stripEcho } from "./stripEcho.js";
import type { CleanResult, CodeSlot } from "./types.js";

export type { CleanResult, CodeSlot } from "./types.js";
export { detectIndentUnit } from "./reindent.js";
export { isCommentLine } from "./stripEcho.js";

/** Turns a raw model reply into code that fits the slot, or says why there is none. */
export function cleanCode(reply: string, slot: CodeSlot): CleanResult {
  const text = reply.replace(/\r\n?/g, "\n");
  // Code in a fence wins; without fences the whole reply is code with prose around it.
  let code = extractFence(text, slot.fenceTags, slot.name) ?? dropProse(text);
  code = stripEcho(code, slot);
  // Trailing whitespace and outer blank lines are never meaningful in an inserted block.
  code = code.replace(/[ \t]+$/gm, "").replace(/^\n+/, "").replace(/\n+$/, "");
  const empty = emptyReason(code, slot);
  if (empty) return { ok: false, reason: empty };
  code = reindent(code, slot.indentUnit, slot.baseIndent);
  return { ok: true, code: toLineEndings(code, slot.eol) };
}
