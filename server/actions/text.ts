/** Small text helpers shared by the actions modules (offsets are UTF-16 string indexes). */

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  const end = i < 0 ? text.length : i;
  return end > 0 && text[end - 1] === "\r" ? end - 1 : end;
}

/** The leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s, lineEnd(text, offset)))![0];
}

/** True when only spaces and tabs sit between the start of the line and `offset`. */
export function onlyWhitespaceBefore(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Splits into lines without their line breaks. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Collapses whitespace, for comparing signatures and lines the model may have reformatted. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Applies offset edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: ReadonlyArray<{ startOffset: number; endOffset: number; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.startOffset - a.startOffset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.startOffset) + e.newText + out.slice(e.endOffset);
  return out;
}
