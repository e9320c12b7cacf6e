/**
 * Hover explanations through the real server process and the fake LLM over HTTP.
 */
import assert from "node:assert/strict";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";
import { posOf } from "./positions.js";

const TS = `import { readFileSync } from "node:fs";

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

export function total(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum = add(sum, x);
  return sum;
}

// the answer to everything
const answer = 42;
const greeting = "hello";
`;

const PY = `def scale(values, factor):
    """Multiplies every value."""
    return [v * factor for v in values]


def main():
    print(scale([1, 2], 3))
`;

const EXPLANATION = "Returns the sum of `a` and `b`.\n\n**Parameters**\n- `a`: first\n- `b`: second\n\n**Returns** the sum.";

describe("hover explanations (server process + fake LLM)", function () {
  this.timeout(30000);
  let fake: FakeLlm;
  let server: TestServer | undefined;

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault(EXPLANATION);
  });
  afterEach(async function () {
    if (this.currentTest?.state === "failed" && server) {
      // The server's own account of what happened, to tell a hang from a crash.
      console.error(`server stderr:\n${server.stderr()}\nlog:\n${server.logMessages().slice(-30).join("\n")}`);
    }
    await server?.kill();
    server = undefined;
    await fake.close();
  });

  async function start(overrides: Parameters<typeof fakeSettings>[1] = {}): Promise<TestServer> {
    server = await startServer({ initializationOptions: fakeSettings(fake.url, overrides) });
    return server;
  }
  const chatRequests = () => fake.requests.filter((r) => r.endpoint === "chat");
  const hover = (s: TestServer, uri: string, position: { line: number; character: number }) =>
    s.request("textDocument/hover", { textDocument: { uri }, position });

  it("explains a call in markdown: signature block, the model's text, the identifier's range", async () => {
    const s = await start();
    assert.equal(s.initializeResult?.capabilities.hoverProvider, true);
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const at = posOf(TS, "add(sum", 1);
    const result = await hover(s, uri, at);
    assert.ok(result, "a hover came back");
    assert.equal(result.contents.kind, "markdown");
    const value: string = result.contents.value;
    assert.match(value, /^```typescript\n[^\n]*function add\(a: number, b: number\): number\n```\n\n/);
    assert.ok(value.includes(EXPLANATION), value);
    assert.match(value, /_Explained by fake-chat; may be inaccurate\._$/);
    assert.deepEqual(result.range, { start: posOf(TS, "add(sum"), end: posOf(TS, "add(sum", 3) });

    const [req] = chatRequests();
    assert.equal(chatRequests().length, 1);
    assert.equal(req!.body.model, "fake-chat");
    const user: string = req!.body.messages.at(-1).content;
    assert.ok(user.includes("return a + b;"), "the definition is in the prompt");
    assert.ok(user.includes("sum = add(sum, x)"), "the code at the cursor is in the prompt");
  });

  it("explains a Python function from a call site", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/util.py", "python", PY);
    const result = await hover(s, uri, posOf(PY, "scale([1", 2));
    assert.ok(result?.contents.value.includes(EXPLANATION));
    const user: string = chatRequests()[0]!.body.messages.at(-1).content;
    assert.ok(user.includes("return [v * factor for v in values]"));
  });

  it("returns null with no model call on a keyword, literals, a comment and whitespace", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const spots = [
      posOf(TS, "const answer", 1), // keyword
      posOf(TS, "42", 1), // number literal
      posOf(TS, '"hello"', 2), // string literal
      posOf(TS, "the answer to", 1), // comment
      posOf(TS, "  return a", 0), // indentation
    ];
    for (const at of spots) assert.equal(await hover(s, uri, at), null, JSON.stringify(at));
    assert.equal(chatRequests().length, 0);
  });

  it("explains an unknown function from its call, but asks nothing for a variable it cannot find", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    assert.equal(await hover(s, uri, posOf(TS, "sum = add", 1)), null, "a local variable");
    assert.equal(await hover(s, uri, posOf(TS, "xs)", 0)), null, "a parameter use");
    assert.equal(chatRequests().length, 0);
    const call = await hover(s, uri, posOf(TS, "readFileSync", 1));
    assert.equal(call, null, "an import name that is not called");
    const text = TS + "readFileSync(\"x\");\n";
    await s.changeDocument(uri, 2, [{ text }]);
    const called = await hover(s, uri, posOf(text, "readFileSync(", 1));
    assert.ok(called?.contents.value.includes(EXPLANATION));
    assert.ok(chatRequests()[0]!.body.messages.at(-1).content.includes("definition was not found"));
  });

  it("serves a second hover on the unchanged symbol from the cache, from any call site", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const first = await hover(s, uri, posOf(TS, "add(sum", 1));
    const again = await hover(s, uri, posOf(TS, "add(sum", 2));
    const onDefinition = await hover(s, uri, posOf(TS, "add(a:", 1));
    assert.equal(chatRequests().length, 1);
    assert.equal(again.contents.value, first.contents.value);
    assert.equal(onDefinition.contents.value, first.contents.value);
  });

  it("asks again when the definition changed", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    await hover(s, uri, posOf(TS, "add(sum", 1));
    const edited = TS.replace("return a + b;", "return b + a;");
    await s.changeDocument(uri, 2, [{ text: edited }]);
    fake.enqueue("Adds, the other way round.");
    const result = await hover(s, uri, posOf(edited, "add(sum", 1));
    assert.equal(chatRequests().length, 2);
    assert.ok(chatRequests()[1]!.body.messages.at(-1).content.includes("return b + a;"));
    assert.ok(result.contents.value.includes("Adds, the other way round."));
  });

  it("aborts the HTTP request when the client cancels the hover, and the next hover works", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    fake.enqueue({ hang: true });
    const source = new CancellationTokenSource();
    const pending = s.connection
      .sendRequest("textDocument/hover", { textDocument: { uri }, position: posOf(TS, "add(sum", 1) }, source.token)
      .then(
        (r) => ({ ok: true, r }),
        (e) => ({ ok: false, e }),
      );
    const [req] = await fake.waitForRequests(1, { endpoint: "chat" });
    source.cancel();
    const ended = await fake.waitForEnd(req!, 10000);
    assert.equal(ended.aborted, true, "the fake saw the client abort");
    const answer = await pending;
    if (answer.ok) assert.equal((answer as { r: unknown }).r, null);
    const next = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.ok(next?.contents.value.includes(EXPLANATION));
  });

  it("makes no model call when the hover is cancelled during hover.minDelayMs", async () => {
    const s = await start({ hover: { minDelayMs: 20000 } });
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const source = new CancellationTokenSource();
    const pending = s.connection
      .sendRequest("textDocument/hover", { textDocument: { uri }, position: posOf(TS, "add(sum", 1) }, source.token)
      .catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    source.cancel();
    await pending;
    // A round trip after the cancellation: the server has handled it by the time this answers.
    await s.settings();
    assert.equal(chatRequests().length, 0);
  });

  it("answers within hover.timeoutMs with a short note, and the late reply fills the cache", async () => {
    // The reply comes 1.5 s after the request: after the hover's 1 s, within the 3 s the call may go on.
    const s = await start({ hover: { timeoutMs: 1000 } });
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    fake.enqueue({ text: EXPLANATION, headersDelayMs: 1500 });
    const slow = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.match(slow.contents.value, /Still explaining `add`/);
    const [req] = await fake.waitForRequests(1, { endpoint: "chat" });
    await fake.waitForEnd(req!, 10000);
    let later: any;
    for (let i = 0; i < 50; i++) {
      later = await hover(s, uri, posOf(TS, "add(sum", 1));
      if (later?.contents.value.includes(EXPLANATION)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(later?.contents.value.includes(EXPLANATION));
    assert.equal(chatRequests().length, 1, "the late reply was reused, not asked again");
  });

  it("says once why explanations are unavailable when the endpoint is down, then stays quiet until it recovers", async () => {
    const s = await start({ maxRetries: 0 });
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    fake.enqueue({ status: 503 });
    fake.enqueue({ status: 503 });
    const first = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.match(first.contents.value, /^\*\*Explanation unavailable:\*\*/);
    const second = await hover(s, uri, posOf(TS, "total", 0));
    assert.equal(second, null, "the second hover during the outage is quiet");
    assert.equal(chatRequests().length, 2);
    assert.equal(s.showMessages().length, 0, "no popup");
    // The endpoint is back (the default reply): explanations return.
    const third = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.ok(third.contents.value.includes(EXPLANATION));
  });

  it("tells again after the settings change when the endpoint is unreachable", async () => {
    const closed = await startFakeLlm();
    const deadUrl = closed.url;
    await closed.close();
    server = await startServer({ initializationOptions: fakeSettings(deadUrl, { maxRetries: 0 }) });
    const s = server;
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const first = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.match(first.contents.value, /Explanation unavailable/);
    assert.equal(await hover(s, uri, posOf(TS, "add(sum", 1)), null);
    await s.notify("workspace/didChangeConfiguration", { settings: { codegen: { hover: { model: "other-model" } } } });
    await s.settings();
    const afterChange = await hover(s, uri, posOf(TS, "add(sum", 1));
    assert.match(afterChange.contents.value, /Explanation unavailable/);
  });

  it("declares no hover and answers null when hover is disabled, but keeps Explain", async () => {
    const s = await start({ hover: { enabled: false } });
    assert.equal(s.initializeResult?.capabilities.hoverProvider, undefined);
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    assert.equal(await hover(s, uri, posOf(TS, "add(sum", 1)), null);
    assert.equal(chatRequests().length, 0);
    // The Explain action stays: it is how to get explanations when another server owns hover.
    const at = posOf(TS, "add(sum", 1);
    const actions: Array<{ title: string }> = await s.request("textDocument/codeAction", { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
    assert.ok(actions.some((a) => a.title === "Explain"));
    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range: { start: at, end: at } }] });
    await s.waitForNotification("window/showMessage", (p) => p.message.includes(EXPLANATION));
  });

  it("Explain shows the explanation with window/showMessage; Regenerate bypasses the cache", async () => {
    const s = await start();
    const commands: string[] = s.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes("codegen.explain"));
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const at = posOf(TS, "add(sum", 1);
    await hover(s, uri, at);
    assert.equal(chatRequests().length, 1);

    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range: { start: at, end: at } }] });
    const shown = await s.waitForNotification("window/showMessage", (p) => p.message.includes(EXPLANATION));
    assert.equal(shown.type, 3, "info");
    assert.equal(chatRequests().length, 1, "Explain used the cached explanation");

    fake.enqueue("A fresh take on add.");
    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range: { start: at, end: at }, regenerate: true }] });
    await s.waitForNotification("window/showMessage", (p) => p.message.includes("A fresh take on add."));
    assert.equal(chatRequests().length, 2);
    const afterRegenerate = await hover(s, uri, at);
    assert.ok(afterRegenerate.contents.value.includes("A fresh take on add."), "the regenerated text replaced the cached one");
  });

  it("offers Explain and Regenerate explanation as code actions that run codegen.explain", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const at = posOf(TS, "add(sum", 1);
    const actions: Array<{ title: string; command?: { command: string; arguments: unknown[] } }> = await s.request("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: at, end: at },
      context: { diagnostics: [] },
    });
    const explain = actions.find((a) => a.title === "Explain");
    const regenerate = actions.find((a) => a.title === "Regenerate explanation");
    assert.ok(explain && regenerate, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(explain.command?.command, "codegen.explain");
    assert.equal(chatRequests().length, 0, "listing actions asks no model");
    await s.request("workspace/executeCommand", explain.command);
    await s.waitForNotification("window/showMessage", (p) => p.message.includes(EXPLANATION));
    assert.equal(chatRequests().length, 1);
  });

  it("Explain reports progress, and cancelling the progress aborts the model call", async () => {
    const s = await start();
    // NOTE: vscode-jsonrpc hands `$/progress` to onUnhandledProgress, not to the recorded notifications.
    const progress: Array<{ token: string | number; value: any }> = [];
    s.connection.onUnhandledProgress((p) => void progress.push(p));
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    const at = posOf(TS, "add(sum", 1);
    fake.enqueue({ hang: true });
    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range: { start: at, end: at } }] });
    const [req] = await fake.waitForRequests(1, { endpoint: "chat" });
    const begin = progress.find((p) => p.value?.kind === "begin");
    assert.ok(begin, "progress began before the model was asked");
    assert.match(begin.value.title, /Explaining/);
    assert.equal(begin.value.cancellable, true);
    await s.notify("window/workDoneProgress/cancel", { token: begin.token });
    assert.equal((await fake.waitForEnd(req!, 10000)).aborted, true, "the HTTP request was aborted");
    for (let i = 0; i < 100 && !progress.some((p) => p.token === begin.token && p.value?.kind === "end"); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(progress.some((p) => p.token === begin.token && p.value?.kind === "end"), "progress ended");
    assert.equal(s.showMessages().length, 0, "a cancelled Explain shows nothing");
  });

  it("Explain on a selection explains the selected code", async () => {
    const s = await start();
    const uri = await s.openDocument("/tmp/hover-ws/math.ts", "typescript", TS);
    fake.enqueue("Loops over xs and sums them.");
    const range = { start: posOf(TS, "let sum"), end: posOf(TS, "return sum;") };
    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range }] });
    await s.waitForNotification("window/showMessage", (p) => p.message.includes("Loops over xs"));
    const user: string = chatRequests()[0]!.body.messages.at(-1).content;
    assert.ok(user.includes("for (const x of xs) sum = add(sum, x);"));
  });
});
