import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ChunkedText } from "../../server/text/chunkedText.js";

/** The chunked text behind large documents behaves exactly like a string under edits. */
describe("syntax: chunked document text", () => {
  it("matches plain string edits, slices and reads after random edits (across chunk borders)", () => {
    const base = "abc😀\r\n".repeat(5000); // about 35k code units: several chunks
    const piece = fc.constantFrom("", "x", "😀", "\n", "long text ".repeat(2000));
    const edit = fc.record({ at: fc.nat(), len: fc.nat({ max: 20000 }), text: piece });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), fc.nat(), (edits, probe) => {
        const chunked = new ChunkedText(base);
        let plain = base;
        for (const e of edits) {
          const s = e.at % (plain.length + 1);
          const end = Math.min(plain.length, s + e.len);
          plain = plain.slice(0, s) + e.text + plain.slice(end);
          chunked.replace(s, end, e.text);
          assert.equal(chunked.length, plain.length);
          const p = probe % (plain.length + 1);
          assert.equal(chunked.charCodeAt(p), plain.charCodeAt(p));
          assert.equal(chunked.slice(p, p + 9000), plain.slice(p, p + 9000));
          // Reading chunk by chunk (as tree-sitter does) rebuilds the text.
          let read = "";
          for (let r = chunked.read(0); r !== ""; r = chunked.read(read.length)) read += r;
          assert.equal(read, plain);
        }
        assert.equal(chunked.toString(), plain);
      }),
      { seed: 99, numRuns: 60 },
    );
  });

  it("handles an empty text and deleting everything", () => {
    const t = new ChunkedText("");
    assert.equal(t.length, 0);
    assert.equal(t.read(0), "");
    t.replace(0, 0, "hello");
    assert.equal(t.toString(), "hello");
    t.replace(0, 5, "");
    assert.equal(t.toString(), "");
    assert.equal(t.slice(0, 3), "");
    assert.ok(Number.isNaN(t.charCodeAt(0)));
  });
});
