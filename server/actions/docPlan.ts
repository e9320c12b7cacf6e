/**
 * The plan for "Document": the model replies with the whole definition with its documentation
 * added, and only the documentation is taken from it. Where the documentation goes (above the
 * definition like JSDoc, or first in the body like a Python docstring) is read from where the
 * model put it, as the syntax layer reports it, so no language is special-cased here.
 */
import { dropProse } from "../postprocess/code/dropProse.js";
import { extractFence } from "../postprocess/code/extractFence.js";
import { reindent } from "../postprocess/code/reindent.js";
import { toLineEndings } from "../postprocess/code/lineEndings.js";
import { isCommentLine } from "../postprocess/code/index.js";
import { conventionsFor, definitions, parseText } from "../syntax/index.js";
import type { Definition, LanguageConventions, SyntaxDocument } from "../syntax/types.js";
import { textEdit } from "./edits.js";
import type { Plan } from "./plans.js";
import { definitionText } from "./plans.js";
import { fenceTagsFor, indentUnitOf } from "./slots.js";
import { indentAt, lineStart, onlyWhitespaceBefore } from "./text.js";

/** Builds the Document plan for a definition. */
export function docPlan(doc: SyntaxDocument, def: Definition): Plan {
  // A snapshot: the store updates documents in place while the model writes.
  const { text, uri, version, language, eol } = doc;
  const unit = indentUnitOf(doc);
  return {
    uri,
    version,
    targetCode: definitionText(doc, def),
    build(reply) {
      const code = extractFence(reply.replace(/\r\n?/g, "\n"), fenceTagsFor(language), def.name) ?? dropProse(reply.replace(/\r\n?/g, "\n"));
      const parsed = parseText(code, language);
      const found = definitions(parsed)
        .filter((d) => d.name === def.name)
        .sort((a, b) => a.depth - b.depth)[0];
      let docLines: string;
      let docAbove: boolean;
      if (found?.docSpan) {
        docLines = code.slice(lineStart(code, found.docSpan.startOffset), found.docSpan.endOffset);
        docAbove = found.docSpan.endOffset <= found.nameSpan.startOffset;
      } else {
        // A method replied without its class does not parse as a definition on its own: then the
        // comment lines that open the reply, right above the line naming the function, are the doc.
        const lead = leadingComment(code, conventionsFor(language));
        if (!lead || !new RegExp(`\\b${def.name.replace(/[$]/g, "\\$")}\\b`).test(lead.next)) {
          return { ok: false, reason: `the reply held no documentation for \`${def.name}\`` };
        }
        docLines = lead.comment;
        docAbove = true;
      }
      let start: number;
      let end: number;
      let newText: string;
      if (def.docSpan && (def.docSpan.endOffset <= def.nameSpan.startOffset) === docAbove) {
        // Replace the existing documentation in place.
        start = lineStart(text, def.docSpan.startOffset);
        end = def.docSpan.endOffset;
        newText = reindent(docLines, unit, indentAt(text, def.docSpan.startOffset));
      } else if (docAbove) {
        start = end = lineStart(text, def.span.startOffset);
        newText = reindent(docLines, unit, indentAt(text, def.span.startOffset)) + "\n";
      } else {
        if (!def.bodySpan) return { ok: false, reason: `\`${def.name}\` has no body to document` };
        const body = def.bodySpan.startOffset;
        if (onlyWhitespaceBefore(text, body)) {
          // The body starts on a line of its own: the docstring becomes its first line.
          const indent = indentAt(text, body);
          start = end = body;
          newText = reindent(docLines, unit, indent).trimStart() + "\n" + indent;
        } else {
          // A delimited body: the docstring goes on a new line after the opener.
          start = end = body + 1;
          newText = "\n" + reindent(docLines, unit, indentAt(text, def.nameSpan.startOffset) + unit);
        }
      }
      newText = toLineEndings(newText, eol);
      const edit = textEdit(text, start, end, newText);
      const after = text.slice(0, start) + newText + text.slice(end);
      return {
        ok: true,
        changes: [{ kind: "edit", uri, version, edits: [edit], baseText: text }],
        checks: [{ text: after, language, start, end: start + newText.length, keepsDefinition: def.name }],
      };
    },
  };
}

/** The comment lines that open `code` (line or block comments) and the first line after them. */
export function leadingComment(code: string, conv: LanguageConventions | undefined): { comment: string; next: string } | undefined {
  if (!conv) return undefined;
  const lines = code.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const first = i;
  let inBlock = false;
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (inBlock) {
      if (conv.blockComment && t.includes(conv.blockComment[1])) inBlock = false;
      continue;
    }
    if (conv.blockComment && t.startsWith(conv.blockComment[0])) {
      inBlock = !t.slice(conv.blockComment[0].length).includes(conv.blockComment[1]);
      continue;
    }
    if (t !== "" && isCommentLine(t, { lineComment: conv.lineComment })) continue;
    break;
  }
  if (i === first || i >= lines.length) return undefined;
  return { comment: lines.slice(first, i).join("\n"), next: lines[i]! };
}
