/**
 * The window of code around a cursor, for completions: whole lines, most of the budget before the
 * cursor, cut where a definition starts or ends (or at a blank line) rather than mid-statement.
 */
import type { Definition } from "../syntax/types.js";
import { countTokens } from "./tokens.js";
import type { CursorWindow } from "./types.js";

/** What the window needs from a file. */
export interface WindowSource {
  text: string;
  definitions: Definition[];
}

/** Share of the window's tokens spent before the cursor. */
const PREFIX_SHARE = 0.7;

/** The cursor window within `tokenBudget` tokens (line-granular, snapped to syntactic boundaries). */
export function cursorWindow(file: WindowSource, offset: number, tokenBudget: number): CursorWindow {
  const text = file.text;
  const at = Math.max(0, Math.min(offset, text.length));
  if (countTokens(text) <= tokenBudget) {
    return { prefix: text.slice(0, at), suffix: text.slice(at), startOffset: 0, endOffset: text.length };
  }
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  let lineEnd = text.indexOf("\n", at);
  lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
  let used = countTokens(text.slice(lineStart, lineEnd));
  const prefixBudget = Math.max(0, Math.floor(tokenBudget * PREFIX_SHARE));

  // Grow upwards line by line, then downwards with what is left.
  let start = lineStart;
  while (start > 0) {
    const prev = lineBefore(text, start);
    // Each step must move up; a step that cannot would loop forever (and hang the server).
    if (prev >= start) break;
    const t = countTokens(text.slice(prev, start));
    if (used + t > prefixBudget) break;
    used += t;
    start = prev;
  }
  let end = lineEnd;
  while (end < text.length) {
    let next = text.indexOf("\n", end);
    next = next < 0 ? text.length : next + 1;
    const t = countTokens(text.slice(end, next));
    if (used + t > tokenBudget) break;
    used += t;
    end = next;
  }
  // The whole window may still be too big when the cursor line alone is huge.
  if (used > tokenBudget) {
    start = Math.max(lineStart, at - tokenBudget * 2);
    end = Math.min(lineEnd, at + tokenBudget);
    return { prefix: text.slice(start, at), suffix: text.slice(at, end), startOffset: start, endOffset: end };
  }
  start = snapStart(file, start, lineStart);
  end = snapEnd(file, end, lineEnd);
  return { prefix: text.slice(start, at), suffix: text.slice(at, end), startOffset: start, endOffset: end };
}

/**
 * The start of the line before the one starting at `lineStart` (> 0).
 * NOTE: `lastIndexOf` clamps a negative position to 0, so for the second line of a file that
 * starts with a blank line it would find the newline at 0 and return `lineStart` itself: a loop
 * walking up would never move (a completion then hung the server).
 */
function lineBefore(text: string, lineStart: number): number {
  return lineStart < 2 ? 0 : text.lastIndexOf("\n", lineStart - 2) + 1;
}

/** Line starts of definitions, for boundary checks. */
function boundaries(file: WindowSource): { starts: Set<number>; ends: Set<number> } {
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (const d of file.definitions) {
    starts.add(file.text.lastIndexOf("\n", d.span.startOffset - 1) + 1);
    const nl = file.text.indexOf("\n", d.span.endOffset);
    ends.add(nl < 0 ? file.text.length : nl + 1);
  }
  return { starts, ends };
}

/** Moves the window start forward to the first definition start or post-blank line in its first half. */
function snapStart(file: WindowSource, start: number, limit: number): number {
  if (start === 0) return 0;
  const { starts } = boundaries(file);
  const text = file.text;
  const half = start + Math.floor((limit - start) / 2);
  for (let pos = start; pos < half; ) {
    const prevLineBlank = pos > 0 && /^[ \t]*\r?$/.test(text.slice(lineBefore(text, pos), pos - 1));
    if (starts.has(pos) || prevLineBlank) return pos;
    const nl = text.indexOf("\n", pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return start;
}

/** Moves the window end back to the last definition end or blank line in its second half. */
function snapEnd(file: WindowSource, end: number, limit: number): number {
  const text = file.text;
  if (end >= text.length) return end;
  const { ends } = boundaries(file);
  const half = end - Math.floor((end - limit) / 2);
  for (let pos = end; pos > half; ) {
    const lineStart = lineBefore(text, pos);
    if (ends.has(pos) || /^[ \t]*\r?\n?$/.test(text.slice(lineStart, pos))) return pos;
    if (lineStart >= pos) break; // no progress: stop rather than loop
    pos = lineStart;
  }
  return end;
}
