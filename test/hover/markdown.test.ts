import assert from "node:assert/strict";
import { cleanExplanation, explanationMarkdown, slowNote, unavailableNote } from "../../server/features/hoverMarkdown.js";
import { buildHoverMessages, fenceCode } from "../../server/prompts/hover.js";

describe("hover markdown shaping", () => {
  it("unwraps an answer the model fenced as markdown", () => {
    assert.equal(cleanExplanation("```markdown\nAdds two numbers.\n\n**Returns** the sum.\n```\n"), "Adds two numbers.\n\n**Returns** the sum.");
  });

  it("keeps code blocks that are part of the answer", () => {
    const reply = "Parses a date.\n\n```ts\nparse('2020-01-01')\n```";
    assert.equal(cleanExplanation(reply), reply);
  });

  it("cuts an overlong answer at a line boundary and closes an open fence", () => {
    const long = `Intro.\n\`\`\`ts\n${"x = 1;\n".repeat(400)}\`\`\``;
    const out = cleanExplanation(long, 300);
    assert.ok(out.length < 320, `length ${out.length}`);
    assert.equal((out.match(/```/g) ?? []).length % 2, 0, "fences balanced");
  });

  it("returns an empty string for a blank reply", () => {
    assert.equal(cleanExplanation("  \n\n "), "");
  });

  it("puts the signature in a code block above the explanation, with a footer naming the model", () => {
    const md = explanationMarkdown("Adds.", { signature: "function add(a: number, b: number): number", fence: "typescript", model: "m1" });
    const [sig, body, footer] = md.split("\n\n");
    assert.equal(sig, "```typescript\nfunction add(a: number, b: number): number\n```");
    assert.equal(body, "Adds.");
    assert.match(footer!, /m1/);
  });

  it("says why in one line when the endpoint is down", () => {
    const note = unavailableNote("cannot reach\nhttp://127.0.0.1:1/v1");
    assert.match(note, /^\*\*Explanation unavailable:\*\* cannot reach http:\/\/127\.0\.0\.1:1\/v1/);
    assert.match(slowNote("f"), /`f`/);
  });
});

describe("hover prompt", () => {
  it("holds the definition, related context and use site in fences", () => {
    const msgs = buildHoverMessages({
      name: "add",
      fence: "typescript",
      filePath: "src/math.ts",
      definition: { label: "definition", text: "function add(a, b) { return a + b; }" },
      related: [{ label: "definition", text: "const ZERO = 0;" }],
      useSite: { label: "code at the cursor", text: "add(1, 2)" },
    });
    assert.equal(msgs.length, 2);
    assert.equal(msgs[0]!.role, "system");
    assert.match(msgs[0]!.content, /Markdown/);
    const user = msgs[1]!.content;
    assert.match(user, /Explain `add` \(file: src\/math\.ts\)/);
    assert.ok(user.includes("```typescript\nfunction add(a, b) { return a + b; }\n```"));
    assert.ok(user.includes("const ZERO = 0;"));
    assert.ok(user.includes("Code at the cursor:\n```typescript\nadd(1, 2)\n```"));
  });

  it("uses a fence longer than any backtick run in the code", () => {
    assert.equal(fenceCode("a ```` b", "md"), "`````md\na ```` b\n`````");
  });
});
