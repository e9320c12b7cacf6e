import assert from "node:assert/strict";
import { buildActionMessages, fillTemplate, type ActionPromptInput } from "../../server/prompts/actions.js";

const base: ActionPromptInput = {
  kind: "generate",
  languageName: "TypeScript",
  fence: "typescript",
  filePath: "src/math.ts",
  name: "add",
  code: "export function add(a: number, b: number): number {\n  throw new Error(\"not implemented\");\n}",
  context: [{ label: "Definition used", text: "export const ZERO = 0;" }],
};

describe("prompts/actions", () => {
  it("generate: says it wants only the body of the named function and shows code and context", () => {
    const [sys, user] = buildActionMessages(base);
    assert.equal(sys!.role, "system");
    assert.match(user!.content, /only the body of `add`/);
    assert.match(user!.content, /export const ZERO = 0;/);
    assert.match(user!.content, /```typescript\nexport function add/);
  });

  it("tests: names the framework, the file and the import path", () => {
    const [, user] = buildActionMessages({ ...base, kind: "tests", tests: { path: "src/math.test.ts", exists: false, sameFile: false, framework: "vitest", sourcePath: "src/math.ts" } });
    assert.match(user!.content, /using vitest/);
    assert.match(user!.content, /new test file `src\/math\.test\.ts`/);
    assert.match(user!.content, /code under test is in `src\/math\.ts`/);
  });

  it("tests inside an existing block say so", () => {
    const [, user] = buildActionMessages({ ...base, kind: "tests", tests: { path: "src/lib.rs", exists: true, sameFile: true, intoBlock: "mod tests" } });
    assert.match(user!.content, /inside the existing `mod tests`/);
  });

  it("fix: shows the diagnostic and asks for the whole corrected definition", () => {
    const [, user] = buildActionMessages({ ...base, kind: "fix", diagnostic: { message: "Cannot find name 'b2'.", source: "ts", line: "return a + b2;" } });
    assert.match(user!.content, /Diagnostic \(ts\): Cannot find name 'b2'\./);
    assert.match(user!.content, /complete corrected definition of `add`/);
  });

  it("retry: shows the rejected reply and the parse error", () => {
    const msgs = buildActionMessages({ ...base, retry: { reply: "return a +;", problem: "line 2: syntax error near ';'" } });
    assert.equal(msgs.length, 4);
    assert.equal(msgs[2]!.content, "return a +;");
    assert.match(msgs[3]!.content, /syntax error near/);
    assert.match(msgs[3]!.content, /only the body of `add`/);
  });

  it("custom: fills every placeholder of the user's template", () => {
    assert.equal(
      fillTemplate("{language} {filePath}: {selection} in {code} with {context} {unknown}", { code: "C", selection: "S", context: "X", language: "L", filePath: "F" }),
      "L F: S in C with X {unknown}",
    );
    const [, user] = buildActionMessages({ ...base, kind: "custom", custom: { template: "Optimise {code}", selection: "", slot: "function" } });
    assert.match(user!.content, /^Optimise export function add/);
    assert.match(user!.content, /replaces the definition of `add`/);
  });
});
