import type Parser from "tree-sitter";
import { ChunkedText } from "../text/chunkedText.js";
import { detectEol, LineIndex } from "../text/positions.js";
import { conventionsFor, parserFor } from "./registry.js";
import { lowerBound } from "../text/search.js";
import { applyRepairs, linesToRescan, repairedOffsetsOf, separatorRepairFor, type SeparatorRepair } from "./separatorRepair.js";
import { TREE_BYTES_PER_CHAR } from "./treeSize.js";
import { noteTreeParsed } from "./treeMemory.js";
import type { Pos, SyntaxDocument, TextChange } from "./types.js";

/** One megabyte: files above this are kept as plain text (no tree). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Why a document of a known language has no tree. */
export type PlainReason = "unknown-language" | "too-large" | "binary" | "parse-failed";

const dropListeners: Array<(doc: SourceDocument) => void> = [];

/** Registers a cache that holds trees of a document, to be told when the document lets its tree go. */
export function onTreeDropped(listener: (doc: SourceDocument) => void): void {
  dropListeners.push(listener);
}

/**
 * A document with its text, line index and (when its language is known and it is neither too big
 * nor binary) its tree-sitter tree. Changes edit the old tree and re-parse with it, so a keystroke
 * costs time proportional to what changed, not to the file size.
 *
 * NOTE: node tree-sitter, given a JavaScript string, counts `startIndex` and point columns in
 * UTF-16 code units (proved by test/syntax/positions.test.ts), so tree offsets are string offsets
 * and no byte conversion is needed. Tree-sitter rows, however, only break at "\n" while LSP also
 * breaks at a lone "\r"; positions therefore always come from our own LineIndex, never from the
 * tree's points, and edits compute tree-sitter points with tree-sitter's own rule.
 */
export class SourceDocument implements SyntaxDocument {
  private buf: ChunkedText;
  private lines: LineIndex;
  /** UTF-8 size and NUL count, kept up to date per edit so the size/binary checks cost nothing. */
  private bytes: number;
  private nuls: number;
  /**
   * The tree-sitter input: the rest of the chunk at an offset (never a copy of the whole text),
   * with the language's separator repairs (separatorRepair.ts) in place.
   */
  readonly parseInput = (index: number): string => {
    const chunk = this.buf.read(index);
    return this.repairs.length && this.repair ? applyRepairs(chunk, index, this.repairs, this.repair.separator) : chunk;
  };
  private readonly repair: SeparatorRepair | undefined;
  /** The offsets (sorted) whose character the parser reads as the repair's separator. */
  private repairs: number[] = [];
  private _eol: "\n" | "\r\n" | undefined;
  private loneCr: boolean;
  private _tree: Parser.Tree | undefined;
  private _plainReason: PlainReason | undefined;
  /**
   * True while the tree is dropped to save memory (see `dropTree`): the next read of `tree`
   * parses the current text from scratch, and edits go on incrementally from there.
   */
  private dropped = false;
  /** Told whenever the tree is read (the store keeps the trees of recently used documents only). */
  onTreeUse: ((doc: SourceDocument) => void) | undefined;
  private _revision = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private _language: string | undefined,
    private _version: number,
    text: string,
    private maxBytes: () => number,
  ) {
    this.buf = new ChunkedText(text);
    this.lines = LineIndex.fromText(text);
    this.loneCr = hasLoneCr(text);
    this.bytes = Buffer.byteLength(text, "utf8");
    this.nuls = countNuls(text);
    this.repair = separatorRepairFor(conventionsFor(_language));
    if (this.repair) this.repairs = repairedOffsetsOf(this.repair, text, (o) => this.lines.positionAt(o).line, (l) => this.lineText(l));
    this.reparse(undefined);
  }

  /** The current tree, or undefined for plain text. */
  get tree(): Parser.Tree | undefined {
    if (this.dropped) {
      this.dropped = false;
      this.reparse(undefined);
    }
    this.onTreeUse?.(this);
    return this._tree;
  }

  /** The offsets whose character the parser reads as the language's separator (separatorRepair.ts). */
  get repairedOffsets(): readonly number[] {
    return this.repairs;
  }

  /** Why there is no tree (undefined when there is one). */
  get plainReason(): PlainReason | undefined {
    if (this.dropped) void this.tree;
    return this._plainReason;
  }

  /** Whether the document holds a tree in memory now (not dropped, not plain text). */
  get hasTree(): boolean {
    return this._tree !== undefined;
  }

  /** Counts the edits: results computed from the text stay valid while it is unchanged (see perRevision). */
  get revision(): number {
    return this._revision;
  }

  /** The text length in UTF-16 units, without joining the text. */
  get length(): number {
    return this.buf.length;
  }

  /**
   * Lets the tree go (its native memory is freed when the garbage collector finalises it); the
   * next read of `tree` parses again. A tree weighs about 40 times its text.
   */
  dropTree(): void {
    if (!this._tree) return;
    this._tree = undefined;
    this.dropped = true;
    for (const l of dropListeners) l(this);
  }

  get language(): string | undefined {
    return this._language;
  }
  get version(): number {
    return this._version;
  }
  get text(): string {
    return this.buf.toString();
  }
  get eol(): "\n" | "\r\n" {
    return (this._eol ??= detectEol(this.buf.toString()));
  }
  /** The number of lines. */
  get lineCount(): number {
    return this.lines.lineCount;
  }

  /** Converts a UTF-16 position to an offset (clamped to the line's content). */
  offsetAt(pos: Pos): number {
    return this.lines.offsetAt(this.buf, pos);
  }

  /** Converts an offset to a UTF-16 position. */
  positionAt(offset: number): Pos {
    return this.lines.positionAt(offset);
  }

  /** The text between two offsets, without joining the whole document text. */
  slice(start: number, end: number): string {
    return this.buf.slice(start, end);
  }

  /** The text of one line without its line break. */
  lineText(line: number): string {
    return this.lines.lineText(this.buf, line);
  }

  /**
   * Applies LSP content changes in order (each relative to the text left by the previous one),
   * editing the tree for each, then re-parses once with the edited tree.
   */
  applyChanges(version: number, changes: TextChange[]): void {
    // A dropped tree stays dropped: the text is kept current and parsed when the tree is next read.
    let tree = this._tree;
    for (const change of changes) {
      let start: number;
      let oldEnd: number;
      let inserted: string;
      if (change.range) {
        start = this.offsetAt(change.range.start);
        oldEnd = Math.max(start, this.offsetAt(change.range.end));
        inserted = change.text;
      } else {
        // A full-text change still becomes one edit: the span between the common prefix and
        // suffix, so the tree keeps what did not change.
        ({ start, oldEnd, inserted } = diffEdit(this.buf.toString(), change.text));
      }
      const removed = this.buf.slice(start, oldEnd);
      if (tree) {
        const startPosition = this.tsPoint(start);
        const oldEndPosition = this.tsPoint(oldEnd);
        tree.edit({
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: start + inserted.length,
          startPosition,
          oldEndPosition,
          newEndPosition: advancePoint(startPosition, inserted),
        });
      }
      const crTouched = inserted.includes("\r") || removed.includes("\r") || this.buf.charCodeAt(start - 1) === 13;
      this.buf.replace(start, oldEnd, inserted);
      this.lines.applyEdit(this.buf, start, oldEnd, inserted.length);
      this.bytes += Buffer.byteLength(inserted, "utf8") - Buffer.byteLength(removed, "utf8");
      this.nuls += countNuls(inserted) - countNuls(removed);
      if (crTouched) this.loneCr = hasLoneCr(this.buf.toString());
      if (this.repair) this.updateRepairs(start, oldEnd, inserted.length, tree);
    }
    this._version = version;
    this._revision++;
    this._eol = undefined;
    if (!this.dropped) this.reparse(tree);
    this.onTreeUse?.(this);
  }

  /**
   * Moves the repairs past an edit of [start, oldEnd) to `insertedLength` characters (already
   * applied to the text) and looks again at the lines it can change; a repair that comes or goes
   * is one more edit of the tree (the parser read another character there).
   */
  private updateRepairs(start: number, oldEnd: number, insertedLength: number, tree: Parser.Tree | undefined): void {
    const repair = this.repair!;
    const delta = insertedLength - (oldEnd - start);
    const moved = this.repairs.filter((o) => o < start || o >= oldEnd).map((o) => (o >= oldEnd ? o + delta : o));
    const text = (l: number) => this.lineText(l);
    const [first, last] = linesToRescan(repair, this.lines.positionAt(start).line, this.lines.positionAt(start + insertedLength).line, this.lines.lineCount, text);
    const from = this.offsetAt({ line: first, character: 0 });
    const to = last + 1 < this.lines.lineCount ? this.offsetAt({ line: last + 1, character: 0 }) : this.buf.length + 1;
    const found: number[] = [];
    for (let l = first; l <= last; l++) if (repair.wants(l, text)) found.push(this.offsetAt({ line: l, character: 0 }));
    const a = lowerBound(moved, from);
    const b = lowerBound(moved, to);
    const before = moved.slice(a, b);
    this.repairs = [...moved.slice(0, a), ...found, ...moved.slice(b)];
    if (!tree) return;
    // Inside the edit the tree is re-read anyway; outside it, each changed character is an edit.
    for (const o of new Set([...before, ...found])) {
      if (before.includes(o) === found.includes(o) || (o >= start && o < start + insertedLength)) continue;
      const p = this.tsPoint(o);
      tree.edit({ startIndex: o, oldEndIndex: o + 1, newEndIndex: o + 1, startPosition: p, oldEndPosition: { row: p.row, column: p.column + 1 }, newEndPosition: { row: p.row, column: p.column + 1 } });
    }
  }

  /** Re-parses with `oldTree` (already edited) or from scratch; never throws. */
  private reparse(oldTree: Parser.Tree | undefined): void {
    const parser = parserFor(this._language);
    this._tree = undefined;
    if (!parser) {
      this._plainReason = this._language ? "parse-failed" : "unknown-language";
      return;
    }
    const reason = this.bytes > this.maxBytes() ? "too-large" : this.nuls > 0 ? "binary" : undefined;
    if (reason) {
      this._plainReason = reason;
      return;
    }
    try {
      this._tree = parser.parse(this.parseInput, oldTree);
      this._plainReason = undefined;
      // An incremental parse shares all but the edited path with the old tree; a full one is all new.
      if (!oldTree) noteTreeParsed(this.buf.length * TREE_BYTES_PER_CHAR);
    } catch {
      this._plainReason = "parse-failed";
    }
  }

  /** A tree-sitter point (rows break at "\n" only, columns in UTF-16 units) for an offset. */
  private tsPoint(offset: number): Parser.Point {
    if (!this.loneCr) {
      const p = this.lines.positionAt(offset);
      return { row: p.line, column: p.character };
    }
    const text = this.buf.toString();
    let row = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) row++;
    return { row, column: offset - (text.lastIndexOf("\n", offset - 1) + 1) };
  }
}

/** Why `text` should not be parsed, or undefined when it may be. */
export function plainReasonFor(text: string, maxBytes: number): PlainReason | undefined {
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, "utf8") > maxBytes)) return "too-large";
  if (text.includes("\0")) return "binary";
  return undefined;
}

/** The point reached after inserting `text` at `start` (tree-sitter rows: "\n" only). */
function advancePoint(start: Parser.Point, text: string): Parser.Point {
  const last = text.lastIndexOf("\n");
  if (last === -1) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) rows++;
  return { row: start.row + rows, column: text.length - last - 1 };
}

function countNuls(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\0"); i !== -1; i = text.indexOf("\0", i + 1)) n++;
  return n;
}

function hasLoneCr(text: string): boolean {
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) return true;
  }
  return false;
}

/** The smallest single edit turning `a` into `b` (common prefix and suffix kept). */
function diffEdit(a: string, b: string): { start: number; oldEnd: number; inserted: string } {
  let start = 0;
  const min = Math.min(a.length, b.length);
  while (start < min && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < min - start && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  // Never cut a surrogate pair in two: tree-sitter reads the edited text as UTF-16 code points.
  if (start > 0 && isHighSurrogate(a.charCodeAt(start - 1))) start--;
  if (suffix > 0 && isLowSurrogate(a.charCodeAt(a.length - suffix))) suffix--;
  return { start, oldEnd: a.length - suffix, inserted: b.slice(start, b.length - suffix) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
