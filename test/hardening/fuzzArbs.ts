/**
 * Shared generators for the fuzz tests: documents, text pieces that stress positions and parsing,
 * change events drawn as raw numbers, and the LSP text model (vscode-languageserver-textdocument).
 */
import fc from "fast-check";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextChange } from "../../server/syntax/types.js";

/** Fuzzing knobs, shared by the fuzz tests. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261121);
/** Number of random cases; `FUZZ_RUNS=1000 npm test` for a long run. */
export function fuzzRuns(defaultRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : defaultRuns;
}

/** The documents the sequences play with: two grammars and plain text. */
export const DOCS = [
  { uri: "file:///fuzz/a.ts", languageId: "typescript", language: "typescript" },
  { uri: "file:///fuzz/b.py", languageId: "python", language: "python" },
  { uri: "file:///fuzz/c.txt", languageId: "plaintext", language: undefined },
] as const;

/** Text pieces that stress positions and parsing: astral characters, every line break, code. */
export const piece = fc.constantFrom(
  "x",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "😀",
  "𝒳y",
  "é",
  "{",
  "}",
  "(",
  ")",
  '"',
  "'",
  "// c\n",
  "# c\n",
  "function f(a) {\n  return a;\n}\n",
  "def g(x):\n    return x\n",
  "class K:\n    pass\r\n",
  "",
);
export const textArb = fc.array(piece, { maxLength: 8 }).map((a) => a.join(""));

/** A change drawn as raw numbers; turned into a range on the text it applies to. */
export const changeArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ full: fc.constant(false), a: fc.nat(), b: fc.nat({ max: 12 }), text: textArb }) },
  { weight: 1, arbitrary: fc.record({ full: fc.constant(true), a: fc.constant(0), b: fc.constant(0), text: textArb }) },
);
export type RawChange = { full: boolean; a: number; b: number; text: string };

export const opArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant("open" as const), doc: fc.nat({ max: DOCS.length - 1 }), text: textArb }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant("change" as const), doc: fc.nat({ max: DOCS.length - 1 }), changes: fc.array(changeArb, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("close" as const), doc: fc.nat({ max: DOCS.length - 1 }) }) },
);
export type Op = { op: "open"; doc: number; text: string } | { op: "change"; doc: number; changes: RawChange[] } | { op: "close"; doc: number };

/** Moves an offset out of the middle of a surrogate pair (editors never place a cursor there). */
export function snap(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  return offset > 0 && c >= 0xdc00 && c <= 0xdfff ? offset - 1 : offset;
}

/**
 * Applies one change to the model and returns the LSP change event for it (its range computed on
 * the model's current text, as an editor does for each change of an event in turn).
 */
export function applyToModel(model: TextDocument, raw: RawChange): { model: TextDocument; change: TextChange } {
  const text = model.getText();
  let change: TextChange;
  if (raw.full) change = { text: raw.text };
  else {
    const start = snap(text, raw.a % (text.length + 1));
    const end = Math.max(start, snap(text, Math.min(text.length, start + raw.b)));
    change = { range: { start: model.positionAt(start), end: model.positionAt(end) }, text: raw.text };
  }
  return { model: TextDocument.update(model, [change], model.version + 1), change };
}

