import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { buildContext, countTokens, invalidateWorkspaceFiles } from "../../server/context/index.js";
import type { ContextRequest, ContextResult } from "../../server/context/index.js";
import { WorkspaceIndex } from "../../server/context/workspace.js";
import { packageRoot } from "../../server/paths.js";
import { createDocumentStore, definitions, parseErrors, stubs } from "../../server/syntax/index.js";
import type { SyntaxDocument } from "../../server/syntax/types.js";

const fixtures = path.join(packageRoot(), "test", "fixtures", "context");
const tsApp = path.join(fixtures, "ts-app");
const pyApp = path.join(fixtures, "py-app");

function open(file: string, languageId: string, text?: string): SyntaxDocument {
  const store = createDocumentStore();
  return store.open(pathToFileURL(file).href, languageId, 1, text ?? fs.readFileSync(file, "utf8"));
}

function def(doc: SyntaxDocument, name: string) {
  // Top-level definitions first: the fixture has both a method add() and a function add().
  const all = definitions(doc).filter((x) => x.name === name);
  const d = all.find((x) => x.depth === 0) ?? all[0];
  assert.ok(d, `definition ${name} found`);
  return d;
}

function stub(doc: SyntaxDocument, name: string) {
  const s = stubs(doc).find((x) => x.name === name);
  assert.ok(s, `stub ${name} found`);
  return s;
}

/** True when some chunk shows the definition named `name` of `file` (by its shown ranges). */
function shows(result: ContextResult, file: string, text: string, name: string): boolean {
  const at = text.search(new RegExp(`\\b(function|class|interface|def|const)\\s+${name}\\b`));
  assert.ok(at >= 0, `${name} is defined in ${file}`);
  const nameAt = text.indexOf(name, at);
  return result.chunks.some((c) => c.filePath === file && (c.ranges ?? []).some((r) => r.startOffset <= nameAt && nameAt < r.endOffset) && c.text.includes(name));
}

const geometry = path.join(tsApp, "src", "geometry.ts");
const tsRequest = (doc: SyntaxDocument, target: ContextRequest["target"], budgetTokens: number): ContextRequest => ({
  document: doc,
  target,
  budgetTokens,
  workspaceFolders: [tsApp],
  options: { exclude: ["generated/"] },
});

describe("context engine", () => {
  it("finds the same-file definitions a stub names and its class outline", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext(tsRequest(doc, { kind: "stub", stub: stub(doc, "samePerimeter") }, 512));
    assert.equal(r.chunks[0]!.source, "target");
    assert.match(r.chunks[0]!.text, /samePerimeter\(other: Polygon\)/);
    // The sibling method is shown inside the class skeleton: its body elided, or whole when the
    // budget has room left for a likely helper (showRicher).
    assert.match(r.chunks[0]!.text, /perimeter\(\): number \{( \/\* … \*\/ \}|\n\s+let total)/);
    assert.ok(shows(r, geometry, doc.text, "PolygonOptions"), "PolygonOptions (named by the class fields) is in the context");
  });

  it("resolves cross-file imports: .js to .ts and directory index files, as elided signatures", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext(tsRequest(doc, { kind: "function", definition: def(doc, "perimeter"), purpose: "explain" }, 1024));
    const shapes = path.join(tsApp, "src", "shapes", "index.ts");
    const shapesText = fs.readFileSync(shapes, "utf8");
    assert.ok(shows(r, shapes, shapesText, "distance"), "distance() from ./shapes/index.js");
    const chunk = r.chunks.find((c) => c.filePath === shapes && c.symbol === "distance")!;
    assert.equal(chunk.source, "import");
    assert.equal(chunk.relativePath, "src/shapes/index.ts");
    assert.ok(chunk.elided);
    assert.match(chunk.text, /export function distance\(a: Point, b: Point\): number \{ \/\* … \*\/ \}/);
    assert.doesNotMatch(chunk.text, /Math\.sqrt/);
    // Definitions the target does not use stay out.
    assert.ok(!r.chunks.some((c) => c.text.includes("unrelatedHelper")));
  });

  it("resolves Python relative and absolute imports to modules of the workspace", async () => {
    const service = path.join(pyApp, "pkg", "service.py");
    const doc = open(service, "python");
    const r = await buildContext({ document: doc, target: { kind: "stub", stub: stub(doc, "register") }, budgetTokens: 1024, workspaceFolders: [pyApp] });
    const models = path.join(pyApp, "pkg", "models.py");
    const util = path.join(pyApp, "pkg", "util.py");
    assert.ok(shows(r, models, fs.readFileSync(models, "utf8"), "User"), "User from .models");
    assert.ok(shows(r, util, fs.readFileSync(util, "utf8"), "slugify"), "slugify from pkg.util");
    for (const c of r.chunks) assert.deepEqual(parseErrors(c.text, "python"), [], `chunk parses:\n${c.text}`);
    // With room to spare a class the body likely uses may be shown whole (showRicher); where the
    // budget is tight its methods keep their signatures and lose their bodies.
    const tight = await buildContext({ document: doc, target: { kind: "stub", stub: stub(doc, "register") }, budgetTokens: 200, workspaceFolders: [pyApp] });
    const user = tight.chunks.find((c) => c.filePath === models);
    assert.ok(user, tight.chunks.map((c) => c.text).join("\n---\n"));
    assert.doesNotMatch(user.text, /self\.name\[:MAX_NAME\]/, "method bodies are elided");
  });

  it("never exceeds the budget, counted with the real tokenizer", async () => {
    const require = createRequire(import.meta.url);
    const tokenizer = require("gpt-tokenizer/cjs/encoding/cl100k_base") as { countTokens(t: string): number };
    const doc = open(geometry, "typescript");
    const targets: ContextRequest["target"][] = [
      { kind: "stub", stub: stub(doc, "samePerimeter") },
      { kind: "function", definition: def(doc, "shout"), purpose: "tests" },
      { kind: "cursor", offset: doc.text.indexOf("return clamp") },
      { kind: "symbol", name: "distance", offset: doc.text.indexOf("distance(this") },
    ];
    for (const target of targets) {
      for (const budget of [8, 40, 100, 200, 400, 3000]) {
        const r = await buildContext(tsRequest(doc, target, budget));
        const sum = r.chunks.reduce((n, c) => n + tokenizer.countTokens(c.text), 0);
        assert.ok(sum <= budget, `${target.kind} at ${budget}: ${sum} tokens`);
        assert.equal(r.totalTokens, sum);
        for (const c of r.chunks) assert.equal(c.tokens, tokenizer.countTokens(c.text));
      }
    }
    assert.equal(countTokens("const x = 1;"), tokenizer.countTokens("const x = 1;"));
  });

  it("keeps a too-big target's signature and elides its body", async () => {
    const body = Array.from({ length: 200 }, (_, i) => `  total += compute${i}(value);`).join("\n");
    const text = `export function huge(value: number): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
    const doc = open(path.join(tsApp, "src", "huge.ts"), "typescript", text);
    const r = await buildContext(tsRequest(doc, { kind: "function", definition: def(doc, "huge"), purpose: "document" }, 60));
    assert.equal(r.chunks[0]!.source, "target");
    assert.match(r.chunks[0]!.text, /^export function huge\(value: number\): number \{ \/\* … \*\/ \}$/);
    assert.ok(r.totalTokens <= 60);
  });

  it("never reads gitignored, .codegenignore'd or excluded files, nor files outside the workspace", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext(tsRequest(doc, { kind: "function", definition: def(doc, "shout"), purpose: "explain" }, 4000));
    const all = r.chunks.map((c) => c.text).join("\n");
    assert.doesNotMatch(all, /sk-never-in-context|signRequest\(body/);
    assert.doesNotMatch(all, /private-vault-code/);
    assert.doesNotMatch(all, /excluded-by-setting/);

    const index = new WorkspaceIndex([tsApp], { exclude: ["generated/"] });
    assert.equal(index.read(path.join(tsApp, "src", "secret", "keys.ts")), undefined);
    assert.equal(index.read(path.join(tsApp, "src", "vault.private.ts")), undefined);
    assert.equal(index.read(path.join(tsApp, "generated", "schema.ts")), undefined);
    assert.equal(index.read(path.join(fixtures, "py-app", "pkg", "util.py")), undefined);
    assert.equal(index.cachedFiles, 0, "nothing was read");
    assert.ok(index.read(path.join(tsApp, "src", "math.ts"))?.includes("clamp"));

    // A symlink inside the workspace that points outside it is not followed.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-ws-"));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-out-"));
    try {
      fs.writeFileSync(path.join(outside, "leak.ts"), "export const LEAK = 1;\n");
      fs.symlinkSync(path.join(outside, "leak.ts"), path.join(tmp, "leak.ts"));
      const ws = new WorkspaceIndex([tmp]);
      assert.equal(ws.isReadable(path.join(tmp, "leak.ts")), false);
      assert.equal(ws.read(path.join(tmp, "leak.ts")), undefined);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it("is deterministic for the same input", async () => {
    const doc = open(geometry, "typescript");
    const req = tsRequest(doc, { kind: "stub", stub: stub(doc, "samePerimeter") }, 300);
    const a = await buildContext(req);
    invalidateWorkspaceFiles(fs.readdirSync(path.join(tsApp, "src")).map((n) => path.join(tsApp, "src", n)));
    const b = await buildContext({ ...req, document: open(geometry, "typescript") });
    assert.deepEqual(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(a)));
  });

  it("gives a small context to a target that needs nothing from elsewhere", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext(tsRequest(doc, { kind: "function", definition: def(doc, "add"), purpose: "document" }, 2000));
    assert.equal(r.chunks.length, 1);
    assert.ok(r.totalTokens < 40, `${r.totalTokens} tokens`);
  });

  it("for tests: finds the test file, the framework and a style example", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext(tsRequest(doc, { kind: "function", definition: def(doc, "normalize"), purpose: "tests" }, 1000));
    assert.equal(r.testFramework, "mocha");
    assert.deepEqual(r.testFile, { path: path.join(tsApp, "src", "geometry.test.ts"), exists: true });
    const example = r.chunks.find((c) => c.source === "test-example");
    assert.ok(example);
    assert.match(example.text, /describe\("normalize"/);
  });

  it("gives a cursor window cut at line boundaries plus what the window uses", async () => {
    const doc = open(geometry, "typescript");
    const offset = doc.text.indexOf("return clamp") + "return ".length;
    const r = await buildContext(tsRequest(doc, { kind: "cursor", offset }, 400));
    assert.ok(r.cursor);
    assert.ok(r.cursor.prefix.endsWith("return "));
    assert.ok(r.cursor.suffix.startsWith("clamp(value, 0, 1);"));
    assert.equal(doc.text.slice(r.cursor.startOffset, r.cursor.endOffset), r.cursor.prefix + r.cursor.suffix);
    assert.ok(r.cursor.startOffset === 0 || doc.text[r.cursor.startOffset - 1] === "\n");
    assert.ok(shows(r, path.join(tsApp, "src", "math.ts"), fs.readFileSync(path.join(tsApp, "src", "math.ts"), "utf8"), "clamp"));
  });

  it("gives a cursor in plain text a window that uses the budget", async () => {
    const doc = createDocumentStore().open("untitled:notes", "plaintext", 1, "a line of notes\n".repeat(400));
    const r = await buildContext({ document: doc, target: { kind: "cursor", offset: 3000 }, budgetTokens: 200 });
    assert.equal(r.chunks.length, 1);
    assert.ok(r.totalTokens > 150 && r.totalTokens <= 200, `${r.totalTokens} tokens`);
    assert.equal(r.cursor!.prefix + r.cursor!.suffix, r.chunks[0]!.text);
  });

  it("sees file changes on disk without an explicit invalidation (re-stat on use)", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-fresh-"));
    try {
      fs.writeFileSync(path.join(tmp, "lib.ts"), "export function first(): number { return 1; }\n");
      const main = path.join(tmp, "main.ts");
      const text = 'import { first, second } from "./lib";\n\nexport function run(): number {\n  return first() + second();\n}\n';
      fs.writeFileSync(main, text);
      const req = (): ContextRequest => {
        const doc = open(main, "typescript", text);
        return { document: doc, target: { kind: "function", definition: def(doc, "run"), purpose: "explain" }, budgetTokens: 500, workspaceFolders: [tmp] };
      };
      const before = await buildContext(req());
      assert.ok(!before.chunks.some((c) => c.text.includes("second")  && c.source === "import"));
      // A different size guarantees a new stat signature even within one mtime tick.
      fs.writeFileSync(path.join(tmp, "lib.ts"), "export function first(): number { return 1; }\nexport function second(): number { return 2; }\n");
      const after = await buildContext(req());
      assert.ok(after.chunks.some((c) => c.source === "import" && c.text.includes("function second()")));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("uses open documents: their unsaved text wins over the disk, and unimported ones are a source", async () => {
    const doc = open(geometry, "typescript");
    const mathFile = path.join(tsApp, "src", "math.ts");
    const unsavedMath = open(mathFile, "typescript", "export function clamp(value: number, lo: number, hi: number, unsaved: true): number {\n  return value;\n}\n");
    const scratchFile = path.join(tsApp, "src", "scratch.ts");
    const scratch = open(scratchFile, "typescript", "export function toUpperCase(text: string): string {\n  return text;\n}\n");
    const r = await buildContext({ ...tsRequest(doc, { kind: "function", definition: def(doc, "normalize"), purpose: "explain" }, 1000), openDocuments: [doc, unsavedMath] });
    const clamp = r.chunks.find((c) => c.filePath === mathFile)!;
    assert.match(clamp.text, /unsaved: true/);
    const r2 = await buildContext({ ...tsRequest(doc, { kind: "function", definition: def(doc, "shout"), purpose: "explain" }, 1000), openDocuments: [doc, scratch] });
    const fromScratch = r2.chunks.find((c) => c.filePath === scratchFile);
    assert.equal(fromScratch?.source, "open-document");
  });

  it("keeps to the current file when contextScope is \"file\"", async () => {
    const doc = open(geometry, "typescript");
    const r = await buildContext({ ...tsRequest(doc, { kind: "function", definition: def(doc, "perimeter"), purpose: "explain" }, 2000), options: { contextScope: "file" } });
    assert.ok(r.chunks.every((c) => c.filePath === geometry));
  });

  it("shows the target alone when error recovery nests it in a unit it is not part of", async () => {
    // Two generic call signatures without semicolons are beyond tree-sitter-typescript: recovering,
    // it makes the interface run to the end of the file, with the stub inside it. (Indented, they
    // are repaired before parsing, server/syntax/separatorRepair.ts; at the first column they are not.)
    const file = path.join(fixtures, "recovery", "handler.ts");
    const text = fs.readFileSync(file, "utf8");
    const body = text.slice(text.indexOf("{", text.indexOf("function createHandlerFactory")), text.indexOf("\nexport const handler"));
    const doc = open(file, "typescript", text.replace(body, '{\n    throw new Error("not implemented");\n}\n'));
    const target = definitions(doc).find((d) => d.name === "createHandlerFactory")!;
    assert.ok(target.depth > 0, "the fixture still nests the stub (else this test proves nothing)");
    const r = await buildContext({ document: doc, target: { kind: "stub", stub: { ...target, bodySpan: target.bodySpan!, reason: "test" } }, budgetTokens: 2000 });
    const shown = r.chunks.find((c) => c.source === "target")!;
    assert.match(shown.text, /^function createHandlerFactory\(bound: boolean\): HandlerFactory \{/);
    assert.doesNotMatch(shown.text, /interface HandlerFactory|isHandler/);
    assert.deepEqual(parseErrors(shown.text, "typescript"), []);
  });

  it("drops the examples of the target's doc comment before the rest of it when the budget is tight", async () => {
    const example = Array.from({ length: 12 }, (_, i) => ` * const step${i} = source.pipe(throwIfEmpty(() => new Error("empty ${i}")));`);
    const text = ["/**", " * Throws when the source completes without a value.", " *", " * ## Example", " * ```ts", ...example, " * ```", " * @param factory Makes the error.", " */", "export function throwIfEmpty(factory: () => Error): void {", '  throw new Error("not implemented");', "}", ""].join("\n");
    const doc = open(path.join(os.tmpdir(), "ctx-trim", "throwIfEmpty.ts"), "typescript", text);
    const target = stub(doc, "throwIfEmpty");
    const target0 = async (budget: number) => (await buildContext({ document: doc, target: { kind: "stub", stub: target }, budgetTokens: budget })).chunks.find((c) => c.source === "target")!.text;
    assert.match(await target0(4000), /## Example[\s\S]*step11/, "a roomy budget keeps the examples");
    // The whole target is 40 % of the budget: over EXAMPLES_SHARE, under TARGET_SHARE (pack.ts).
    const tight = await target0(Math.ceil(countTokens(text) * 2.5));
    assert.match(tight, /Throws when the source completes without a value\.[\s\S]*@param factory Makes the error\./);
    assert.doesNotMatch(tight, /Example|step0/);
  });

  it("shows a type the stub names with its doc when that is cheap next to the budget, else densely", async () => {
    const prose = Array.from({ length: 8 }, (_, i) => ` * Option note ${i}: how the runner treats this setting in case ${i}.`);
    const text = ["/**", " * Options of a run.", ...prose, " */", "export interface RunOptions {", "  retries: number", "  label: string", "}", "", "export function run(options: RunOptions): void {", '  throw new Error("not implemented");', "}", ""].join("\n");
    const doc = open(path.join(os.tmpdir(), "ctx-named", "run.ts"), "typescript", text);
    // Found by its text: a chunk is named after its likeliest unit, which may be one of the type's members.
    const chunkOf = async (budget: number) => (await buildContext({ document: doc, target: { kind: "stub", stub: stub(doc, "run") }, budgetTokens: budget })).chunks.find((c) => /interface RunOptions/.test(c.text))?.text ?? "";
    assert.match(await chunkOf(4000), /Option note 7[\s\S]*interface RunOptions/);
    const tight = await chunkOf(400);
    assert.match(tight, /interface RunOptions/);
    assert.doesNotMatch(tight, /Option note/);
  });

  it("shows the helpers the body most likely uses with their bodies when the budget has room, and never at the cost of another unit", async () => {
    const text = [
      "function clampRatio(value: number): number {",
      "  const lower = Math.max(0, value);",
      "  return Math.min(1, lower);",
      "}",
      "",
      "/** Scales `value` by `by`, with the ratio cut to [0, 1] by clampRatio. */",
      "export function scale(value: number, by: number): number {",
      '  throw new Error("not implemented");',
      "}",
      "",
    ].join("\n");
    const doc = open(path.join(os.tmpdir(), "ctx-richer", "scale.ts"), "typescript", text);
    const build = (budget: number) => buildContext({ document: doc, target: { kind: "stub", stub: stub(doc, "scale") }, budgetTokens: budget });
    const roomy = await build(4000);
    const helper = roomy.chunks.find((c) => c.symbol === "clampRatio");
    assert.ok(helper, "the helper the doc names is shown");
    assert.match(helper.text, /return Math\.min\(1, lower\);/, "with its body when there is room");
    // Just room for the target and the helper's signature: the helper stays, as a signature.
    const target = roomy.chunks.find((c) => c.source === "target")!;
    const tight = await build(target.tokens + countTokens("function clampRatio(value: number): number;") + 2);
    const dense = tight.chunks.find((c) => c.symbol === "clampRatio");
    assert.ok(dense, `the helper is still shown at a tight budget:\n${tight.chunks.map((c) => c.text).join("\n---\n")}`);
    assert.doesNotMatch(dense.text, /Math\.min/);
    assert.ok(tight.totalTokens <= target.tokens + countTokens("function clampRatio(value: number): number;") + 2);
  });

  it("emits chunks that parse on their own", async () => {
    const doc = open(geometry, "typescript");
    for (const budget of [100, 300, 2000]) {
      const r = await buildContext(tsRequest(doc, { kind: "stub", stub: stub(doc, "samePerimeter") }, budget));
      for (const c of r.chunks.filter((x) => x.source !== "test-example")) {
        assert.deepEqual(parseErrors(c.text, "typescript"), [], `chunk parses:\n${c.text}`);
      }
    }
  });
});
