import assert from "node:assert/strict";
import { stripEcho } from "../../../server/postprocess/code/stripEcho.js";
import { slot } from "./slot.js";

describe("postprocess/code stripEcho", () => {
  it("leaves a plain body alone, including a trailing closing brace of its own", () => {
    const body = "for (const x of xs) {\n  s += x;\n}";
    assert.equal(stripEcho(body, slot()), body);
  });

  it("drops an exactly echoed doc comment, signature and closing brace", () => {
    const reply = "/** Adds two numbers. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}";
    assert.equal(stripEcho(reply, slot()), "  return a + b;");
  });

  it("drops a reformatted signature with a rewritten doc comment", () => {
    const reply = "/**\n * Adds a and b.\n */\nfunction add(a: number,\n             b: number): number {\n  return a + b;\n}\n";
    assert.equal(stripEcho(reply, slot()).trim(), "return a + b;");
  });

  it("drops an echoed Python signature and docstring", () => {
    const s = slot({ language: "python", name: "mean", before: ["def mean(xs):", '    """Average of xs."""'], after: [], lineComment: "#", blockComment: undefined });
    const reply = 'def mean(xs):\n    """Average of xs."""\n    return sum(xs) / len(xs)';
    assert.equal(stripEcho(reply, s), "    return sum(xs) / len(xs)");
  });

  it("keeps code that merely calls the function", () => {
    const body = "const r = add(a - 1, b);\nreturn r + 1;";
    assert.equal(stripEcho(body, slot()), body);
  });
});
