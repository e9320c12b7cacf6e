import { FIM_SPECIAL_TOKENS } from "../../prompts/fimTemplates.js";
import type { CompletionFilter } from "./types.js";

/**
 * Cuts the suggestion at the first FIM or end-of-text token. Servers stop on the stop sequences
 * they are sent, but not all honour every one (and chat fallbacks send none), and a token such as
 * "<|file_sep|>" in the editor would be plain garbage.
 */
export const cutSpecialTokens: CompletionFilter = (text) => {
  let end = text.length;
  for (const token of FIM_SPECIAL_TOKENS) {
    const at = text.indexOf(token);
    if (at >= 0 && at < end) end = at;
  }
  return end === text.length ? text : text.slice(0, end);
};
