import { strict as assert } from "node:assert";
import * as path from "node:path";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

/** The files of a throwaway TypeScript workspace: a base class, helpers, and a subclass with a stub. */
const files: Record<string, string> = {
  "package.json": "{}\n",
  "src/base.ts":
    "export class Base {\n  count = 0;\n  render(depth: number): string {\n    return String(depth);\n  }\n  reset(): void {\n    this.count = 0;\n  }\n}\n",
  "src/helpers.ts":
    "export function padLeft(text: string, width: number): string {\n  return text.padStart(width);\n}\n" +
    "export function quoteAll(items: string[]): string[] {\n  return items.map((i) => JSON.stringify(i));\n}\n",
  "src/derived.ts":
    'import { Base } from "./base.js";\nimport { padLeft, quoteAll } from "./helpers.js";\n\n' +
    "export class Derived extends Base {\n  render(depth: number): string {\n    throw new Error(\"not implemented\");\n  }\n" +
    "  names(items: string[]): string[] {\n    return quoteAll(items);\n  }\n}\n",
};

describe("context engine: inheritance and imports made for the body", () => {
  const ws = workspaceFixture("ctx-inherit-", files);

  const build = (budget: number) => stubContext(ws.root, "src/derived.ts", "render", budget);

  it("shows the base-class method a stub overrides, picked for itself", async () => {
    const r = await build(1024);
    const base = r.chunks.find((c) => c.filePath === path.join(ws.root, "src", "base.ts") && c.symbol === "render");
    assert.ok(base, `a chunk of base.ts picked for render: ${r.chunks.map((c) => `${c.relativePath}:${c.symbol}`).join(" ")}`);
    assert.match(base.text, /render\(depth: number\): string/);
  });

  it("ranks an import the rest of the file never uses above one it does", async () => {
    const r = await build(1024);
    const helpers = path.join(ws.root, "src", "helpers.ts");
    const order = r.chunks.filter((c) => c.filePath === helpers).map((c) => c.symbol);
    const orphan = order.indexOf("padLeft");
    assert.ok(orphan >= 0, `padLeft shown: ${order.join(" ")}`);
    const used = order.indexOf("quoteAll");
    assert.ok(used < 0 || orphan < used, `padLeft (imported only for the stub) before quoteAll: ${order.join(" ")}`);
  });

  it("offers the other members of the base class as guesses the body may reach through `this` (inherited)", async () => {
    const r = await stubContext(ws.root, "src/derived.ts", "render", 1024, { explain: true });
    const inherited = r.candidates!.filter((c) => c.features?.inherited).map((c) => c.name);
    // render, which the stub overrides, is shown for itself (addBaseMethod), not as a guess.
    assert.deepEqual(inherited.sort(), ["count", "reset"]);
    const reset = r.candidates!.find((c) => c.name === "reset")!;
    assert.ok(reset.guess && reset.score > 0 && reset.score < 1, `a guess weighed by the model: ${reset.score}`);
  });
});
