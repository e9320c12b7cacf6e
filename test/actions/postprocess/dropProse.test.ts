import assert from "node:assert/strict";
import { dropProse, looksLikeProse } from "../../../server/postprocess/code/dropProse.js";

describe("postprocess/code dropProse", () => {
  it("drops a leading sentence and a trailing explanation, not turning them into comments", () => {
    const reply = "Here is the implementation:\n\nreturn a + b;\n\nThis returns the sum of both numbers.";
    assert.equal(dropProse(reply), "return a + b;");
  });

  it("keeps code lines that start with English words", () => {
    for (const line of ["this.total = a + b;", "it \"adds\" do", "the_sum = a + b", "I = 3", "You(a, b)", "note = notes.get(key)"]) {
      assert.equal(looksLikeProse(line), false, line);
    }
  });

  it("keeps comments in the middle of code", () => {
    const code = "// Sum first.\nconst s = a + b;\n// This is the result.\nreturn s;";
    assert.equal(dropProse(code), code);
  });

  it("recognises typical opening and closing sentences", () => {
    for (const line of ["Sure! Here's the function body:", "The function iterates over the list.", "Note: this assumes `xs` is sorted."]) {
      assert.equal(looksLikeProse(line), true, line);
    }
  });
});
