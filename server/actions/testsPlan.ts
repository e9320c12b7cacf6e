/**
 * The plan for "Add tests": the reply becomes a new test file, is appended to the existing one
 * (its new imports next to the file's imports, lines the file already has dropped), or goes into
 * the source file itself, inside an existing test module when there is one.
 */
import { pathToFileURL } from "node:url";
import { cleanCode, type CodeSlot } from "../postprocess/code/index.js";
import { conventionsFor, definitions, parseText } from "../syntax/index.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { textEdit } from "./edits.js";
import { mergeImports } from "./mergeImports.js";
import { definitionText, type BuildResult, type Plan } from "./plans.js";
import { fenceTagsFor, indentUnitOf } from "./slots.js";
import type { TestPlacement } from "./testPlacement.js";
import { indentAt, lineStart, normalizeSpace, splitLines } from "./text.js";

/** The test file as it is now: open in the editor (with a version) or on disk. */
export interface TestFileState {
  uri: string;
  text: string;
  version: number | null;
}

/** An existing test module inside the source file (`mod tests`), found by kind and name. */
export function testModuleIn(doc: SyntaxDocument): Definition | undefined {
  return definitions(doc).find((d) => d.kind === "module" && /^tests?$/.test(d.name) && d.bodySpan !== undefined);
}

/** Lines worth de-duplicating: real statements, not braces or blank lines. */
const significant = (l: string) => normalizeSpace(l).replace(/[{}()[\];,]/g, "").length >= 4;

/**
 * The header of a file or block: the text before its first definition, without the lines directly
 * above that definition (its attributes, decorators and doc comment belong to it).
 */
export function headerOf(text: string, from: number, to: number, defs: Definition[]): string {
  const first = defs.filter((d) => d.span.startOffset > from && d.span.startOffset < to).sort((a, b) => a.span.startOffset - b.span.startOffset)[0];
  let end = first ? lineStart(text, first.span.startOffset) : to;
  while (end > from) {
    const prev = lineStart(text, end - 1);
    if (text.slice(prev, end).trim() === "") break;
    end = prev;
  }
  return text.slice(from, Math.max(from, end));
}

/** How many blank lines the file puts above its last top-level definition (1 when unknown, at most 2). */
export function blankLinesBetween(text: string, defs: Definition[]): number {
  const last = defs.filter((d) => d.depth === 0).sort((a, b) => a.span.startOffset - b.span.startOffset).at(-1);
  if (!last) return 1;
  let blanks = 0;
  let at = lineStart(text, last.span.startOffset);
  while (at > 0) {
    const prev = lineStart(text, at - 1);
    if (text.slice(prev, at).trim() !== "") break;
    blanks++;
    at = prev;
  }
  return at === 0 ? 1 : Math.min(2, Math.max(1, blanks));
}

/** Drops the reply's leading lines that the target's header already holds (package clause, `use super::*`). */
export function dropKnownLeadingLines(code: string, header: string): string {
  const known = new Set(splitLines(header).filter(significant).map(normalizeSpace));
  const lines = code.split("\n");
  let i = 0;
  while (i < lines.length && (lines[i]!.trim() === "" || (significant(lines[i]!) && known.has(normalizeSpace(lines[i]!))))) i++;
  return lines.slice(i).join("\n");
}

/** What the plan keeps of the source document: the store updates documents in place meanwhile. */
interface SourceSnapshot {
  uri: string;
  version: number;
  text: string;
  language: string | undefined;
  eol: "\n" | "\r\n";
  indentUnit: string;
}

function slotFor(src: SourceSnapshot, baseIndent: string, before: string[] = [], after: string[] = [], name = "tests"): CodeSlot {
  const c = conventionsFor(src.language);
  return {
    language: src.language,
    fenceTags: fenceTagsFor(src.language),
    name,
    before,
    after,
    lineComment: c?.lineComment ?? "//",
    blockComment: c?.blockComment,
    indentUnit: src.indentUnit,
    baseIndent,
    eol: src.eol,
  };
}

/** Builds the Add tests plan. `testFile` is the current state of the test file when it exists. */
export function testsPlan(doc: SyntaxDocument, def: Definition, placement: TestPlacement, testFile: TestFileState | undefined, canCreate: boolean): Plan {
  const targetCode = definitionText(doc, def);
  const src: SourceSnapshot = { uri: doc.uri, version: doc.version, text: doc.text, language: doc.language, eol: doc.eol, indentUnit: indentUnitOf(doc) };
  const block = placement.sameFile ? testModuleIn(doc) : undefined;
  const sourceDefs = block ? definitions(doc) : [];
  const build = (reply: string): BuildResult => {
    if (placement.sameFile) {
      const text = src.text;
      if (block?.bodySpan) {
        // Extend the existing test module: insert before its closing line.
        const closer = block.bodySpan.endOffset - 1;
        // The block's header, with the line above it (an attribute such as #[cfg(test)]) that models repeat.
        const above = lineStart(text, block.span.startOffset);
        const prevLine = above > 0 ? lineStart(text, above - 1) : above;
        const opening = splitLines(text.slice(prevLine, block.bodySpan.startOffset + 1)).filter((l) => l.trim() !== "");
        const indent = indentAt(text, block.nameSpan.startOffset) + src.indentUnit;
        const cleaned = cleanCode(reply, { ...slotFor(src, indent, opening, ["}"], block.name), echo: "exact" });
        if (!cleaned.ok) return cleaned;
        const header = headerOf(text, block.bodySpan.startOffset + 1, block.bodySpan.endOffset, sourceDefs);
        const code = dropKnownLeadingLines(cleaned.code.replace(/\r\n/g, "\n"), header).replace(/\n/g, src.eol);
        if (code.trim() === "") return { ok: false, reason: "the reply held no new tests" };
        const at = lineStart(text, closer) === closer - indentAt(text, closer).length ? lineStart(text, closer) : closer;
        const newText = src.eol + code + src.eol;
        const edit = textEdit(text, at, at, newText);
        const after = text.slice(0, at) + newText + text.slice(at);
        return { ok: true, changes: [{ kind: "edit", uri: src.uri, version: src.version, edits: [edit], baseText: text }], checks: [{ text: after, language: src.language, start: at, end: at + newText.length }] };
      }
      const cleaned = cleanCode(reply, slotFor(src, ""));
      if (!cleaned.ok) return cleaned;
      const end = text.length;
      const newText = (/\n$/.test(text) || text === "" ? "" : src.eol) + src.eol + cleaned.code + src.eol;
      const edit = textEdit(text, end, end, newText);
      return { ok: true, changes: [{ kind: "edit", uri: src.uri, version: src.version, edits: [edit], baseText: text }], checks: [{ text: text + newText, language: src.language, start: end, end: end + newText.length }] };
    }
    if (!testFile) {
      if (!canCreate) {
        return {
          ok: false,
          reason: `${placement.relPath} does not exist and this editor cannot create files through the language server; create the file (it may be empty) and run "Add tests" again`,
        };
      }
      const cleaned = cleanCode(reply, slotFor(src, ""));
      if (!cleaned.ok) return cleaned;
      const uri = pathToFileURL(placement.path).href;
      const content = cleaned.code + src.eol;
      return {
        ok: true,
        changes: [{ kind: "create", uri }, { kind: "edit", uri, version: null, edits: [textEdit("", 0, 0, content)], baseText: "" }],
        checks: [{ text: content, language: src.language, start: 0, end: content.length }],
      };
    }
    // Append to the existing test file; its own line endings win.
    const text = testFile.text;
    const eol: "\n" | "\r\n" = text.includes("\r\n") ? "\r\n" : "\n";
    const cleaned = cleanCode(reply, { ...slotFor(src, ""), eol: "\n" });
    if (!cleaned.ok) return cleaned;
    const merged = mergeImports(cleaned.code, text, src.language, eol);
    const existingDefs = definitions(parseText(text, src.language));
    const code = dropKnownLeadingLines(merged.rest, headerOf(text, 0, text.length, existingDefs)).replace(/\s+$/, "");
    const separator = eol.repeat(blankLinesBetween(text, existingDefs));
    if (code.trim() === "") return { ok: false, reason: "the reply held no new tests" };
    const edits = [];
    if (merged.insert) edits.push(textEdit(text, merged.insert.offset, merged.insert.offset, merged.insert.text));
    const end = text.length;
    const appended = (/\n$/.test(text) || text === "" ? "" : eol) + separator + code.replace(/\n/g, eol) + eol;
    edits.push(textEdit(text, end, end, appended));
    const at = merged.insert?.offset ?? end;
    const importText = merged.insert?.text ?? "";
    const newFile = text.slice(0, at) + importText + text.slice(at) + appended;
    const start = at;
    return {
      ok: true,
      changes: [{ kind: "edit", uri: testFile.uri, version: testFile.version, edits, baseText: text }],
      checks: [{ text: newFile, language: src.language, start, end: newFile.length }],
    };
  };
  return { uri: src.uri, version: src.version, targetCode, build };
}
