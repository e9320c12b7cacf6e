import { blockCutByIndent } from "../../../server/postprocess/completion/blockEnd.js";
import { limitToScope } from "../../../server/postprocess/completion/scope.js";
import assert from "node:assert/strict";
import { contextOf, goldenSuite } from "./golden.js";

const cases = [
  {
    name: "stops a TypeScript body at its closing brace (the suffix already has one)",
    doc: "function f(a: number) {\n  █\n}\n\nfunction g() {}\n",
    raw: "return a + 1;\n}\n\nfunction h() {\n  return 2;\n}",
    expect: "return a + 1;\n}",
  },
  {
    name: "stops a Python body where the model dedents to a new function",
    doc: "def f(a):\n    █\n",
    raw: "b = a + 1\n    return b\n\n\ndef g():\n    pass",
    expect: "b = a + 1\n    return b",
  },
  {
    name: "keeps a nested block whole",
    doc: "def f(a):\n    █\n",
    raw: "if a:\n        return 1\n    return 2",
    expect: "if a:\n        return 1\n    return 2",
  },
  { name: "leaves single-line suggestions alone", doc: "x = █\n", raw: "1\ny = 2", expect: "1\ny = 2", multiline: false },
];

goldenSuite("completion filter: limitToScope (syntax tree)", limitToScope, cases.map((c, i) => ({ ...c, language: i === 0 ? "typescript" : "python" })));
goldenSuite("completion filter: limitToScope (indentation fallback)", limitToScope, [
  // Without a tree the closer already present after the cursor is cut right away (the tree keeps it for trimOverlap).
  ...cases.map((c, i) => ({ ...c, name: `${c.name}, without a tree`, expect: i === 0 ? "return a + 1;" : c.expect })),
  {
    name: "keeps the block's own closer when the text after the cursor lacks it",
    doc: "function f() {\n  █",
    raw: "return 1;\n}\n\nfunction g() {\n}",
    expect: "return 1;\n}",
  },
  {
    name: "keeps one paragraph at the top level",
    doc: "█\n",
    raw: "import os\nimport sys\n\nprint(os)\n",
    expect: "import os\nimport sys",
  },
]);

describe("completion: block end while streaming", () => {
  it("says the block is complete only once a whole line left it", () => {
    const ctx = contextOf({ doc: "def f(a):\n    █\n" });
    assert.equal(blockCutByIndent("b = 1\n    return b\n", ctx, true).complete, false);
    assert.equal(blockCutByIndent("b = 1\n    return b\nde", ctx, true).complete, false);
    assert.equal(blockCutByIndent("b = 1\n    return b\ndef g():\n", ctx, true).complete, true);
  });
});
