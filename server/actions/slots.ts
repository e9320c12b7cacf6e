/**
 * Where a reply goes in a document, and the CodeSlot the cleaners need for it. Three shapes cover
 * every action: a function body (Generate implementation), a whole definition from its signature
 * (Fix, custom function actions) and whole selected lines (custom selection actions). The shape of
 * a body comes from the document's own text (delimiters or not), not from per-language branches.
 */
import { conventionsFor } from "../syntax/index.js";
import { detectIndentUnit } from "../postprocess/code/index.js";
import type { CodeSlot } from "../postprocess/code/index.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { indentAt, lineEnd, lineStart, onlyWhitespaceBefore, splitLines } from "./text.js";

/** A region of a document to replace, how to wrap the cleaned code, and the slot for cleaning. */
export interface Region {
  start: number;
  end: number;
  slot: CodeSlot;
  /** Text placed before and after the cleaned code (line breaks, the closer's indentation). */
  prefix: string;
  suffix: string;
}

const closers: Record<string, string> = { "{": "}", "(": ")", "[": "]" };

/** The fence tags that name a language: its id, the LSP ids and the file extensions. */
export function fenceTagsFor(language: string | undefined): string[] {
  const c = conventionsFor(language);
  if (!c) return language ? [language] : [];
  return [c.id, ...c.languageIds, ...c.extensions.map((e) => e.replace(/^\./, ""))].map((t) => t.toLowerCase());
}

/**
 * The document's indentation unit; when nothing is indented yet, the grammar's `indent` convention
 * (an optional conventions.json field, e.g. "\t" for Go), else four spaces.
 */
export function indentUnitOf(doc: SyntaxDocument): string {
  const conventional = conventionsFor(doc.language)?.indent;
  return detectIndentUnit(doc.text) ?? (typeof conventional === "string" && /^(\t| +)$/.test(conventional) ? conventional : "    ");
}

function baseSlot(doc: SyntaxDocument, name: string | undefined): Omit<CodeSlot, "before" | "after" | "baseIndent"> {
  const c = conventionsFor(doc.language);
  return {
    language: doc.language,
    fenceTags: fenceTagsFor(doc.language),
    name,
    lineComment: c?.lineComment ?? "//",
    blockComment: c?.blockComment,
    indentUnit: indentUnitOf(doc),
    eol: doc.eol,
  };
}

/** Up to `n` lines after `offset`, nearest first, without the rest of the current line. */
function linesAfter(text: string, offset: number, n: number): string[] {
  return splitLines(text.slice(offset)).slice(0, n);
}

/** The region of a function's body, inside its delimiters (and after a docstring that lives in the body). */
export function bodyRegion(doc: SyntaxDocument, def: Definition): Region | undefined {
  if (!def.bodySpan) return undefined;
  const text = doc.text;
  let start = def.bodySpan.startOffset;
  let end = def.bodySpan.endOffset;
  const defIndent = indentAt(text, def.nameSpan.startOffset);
  const unit = indentUnitOf(doc);
  const docInBody = def.docSpan !== undefined && def.docSpan.startOffset >= start && def.docSpan.endOffset <= end;
  const delimited = !docInBody && end - start >= 2 && closers[text[start]!] === text[end - 1];
  let prefix = "";
  let suffix = "";
  if (delimited) {
    // Replace everything between the delimiters; the closer keeps its own line's indentation,
    // and an inline closer ("{}") gets the definition's.
    start += 1;
    end -= 1;
    prefix = doc.eol;
    suffix = doc.eol + (onlyWhitespaceBefore(text, end) ? text.slice(lineStart(text, end), end) : defIndent);
  } else {
    // A docstring is the first statement of the body (Python): keep it, fill in after it.
    if (docInBody) start = def.docSpan!.endOffset;
    // A last line back at the definition's indentation closes the definition (Ruby's `end`, as
    // some grammars include it in the body): it is not part of the region.
    const lastLine = lineStart(text, end);
    if (lastLine > start && indentAt(text, lastLine).length <= defIndent.length && text.slice(lastLine, end).trim() !== "") {
      end = Math.max(start, lastLine - (text[lastLine - 2] === "\r" ? 2 : 1));
    }
    if (onlyWhitespaceBefore(text, start)) {
      start = lineStart(text, start);
    } else {
      // The body continues the signature's line ("def f(): pass"): move it to lines of its own.
      while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
      prefix = doc.eol;
    }
  }
  // An existing body line on its own line tells the body's indentation; else one level deeper.
  const ownLine = splitLines(text.slice(def.bodySpan.startOffset, def.bodySpan.endOffset))
    .slice(1)
    .concat(onlyWhitespaceBefore(text, def.bodySpan.startOffset) ? [indentAt(text, def.bodySpan.startOffset) + "x"] : [])
    .find((l) => l.trim() !== "" && !/^[ \t]*[})\]]/.test(l));
  const own = ownLine ? /^[ \t]*/.exec(ownLine)![0] : "";
  const baseIndent = own.length > defIndent.length && own.startsWith(defIndent) ? own : defIndent + unit;
  const defStart = lineStart(text, def.span.startOffset);
  const before = splitLines(text.slice(defStart, start)).filter((l, i, a) => !(i === a.length - 1 && l.trim() === ""));
  const after = linesAfter(text, end, 4).filter((l) => l.trim() !== "").slice(0, 2);
  const slot: CodeSlot = { ...baseSlot(doc, def.name), before, after, baseIndent };
  return { start, end, slot, prefix, suffix };
}

/** Where a definition's code starts: its signature's line, after a doc comment or attributes above it. */
export function codeStart(doc: SyntaxDocument, def: Definition): number {
  return lineStart(doc.text, def.nameSpan.startOffset);
}

/** The region of a whole definition from its signature line to its end (Fix, custom function actions). */
export function definitionRegion(doc: SyntaxDocument, def: Definition): Region {
  const text = doc.text;
  const start = codeStart(doc, def);
  const end = def.span.endOffset;
  const defStart = lineStart(text, def.span.startOffset);
  // Lines above the signature (doc comment, decorators) are kept; a reply that repeats them drops them.
  const before = splitLines(text.slice(defStart, start)).filter((l) => l.trim() !== "");
  const slot: CodeSlot = {
    ...baseSlot(doc, def.name),
    before,
    after: [],
    baseIndent: indentAt(text, def.nameSpan.startOffset),
    echo: "exact",
  };
  return { start, end, slot, prefix: "", suffix: "" };
}

/** The region of whole lines from `startOffset` to `endOffset` (selection actions, fixes outside any function). */
export function linesRegion(doc: SyntaxDocument, startOffset: number, endOffset: number, name?: string): Region {
  const text = doc.text;
  const start = lineStart(text, startOffset);
  // A selection that ends at the start of a line does not include that line.
  const endAnchor = endOffset > startOffset && endOffset === lineStart(text, endOffset) ? endOffset - 1 : endOffset;
  const end = lineEnd(text, Math.max(start, endAnchor));
  const slot: CodeSlot = { ...baseSlot(doc, name), before: [], after: [], baseIndent: indentAt(text, start), echo: "exact" };
  return { start, end, slot, prefix: "", suffix: "" };
}
