import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContext } from "../../server/context/index.js";
import { createDocumentStore, stubs } from "../../server/syntax/index.js";

/** A throwaway TypeScript workspace: a base class, helpers, and a subclass with a stub. */
function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-inherit-"));
  fs.mkdirSync(path.join(root, "src"));
  fs.writeFileSync(path.join(root, "package.json"), "{}\n");
  fs.writeFileSync(
    path.join(root, "src", "base.ts"),
    "export class Base {\n  count = 0;\n  render(depth: number): string {\n    return String(depth);\n  }\n  reset(): void {\n    this.count = 0;\n  }\n}\n",
  );
  fs.writeFileSync(
    path.join(root, "src", "helpers.ts"),
    "export function padLeft(text: string, width: number): string {\n  return text.padStart(width);\n}\n" +
      "export function quoteAll(items: string[]): string[] {\n  return items.map((i) => JSON.stringify(i));\n}\n",
  );
  fs.writeFileSync(
    path.join(root, "src", "derived.ts"),
    'import { Base } from "./base.js";\nimport { padLeft, quoteAll } from "./helpers.js";\n\n' +
      "export class Derived extends Base {\n  render(depth: number): string {\n    throw new Error(\"not implemented\");\n  }\n" +
      "  names(items: string[]): string[] {\n    return quoteAll(items);\n  }\n}\n",
  );
  return root;
}

describe("context engine: inheritance and imports made for the body", () => {
  let root: string;
  before(() => {
    root = workspace();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const build = async (budget: number) => {
    const file = path.join(root, "src", "derived.ts");
    const doc = createDocumentStore().open(pathToFileURL(file).href, "typescript", 1, fs.readFileSync(file, "utf8"));
    const stub = stubs(doc).find((s) => s.name === "render");
    assert.ok(stub, "render is a stub");
    return buildContext({ document: doc, target: { kind: "stub", stub }, budgetTokens: budget, workspaceFolders: [root] });
  };

  it("shows the base-class method a stub overrides, picked for itself", async () => {
    const r = await build(1024);
    const base = r.chunks.find((c) => c.filePath === path.join(root, "src", "base.ts") && c.symbol === "render");
    assert.ok(base, `a chunk of base.ts picked for render: ${r.chunks.map((c) => `${c.relativePath}:${c.symbol}`).join(" ")}`);
    assert.match(base.text, /render\(depth: number\): string/);
  });

  it("ranks an import the rest of the file never uses above one it does", async () => {
    const r = await build(1024);
    const helpers = path.join(root, "src", "helpers.ts");
    const order = r.chunks.filter((c) => c.filePath === helpers).map((c) => c.symbol);
    const orphan = order.indexOf("padLeft");
    assert.ok(orphan >= 0, `padLeft shown: ${order.join(" ")}`);
    const used = order.indexOf("quoteAll");
    assert.ok(used < 0 || orphan < used, `padLeft (imported only for the stub) before quoteAll: ${order.join(" ")}`);
  });
});
