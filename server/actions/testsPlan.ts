/**
 * The plan for "Add tests": the reply becomes a new test file, is appended to the existing one
 * (its new imports next to the file's imports, lines the file already has dropped), or goes into
 * the source file itself, inside an existing test module when there is one.
 */
import { pathToFileURL } from "node:url";
import { cleanCode } from "../postprocess/code/index.js";
import { definitions, imports, parseText } from "../syntax/index.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { textEdit } from "./edits.js";
import type { BuildResult, Plan } from "./plans.js";
import { definitionText } from "./plans.js";
import { fenceTagsFor, indentUnitOf } from "./slots.js";
import { conventionsFor } from "../syntax/index.js";
import type { TestPlacement } from "./testPlacement.js";
import { indentAt, lineEnd, lineStart, normalizeSpace, splitLines } from "./text.js";
import type { CodeSlot } from "../postprocess/code/index.js";

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

/** Drops the reply's leading lines that the target file already holds (package clause, `use super::*`). */
export function dropKnownLeadingLines(code: string, existing: string): string {
  const known = new Set(splitLines(existing).filter(significant).map(normalizeSpace));
  const lines = code.split("\n");
  let i = 0;
  while (i < lines.length && (lines[i]!.trim() === "" || (significant(lines[i]!) && known.has(normalizeSpace(lines[i]!))))) i++;
  return lines.slice(i).join("\n");
}

function slotFor(doc: SyntaxDocument, baseIndent: string, before: string[] = [], after: string[] = [], name = "tests"): CodeSlot {
  const c = conventionsFor(doc.language);
  return {
    language: doc.language,
    fenceTags: fenceTagsFor(doc.language),
    name,
    before,
    after,
    lineComment: c?.lineComment ?? "//",
    blockComment: c?.blockComment,
    indentUnit: indentUnitOf(doc),
    baseIndent,
    eol: doc.eol,
  };
}

/** Builds the Add tests plan. `testFile` is the current state of the test file when it exists. */
export function testsPlan(doc: SyntaxDocument, def: Definition, placement: TestPlacement, testFile: TestFileState | undefined, canCreate: boolean): Plan {
  const targetCode = definitionText(doc, def);
  const build = (reply: string): BuildResult => {
    if (placement.sameFile) {
      const text = doc.text;
      const block = testModuleIn(doc);
      if (block?.bodySpan) {
        // Extend the existing test module: insert before its closing line.
        const closer = block.bodySpan.endOffset - 1;
        const header = splitLines(text.slice(lineStart(text, block.span.startOffset), block.bodySpan.startOffset + 1));
        const indent = indentAt(text, block.nameSpan.startOffset) + indentUnitOf(doc);
        const cleaned = cleanCode(reply, { ...slotFor(doc, indent, header, ["}"], block.name), echo: "exact" });
        if (!cleaned.ok) return cleaned;
        const blockText = text.slice(block.bodySpan.startOffset, block.bodySpan.endOffset);
        const code = dropKnownLeadingLines(cleaned.code.replace(/\r\n/g, "\n"), blockText).replace(/\n/g, doc.eol);
        if (code.trim() === "") return { ok: false, reason: "the reply held no new tests" };
        const at = lineStart(text, closer) === closer - indentAt(text, closer).length ? lineStart(text, closer) : closer;
        const newText = doc.eol + code + doc.eol;
        const edit = textEdit(text, at, at, newText);
        const after = text.slice(0, at) + newText + text.slice(at);
        return { ok: true, changes: [{ kind: "edit", uri: doc.uri, version: doc.version, edits: [edit], baseText: text }], checks: [{ text: after, language: doc.language, start: at, end: at + newText.length }] };
      }
      const cleaned = cleanCode(reply, slotFor(doc, ""));
      if (!cleaned.ok) return cleaned;
      const end = text.length;
      const newText = (/\n$/.test(text) || text === "" ? "" : doc.eol) + doc.eol + cleaned.code + doc.eol;
      const edit = textEdit(text, end, end, newText);
      return { ok: true, changes: [{ kind: "edit", uri: doc.uri, version: doc.version, edits: [edit], baseText: text }], checks: [{ text: text + newText, language: doc.language, start: end, end: end + newText.length }] };
    }
    if (!testFile) {
      if (!canCreate) {
        return {
          ok: false,
          reason: `${placement.relPath} does not exist and this editor cannot create files through the language server; create the file (it may be empty) and run "Add tests" again`,
        };
      }
      const cleaned = cleanCode(reply, slotFor(doc, ""));
      if (!cleaned.ok) return cleaned;
      const uri = pathToFileURL(placement.path).href;
      const content = cleaned.code + doc.eol;
      return {
        ok: true,
        changes: [{ kind: "create", uri }, { kind: "edit", uri, version: null, edits: [textEdit("", 0, 0, content)], baseText: "" }],
        checks: [{ text: content, language: doc.language, start: 0, end: content.length }],
      };
    }
    // Append to the existing test file; its own line endings win.
    const text = testFile.text;
    const eol: "\n" | "\r\n" = text.includes("\r\n") ? "\r\n" : "\n";
    const cleaned = cleanCode(reply, { ...slotFor(doc, ""), eol: "\n" });
    if (!cleaned.ok) return cleaned;
    let code = cleaned.code;
    const existing = parseText(text, doc.language);
    const haveModules = new Set(imports(existing).map((i) => i.module));
    const replyImports = imports(parseText(code, doc.language));
    const newImports: string[] = [];
    // Remove every import from the appended code; keep the ones the file lacks for its import section.
    for (const imp of [...replyImports].sort((a, b) => b.span.startOffset - a.span.startOffset)) {
      const s = lineStart(code, imp.span.startOffset);
      const e = lineEnd(code, imp.span.endOffset);
      const stmt = code.slice(s, e);
      if (!haveModules.has(imp.module) && !text.includes(stmt.trim())) newImports.unshift(stmt.trim());
      code = code.slice(0, s) + code.slice(Math.min(code.length, e + 1));
    }
    code = dropKnownLeadingLines(code, text).replace(/\s+$/, "");
    if (code.trim() === "") return { ok: false, reason: "the reply held no new tests" };
    const edits = [];
    let importText = "";
    const lastImport = imports(existing).sort((a, b) => b.span.endOffset - a.span.endOffset)[0];
    if (newImports.length > 0 && lastImport) {
      const at = lineEnd(text, lastImport.span.endOffset);
      importText = eol + newImports.join(eol);
      edits.push(textEdit(text, at, at, importText));
    } else if (newImports.length > 0) {
      code = newImports.join("\n") + "\n\n" + code;
    }
    const end = text.length;
    const appended = (/\n$/.test(text) || text === "" ? "" : eol) + eol + code.replace(/\n/g, eol) + eol;
    edits.push(textEdit(text, end, end, appended));
    const lastImportAt = lastImport ? lineEnd(text, lastImport.span.endOffset) : end;
    const newFile = importText ? text.slice(0, lastImportAt) + importText + text.slice(lastImportAt) + appended : text + appended;
    const start = importText ? lastImportAt : end;
    return {
      ok: true,
      changes: [{ kind: "edit", uri: testFile.uri, version: testFile.version, edits, baseText: text }],
      checks: [{ text: newFile, language: doc.language, start, end: newFile.length }],
    };
  };
  return { uri: doc.uri, version: doc.version, targetCode, build };
}
