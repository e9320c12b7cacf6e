import assert from "node:assert/strict";
import { extractFence, findFences } from "../../../server/postprocess/code/extractFence.js";

describe("postprocess/code extractFence", () => {
  it("returns undefined when the reply has no fence", () => {
    assert.equal(extractFence("return a + b;", ["ts"]), undefined);
  });

  it("takes the code out of a fence and drops the prose around it", () => {
    const reply = "Here is the implementation:\n\n```ts\nreturn a + b;\n```\n\nThis adds the numbers.";
    assert.equal(extractFence(reply, ["ts", "typescript"]), "return a + b;");
  });

  it("prefers the fence tagged with the document's language over an example in another", () => {
    const reply = "```bash\nnpm test\n```\nand the code:\n```python\nreturn sum(xs)\n```";
    assert.equal(extractFence(reply, ["py", "python"]), "return sum(xs)");
  });

  it("prefers the fence naming the target among same-language fences", () => {
    const reply = "```ts\nconst x = 1;\nconst y = 2;\nconst z = 3;\n```\n```ts\nfunction add(a, b) { return a + b; }\n```";
    assert.equal(extractFence(reply, ["ts"], "add"), "function add(a, b) { return a + b; }");
  });

  it("skips output fences", () => {
    const reply = "```\nreturn 1;\n```\n```text\n1 passing (12ms) and a lot more output here\n```";
    assert.equal(extractFence(reply, ["ts"]), "return 1;");
  });

  it("keeps an unterminated fence (a cut-off stream) up to the end", () => {
    assert.equal(extractFence("```go\nreturn a + b\n", ["go"]), "return a + b\n");
  });

  it("handles tilde fences and longer backtick fences holding backticks", () => {
    const fences = findFences("~~~rust\nlet x = 1;\n~~~\n````md\n```\ninner\n```\n````");
    assert.deepEqual(fences.map((f) => [f.tag, f.body]), [["rust", "let x = 1;"], ["md", "```\ninner\n```"]]);
  });
});
