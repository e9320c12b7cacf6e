import { strict as assert } from "node:assert";
import fc from "fast-check";
import { cursorWindow } from "../../server/context/cursor.js";
import { countTokens } from "../../server/context/index.js";

describe("context cursor window", () => {
  it("ends and holds the cursor for any text, including one that starts with blank lines (it once looped forever; the loops now also stop when a step cannot move, so no such bug can hang the server)", () => {
    const line = fc.oneof(fc.constant(""), fc.constant("  "), fc.constant("def f(x):"), fc.constant("    return x + 1"), fc.constant("opmap[name] = op  # a comment"));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 80 }), fc.constantFrom("\n", "\r\n"), fc.nat(), fc.integer({ min: 8, max: 400 }), (lines, eol, at, budget) => {
        const text = lines.join(eol);
        const offset = at % (text.length + 1);
        const w = cursorWindow({ text, definitions: [] }, offset, budget);
        assert.ok(w.startOffset <= offset && offset <= w.endOffset);
        assert.equal(w.prefix + w.suffix, text.slice(w.startOffset, w.endOffset));
        if (countTokens(text) > budget) assert.ok(countTokens(w.prefix + w.suffix) <= budget + 8);
      }),
      { numRuns: 300 },
    );
  });

  it("grows up to the top of a file that starts with a blank line", () => {
    const text = "\n" + Array.from({ length: 60 }, (_, i) => `name_${i} = ${i}`).join("\n") + "\n";
    const offset = text.indexOf("name_40");
    const w = cursorWindow({ text, definitions: [] }, offset, countTokens(text) - 3);
    assert.ok(w.startOffset <= 12, `window starts near the top: ${w.startOffset}`);
  });
});
