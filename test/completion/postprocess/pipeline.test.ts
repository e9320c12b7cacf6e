import assert from "node:assert/strict";
import { completionIsComplete, postprocessCompletion } from "../../../server/postprocess/completion/index.js";
import { contextOf, goldenSuite } from "./golden.js";

goldenSuite("completion post-processing pipeline", postprocessCompletion, [
  { name: "drops whitespace-only text", doc: "x = █\n", raw: "  \n ", expect: "", multiline: false },
  { name: "trims trailing blank lines", doc: "def f():\n    █\n", raw: "return 1\n\n\n", expect: "return 1", language: "python" },
  {
    name: "cleans a chat reply: fence, echo, indentation",
    doc: "def total(xs):\n    █\n",
    raw: "```python\nresult = 0\nfor x in xs:\n    result += x\nreturn result\n```",
    expect: "result = 0\n    for x in xs:\n        result += x\n    return result",
    chat: true,
    language: "python",
  },
  {
    name: "a looping model cut to its block",
    doc: "function f() {\n  █\n}\n",
    raw: "log(1);\n  log(2);\n  log(2);\n  log(2);\n  log(2);\n}\n",
    expect: "log(1);\n  log(2);",
    language: "typescript",
  },
]);

describe("completion: stopping the stream", () => {
  it("stops a single-line suggestion at its first line break", () => {
    const ctx = contextOf({ doc: "x = █\n", multiline: false });
    assert.equal(completionIsComplete("foo(", ctx), false);
    assert.equal(completionIsComplete("foo()\n", ctx), true);
  });
  it("stops a block once the model leaves it", () => {
    const ctx = contextOf({ doc: "def f():\n    █\n" });
    assert.equal(completionIsComplete("return 1\n", ctx), false);
    assert.equal(completionIsComplete("return 1\n\ndef g():\n", ctx), true);
  });
});
