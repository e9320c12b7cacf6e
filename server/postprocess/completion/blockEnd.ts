import { cursorIndent, indentOf, indentWidth, lineAfter, lineBefore, splitLines } from "./lines.js";
import type { CompletionFilterContext } from "./types.js";

/**
 * Where a multi-line suggestion leaves the block the cursor is in, judged by indentation alone
 * (the fallback when there is no syntax tree, and the cheap check run on every streamed chunk).
 *
 * NOTE: only complete lines are judged; the first line continues the cursor's line and is never cut.
 */

/** A line that closes a block in brace- or keyword-delimited languages. */
const CLOSER = /^[\s]*([}\])]|end\b|fi\b|done\b|esac\b)/;

/** Result: how much of the text stays in the block, and whether the block is complete. */
export interface BlockCut {
  /** Length of the text that stays inside the block (the whole text when nothing leaves it). */
  keep: number;
  /** True when a line left the block (the suggestion is complete; stop the stream). */
  complete: boolean;
}

/** Finds where the suggestion leaves the cursor's block by indentation and closers. */
export function blockCutByIndent(text: string, ctx: Pick<CompletionFilterContext, "prefix" | "suffix">, onlyCompleteLines = false): BlockCut {
  const before = lineBefore(ctx.prefix);
  const lineIsBlank = before.trim() === "";
  const cursorWidth = indentWidth(cursorIndent(ctx.prefix));
  // The body's indentation: the cursor's column on a blank line, else deeper than the cursor's line.
  const bodyWidth = lineIsBlank ? indentWidth(before) : cursorWidth + 1;
  const topLevel = lineIsBlank && bodyWidth === 0;
  const suffixCloses = nextCodeLine(ctx.suffix);
  const lines = splitLines(text);
  const last = onlyCompleteLines ? lines.length - 1 : lines.length;
  let offset = lines[0]!.length + 1;
  let sawBlank = false;
  let sawCode = lines[0]!.trim() !== "";
  for (let i = 1; i < last; i++) {
    const line = lines[i]!;
    const start = offset;
    offset += line.length + 1;
    if (line.trim() === "") {
      sawBlank = true;
      continue;
    }
    const width = indentWidth(indentOf(line));
    if (topLevel) {
      // At the top level nothing dedents: one paragraph of code (up to a blank line followed by a
      // new unindented line) is one suggestion.
      if (sawBlank && width === 0 && sawCode) return { keep: trimEnd(text, start), complete: true };
      sawCode = true;
      continue;
    }
    if (width < bodyWidth) {
      if (CLOSER.test(line) && !CLOSER.test(suffixCloses ?? "")) {
        // The block's own closer, missing from the text after the cursor: keep it, stop after it.
        return { keep: Math.min(text.length, start + line.length), complete: true };
      }
      return { keep: trimEnd(text, start), complete: true };
    }
  }
  return { keep: text.length, complete: false };
}

/** The first non-blank line after the cursor's line, or the rest of the cursor's line when it holds code. */
function nextCodeLine(suffix: string): string | undefined {
  const rest = lineAfter(suffix);
  if (rest.trim() !== "") return rest;
  return splitLines(suffix).slice(1).find((l) => l.trim() !== "");
}

/** The text up to `end`, without the line break(s) and blanks before it. */
function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  return e;
}
