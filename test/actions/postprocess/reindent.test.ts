import assert from "node:assert/strict";
import { detectIndentUnit, reindent } from "../../../server/postprocess/code/reindent.js";

describe("postprocess/code reindent", () => {
  it("detects tabs, two and four spaces", () => {
    assert.equal(detectIndentUnit("func f() {\n\tif x {\n\t\treturn\n\t}\n}"), "\t");
    assert.equal(detectIndentUnit("function f() {\n  if (x) {\n    return;\n  }\n}"), "  ");
    assert.equal(detectIndentUnit("def f():\n    if x:\n        return 1\n    return 2"), "    ");
    assert.equal(detectIndentUnit("a\nb"), undefined);
  });

  it("converts a 4-space reply to a 2-space document under the base indentation", () => {
    const reply = "if (a) {\n    return 1;\n}\nreturn 2;";
    assert.equal(reindent(reply, "  ", "    "), "    if (a) {\n      return 1;\n    }\n    return 2;");
  });

  it("converts spaces to tabs", () => {
    assert.equal(reindent("if x {\n    return 1\n}", "\t", "\t"), "\tif x {\n\t\treturn 1\n\t}");
  });

  it("removes the reply's own depth and keeps blank lines empty", () => {
    assert.equal(reindent("        x = 1\n\n        if x:\n            y = 2", "    ", "    "), "    x = 1\n\n    if x:\n        y = 2");
  });

  it("fixes a first line whose indentation the model dropped", () => {
    assert.equal(reindent("total = 0\n        for x in xs:\n            total += x", "    ", "    "), "    total = 0\n    for x in xs:\n        total += x");
  });

  it("keeps deeper followers of a first line that opens a block", () => {
    assert.equal(reindent("for x in xs:\n    total += x", "    ", "    "), "    for x in xs:\n        total += x");
  });
});

describe("postprocess/code reindent block comments", () => {
  it("keeps the one-column alignment of block comment continuation lines", () => {
    assert.equal(reindent("/**\n * Adds.\n */", "  ", "  "), "  /**\n   * Adds.\n   */");
  });
});
