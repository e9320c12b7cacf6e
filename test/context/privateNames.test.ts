import { strict as assert } from "node:assert";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

describe("context engine: TypeScript #private names", () => {
  const ws = workspaceFixture("ctx-private-", {
    "package.json": "{}\n",
    "src/timer.ts":
      "export class Timer {\n  #handle?: number\n  #spare?: number\n\n" +
      "  start(): void {\n    this.#clear();\n    this.#handle = 1;\n  }\n\n" +
      "  stop(): void {\n    this.#clear();\n  }\n\n" +
      "  #clear(): void {\n    this.#handle = undefined;\n  }\n\n" +
      "  #unusedHelper(): void {}\n\n" +
      "  restart(): void {\n    throw new Error(\"not implemented\");\n  }\n}\n",
  });

  it("counts `this.#clear()` as a use of #clear, so a private helper the class calls is no orphan", async () => {
    const r = await stubContext(ws.root, "src/timer.ts", "restart", 2048, { explain: true });
    const features = (name: string) => r.candidates!.find((c) => c.name === name)!.features!;
    assert.ok(features("#clear").uses > 0, `#clear: ${JSON.stringify(features("#clear"))}`);
    assert.equal(features("#clear").orphanHelper, 0);
    assert.ok(features("#handle").uses > 0);
    assert.equal(features("#unusedHelper").unused, 1);
    assert.equal(features("#spare").unused, 1);
  });
});
