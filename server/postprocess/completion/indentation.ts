import { cursorIndent, indentOf, indentWidth, lineBefore, splitLines } from "./lines.js";
import type { CompletionFilter } from "./types.js";

/**
 * Fits the suggestion's indentation to the document: the document's own indent character (tabs
 * or spaces), no second copy of the indentation the cursor's line already has, and for chat
 * replies (written from column 0) the following lines shifted under the cursor's block.
 */
export const fixIndentation: CompletionFilter = (text, ctx) => {
  const lines = splitLines(text);
  const before = lineBefore(ctx.prefix);
  // The cursor sits after the line's indentation: a first line indented again would be doubled.
  if (before.trim() === "" && before.length > 0) lines[0] = lines[0]!.replace(/^[ \t]+/, "");
  if (lines.length === 1) return lines[0]!;
  const style = documentIndent(ctx.prefix + ctx.suffix);
  let rest = lines.slice(1).map((l) => (l.trim() === "" ? "" : convert(l, style)));
  if (ctx.chat) rest = shiftUnder(rest, cursorIndent(ctx.prefix));
  return [lines[0]!, ...rest].join("\n");
};

/** The document's indent unit: a tab, or the most common smallest step of spaces. */
export function documentIndent(text: string): { tabs: boolean; width: number } {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const line of splitLines(text).slice(0, 2000)) {
    if (line.trim() === "") continue;
    const ind = indentOf(line);
    if (ind.startsWith("\t")) tabs++;
    else if (ind.length > 0) spaces++;
    const w = indentWidth(ind);
    if (w > prev && !ind.startsWith("\t")) steps.set(w - prev, (steps.get(w - prev) ?? 0) + 1);
    prev = w;
  }
  const width = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 4;
  return { tabs: tabs > spaces, width: width >= 2 && width <= 8 ? width : 4 };
}

/** Rewrites a line's leading whitespace in the document's indent character. */
function convert(line: string, style: { tabs: boolean; width: number }): string {
  const ind = indentOf(line);
  if (ind === "") return line;
  const body = line.slice(ind.length);
  if (style.tabs) {
    if (!ind.includes(" ")) return line;
    const w = indentWidth(ind, style.width);
    return "\t".repeat(Math.floor(w / style.width)) + " ".repeat(w % style.width) + body;
  }
  if (!ind.includes("\t")) return line;
  return " ".repeat(indentWidth(ind, style.width)) + body;
}

/** Shifts lines right so the least indented one sits at the cursor block's indentation. */
function shiftUnder(lines: string[], base: string): string[] {
  const code = lines.filter((l) => l.trim() !== "");
  if (code.length === 0 || base === "") return lines;
  const min = Math.min(...code.map((l) => indentWidth(indentOf(l))));
  if (min >= indentWidth(base)) return lines;
  return lines.map((l) => (l.trim() === "" ? l : base + l));
}
