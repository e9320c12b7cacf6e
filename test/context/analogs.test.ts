import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContext } from "../../server/context/index.js";
import { createDocumentStore, stubs } from "../../server/syntax/index.js";

describe("context engine: look-alike files of the same folder", () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-analog-"));
    fs.mkdirSync(path.join(root, "ops"));
    fs.writeFileSync(path.join(root, "ops", "lib.ts"), "export function alpha(x: number): number {\n  return x;\n}\nexport function beta(x: number): number {\n  return -x;\n}\n");
    // One operator per file: the look-alike of the stub calls beta.
    fs.writeFileSync(path.join(root, "ops", "windowWhen.ts"), 'import { beta } from "./lib.js";\n\nexport function windowWhen(n: number): number {\n  return beta(n) + 1;\n}\n');
    fs.writeFileSync(path.join(root, "ops", "unrelated.ts"), 'import { alpha } from "./lib.js";\n\nexport function unrelated(n: number): number {\n  return alpha(n);\n}\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("ranks what a look-alike function in a look-alike file calls above an equally likely import", async () => {
    const file = path.join(root, "ops", "windowToggle.ts");
    const text = 'import { alpha, beta } from "./lib.js";\n\nexport function windowToggle(n: number): number {\n  throw new Error("not implemented");\n}\n';
    const doc = createDocumentStore().open(pathToFileURL(file).href, "typescript", 1, text);
    const stub = stubs(doc).find((s) => s.name === "windowToggle")!;
    const r = await buildContext({ document: doc, target: { kind: "stub", stub }, budgetTokens: 512, workspaceFolders: [root], explain: true });
    const names = r.candidates!.filter((c) => c.guess).map((c) => c.name);
    assert.ok(names.indexOf("beta") >= 0 && names.indexOf("beta") < names.indexOf("alpha"), `beta before alpha: ${names.join(" ")}`);
    assert.ok(r.candidates!.find((c) => c.name === "beta")!.features!.siblingAnalog > 0);
    assert.equal(r.candidates!.find((c) => c.name === "alpha")!.features!.siblingAnalog, 0, "unrelated.ts shares no word with the stub");
  });
});
