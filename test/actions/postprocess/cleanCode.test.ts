import assert from "node:assert/strict";
import { cleanCode } from "../../../server/postprocess/code/index.js";
import { slot } from "./slot.js";

describe("postprocess/code cleanCode (the whole pipeline)", () => {
  it("fence + prose + echoed signature + 4-space indentation + CRLF document", () => {
    const reply = "Sure! Here is the implementation:\n```typescript\nexport function add(a: number, b: number): number {\n    if (a === 0) {\n        return b;\n    }\n    return a + b;\n}\n```\nThis handles zero first.";
    const r = cleanCode(reply, slot({ eol: "\r\n" }));
    assert.deepEqual(r, { ok: true, code: "  if (a === 0) {\r\n    return b;\r\n  }\r\n  return a + b;" });
  });

  it("rejects a reply with only a TODO comment", () => {
    const r = cleanCode("```ts\n// TODO: implement this\n```", slot());
    assert.equal(r.ok, false);
  });

  it("unfenced prose around code", () => {
    const r = cleanCode("Here's the body:\nreturn a + b;\nThat's it.", slot({ baseIndent: "\t", indentUnit: "\t" }));
    assert.deepEqual(r, { ok: true, code: "\treturn a + b;" });
  });
});
