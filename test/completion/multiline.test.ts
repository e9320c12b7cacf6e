import assert from "node:assert/strict";
import { wantsMultiline } from "../../server/features/completionJob.js";
import { postprocessCompletion } from "../../server/postprocess/completion/index.js";
import { createDocumentStore } from "../../server/syntax/index.js";
import { CURSOR } from "./postprocess/golden.js";

/** [languageId, file extension, document with cursor, wants a block] */
const cases: Array<[string, string, string, boolean]> = [
  ["python", "py", "def f(a):\n    █\n", true],
  ["python", "py", "def f(a):\n    x = █\n", false],
  ["typescript", "ts", "function f() {█\n}\n", true],
  ["typescript", "ts", "function f() {\n  █\n}\n", true],
  ["typescript", "ts", "const x = █;\n", false],
  ["typescript", "ts", "foo(a, █)\n", false],
  ["typescript", "ts", "function f() {\n  const a = 1;\n  █\n}\n", true],
  ["go", "go", "func f() int {\n\t█\n}\n", true],
  ["rust", "rs", "fn f() -> i32 {\n    █\n}\n", true],
  ["plaintext", "txt", "hello █", false],
];

describe("completion: one line or a block, from the syntax at the cursor", () => {
  const store = createDocumentStore();
  cases.forEach(([languageId, ext, marked, want], i) => {
    it(`${want ? "a block" : "one line"} for ${JSON.stringify(marked)} (${languageId})`, () => {
      const at = marked.indexOf(CURSOR);
      const doc = store.open(`file:///tmp/multiline/${i}.${ext}`, languageId, 1, marked.replace(CURSOR, ""));
      assert.equal(wantsMultiline(doc, at, doc.language), want);
    });
  });

  it("completes the body right after an opening brace without repeating the closing brace already there", () => {
    const text = "function f() {\n}\n";
    const out = postprocessCompletion("\n  return 1;\n}\n\nfunction g() {}\n", {
      prefix: text.slice(0, 14),
      suffix: text.slice(14),
      multiline: true,
      language: "typescript",
    });
    assert.equal(out, "\n  return 1;");
  });
});
