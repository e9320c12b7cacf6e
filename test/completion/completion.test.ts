/**
 * Completions through the real server process and the fake LLM over HTTP.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { defaultCapabilities, startServer, type TestServer } from "../helpers/lspClient.js";

const TS = "function total(xs: number[]): number {\n  return xs.length;\n}\nconst n = comp\nconsole.log(n);\n";
/** The cursor: right after "comp" on line 3. */
const AT = { line: 3, character: 14 };

/** A 127.0.0.1 port that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("completion (server process + fake LLM)", function () {
  this.timeout(60000);
  let fake: FakeLlm;
  let server: TestServer | undefined;

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault("ute(1, 2);");
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await fake.close();
  });

  async function start(overrides: Parameters<typeof fakeSettings>[1] = {}, capabilities = defaultCapabilities): Promise<TestServer> {
    server = await startServer({ initializationOptions: fakeSettings(fake.url, overrides), capabilities });
    return server;
  }
  const modelRequests = () => fake.requests.filter((r) => r.endpoint !== "models");
  const complete = (s: TestServer, uri: string, position = AT, triggerKind = 1) =>
    s.request("textDocument/completion", { textDocument: { uri }, position, context: { triggerKind } });

  it("returns one model item whose edit starts at the word being typed, and sends the FIM suffix", async () => {
    const s = await start();
    assert.ok(s.initializeResult?.capabilities.completionProvider, "completion is declared");
    const uri = await s.openDocument("/tmp/completion-ws/a.ts", "typescript", TS);
    const list = await complete(s, uri);
    assert.equal(list.isIncomplete, true);
    assert.equal(list.items.length, 1);
    const item = list.items[0];
    assert.equal(item.label, "compute(1, 2);");
    assert.deepEqual(item.textEdit.range, { start: { line: 3, character: 10 }, end: AT });
    assert.equal(item.textEdit.newText, "compute(1, 2);");
    assert.match(item.detail, /model/);
    assert.equal(item.sortText, "!");
    assert.ok(item.filterText.startsWith("comp"));
    assert.match(item.documentation.value, /compute\(1, 2\);/);
    const [req] = modelRequests();
    assert.equal(req!.endpoint, "completions");
    assert.ok(req!.body.prompt.endsWith("const n = comp"), req!.body.prompt);
    assert.ok(req!.body.suffix.startsWith("\nconsole.log(n);"), req!.body.suffix);
  });

  it("answers every request of a burst (cancelled ones too) with exactly one model call holding every key", async () => {
    // A long debounce so the burst, sent without pauses, always ends before it.
    const s = await start({ completion: { debounceMinMs: 800, debounceMaxMs: 1200 } });
    const uri = await s.openDocument("/tmp/completion-ws/b.ts", "typescript", "const n = \n");
    const keys = "compute";
    const answers: Array<Promise<any>> = [];
    let previous: CancellationTokenSource | undefined;
    for (let i = 0; i < keys.length; i++) {
      void s.changeDocument(uri, i + 2, [{ range: { start: { line: 0, character: 10 + i }, end: { line: 0, character: 10 + i } }, text: keys[i]! }]);
      previous?.cancel();
      const source = new CancellationTokenSource();
      previous = source;
      answers.push(
        s.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: 0, character: 11 + i }, context: { triggerKind: 3 } }, source.token),
      );
    }
    const results = await Promise.all(answers);
    assert.equal(results.length, keys.length, "every request was answered");
    for (const r of results.slice(0, -1)) assert.deepEqual(r.items, [], "superseded requests answer empty");
    assert.equal(results.at(-1).items.length, 1);
    assert.equal(modelRequests().length, 1, "one model call for the burst");
    assert.ok(modelRequests()[0]!.body.prompt.endsWith("const n = compute"), "the prompt holds every key");
  });

  it("serves the rest of a shown suggestion with no model call when the user types through it", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/completion-ws/c.ts", "typescript", TS);
    await complete(s, uri);
    await s.changeDocument(uri, 2, [{ range: { start: AT, end: AT }, text: "ut" }]);
    const list = await complete(s, uri, { line: 3, character: 16 }, 3);
    assert.equal(list.items[0].textEdit.newText, "compute(1, 2);");
    assert.deepEqual(list.items[0].textEdit.range.start, { line: 3, character: 10 });
    assert.equal(modelRequests().length, 1, "no new model call");
    const stats = await s.request("codegen/completionStats");
    assert.equal(stats.typingThroughHits, 1);
    assert.equal(stats.modelCalls, 1);
  });

  it("reuses the model call in flight when the user types what it is about to suggest (a client that never cancels)", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/completion-ws/r.ts", "typescript", TS);
    // The reply is held back long enough for the next keystroke to arrive while the call runs.
    fake.setDefault({ text: "ute(1, 2);", headersDelayMs: 1500 });
    const first = complete(s, uri);
    await fake.waitForRequests(1, { endpoint: "completions" });
    await s.changeDocument(uri, 2, [{ range: { start: AT, end: AT }, text: "u" }]);
    const second = await complete(s, uri, { line: 3, character: 15 }, 3);
    assert.deepEqual((await first).items, [], "the superseded request is answered empty");
    assert.equal(second.items[0]?.textEdit.newText, "compute(1, 2);");
    assert.equal(modelRequests().length, 1, "one model call");
    assert.equal(modelRequests()[0]!.aborted, false);
    assert.equal((await s.request("codegen/completionStats")).reuseHits, 1);
  });

  it("limits a block to the body and stops the stream once the block is complete", async () => {
    const s = await start();
    const text = "function add(a: number, b: number): number {\n  \n}\n";
    const uri = await s.openDocument("/tmp/completion-ws/d.ts", "typescript", text);
    fake.setDefault({ chunks: ["return a + b;\n", "}\n", "\nfunction other() {\n", ...Array(40).fill("  x();\n")], chunkDelayMs: 150 });
    const list = await complete(s, uri, { line: 1, character: 2 });
    assert.equal(list.items[0]?.textEdit.newText, "return a + b;");
    const [req] = modelRequests();
    await fake.waitForEnd(req!);
    assert.equal(req!.aborted, true, "the stream was closed before the model finished");
  });

  it("answers empty and says so once when the endpoint is down, and keeps running", async () => {
    const port = await closedPort();
    const s = await start({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const uri = await s.openDocument("/tmp/completion-ws/e.ts", "typescript", TS);
    const first = await complete(s, uri);
    const second = await complete(s, uri);
    assert.deepEqual(first.items, []);
    assert.deepEqual(second.items, []);
    const shown = s.showMessages().filter((m) => /completion/.test(m.message));
    assert.equal(shown.length, 1, JSON.stringify(s.showMessages()));
    assert.match(shown[0]!.message, /cannot reach/);
    assert.ok(await s.settings(), "the server still answers");
  });

  it("converts ranges to utf-8 when the client negotiated it", async () => {
    const caps = { ...defaultCapabilities, general: { positionEncodings: ["utf-8" as const] } };
    const s = await start({}, caps);
    const text = "const s = '😀'; const n = comp\n";
    const uri = await s.openDocument("/tmp/completion-ws/f.ts", "typescript", text);
    // "const s = '😀'; const n = comp" is 30 UTF-16 units before the cursor but 32 UTF-8 bytes.
    const list = await complete(s, uri, { line: 0, character: 32 });
    assert.deepEqual(list.items[0].textEdit.range, { start: { line: 0, character: 28 }, end: { line: 0, character: 32 } });
    assert.ok(modelRequests()[0]!.body.prompt.endsWith("const n = comp"));
  });

  it("speaks each FIM mode: the family's tokens, llama.cpp /infill, and a chat prompt whose fenced reply is cleaned", async () => {
    const s = await start({ completion: { fimMode: "completions-template", model: "qwen2.5-coder:1.5b" } });
    const uri = await s.openDocument("/tmp/completion-ws/m.ts", "typescript", TS);
    await complete(s, uri);
    const [tpl] = modelRequests();
    assert.equal(tpl!.endpoint, "completions");
    assert.ok(tpl!.body.prompt.includes("const n = comp<|fim_suffix|>\nconsole.log(n);"), tpl!.body.prompt);
    assert.equal(tpl!.body.suffix, undefined);
    assert.ok(tpl!.body.stop.includes("<|fim_middle|>"));
    await s.kill();

    fake.reset();
    const infill = await start({ completion: { fimMode: "llamacpp-infill" } });
    const uri2 = await infill.openDocument("/tmp/completion-ws/m.ts", "typescript", TS);
    const list = await complete(infill, uri2);
    assert.equal(list.items[0]?.textEdit.newText, "compute(1, 2);");
    const [inf] = modelRequests();
    assert.equal(inf!.endpoint, "infill");
    assert.ok(inf!.body.input_prefix.endsWith("const n = comp"));
    assert.ok(inf!.body.input_suffix.startsWith("\nconsole.log(n);"));
    await infill.kill();

    fake.reset();
    fake.setDefault("```typescript\nconst n = compute(1, 2);\n```");
    const chat = await start({ completion: { fimMode: "chat" } });
    const uri3 = await chat.openDocument("/tmp/completion-ws/m.ts", "typescript", TS);
    const chatList = await complete(chat, uri3);
    const [c] = modelRequests();
    assert.equal(c!.endpoint, "chat");
    assert.ok(JSON.stringify(c!.body.messages).includes("const n = comp<|FILL_HERE|>"));
    assert.equal(chatList.items[0]?.textEdit.newText, "compute(1, 2);");
  });

  it("offers inline completion only to clients that advertise it", async () => {
    const caps = { ...defaultCapabilities, textDocument: { ...defaultCapabilities.textDocument, inlineCompletion: {} } };
    const s = await start({}, caps);
    assert.equal(s.initializeResult?.capabilities.inlineCompletionProvider, true);
    const uri = await s.openDocument("/tmp/completion-ws/g.ts", "typescript", TS);
    const list = await s.request("textDocument/inlineCompletion", { textDocument: { uri }, position: AT, context: { triggerKind: 1 } });
    assert.equal(list.items[0].insertText, "ute(1, 2);");
    assert.deepEqual(list.items[0].range, { start: AT, end: AT });
    await s.kill();
    const plain = await start();
    assert.equal(plain.initializeResult?.capabilities.inlineCompletionProvider, undefined);
  });

  it("answers completion and inline completion for the same keystroke from one model call", async () => {
    const caps = { ...defaultCapabilities, textDocument: { ...defaultCapabilities.textDocument, inlineCompletion: {} } };
    const s = await start({}, caps);
    const uri = await s.openDocument("/tmp/completion-ws/i.ts", "typescript", TS);
    const [list, inline] = await Promise.all([
      complete(s, uri, AT, 3),
      s.request("textDocument/inlineCompletion", { textDocument: { uri }, position: AT, context: { triggerKind: 2 } }),
    ]);
    assert.equal(list.items[0]?.textEdit.newText, "compute(1, 2);");
    assert.equal(inline.items[0]?.insertText, "ute(1, 2);");
    assert.equal(modelRequests().length, 1);
  });

  it("can be turned off, or limited to explicit invokes", async () => {
    const off = await start({ completion: { enabled: false } });
    assert.equal(off.initializeResult?.capabilities.completionProvider, undefined);
    await off.kill();
    const s = await start({ completion: { onlyOnInvoke: true } });
    const uri = await s.openDocument("/tmp/completion-ws/h.ts", "typescript", TS);
    const typing = await complete(s, uri, AT, 3);
    assert.deepEqual(typing.items, []);
    assert.equal(modelRequests().length, 0, "no model call while typing");
    // An invoke after the document has been quiet is explicit: the model is asked.
    await new Promise((r) => setTimeout(r, 400));
    const invoked = await complete(s, uri, AT, 1);
    assert.equal(invoked.items[0]?.textEdit.newText, "compute(1, 2);");
    assert.equal(modelRequests().length, 1);
  });
});
