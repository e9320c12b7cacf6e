/** Builds plain text edits (offsets plus UTF-16 positions) against one version of a text. */
import { positionAt } from "../text/positions.js";
import type { PlainTextEdit } from "./types.js";

/** One replacement of [startOffset, endOffset) in `text` by `newText`. */
export function textEdit(text: string, startOffset: number, endOffset: number, newText: string): PlainTextEdit {
  return { startOffset, endOffset, start: positionAt(text, startOffset), end: positionAt(text, endOffset), newText };
}
