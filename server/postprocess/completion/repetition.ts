import { splitLines } from "./lines.js";
import type { CompletionFilter } from "./types.js";

/** A group of lines repeated this many times in a row is a loop, not code. */
const LINE_REPEATS = 3;
/** The longest group of lines looked at. */
const MAX_PERIOD = 8;
/** A piece of a line repeated this many times in a row is a loop. */
const CHAR_REPEATS = 8;

/**
 * Cuts repetition loops, which small models fall into at low temperature: the same line (or the
 * same few lines) over and over, or the same few characters to the end of the line. The first
 * occurrence is kept; the repeats are dropped.
 */
export const cutRepetition: CompletionFilter = (text) => cutCharLoop(cutLineLoop(text));

function cutLineLoop(text: string): string {
  const lines = splitLines(text);
  const key = lines.map((l) => l.trim());
  for (let start = 0; start < lines.length; start++) {
    for (let period = 1; period <= MAX_PERIOD; period++) {
      if (start + period * LINE_REPEATS > lines.length) break;
      const group = key.slice(start, start + period);
      // Blank lines and lone closers repeat legitimately ("}\n}\n}").
      if (group.every((l) => l === "" || /^[\])}]+[;,]?$/.test(l))) continue;
      let repeats = 1;
      while (
        start + (repeats + 1) * period <= lines.length &&
        key.slice(start + repeats * period, start + (repeats + 1) * period).every((l, i) => l === group[i])
      ) {
        repeats++;
      }
      if (repeats >= LINE_REPEATS) return lines.slice(0, start + period).join("\n");
    }
  }
  return text;
}

function cutCharLoop(text: string): string {
  const re = new RegExp(`(.{2,40}?)\\1{${CHAR_REPEATS - 1},}`, "s");
  const m = re.exec(text);
  if (!m || !/\S/.test(m[1]!)) return text;
  return text.slice(0, m.index + m[1]!.length);
}
