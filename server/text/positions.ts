import type { CharSource } from "./chunkedText.js";
import { lastAtOrBefore } from "./search.js";

/**
 * Position encodings and line bookkeeping.
 *
 * Inside the server every position is UTF-16 (JavaScript string indexes). LSP clients may
 * negotiate utf-8 or utf-32 instead; the LSP boundary converts a position's `character` with the
 * helpers here, given the text of the line it sits on. Line breaks follow the LSP rules: "\n",
 * "\r\n" and a lone "\r" each end a line.
 */

/** A zero-based line and column. The column's unit depends on the encoding in use. */
export interface LinePos {
  line: number;
  character: number;
}

/** The encodings LSP 3.17 lets a client and server agree on. */
export type Encoding = "utf-16" | "utf-8" | "utf-32";

/** Converts a UTF-16 column on `lineText` to a column in `encoding` (clamped to the line end). */
export function fromUtf16Column(lineText: string, utf16Column: number, encoding: Encoding): number {
  const end = Math.min(Math.max(0, utf16Column), lineText.length);
  if (encoding === "utf-16") return end;
  let units = 0;
  for (let i = 0; i < end; i++) {
    const code = lineText.charCodeAt(i);
    // NOTE: a column in the middle of a surrogate pair counts the whole character, so a
    // malformed position never yields a column that points inside a code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < lineText.length && isLowSurrogate(lineText.charCodeAt(i + 1))) {
      units += encoding === "utf-8" ? 4 : 1;
      i++;
    } else if (encoding === "utf-32") {
      units += 1;
    } else {
      units += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    }
  }
  return units;
}

/** Converts a column in `encoding` on `lineText` to a UTF-16 column (clamped to the line end). */
export function toUtf16Column(lineText: string, column: number, encoding: Encoding): number {
  if (encoding === "utf-16") return Math.min(Math.max(0, column), lineText.length);
  let units = 0;
  let i = 0;
  while (i < lineText.length) {
    const code = lineText.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < lineText.length && isLowSurrogate(lineText.charCodeAt(i + 1));
    const width = encoding === "utf-32" ? 1 : pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    // A column inside a multi-byte character snaps to the character's start.
    if (units + width > column) break;
    units += width;
    i += pair ? 2 : 1;
  }
  return i;
}

/** Converts a UTF-16 position to `encoding`, reading the line from `text`. */
export function positionFromUtf16(text: string, pos: LinePos, encoding: Encoding): LinePos {
  if (encoding === "utf-16") return { line: pos.line, character: pos.character };
  return { line: pos.line, character: fromUtf16Column(lineTextAt(text, pos.line), pos.character, encoding) };
}

/** Converts a position in `encoding` to UTF-16, reading the line from `text`. */
export function positionToUtf16(text: string, pos: LinePos, encoding: Encoding): LinePos {
  if (encoding === "utf-16") return { line: pos.line, character: pos.character };
  return { line: pos.line, character: toUtf16Column(lineTextAt(text, pos.line), pos.character, encoding) };
}

/** The number of UTF-8 bytes of `text` (what tree-sitter would count for a UTF-8 buffer). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** "\r\n" when most line breaks in `text` are CRLF, else "\n" (also for text without breaks). */
export function detectEol(text: string): "\n" | "\r\n" {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/**
 * The offsets at which lines start after each line break in `text[from, to)` (LSP rules: "\n",
 * "\r\n" and a lone "\r" end a line). Line 0's start (0) is not included.
 */
export function computeLineStarts(text: CharSource, from = 0, to = text.length): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // The "\r" of a CRLF pair is not a break on its own: the "\n" after it is.
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** The text of line `line` of `text` without its line break ("" past the end). */
export function lineTextAt(text: string, line: number): string {
  let start = 0;
  for (let l = 0; l < line; l++) {
    const next = nextLineStart(text, start);
    if (next === -1) return "";
    start = next;
  }
  let end = start;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  return text.slice(start, end);
}

/** Converts a UTF-16 position to an offset in `text` (clamped, never inside a line break). */
export function offsetAt(text: string, pos: LinePos): number {
  return LineIndex.fromText(text).offsetAt(text, pos);
}

/** Converts an offset in `text` to a UTF-16 position. */
export function positionAt(text: string, offset: number): LinePos {
  return LineIndex.fromText(text).positionAt(offset);
}

/**
 * The line starts of a text, kept up to date through edits without rescanning the whole text, so
 * offset <-> position conversions on a large open document stay O(log n).
 */
export class LineIndex {
  /** starts[i] is the offset of the first character of line i; starts[0] is 0. */
  private constructor(private starts: number[], private length: number) {}

  /** Builds the index of `text`. */
  static fromText(text: string): LineIndex {
    return new LineIndex([0, ...computeLineStarts(text)], text.length);
  }

  /** The number of lines (a text ending in a line break has an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset at which line `line` starts (clamped to the last line). */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(0, line), this.starts.length - 1)];
  }

  /** The text of line `line` of `text` without its line break. */
  lineText(text: CharSource, line: number): string {
    if (line < 0 || line >= this.starts.length) return "";
    const start = this.starts[line];
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.length;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return text.slice(start, end);
  }

  /** The line that holds `offset`. */
  lineAt(offset: number): number {
    return Math.max(0, lastAtOrBefore(this.starts, offset));
  }

  /** Converts an offset to a UTF-16 position. */
  positionAt(offset: number): LinePos {
    const clamped = Math.min(Math.max(0, offset), this.length);
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  /** Converts a UTF-16 position to an offset, clamped to the line's content (before its break). */
  offsetAt(text: CharSource, pos: LinePos): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.length;
    const start = this.starts[pos.line];
    let end = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.length;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /**
   * Updates the index after `[start, oldEnd)` of the old text was replaced by `insertedLength`
   * characters; `newText` is the whole text after the edit. Only the lines around the edit are
   * rescanned; the starts after it are shifted.
   */
  applyEdit(newText: CharSource, start: number, oldEnd: number, insertedLength: number): void {
    const delta = insertedLength - (oldEnd - start);
    // A line start at s depends on the characters at s - 1 and s (a "\r" is a break only when no
    // "\n" follows). Starts at or before the start of the line holding start - 1 are unaffected;
    // starts after oldEnd depend on unchanged characters only.
    const firstLine = this.lineAt(Math.max(0, start - 1));
    const scanFrom = this.starts[firstLine];
    const fresh = computeLineStarts(newText, scanFrom, start + insertedLength);
    // Old starts in (scanFrom, oldEnd] are replaced by the fresh ones; later ones shift.
    let k = firstLine + 1;
    while (k < this.starts.length && this.starts[k] < oldEnd + 1) k++;
    if (delta !== 0) for (let j = k; j < this.starts.length; j++) this.starts[j] += delta;
    if (fresh.length === k - firstLine - 1) {
      for (let j = 0; j < fresh.length; j++) this.starts[firstLine + 1 + j] = fresh[j];
    } else if (fresh.length < 10_000) {
      this.starts.splice(firstLine + 1, k - firstLine - 1, ...fresh);
    } else {
      // A huge paste: avoid spreading a giant argument list.
      this.starts = this.starts.slice(0, firstLine + 1).concat(fresh, this.starts.slice(k));
    }
    this.length = newText.length;
  }
}

function nextLineStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return i + 1 < text.length && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
