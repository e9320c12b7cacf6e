/**
 * Fits a reply's indentation to the document: the document's unit (tabs, or its width of spaces),
 * nested under the slot's base indentation. Models indent by their own habit (4 spaces, or the
 * function's original depth); inserting that as is breaks Python and looks wrong elsewhere.
 */

/** Leading whitespace of a line. */
const leading = (l: string) => /^[ \t]*/.exec(l)![0];

/**
 * Detects one level of indentation in a text: "\t" when tab-indented lines dominate, otherwise
 * the most common step between the indentation of consecutive lines. Undefined when nothing is indented.
 */
export function detectIndentUnit(text: string): string | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const l of lines) {
    const ws = leading(l);
    if (ws.startsWith("\t")) tabs++;
    else if (ws.length > 0) spaces++;
    if (ws.includes("\t")) continue;
    const d = ws.length - prev;
    // Block-comment continuation lines (" * …") are one space deeper; they are not a level.
    if (d >= 2 && d <= 8) steps.set(d, (steps.get(d) ?? 0) + 1);
    prev = ws.length;
  }
  if (tabs === 0 && spaces === 0) return undefined;
  if (tabs >= spaces) return "\t";
  let best = 0;
  let count = 0;
  for (const [d, c] of steps) if (c > count || (c === count && d < best)) [best, count] = [d, c];
  if (best === 0) {
    // Only one indented level was seen: its depth is the unit.
    const min = Math.min(...lines.map((l) => leading(l).length).filter((n) => n > 1));
    // Only one-column indentation (block comment alignment) says nothing about the unit.
    if (!Number.isFinite(min)) return undefined;
    best = min;
  }
  return " ".repeat(best);
}

/** Width of one tab when measuring a reply that mixes tabs and spaces. */
const tabWidth = 4;

function columns(ws: string): number {
  let c = 0;
  for (const ch of ws) c += ch === "\t" ? tabWidth : 1;
  return c;
}

/** Tokens that end a line opening a block; a first line ending with one keeps its deeper followers. */
const opensBlock = /([{(\[:]|\bdo|\bthen|=>)\s*$/;

/**
 * Re-indents code: removes its common indentation, converts its levels to `unit`, and prefixes
 * every non-blank line with `baseIndent`. Blank lines become empty.
 */
export function reindent(code: string, unit: string, baseIndent: string): string {
  const lines = code.split("\n");
  const replyUnit = detectIndentUnit(code) ?? unit;
  const replyWidth = replyUnit === "\t" ? tabWidth : replyUnit.length;
  const cols = lines.map((l) => (l.trim() === "" ? -1 : columns(leading(l))));
  const nonBlank = cols.filter((c) => c >= 0);
  if (nonBlank.length === 0) return "";
  const minAll = Math.min(...nonBlank);
  const firstIdx = cols.findIndex((c) => c >= 0);
  const rest = cols.slice(firstIdx + 1).filter((c) => c >= 0);
  // A model that copied the body from its original depth but dropped the first line's indentation
  // ("return a;\n        }") leaves the first line shallower than the rest without opening a block.
  let restShift = minAll;
  if (rest.length > 0) {
    const minRest = Math.min(...rest);
    // A difference of one column is block-comment alignment (" * "), not a lost indentation.
    if (minRest - cols[firstIdx]! >= 2 && !opensBlock.test(lines[firstIdx]!)) restShift = minRest;
  }
  return lines
    .map((l, i) => {
      if (cols[i]! < 0) return "";
      const shift = i === firstIdx ? minAll : restShift;
      const c = Math.max(0, cols[i]! - shift);
      const level = Math.floor(c / replyWidth);
      const extra = c - level * replyWidth;
      return baseIndent + unit.repeat(level) + " ".repeat(extra) + l.trimStart();
    })
    .join("\n");
}
