/**
 * Self-tests of the fake OpenAI-compatible server: they talk plain fetch to it so that a broken
 * fake is caught here rather than showing up as a mysterious failure in someone else's test.
 */
import assert from "node:assert/strict";
import { crlf, fenced, reindent, startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";

/** Reads an SSE body into its `data:` payloads. */
async function sseEvents(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice("data: ".length));
}

describe("fake LLM server", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("lists models in the OpenAI shape", async () => {
    fake.models = ["a", "b"];
    const res = await fetch(`${fake.url}/models`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: Array<{ id: string }> };
    assert.deepEqual(body.data.map((m) => m.id), ["a", "b"]);
  });

  it("answers a non-streaming chat with the scripted text and records the request", async () => {
    fake.enqueue({ text: "hello world" });
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    });
    const body = (await res.json()) as any;
    assert.equal(body.choices[0].message.content, "hello world");
    assert.equal(body.choices[0].finish_reason, "stop");
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0]!.endpoint, "chat");
    assert.equal(fake.requests[0]!.body.messages[0].content, "hi");
    assert.equal(fake.requests[0]!.headers.authorization, "Bearer k");
  });

  it("streams completions as SSE chunks ending with finish_reason and [DONE]", async () => {
    fake.enqueue({ chunks: ["ab", "cd"] });
    const res = await fetch(`${fake.url}/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", prompt: "p", suffix: "s", stream: true }),
    });
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const events = await sseEvents(res);
    assert.equal(events.at(-1), "[DONE]");
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.equal(parsed.map((p) => p.choices[0].text).join(""), "abcd");
    assert.equal(parsed.at(-1).choices[0].finish_reason, "stop");
    assert.equal(fake.requests[0]!.body.suffix, "s");
  });

  it("streams llama.cpp /infill ending with stop: true and no [DONE]", async () => {
    fake.enqueue({ text: "x = 1" });
    const res = await fetch(`${fake.origin}/infill`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input_prefix: "a", input_suffix: "b", stream: true }),
    });
    const events = (await sseEvents(res)).map((e) => JSON.parse(e));
    assert.equal(events.map((e) => e.content).join(""), "x = 1");
    assert.equal(events.at(-1).stop, true);
  });

  it("sends error statuses with Retry-After and the chosen body shape", async () => {
    fake.enqueue({ status: 429, retryAfter: 2 });
    fake.enqueue({ status: 404, errorShape: "ollama-native", errorMessage: "model 'x' not found" });
    const post = () => fetch(`${fake.url}/chat/completions`, { method: "POST", body: "{}" });
    const r1 = await post();
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get("retry-after"), "2");
    assert.equal(((await r1.json()) as any).error.code, "rate_limit_exceeded");
    const r2 = await post();
    assert.equal(r2.status, 404);
    assert.deepEqual(await r2.json(), { error: "model 'x' not found" });
  });

  it("applies replies matched by path and computes function replies from the request", async () => {
    fake.enqueue({ text: "for infill" }, { path: "infill" });
    fake.enqueue((req) => ({ text: `echo:${req.body.prompt}` }));
    const r1 = await fetch(`${fake.url}/completions`, { method: "POST", body: JSON.stringify({ prompt: "P" }) });
    assert.equal(((await r1.json()) as any).choices[0].text, "echo:P");
    const r2 = await fetch(`${fake.origin}/infill`, { method: "POST", body: "{}" });
    assert.equal(((await r2.json()) as any).content, "for infill");
  });

  it("cuts the text at the request's stop sequences like a real server", async () => {
    fake.enqueue({ text: "line one\n\nline two" });
    const r = await fetch(`${fake.url}/completions`, { method: "POST", body: JSON.stringify({ prompt: "", stop: ["\n\n"] }) });
    assert.equal(((await r.json()) as any).choices[0].text, "line one");
  });

  it("records a client abort mid-stream", async () => {
    fake.enqueue({ chunks: ["a", "b", "c", "d"], chunkDelayMs: 200 });
    const ac = new AbortController();
    const res = await fetch(`${fake.url}/chat/completions`, { method: "POST", body: JSON.stringify({ stream: true }), signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const [req] = await fake.waitForRequests(1);
    await fake.waitForEnd(req!);
    assert.equal(req!.aborted, true);
  });

  it("cuts a stream off without [DONE] and closes hanging requests on close()", async () => {
    fake.enqueue({ chunks: ["a", "b", "c"], cutAfterChunks: 1 });
    const res = await fetch(`${fake.url}/chat/completions`, { method: "POST", body: JSON.stringify({ stream: true }) });
    await assert.rejects(res.text());
    assert.equal(fake.requests[0]!.aborted, false);

    fake.enqueue({ hang: true });
    const pending = fetch(`${fake.url}/chat/completions`, { method: "POST", body: "{}" });
    await fake.waitForRequests(2);
    await fake.close();
    await assert.rejects(pending);
  });

  it("builds realistic model output", () => {
    assert.equal(fenced("x()", { lang: "py", prose: "Here:" }), "Here:\n\n```py\nx()\n```");
    assert.equal(crlf("a\nb\r\nc"), "a\r\nb\r\nc");
    assert.equal(reindent("a\n  b", "\t"), "\ta\n\tb");
  });
});
