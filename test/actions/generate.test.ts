/**
 * "Generate implementation" through the real server process and the fake LLM: the resolve path and
 * the executeCommand path, and the reply shapes models really produce.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { CodeAction, WorkspaceEdit } from "vscode-languageserver-protocol";
import { fakeSettings } from "../fakeLlm/settings.js";
import { defaultCapabilities, startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, applyTo, marked, pick, recordProgress, until } from "./helpers.js";
import { useServerFixture } from "../helpers/serverFixture.js";

describe("actions: Generate implementation (server process + fake LLM)", function () {
  this.timeout(30000);
  const f = useServerFixture("actions-gen-");

  async function start(opts: { resolve?: boolean; utf8?: boolean; overrides?: Parameters<typeof fakeSettings>[1] } = {}): Promise<TestServer> {
    const caps = structuredClone(defaultCapabilities);
    if (opts.utf8) caps.general = { positionEncodings: ["utf-8"] };
    if (opts.resolve === false) delete caps.textDocument!.codeAction!.resolveSupport;
    caps.workspace!.workspaceEdit = { documentChanges: true, resourceOperations: ["create"] };
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, opts.overrides ?? {}), capabilities: caps, workspaceFolders: [f.ws] });
    return f.server;
  }

  async function open(s: TestServer, name: string, languageId: string, src: string) {
    const { text, position } = marked(src);
    const file = path.join(f.ws, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const uri = await s.openDocument(file, languageId, text);
    return { uri, text, position };
  }

  it("offers Generate implementation on a stub at once, without a model call, with kind refactor.rewrite", async () => {
    const s = await start();
    const { uri, position } = await open(s, "math.ts", "typescript", "export function add(a: number, b: number): number {\n  // TODO|\n}\n");
    const actions = await actionsAt(s, uri, position);
    const gen = pick(actions, "Generate implementation of add");
    assert.equal(gen.kind, "refactor.rewrite");
    assert.equal(gen.edit, undefined);
    assert.ok(gen.data, "carries data for resolve");
    assert.equal(f.fake.requests.filter((r) => r.endpoint === "chat").length, 0);
    // `only` filters by kind: quickfix hides it, refactor keeps it.
    assert.equal((await actionsAt(s, uri, position, [], ["quickfix"])).some((a) => a.title.startsWith("Generate")), false);
    assert.equal((await actionsAt(s, uri, position, [], ["refactor"])).some((a) => a.title.startsWith("Generate")), true);
  });

  it("resolve path: fenced reply with prose, an echoed signature and 4-space indentation fits a 2-space file", async () => {
    const s = await start();
    const src = "export function twice(n: number): number {\n  return n * 2;\n}\n\nexport function add(a: number, b: number): number {\n  |throw new Error(\"not implemented\");\n}\n";
    const { uri, text, position } = await open(s, "math.ts", "typescript", src);
    f.fake.enqueue("Sure! Here is the implementation:\n\n```typescript\nexport function add(a: number, b: number): number {\n    if (a === 0) {\n        return b;\n    }\n    return a + b;\n}\n```\n\nThis handles zero first.");
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    assert.ok(resolved.edit, "resolved with an edit");
    assert.equal(resolved.command, undefined, "the resolved action carries no command to run again");
    const out = applyTo(text, resolved.edit!, uri);
    assert.equal(out, "export function twice(n: number): number {\n  return n * 2;\n}\n\nexport function add(a: number, b: number): number {\n  if (a === 0) {\n    return b;\n  }\n  return a + b;\n}\n");
    const chat = f.fake.requests.filter((r) => r.endpoint === "chat");
    assert.equal(chat.length, 1);
    assert.equal(chat[0]!.body.stream, true, "the reply is streamed");
    assert.match(JSON.stringify(chat[0]!.body.messages), /only the body of `add`/);
    // The editor runs the command too: it must not generate a second time.
    await s.request("workspace/executeCommand", gen.command);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(f.fake.requests.filter((r) => r.endpoint === "chat").length, 1);
    assert.equal(s.appliedEdits.length, 0);
  });

  it("shows the model the class a method stub is written in, with the fields its body will use", async () => {
    const s = await start();
    const src = [
      "export class Counter {",
      "  private count = 0;",
      "  private readonly step: number;",
      "",
      "  constructor(step: number) {",
      "    this.step = step;",
      "  }",
      "",
      "  next(): number {",
      '    |throw new Error("not implemented");',
      "  }",
      "}",
      "",
    ].join("\n");
    const { uri, text, position } = await open(s, "counter.ts", "typescript", src);
    f.fake.enqueue("```ts\nthis.count += this.step;\nreturn this.count;\n```");
    const resolved = await s.request<CodeAction>("codeAction/resolve", pick(await actionsAt(s, uri, position), "Generate implementation of next"));
    assert.match(applyTo(text, resolved.edit!, uri), /next\(\): number \{\n    this\.count \+= this\.step;\n    return this\.count;\n  \}/);
    const user = (f.fake.requests.find((r) => r.endpoint === "chat")!.body.messages as Array<{ role: string; content: string }>)[1]!.content;
    const where = user.indexOf("Where it is written (counter.ts");
    assert.ok(where >= 0, `the enclosing class is sent:\n${user}`);
    const block = user.slice(where, user.indexOf("The function to implement"));
    assert.match(block, /export class Counter \{/);
    assert.match(block, /private count = 0;/);
    assert.match(block, /private readonly step: number;/);
    // A top-level function is its own chunk: the prompt shows it once, as the function to implement.
    const top = "export function add(a: number, b: number): number {\n  // TODO|\n}\n";
    const second = await open(s, "add.ts", "typescript", top);
    f.fake.enqueue("```ts\nreturn a + b;\n```");
    await s.request<CodeAction>("codeAction/resolve", pick(await actionsAt(s, second.uri, second.position), "Generate implementation of add"));
    const chats = f.fake.requests.filter((r) => r.endpoint === "chat");
    assert.doesNotMatch((chats[chats.length - 1]!.body.messages as Array<{ content: string }>)[1]!.content, /Where it is written/);
  });

  it("executeCommand path (no resolve support): replies at once, then applies a versioned edit with CRLF line endings", async () => {
    const s = await start({ resolve: false });
    const seen = recordProgress(s);
    const src = "export function add(a: number, b: number): number {\r\n  // TODO|\r\n}\r\n";
    const { uri, text, position } = await open(s, "crlf.ts", "typescript", src);
    f.fake.enqueue({ text: "```ts\nconst sum = a + b;\nreturn sum;\n```", chunkSize: 4, chunkDelayMs: 5 });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    assert.equal(gen.data, undefined, "no resolve data for a client without resolve support");
    const reply = await s.request("workspace/executeCommand", gen.command);
    assert.equal(reply, null);
    await until(() => s.appliedEdits.length === 1, "workspace/applyEdit");
    const edit = s.appliedEdits[0]!.edit as WorkspaceEdit;
    const dc = edit.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(dc.textDocument.version, 1, "the edit carries the document version it was computed for");
    assert.equal(applyTo(text, edit, uri), "export function add(a: number, b: number): number {\r\n  const sum = a + b;\r\n  return sum;\r\n}\r\n");
    const progress = seen.map((p) => p.value.kind);
    assert.deepEqual([progress[0], progress[progress.length - 1]], ["begin", "end"]);
  });

  it("invalid code twice: retries once with the parse error shown, then applies nothing and says so", async () => {
    const s = await start();
    const { uri, position } = await open(s, "bad.ts", "typescript", "export function add(a: number, b: number): number {\n  // TODO|\n}\n");
    f.fake.enqueue("```ts\nreturn a + ;\n```");
    f.fake.enqueue("```ts\nreturn (a + b;\n```");
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    assert.equal(resolved.edit, undefined);
    const chat = f.fake.requests.filter((r) => r.endpoint === "chat");
    assert.equal(chat.length, 2, "one retry");
    const retryMessages = chat[1]!.body.messages as Array<{ role: string; content: string }>;
    assert.equal(retryMessages[2]!.content, "```ts\nreturn a + ;\n```");
    assert.match(retryMessages[3]!.content, /line 2/);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /nothing was applied/);
  });

  it("the endpoint is down: a clear message, nothing applied", async () => {
    const s = await start({ resolve: false, overrides: { baseUrl: "http://127.0.0.1:9/v1", maxRetries: 0 } });
    const { uri, position } = await open(s, "down.ts", "typescript", "export function add(a: number, b: number): number {\n  // TODO|\n}\n");
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    await s.request("workspace/executeCommand", gen.command);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Generate implementation/.test(p.message));
    assert.match(msg.message, /127\.0\.0\.1:9/);
    assert.match(msg.message, /nothing was applied/);
    assert.equal(s.appliedEdits.length, 0);
  });

  it("with utf-8 positions negotiated, the edit's columns count bytes on a line holding an astral character", async () => {
    const s = await start({ utf8: true });
    assert.equal(s.initializeResult?.capabilities.positionEncoding, "utf-8");
    const src = "export function add(a: number /* 😀 */, b: number): number {|}\n";
    const { uri, text } = await open(s, "emoji.ts", "typescript", src);
    f.fake.enqueue("```ts\nreturn a + b;\n```");
    const line0 = text.split("\n")[0]!;
    const utf16 = line0.indexOf("{") + 1;
    const gen = pick(await actionsAt(s, uri, { line: 0, character: Buffer.byteLength(line0.slice(0, utf16)) }), "Generate implementation");
    const resolved = await s.request<CodeAction>("codeAction/resolve", gen);
    const edit = (resolved.edit!.documentChanges![0] as { edits: Array<{ range: { start: { character: number } }; newText: string }> }).edits[0]!;
    assert.equal(edit.range.start.character, Buffer.byteLength(line0.slice(0, utf16)));
    assert.notEqual(edit.range.start.character, utf16);
    // Nothing in the file is indented yet, so the body takes TypeScript's conventional unit (two spaces).
    assert.equal(edit.newText, "\n  return a + b;\n");
  });

  it("command path: while the editor has not answered workspace/applyEdit, the server nudges it with log lines", async () => {
    // eglot 1.9 reads a server request that arrives in the same chunk as the reply to its
    // synchronous executeCommand only when more output follows; the nudges are that output.
    const s = await start({ resolve: false });
    const { uri, position } = await open(s, "nudge.ts", "typescript", "export function add(a: number, b: number): number {\n  // TODO|\n}\n");
    f.fake.enqueue("```ts\nreturn a + b;\n```");
    let answeredAfterNudge = false;
    s.onRequest("workspace/applyEdit", async () => {
      await s.waitForNotification("window/logMessage", (p) => /waiting for the editor to apply/.test(p.message), 10000);
      answeredAfterNudge = true;
      return { applied: true };
    });
    const gen = pick(await actionsAt(s, uri, position), "Generate implementation");
    await s.request("workspace/executeCommand", gen.command);
    await until(() => answeredAfterNudge, "a nudge while workspace/applyEdit is pending");
  });

  it("with actions disabled in the settings, nothing is offered", async () => {
    const s = await start({ overrides: { actions: { enabled: false } } });
    const { uri, position } = await open(s, "off.ts", "typescript", "export function add(a: number, b: number): number {\n  // TODO|\n}\n");
    const titles = (await actionsAt(s, uri, position)).map((a) => a.title);
    assert.equal(titles.some((t) => /Generate|Add tests|Document/.test(t)), false, titles.join(", "));
  });
});
