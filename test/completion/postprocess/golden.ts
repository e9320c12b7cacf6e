import assert from "node:assert/strict";
import type { CompletionFilter, CompletionFilterContext } from "../../../server/postprocess/completion/types.js";

/** The cursor marker in golden documents. */
export const CURSOR = "█";

/** One golden case: a document with the cursor marked, the model's text, and what must come out. */
export interface GoldenCase {
  name: string;
  doc: string;
  raw: string;
  expect: string;
  multiline?: boolean;
  language?: string;
  chat?: boolean;
}

/** Splits a document at its cursor marker into a filter context. */
export function contextOf(c: Pick<GoldenCase, "doc" | "multiline" | "language" | "chat">): CompletionFilterContext {
  const at = c.doc.indexOf(CURSOR);
  if (at < 0) throw new Error(`no cursor marker in ${JSON.stringify(c.doc)}`);
  const ctx: CompletionFilterContext = {
    prefix: c.doc.slice(0, at),
    suffix: c.doc.slice(at + CURSOR.length),
    multiline: c.multiline ?? true,
  };
  if (c.language) ctx.language = c.language;
  if (c.chat) ctx.chat = true;
  return ctx;
}

/** Runs a table of golden cases through one filter (or the whole pipeline). */
export function goldenSuite(title: string, filter: CompletionFilter, cases: GoldenCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        assert.equal(filter(c.raw, contextOf(c)), c.expect);
      });
    }
  });
}
