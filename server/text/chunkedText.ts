/**
 * The text of a large open document as a list of small chunks, so a keystroke costs time
 * proportional to a chunk rather than to the file: a JavaScript string edited by
 * `slice + concat` becomes a rope that V8 must flatten (copy whole) on the next indexed read,
 * which on a 10,000-line file costs more than the incremental re-parse itself.
 *
 * The whole text is joined lazily (and cached) when someone asks for it as one string.
 */
import { lastAtOrBefore } from "./search.js";

/** What line bookkeeping needs from a text: its length, code units, and slices. */
export interface CharSource {
  readonly length: number;
  charCodeAt(index: number): number;
  slice(start: number, end?: number): string;
}

const TARGET = 8 * 1024;
const MAX = 2 * TARGET;
const MIN = TARGET / 4;

export class ChunkedText implements CharSource {
  private chunks: string[];
  /** starts[i] is the offset of chunks[i]; one entry per chunk. */
  private starts: number[];
  private total: number;
  private joined: string | undefined;

  constructor(text: string) {
    this.chunks = split(text);
    this.starts = offsets(this.chunks);
    this.total = text.length;
    this.joined = text;
  }

  get length(): number {
    return this.total;
  }

  /** The whole text as one string (joined once per version). */
  toString(): string {
    if (this.joined === undefined) this.joined = this.chunks.join("");
    return this.joined;
  }

  /** The code unit at `index` (NaN outside the text, like String.prototype.charCodeAt). */
  charCodeAt(index: number): number {
    if (index < 0 || index >= this.total) return NaN;
    if (this.joined !== undefined) return this.joined.charCodeAt(index);
    const i = this.chunkAt(index);
    return this.chunks[i].charCodeAt(index - this.starts[i]);
  }

  /** The text between two offsets (clamped), without joining the whole text. */
  slice(start: number, end = this.total): string {
    const s = Math.max(0, Math.min(start, this.total));
    const e = Math.max(s, Math.min(end, this.total));
    if (this.joined !== undefined) return this.joined.slice(s, e);
    if (s === e) return "";
    let i = this.chunkAt(s);
    let out = "";
    while (i < this.chunks.length && this.starts[i] < e) {
      const base = this.starts[i];
      out += this.chunks[i].slice(Math.max(0, s - base), Math.min(this.chunks[i].length, e - base));
      i++;
    }
    return out;
  }

  /** The rest of the chunk holding `index`: what a tree-sitter input callback returns. */
  read(index: number): string {
    if (index >= this.total || index < 0) return "";
    const i = this.chunkAt(index);
    return this.chunks[i].slice(index - this.starts[i]);
  }

  /** Replaces [start, end) with `text`. */
  replace(start: number, end: number, text: string): void {
    this.joined = undefined;
    if (this.chunks.length === 0) {
      this.chunks = split(text);
      this.starts = offsets(this.chunks);
      this.total = text.length;
      return;
    }
    const first = this.chunkAt(start);
    const last = end > start ? this.chunkAt(end - 1) : first;
    const head = this.chunks[first].slice(0, start - this.starts[first]);
    const tail = this.chunks[last].slice(end - this.starts[last]);
    let merged = head + text + tail;
    let from = first;
    let to = last + 1;
    // Keep chunks from getting tiny: merge with a neighbour.
    if (merged.length < MIN && this.chunks.length > to - from) {
      if (to < this.chunks.length) merged += this.chunks[to++];
      else merged = this.chunks[--from] + merged;
    }
    const replacement = merged.length > MAX || merged.length === 0 ? split(merged) : [flat(merged)];
    this.chunks.splice(from, to - from, ...replacement);
    this.total += text.length - (end - start);
    // Offsets of chunks before `from` are unchanged.
    this.starts.length = from;
    let offset = from === 0 ? 0 : this.starts[from - 1] + this.chunks[from - 1].length;
    for (let i = from; i < this.chunks.length; i++) {
      this.starts.push(offset);
      offset += this.chunks[i].length;
    }
  }

  private chunkAt(index: number): number {
    return Math.max(0, lastAtOrBefore(this.starts, index));
  }
}

/** Cuts `text` into chunks of about TARGET code units, never inside a surrogate pair. */
function split(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + TARGET);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

function offsets(chunks: string[]): number[] {
  const out: number[] = [];
  let offset = 0;
  for (const c of chunks) {
    out.push(offset);
    offset += c.length;
  }
  return out;
}

/** Makes V8 store a small concatenated string flat now (cheap at chunk size) rather than later. */
function flat(s: string): string {
  // NOTE: Number() of a string forces V8 to flatten it; the result is discarded.
  void Number(s);
  return s;
}
