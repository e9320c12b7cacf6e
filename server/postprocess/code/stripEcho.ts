/**
 * Drops what the model repeated from around the slot: asked for only a body, models often echo the
 * signature (and the doc comment above it) and the closing line below it. Kept, those lines would
 * nest a second copy of the function inside the first.
 */
import type { CodeSlot } from "./types.js";

const norm = (l: string) => l.trim().replace(/\s+/g, " ");
const isBlank = (l: string) => l.trim() === "";

/** The last token of a line ("{", ":", "do", ")"…), which tells where a signature opens its body. */
function lastToken(line: string): string {
  const t = line.trim();
  const m = /([A-Za-z_]\w*|\S)$/.exec(t);
  return m ? m[1]! : "";
}

/** Index of the first non-blank line at or after i. */
function nextCode(lines: string[], i: number): number {
  while (i < lines.length && isBlank(lines[i]!)) i++;
  return i;
}

/**
 * Finds the line that ends an echoed signature: the longest run of leading lines equal to the
 * lines before the slot, or else a leading line naming the function that ends the way the
 * document's signature ends (the model reformatted or re-typed it). Returns the index of the first
 * line after the echo, or 0 when nothing was echoed.
 */
function leadingEcho(lines: string[], slot: CodeSlot): number {
  const before = slot.before.filter((l) => !isBlank(l)).map(norm);
  const first = nextCode(lines, 0);
  // Exact echo: the first k code lines are the last k lines before the slot.
  for (let k = Math.min(before.length, lines.length); k > 0; k--) {
    const tail = before.slice(before.length - k);
    let i = first;
    let ok = true;
    for (const want of tail) {
      i = nextCode(lines, i);
      if (i >= lines.length || norm(lines[i]!) !== want) {
        ok = false;
        break;
      }
      i++;
    }
    if (ok) return i;
  }
  // Reformatted echo: a line naming the function, within the first few lines (after an echoed doc
  // comment), up to the line that opens the body the way the document's signature does.
  if (!slot.name || before.length === 0 || slot.echo === "exact") return 0;
  const opener = lastToken(slot.before[slot.before.length - 1]!);
  const callLike = new RegExp(`(^|[^\\w$])${slot.name.replace(/[$]/g, "\\$")}\\s*[(<\\[:]`);
  const limit = Math.min(lines.length, first + 40);
  for (let i = first; i < limit; i++) {
    if (!callLike.test(lines[i]!)) continue;
    // Everything above the signature must be comments or echoed lines, or this is real code.
    if (!lines.slice(first, i).every((l) => isBlank(l) || isCommentLine(l, slot) || before.includes(norm(l)))) return 0;
    for (let j = i; j < Math.min(lines.length, i + 10); j++) {
      if (opener !== "" && lastToken(lines[j]!) === opener) return j + 1;
    }
    return 0;
  }
  return 0;
}

/** True when a line is (part of) a comment in the slot's language. */
export function isCommentLine(line: string, slot: Pick<CodeSlot, "lineComment" | "blockComment">): boolean {
  const t = line.trim();
  if (slot.lineComment && t.startsWith(slot.lineComment)) return true;
  if (slot.blockComment) {
    const [open, close] = slot.blockComment;
    if (t.startsWith(open) || t.endsWith(close)) return true;
    // Continuation lines of a block comment, in the common "*" style.
    if (open.endsWith("*") && /^\*(\s|$|\/)/.test(t)) return true;
  }
  return false;
}

/** Removes an echoed signature / doc comment from the start and, then, the echoed closing lines from the end. */
export function stripEcho(code: string, slot: CodeSlot): string {
  const lines = code.split("\n");
  const start = leadingEcho(lines, slot);
  let end = lines.length;
  if (start > 0) {
    // The body was echoed with its opener, so its closer came along too: drop the lines that
    // match what follows the slot. Without an echoed opener a trailing "}" belongs to the code.
    const after = slot.after.filter((l) => !isBlank(l)).map(norm);
    for (const want of after) {
      while (end > start && isBlank(lines[end - 1]!)) end--;
      if (end > start && norm(lines[end - 1]!) === want) end--;
      else break;
    }
  }
  return lines.slice(start, end).join("\n");
}
