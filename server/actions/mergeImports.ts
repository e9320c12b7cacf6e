/**
 * Appending tests to an existing file: the reply's imports that the file lacks go next to the
 * file's last import, written in the shape of that import's line (so a Go spec inside a group
 * stays a bare spec, and one after `import "x"` gets the `import` keyword back), and the imports
 * the file already has are dropped. Works from the syntax layer's import spans, not per language.
 */
import { imports, parseText } from "../syntax/index.js";
import { lineEnd, lineStart } from "./text.js";

export interface MergedImports {
  /** The appended code without its imports (and without import groups left empty). */
  rest: string;
  /** Where the new import lines go in the existing file, and the text to insert there. */
  insert?: { offset: number; text: string };
}

/** Splits the reply's imports from its code and plans where the missing ones go in `existing`. */
export function mergeImports(code: string, existing: string, language: string | undefined, eol: string): MergedImports {
  const have = imports(parseText(existing, language));
  if (have.length === 0) return { rest: code };
  const last = [...have].sort((a, b) => b.span.endOffset - a.span.endOffset)[0]!;
  const lastLineStart = lineStart(existing, last.span.startOffset);
  const template = existing.slice(lastLineStart, lineEnd(existing, last.span.endOffset));
  const head = template.slice(0, last.span.startOffset - lastLineStart);
  const tail = template.slice(last.span.endOffset - lastLineStart);
  const haveModules = new Set(have.map((i) => `${i.module}\u0000${[...i.names].sort().join(",")}`));
  const haveText = new Set(have.map((i) => existing.slice(i.span.startOffset, i.span.endOffset).replace(/\s+/g, " ")));
  let rest = code;
  const lines: string[] = [];
  const replyImports = imports(parseText(code, language)).sort((a, b) => b.span.startOffset - a.span.startOffset);
  for (const imp of replyImports) {
    const text = rest.slice(imp.span.startOffset, imp.span.endOffset);
    const known = haveText.has(text.replace(/\s+/g, " ")) || haveModules.has(`${imp.module}\u0000${[...imp.names].sort().join(",")}`);
    if (!known) lines.unshift(head + text + tail);
    // Remove the import's whole lines from the appended code.
    const s = lineStart(rest, imp.span.startOffset);
    const e = lineEnd(rest, imp.span.endOffset);
    rest = rest.slice(0, s) + rest.slice(Math.min(rest.length, e + 1));
  }
  // An import group whose members all moved ("import (" directly followed by ")") goes too.
  rest = rest.replace(/^[ \t]*\w+[ \t]*\([ \t]*\n(?:[ \t]*\n)*[ \t]*\)[ \t]*\n?/gm, "");
  if (lines.length === 0) return { rest };
  const offset = lineEnd(existing, last.span.endOffset);
  return { rest, insert: { offset, text: lines.map((l) => eol + l).join("") } };
}
