/**
 * Applying safely and stopping cleanly, through the server process and the fake LLM: the user
 * edits while the model writes, the user cancels mid-stream (both ways), the resolve budget runs out.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import type { CodeAction, WorkspaceEdit } from "vscode-languageserver-protocol";
import { fakeSettings } from "../fakeLlm/settings.js";
import { defaultCapabilities, startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, applyTo, marked, pick, until } from "./helpers.js";
import { useServerFixture } from "../helpers/serverFixture.js";

const STUB = "function other() {\n  return 1;\n}\n\nexport function add(a: number, b: number): number {\n  // TODO|\n}\n";

describe("actions: safe apply and cancellation (server process + fake LLM)", function () {
  this.timeout(30000);
  const f = useServerFixture("actions-safe-");

  async function start(opts: { resolve?: boolean; overrides?: Parameters<typeof fakeSettings>[1] } = {}): Promise<TestServer> {
    const caps = structuredClone(defaultCapabilities);
    if (opts.resolve === false) delete caps.textDocument!.codeAction!.resolveSupport;
    caps.workspace!.workspaceEdit = { documentChanges: true };
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, opts.overrides ?? {}), capabilities: caps, workspaceFolders: [f.ws] });
    return f.server;
  }

  async function openStub(s: TestServer) {
    const { text, position } = marked(STUB);
    const file = path.join(f.ws, "math.ts");
    fs.writeFileSync(file, text);
    const uri = await s.openDocument(file, "typescript", text);
    return { uri, text, position };
  }

  /** Scripts a reply that waits until the test says go, so edits land while the model "writes". */
  function gatedReply(text: string): () => void {
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    f.fake.enqueue(async () => {
      await gate;
      return { text, chunkSize: 6 };
    });
    return go;
  }

  it("the user edits above the function meanwhile: the body lands on the function at its new place, for the new version", async () => {
    const s = await start({ resolve: false });
    const { uri, text, position } = await openStub(s);
    const go = gatedReply("```ts\nreturn a + b;\n```");
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    await s.request("workspace/executeCommand", gen.command);
    await f.fake.waitForRequests(1, { endpoint: "chat" });
    const header = "// a comment the user typed\n// and another line\n";
    await s.changeDocument(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: header }]);
    assert.equal(await s.documentText(uri), header + text);
    go();
    await until(() => s.appliedEdits.length === 1, "workspace/applyEdit");
    const edit = s.appliedEdits[0]!.edit as WorkspaceEdit;
    assert.equal((edit.documentChanges![0] as { textDocument: { version: number } }).textDocument.version, 2);
    assert.equal(applyTo(header + text, edit, uri), header + STUB.replace("  // TODO|", "  return a + b;"));
  });

  it("the user edits the stub itself meanwhile: nothing is applied, and a message says why", async () => {
    const s = await start({ resolve: false });
    const { uri, position } = await openStub(s);
    const go = gatedReply("```ts\nreturn a + b;\n```");
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    await s.request("workspace/executeCommand", gen.command);
    await f.fake.waitForRequests(1, { endpoint: "chat" });
    // Replace "// TODO" (line 5) with real code: the function is no longer a stub.
    await s.changeDocument(uri, 2, [{ range: { start: { line: 5, character: 2 }, end: { line: 5, character: 9 } }, text: "return b + a;" }]);
    await s.documentText(uri);
    go();
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /changed|edited/);
    assert.match(msg.message, /nothing was applied/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(s.appliedEdits.length, 0);
  });

  it("$/cancelRequest on codeAction/resolve aborts the HTTP request mid-stream", async () => {
    const s = await start();
    const { uri, position } = await openStub(s);
    f.fake.enqueue({ text: "```ts\nreturn a + b;\n// more and more\n```", chunkSize: 4, stallAfterChunks: 2 });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    const cts = new CancellationTokenSource();
    const pending = s.connection.sendRequest<CodeAction>("codeAction/resolve", gen, cts.token).catch((e: Error) => e);
    const [req] = await f.fake.waitForRequests(1, { endpoint: "chat" });
    await until(() => req!.sentText.length > 0, "the first chunks");
    cts.cancel();
    const ended = await f.fake.waitForEnd(req!);
    assert.equal(ended.aborted, true, "the fake saw the client abort");
    const result = await pending;
    assert.ok(result instanceof Error || !(result as CodeAction).edit, "no edit after a cancel");
    assert.equal(s.appliedEdits.length, 0);
  });

  it("a work-done cancel aborts the executeCommand path mid-stream; nothing is applied", async () => {
    const s = await start({ resolve: false });
    const { uri, position } = await openStub(s);
    f.fake.enqueue({ text: "```ts\nreturn a + b;\n// more and more\n```", chunkSize: 4, stallAfterChunks: 2 });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    await s.request("workspace/executeCommand", gen.command);
    const [req] = await f.fake.waitForRequests(1, { endpoint: "chat" });
    await until(() => s.serverRequests.some((r) => r.method === "window/workDoneProgress/create"), "progress creation");
    const token = s.serverRequests.find((r) => r.method === "window/workDoneProgress/create")!.params.token;
    await until(() => req!.sentText.length > 0, "the first chunks");
    await s.notify("window/workDoneProgress/cancel", { token });
    const ended = await f.fake.waitForEnd(req!);
    assert.equal(ended.aborted, true);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /cancelled; nothing was applied/);
    assert.equal(s.appliedEdits.length, 0);
  });

  it("past the resolve budget the action is answered without an edit, and the edit follows through workspace/applyEdit", async () => {
    const s = await start({ overrides: { actions: { resolveBudgetMs: 1000 } } });
    const { uri, text, position } = await openStub(s);
    f.fake.enqueue({ text: "```ts\nreturn a + b;\n```", firstTokenDelayMs: 2500 });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    assert.equal(resolved.edit, undefined, "answered within the budget");
    assert.equal(resolved.command, undefined);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /taking longer than 1 s; the edit will be applied when it is ready/);
    await until(() => s.appliedEdits.length === 1, "workspace/applyEdit");
    assert.equal(applyTo(text, s.appliedEdits[0]!.edit as WorkspaceEdit, uri), STUB.replace("|", "").replace("  // TODO", "  return a + b;"));
    assert.equal(f.fake.requests.filter((r) => r.endpoint === "chat").length, 1);
  });

  it("past the resolve budget, an editor without applyEdit gets the generation aborted and a message naming the setting", async () => {
    const caps = structuredClone(defaultCapabilities);
    caps.workspace!.applyEdit = false;
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, { actions: { resolveBudgetMs: 1000 } }), capabilities: caps, workspaceFolders: [f.ws] });
    const s = f.server;
    const { uri, position } = await openStub(s);
    f.fake.enqueue({ text: "```ts\nreturn a + b;\n```", stallAfterChunks: 1, chunkSize: 3 });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    assert.equal(resolved.edit, undefined);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /did not finish within 1 s \(setting actions\.resolveBudgetMs\)/);
    const [req] = f.fake.requests.filter((r) => r.endpoint === "chat");
    assert.equal((await f.fake.waitForEnd(req!)).aborted, true);
  });
});
