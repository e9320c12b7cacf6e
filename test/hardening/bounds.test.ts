/**
 * Size bounds (issue 9): a document over `maxFileBytes` is not parsed (no syntax-tree actions are
 * offered for it) and is never sent whole: every request the model receives stays well under the
 * limit, whether the huge document is the one being edited or merely open next to it.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CodeAction } from "vscode-languageserver-protocol";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";

const LIMIT = 200_000;

/** About `bytes` of distinct TypeScript functions, with a stub and a half-typed line at the end. */
function hugeSource(bytes: number): { text: string; stubLine: number; completeAt: { line: number; character: number } } {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const fn = `export function helper${i}(value: number): number {\n  return value * ${i} + ${i % 7};\n}\n`;
    lines.push(fn);
    size += fn.length;
  }
  const head = lines.join("");
  const stub = "export function add(a: number, b: number): number {\n  // TODO\n}\nconst n = comp\n";
  const text = head + stub + "console.log(n);\n";
  const firstStubLine = head.split("\n").length - 1;
  return { text, stubLine: firstStubLine + 1, completeAt: { line: firstStubLine + 3, character: 14 } };
}

describe("hardening: documents over the size limit", function () {
  this.timeout(60000);
  let fake: FakeLlm;
  let server: TestServer | undefined;
  let ws: string;

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault((req) => (req.endpoint === "chat" ? "```ts\nreturn a + b;\n```\nIt adds." : "ute(1, 2);"));
    ws = fs.mkdtempSync(path.join(os.tmpdir(), "hardening-bounds-"));
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await fake.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  async function start(): Promise<TestServer> {
    server = await startServer({ initializationOptions: fakeSettings(fake.url, { maxFileBytes: LIMIT, completion: { contextTokens: 1_000_000 }, actions: { contextTokens: 1_000_000 } }), workspaceFolders: [ws] });
    return server;
  }

  /** Every model request so far, with its size; all must be under the limit. */
  function assertAllUnderLimit(): void {
    const gen = fake.requests.filter((r) => r.endpoint !== "models");
    assert.ok(gen.length > 0, "the model was asked at least once");
    for (const r of gen) assert.ok(Buffer.byteLength(r.rawBody) < LIMIT, `${r.endpoint} request of ${r.rawBody.length} bytes is under the ${LIMIT}-byte limit`);
  }

  it("a huge document being edited: no tree-based actions, completion and hover send only a window of it", async () => {
    const s = await start();
    const { text, stubLine, completeAt } = hugeSource(5 * LIMIT);
    const file = path.join(ws, "huge.ts");
    fs.writeFileSync(file, text);
    const uri = await s.openDocument(file, "typescript", text);
    assert.equal((await s.documentText(uri))?.length, text.length, "the server keeps the whole text");

    const actions = await s.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: stubLine, character: 4 }, end: { line: stubLine, character: 4 } },
      context: { diagnostics: [] },
    });
    assert.ok(!actions.some((a) => a.title.startsWith("Generate implementation")), `not parsed, so no stub is found: ${actions.map((a) => a.title).join(", ")}`);

    const list = await s.request("textDocument/completion", { textDocument: { uri }, position: completeAt, context: { triggerKind: 1 } });
    assert.equal(list.items.length, 1, "completion still works on plain text");
    await s.request("textDocument/hover", { textDocument: { uri }, position: { line: completeAt.line - 3, character: 17 } });
    assertAllUnderLimit();
  });

  it("a huge document open next to the one being edited is never sent whole", async () => {
    const s = await start();
    const big = hugeSource(5 * LIMIT).text;
    const bigFile = path.join(ws, "big.ts");
    fs.writeFileSync(bigFile, big);
    await s.openDocument(bigFile, "typescript", big);
    const small = "import { helper1 } from \"./big.js\";\n\nexport function add(a: number, b: number): number {\n  // TODO\n}\nconst n = comp\n";
    const smallFile = path.join(ws, "small.ts");
    fs.writeFileSync(smallFile, small);
    const uri = await s.openDocument(smallFile, "typescript", small);

    const actions = await s.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } },
      context: { diagnostics: [] },
    });
    const gen = actions.find((a) => a.title.startsWith("Generate implementation"));
    assert.ok(gen, "the small file is parsed");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    await s.request("textDocument/completion", { textDocument: { uri }, position: { line: 5, character: 14 }, context: { triggerKind: 1 } });
    assertAllUnderLimit();
  });
});
