import { strict as assert } from "node:assert";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { warmContext } from "../../server/context/index.js";
import { workspaceIndexFor } from "../../server/context/workspace.js";
import { createDocumentStore } from "../../server/syntax/index.js";
import { workspaceFixture } from "../helpers/workspace.js";

describe("context warm-up on open", () => {
  const ws = workspaceFixture("codegen-warm-", {
    "lib/index.ts": 'export * from "./money.js";\n',
    "lib/money.ts": "export function cents(x: number): number {\n  return Math.round(x * 100);\n}\n",
    "unrelated.ts": "export const other = 1;\n",
  });

  it("analyses the files a document imports, through re-exports, and nothing else", () => {
    const file = path.join(ws.root, "app.ts");
    const text = 'import { cents } from "./lib";\n\nexport function total(xs: number[]): number {\n  throw new Error("not implemented");\n}\n';
    const doc = createDocumentStore().open(pathToFileURL(file).href, "typescript", 1, text);
    warmContext({ document: doc, workspaceFolders: [ws.root] });
    const index = workspaceIndexFor([ws.root], {});
    const analysed = (p: string) => {
      let computed = false;
      index.derive(p, "context-syntax", () => ((computed = true), undefined));
      return !computed;
    };
    assert.ok(analysed(path.join(ws.root, "lib", "index.ts")), "the barrel is analysed");
    assert.ok(analysed(path.join(ws.root, "lib", "money.ts")), "the re-exported module is analysed");
    assert.ok(!analysed(path.join(ws.root, "unrelated.ts")), "a file nobody imports is left alone");
  });
});
