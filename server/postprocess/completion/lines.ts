/** Small text helpers the completion filters share. */

/** The text of the cursor's line before the cursor. */
export function lineBefore(prefix: string): string {
  return prefix.slice(prefix.lastIndexOf("\n") + 1);
}

/** The text of the cursor's line after the cursor. */
export function lineAfter(suffix: string): string {
  const nl = suffix.indexOf("\n");
  return (nl < 0 ? suffix : suffix.slice(0, nl)).replace(/\r$/, "");
}

/** The leading whitespace of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Width of leading whitespace, a tab counting as `tabSize` columns. */
export function indentWidth(indent: string, tabSize = 4): number {
  let w = 0;
  for (const ch of indent) w += ch === "\t" ? tabSize : 1;
  return w;
}

/** Splits into lines without their line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Non-blank lines near the cursor: up to `n` before it (nearest last) and `n` after it (nearest first). */
export function nearbyLines(prefix: string, suffix: string, n: number): { before: string[]; after: string[] } {
  const before = splitLines(prefix).slice(0, -1).filter((l) => l.trim() !== "").slice(-n);
  const after = splitLines(suffix).slice(1).filter((l) => l.trim() !== "").slice(0, n);
  return { before, after };
}

/**
 * The indentation of the block the cursor sits in: the cursor line's own indentation when it
 * holds only whitespace before the cursor, otherwise that line's indentation.
 */
export function cursorIndent(prefix: string): string {
  return indentOf(lineBefore(prefix));
}
