import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContext } from "../../server/context/index.js";
import { createDocumentStore } from "../../server/syntax/index.js";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

describe("context engine: a class the code names, at a tight budget", () => {
  const helpers = ["scaleWidth", "scaleHeight", "clampSize", "roundSize", "padSize", "fitSize", "fillSize", "mergeSize"];
  const methods = Array.from({ length: 30 }, (_, i) => `  method${i}(value: number, label: string): number {\n    return value + ${i};\n  }\n`).join("\n");
  const ws = workspaceFixture("ctx-named-class-", {
    "package.json": "{}\n",
    "src/big.ts": `export class Big {\n${methods}}\n`,
    "src/helpers.ts": helpers.map((h) => `export function ${h}(width: number, height: number, label: string): number {\n  return width;\n}\n`).join("\n"),
    "src/use.ts":
      `import { Big } from "./big.js";\nimport { ${helpers.join(", ")} } from "./helpers.js";\n\n` +
      `export function run(): number {\n  const big = new Big();\n${helpers.map((h, i) => `  const v${i} = ${h}(1, 2, "a");\n`).join("")}  return v0;\n}\n`,
  });

  it("shows its header rather than every member's signature when they would take the budget", async () => {
    const file = path.join(ws.root, "src/use.ts");
    const text = fs.readFileSync(file, "utf8");
    const doc = createDocumentStore().open(pathToFileURL(file).href, "typescript", 1, text);
    const r = await buildContext({ document: doc, target: { kind: "cursor", offset: text.indexOf("return v0") }, budgetTokens: 600, workspaceFolders: [ws.root] });
    const shown = r.chunks.filter((c) => c.relativePath === "src/helpers.ts").map((c) => c.text).join("\n");
    // Every helper the code calls fits: the class's thirty signatures do not crowd them out.
    for (const h of ["scaleWidth", "scaleHeight", "clampSize", "roundSize", "padSize", "fitSize", "fillSize", "mergeSize"]) assert.match(shown, new RegExp(`function ${h}\\(`), `${h} shown:\n${r.chunks.map((c) => `--- ${c.relativePath}\n${c.text}`).join("\n")}`);
    assert.ok(r.chunks.some((c) => c.relativePath === "src/big.ts" && /class Big/.test(c.text)), "Big is still shown (its header)");
  });
});

describe("context engine: a guessed class at a roomy budget", () => {
  // Many members, so that none is likely on its own (one of a few would be: memberCount).
  // (and a request with many guesses of their kind: rivals).
  const names = ["open", "close", "flush", "reset", "seek", "tell", "read", "write", "peek", "skip", "mark", "rewind", "drain", "pause", "resume", "destroy", "pipe", "unpipe", "cork", "uncork", ...Array.from({ length: 40 }, (_, i) => `step${i}`)];
  const members = names.map((m) => `  ${m}(): void {\n    return;\n  }\n`).join("");
  const ws = workspaceFixture("ctx-guessed-class-", {
    "package.json": "{}\n",
    "src/stream.ts": `export class Stream {\n${members}}\n`,
    "src/use.ts":
      'import { Stream } from "./stream.js";\n\nexport function make(): Stream {\n  return new Stream();\n}\n\n' +
      "export function pump(count: number): number {\n  throw new Error(\"not implemented\");\n}\n",
  });

  it("shows its header, not every member's signature, when its members are not likely on their own", async () => {
    const r = await stubContext(ws.root, "src/use.ts", "pump", 6000, { explain: true });
    const stream = r.chunks.find((c) => c.relativePath === "src/stream.ts");
    assert.ok(stream, r.chunks.map((c) => c.relativePath).join(" "));
    const picked = new Set(r.candidates!.filter((c) => c.picked).map((c) => c.name));
    const unpicked = names.filter((m) => !picked.has(m));
    assert.ok(unpicked.length > 0, "some member is not picked on its own (else the test shows nothing)");
    for (const m of unpicked) assert.doesNotMatch(stream.text, new RegExp(`\\b${m}\\(`), `${m} is shown though not picked:\n${stream.text}`);
  });
});
