import assert from "node:assert/strict";
import { emptyReason } from "../../../server/postprocess/code/rejectEmpty.js";
import { toLineEndings } from "../../../server/postprocess/code/lineEndings.js";

const ts = { lineComment: "//", blockComment: ["/*", "*/"] as [string, string] };

describe("postprocess/code rejectEmpty and lineEndings", () => {
  it("rejects empty and comment-only replies", () => {
    assert.match(emptyReason("  \n\n", ts)!, /no code/);
    assert.match(emptyReason("// TODO: implement\n/* later\n   maybe */", ts)!, /only comments/);
    assert.match(emptyReason("# not yet", { lineComment: "#" })!, /only comments/);
  });

  it("accepts code, including code after a block comment on the same line", () => {
    assert.equal(emptyReason("// sum\nreturn a + b;", ts), undefined);
    assert.equal(emptyReason("/* sum */ return a + b;", ts), undefined);
  });

  it("converts any mix of line endings to the document's", () => {
    assert.equal(toLineEndings("a\r\nb\nc\rd", "\r\n"), "a\r\nb\r\nc\r\nd");
    assert.equal(toLineEndings("a\r\nb\nc", "\n"), "a\nb\nc");
  });
});
