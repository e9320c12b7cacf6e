/**
 * The LLM client over real HTTP against the fake OpenAI-compatible server: wire format, streaming,
 * FIM, timeouts, retries, aborts, and the mapping of every failure to a plain-words LlmError.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { createLlmClient } from "../../server/llm/client.js";
import { LlmError, parseRetryAfter, scrubSecrets } from "../../server/llm/errors.js";
import type { LlmClient, TextStream } from "../../server/llm/types.js";
import type { Settings } from "../../server/settings/types.js";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";

const chatReq = (extra: Partial<Parameters<LlmClient["chat"]>[0]> = {}) => ({
  model: "fake-chat",
  maxTokens: 32,
  temperature: 0.2,
  messages: [{ role: "user" as const, content: "write hello" }],
  ...extra,
});

async function collect(s: TextStream): Promise<string[]> {
  const out: string[] = [];
  for await (const t of s) out.push(t);
  return out;
}

/** Runs `f` and returns the LlmError it rejects with (failing if it resolves or throws something else). */
async function llmError(f: () => Promise<unknown>): Promise<LlmError> {
  try {
    await f();
  } catch (err) {
    assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

/** A port on 127.0.0.1 that nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("LLM client over HTTP", () => {
  let fake: FakeLlm;
  let logs: string[];
  const client = (o: Parameters<typeof fakeSettings>[1] = {}, url?: string) =>
    createLlmClient(fakeSettings(url ?? fake.url, o), (level, msg) => logs.push(`${level}: ${msg}`));

  beforeEach(async () => {
    fake = await startFakeLlm();
    logs = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  describe("happy paths", () => {
    it("chat returns the whole reply and sends model, messages and knobs", async () => {
      fake.enqueue({ text: "hello()" });
      const text = await client().chat(chatReq({ stop: ["\n\n"] }));
      assert.equal(text, "hello()");
      const body = fake.requests[0]!.body;
      assert.equal(fake.requests[0]!.path, "/v1/chat/completions");
      assert.equal(body.model, "fake-chat");
      assert.equal(body.max_tokens, 32);
      assert.equal(body.temperature, 0.2);
      assert.deepEqual(body.stop, ["\n\n"]);
      assert.equal(body.messages[0].content, "write hello");
      assert.notEqual(body.stream, true);
    });

    it("chatStream yields the deltas in order", async () => {
      fake.enqueue({ chunks: ["def ", "f(x):", "\n    return x"] });
      const parts = await collect(client().chatStream(chatReq()));
      assert.deepEqual(parts, ["def ", "f(x):", "\n    return x"]);
      assert.equal(fake.requests[0]!.body.stream, true);
    });

    it("completeStream sends the suffix for FIM, and no suffix field when none is given", async () => {
      fake.enqueue({ text: "return a + b" });
      fake.enqueue({ text: "x" });
      const c = client();
      const parts = await collect(c.completeStream({ model: "fake-coder", maxTokens: 16, temperature: 0, prompt: "def add(a, b):\n    ", suffix: "\n\nprint(add(1, 2))" }));
      assert.equal(parts.join(""), "return a + b");
      assert.equal(fake.requests[0]!.path, "/v1/completions");
      assert.equal(fake.requests[0]!.body.prompt, "def add(a, b):\n    ");
      assert.equal(fake.requests[0]!.body.suffix, "\n\nprint(add(1, 2))");
      await collect(c.completeStream({ model: "fake-coder", maxTokens: 16, temperature: 0, prompt: "<fim_prefix>a<fim_suffix>b<fim_middle>" }));
      assert.equal("suffix" in fake.requests[1]!.body, false);
    });

    it("infillStream posts llama.cpp's /infill at the origin and reads its stream", async () => {
      fake.enqueue({ chunks: ["    return ", "a + b"] });
      const parts = await collect(
        client().infillStream({ model: "m", maxTokens: 16, temperature: 0, prefix: "def add(a, b):\n", suffix: "\n", extra: [{ filename: "util.py", text: "X = 1" }] }),
      );
      assert.equal(parts.join(""), "    return a + b");
      const r = fake.requests[0]!;
      assert.equal(r.path, "/infill");
      assert.equal(r.body.input_prefix, "def add(a, b):\n");
      assert.equal(r.body.input_suffix, "\n");
      assert.deepEqual(r.body.input_extra, [{ filename: "util.py", text: "X = 1" }]);
      assert.equal(r.body.n_predict, 16);
    });

    it("listModels returns the endpoint's model ids", async () => {
      fake.models = ["qwen2.5-coder:1.5b", "llama3"];
      assert.deepEqual(await client().listModels(), ["qwen2.5-coder:1.5b", "llama3"]);
    });

    it("sends the API key as a bearer token when one is set, a placeholder otherwise", async () => {
      fake.requiredApiKey = "sk-test-abcdef123456";
      assert.equal(await client({ apiKey: "sk-test-abcdef123456" }).chat(chatReq()), "ok");
      const e = await llmError(() => client({ apiKey: "" }).chat(chatReq()));
      assert.equal(e.kind, "auth");
      assert.match(e.message, /needs an API key/);
    });
  });

  describe("aborts and timeouts", () => {
    it("aborting mid-stream stops the HTTP request (the server sees the abort) and raises 'aborted'", async () => {
      fake.enqueue({ chunks: ["a", "b", "c", "d", "e"], chunkDelayMs: 300 });
      const ac = new AbortController();
      const got: string[] = [];
      const e = await llmError(async () => {
        for await (const t of client().chatStream(chatReq({ signal: ac.signal }))) {
          got.push(t);
          ac.abort();
        }
      });
      assert.equal(e.kind, "aborted");
      assert.deepEqual(got, ["a"]);
      const req = await fake.waitForEnd(fake.requests[0]!);
      assert.equal(req.aborted, true);
    });

    it("a consumer that stops reading early closes the request without an error", async () => {
      fake.enqueue({ chunks: ["a", "b", "c", "d", "e"], chunkDelayMs: 300 });
      for await (const t of client().chatStream(chatReq())) {
        assert.equal(t, "a");
        break;
      }
      const req = await fake.waitForEnd(fake.requests[0]!);
      assert.equal(req.aborted, true);
    });

    it("an already aborted signal fails with 'aborted' without sending anything", async () => {
      const ac = new AbortController();
      ac.abort();
      const e = await llmError(() => client().chat(chatReq({ signal: ac.signal })));
      assert.equal(e.kind, "aborted");
      const e2 = await llmError(() => collect(client().completeStream({ model: "m", maxTokens: 8, temperature: 0, prompt: "p", signal: ac.signal })));
      assert.equal(e2.kind, "aborted");
      assert.equal(fake.requests.length, 0);
    });

    it("a hang before the headers ends with 'timeout' after requestTimeoutMs", async () => {
      fake.enqueue({ hang: true });
      const started = Date.now();
      const e = await llmError(() => client({ requestTimeoutMs: 300 }).chat(chatReq()));
      assert.equal(e.kind, "timeout");
      assert.match(e.message, /within 300 ms/);
      assert.ok(Date.now() - started < 5000);
      await fake.waitForEnd(fake.requests[0]!);
      assert.equal(fake.requests[0]!.aborted, true);
    });

    it("a stream that stalls after the first chunk ends with an idle 'timeout', keeping what came", async () => {
      fake.enqueue({ chunks: ["first", "second"], stallAfterChunks: 1 });
      const got: string[] = [];
      const e = await llmError(async () => {
        for await (const t of client({ idleTimeoutMs: 200, requestTimeoutMs: 10000 }).chatStream(chatReq())) got.push(t);
      });
      assert.equal(e.kind, "timeout");
      assert.match(e.message, /stalled/);
      assert.deepEqual(got, ["first"]);
    });

    it("silence after the headers and before the first token also counts as idle", async () => {
      fake.enqueue({ text: "late", firstTokenDelayMs: 5000 });
      const e = await llmError(() => collect(client({ idleTimeoutMs: 200 }).completeStream({ model: "m", maxTokens: 8, temperature: 0, prompt: "p" })));
      assert.equal(e.kind, "timeout");
      assert.match(e.message, /stalled/);
    });

    it("a slow first token within idleTimeoutMs is fine", async () => {
      fake.enqueue({ text: "late", firstTokenDelayMs: 150 });
      const parts = await collect(client({ idleTimeoutMs: 3000 }).chatStream(chatReq()));
      assert.equal(parts.join(""), "late");
    });

    it("aborting during a retry wait rejects at once with 'aborted'", async () => {
      fake.setDefault({ status: 503, retryAfter: 30 });
      const ac = new AbortController();
      const started = Date.now();
      const p = client({ retryMaxDelayMs: 60000, requestTimeoutMs: 120000, maxRetries: 3 }).chat(chatReq({ signal: ac.signal }));
      await fake.waitForRequests(1);
      setTimeout(() => ac.abort(), 50);
      const e = await llmError(() => p);
      assert.equal(e.kind, "aborted");
      assert.ok(Date.now() - started < 10000);
      assert.equal(fake.requests.length, 1);
    });
  });

  describe("HTTP errors and retries", () => {
    it("401 is 'auth', is not retried, and says the key was rejected", async () => {
      fake.setDefault({ status: 401 });
      const e = await llmError(() => client({ apiKey: "sk-wrong-000000000" }).chat(chatReq()));
      assert.equal(e.kind, "auth");
      assert.equal(e.status, 401);
      assert.equal(e.message, "the API key was rejected (401)");
      assert.equal(fake.requests.length, 1);
    });

    it("404 for an unknown model names the model", async () => {
      fake.rejectUnknownModels = true;
      const e = await llmError(() => client().chat(chatReq({ model: "no-such-model" })));
      assert.equal(e.kind, "not-found");
      assert.match(e.message, /model 'no-such-model' not found \(404\)/);
      assert.equal(fake.requests.length, 1);
    });

    it("404 for a missing route says the endpoint is wrong, not the model", async () => {
      fake.enqueue({ status: 404, errorBody: "404 page not found" }, { path: "infill" });
      const e = await llmError(() => collect(client().infillStream({ model: "m", maxTokens: 8, temperature: 0, prefix: "a", suffix: "b" })));
      assert.equal(e.kind, "not-found");
      assert.match(e.message, /no such endpoint/);
    });

    it("429 then success: Retry-After is honoured but capped at retryMaxDelayMs", async () => {
      fake.enqueue({ status: 429, retryAfter: 30 });
      fake.enqueue({ text: "after the wait" });
      const started = Date.now();
      const text = await client({ retryMaxDelayMs: 400 }).chat(chatReq());
      const elapsed = Date.now() - started;
      assert.equal(text, "after the wait");
      assert.equal(fake.requests.length, 2);
      // Honoured: the jittered backoff alone would wait at most 200 ms. Capped: not 30 s.
      assert.ok(elapsed >= 350, `waited only ${elapsed} ms`);
      assert.ok(elapsed < 10000, `waited ${elapsed} ms`);
      assert.ok(fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt >= 350);
    });

    it("429 retries also apply to streams before any text arrived", async () => {
      fake.enqueue({ status: 429, errorShape: "llamacpp" });
      fake.enqueue({ text: "streamed" });
      assert.equal((await collect(client().chatStream(chatReq()))).join(""), "streamed");
      assert.equal(fake.requests.length, 2);
    });

    it("500 on every attempt gives 'server' after maxRetries retries", async () => {
      fake.setDefault({ status: 500, errorMessage: "CUDA out of memory" });
      const e = await llmError(() => client({ maxRetries: 2, retryMaxDelayMs: 20 }).chat(chatReq()));
      assert.equal(e.kind, "server");
      assert.equal(e.status, 500);
      assert.match(e.message, /CUDA out of memory/);
      assert.match(e.message, /retried 2 times/);
      assert.equal(fake.requests.length, 3);
    });

    it("429 after retries says 'rate limited (429) — retried N times'", async () => {
      fake.setDefault({ status: 429 });
      const e = await llmError(() => client({ maxRetries: 1, retryMaxDelayMs: 10 }).chat(chatReq()));
      assert.equal(e.kind, "rate-limit");
      assert.equal(e.message, "rate limited (429) — retried 1 time");
    });

    it("400 is 'bad-request', carries the server's reason, and is not retried", async () => {
      fake.setDefault({ status: 400, errorMessage: "maximum context length is 4096 tokens" });
      const e = await llmError(() => client().chat(chatReq()));
      assert.equal(e.kind, "bad-request");
      assert.match(e.message, /maximum context length/);
      assert.equal(fake.requests.length, 1);
    });

    it("an error event inside a stream is 'server'", async () => {
      fake.enqueue({ chunks: ["a", "b"], errorAfterChunks: 1, errorMessage: "model crashed" });
      const e = await llmError(() => collect(client().chatStream(chatReq())));
      assert.equal(e.kind, "server");
      assert.match(e.message, /model crashed/);
    });
  });

  describe("broken replies and unreachable servers", () => {
    it("connection refused is 'unreachable' naming the URL, with an Ollama hint for the Ollama preset", async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}/v1`;
      const started = Date.now();
      const e = await llmError(() => client({ provider: "ollama" }, url).chat(chatReq()));
      assert.equal(e.kind, "unreachable");
      assert.match(e.message, new RegExp(`^cannot reach ${url.replace(/[.]/g, "\\.")} — is Ollama running\\?`));
      assert.ok(Date.now() - started < 5000);
      const e2 = await llmError(() => collect(client({}, url).infillStream({ model: "m", maxTokens: 8, temperature: 0, prefix: "a", suffix: "b" })));
      assert.equal(e2.kind, "unreachable");
    });

    it("a stream cut off after some text is 'bad-response' and is not retried", async () => {
      fake.setDefault({ chunks: ["one", "two", "three"], cutAfterChunks: 2 });
      const got: string[] = [];
      const e = await llmError(async () => {
        for await (const t of client().chatStream(chatReq())) got.push(t);
      });
      assert.equal(e.kind, "bad-response");
      assert.match(e.message, /cut off/);
      assert.deepEqual(got, ["one", "two"]);
      assert.equal(fake.requests.length, 1);
    });

    it("a completions stream and an infill stream cut off are 'bad-response' too", async () => {
      fake.setDefault({ chunks: ["one", "two"], cutAfterChunks: 1 });
      const c = client({ maxRetries: 0 });
      const e1 = await llmError(() => collect(c.completeStream({ model: "m", maxTokens: 8, temperature: 0, prompt: "p", suffix: "s" })));
      assert.equal(e1.kind, "bad-response");
      const e2 = await llmError(() => collect(c.infillStream({ model: "m", maxTokens: 8, temperature: 0, prefix: "a", suffix: "b" })));
      assert.equal(e2.kind, "bad-response");
      assert.match(e2.message, /cut off/);
    });

    it("a stream that ends cleanly but without finish_reason / [DONE] is 'cut off'", async () => {
      fake.enqueue({ raw: { headers: { "content-type": "text/event-stream" }, body: 'data: {"id":"x","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"half"},"finish_reason":null}]}\n\n' } });
      const e = await llmError(() => collect(client().chatStream(chatReq())));
      assert.equal(e.kind, "bad-response");
      assert.match(e.message, /cut off/);
    });

    it("malformed JSON is 'bad-response', streamed or not", async () => {
      fake.enqueue({ text: "abc", malformed: true });
      const e1 = await llmError(() => client().chat(chatReq()));
      assert.equal(e1.kind, "bad-response");
      assert.match(e1.message, /not valid JSON/);
      fake.enqueue({ chunks: ["a", "b"], malformed: true });
      const e2 = await llmError(() => collect(client().chatStream(chatReq())));
      assert.equal(e2.kind, "bad-response");
    });

    it("a huge reply streams through whole", async () => {
      const big = "x".repeat(2_000_000);
      fake.enqueue({ text: big, chunkSize: 64 * 1024 });
      const parts = await collect(client().chatStream(chatReq()));
      assert.equal(parts.join("").length, big.length);
    });
  });

  describe("the API key stays secret", () => {
    const key = "sk-proj-SECRETsecret1234567890";

    it("never appears in any error message or log line, even when the server echoes it", async () => {
      const echo = { errorMessage: `Incorrect API key provided: ${key}. Bearer ${key}` };
      const cases: Array<[string, () => Promise<unknown>]> = [];
      const c = createLlmClient(fakeSettings(fake.url, { apiKey: key, maxRetries: 1, retryMaxDelayMs: 5 }), (level, msg) => logs.push(msg));
      for (const status of [400, 401, 403, 404, 429, 500, 503]) {
        cases.push([`status ${status}`, async () => {
          fake.enqueue({ status, ...echo });
          fake.enqueue({ status, ...echo });
          await c.chat(chatReq({ model: key }));
        }]);
      }
      cases.push(["in-stream error", async () => {
        fake.enqueue({ chunks: ["a"], errorAfterChunks: 0, errorMessage: `bad key ${key}` });
        await collect(c.chatStream(chatReq()));
      }]);
      cases.push(["unreachable with the key in the URL", async () => {
        const port = await closedPort();
        await createLlmClient(fakeSettings(`http://user:${key}@127.0.0.1:${port}/v1`, { apiKey: key })).chat(chatReq());
      }]);
      for (const [name, run] of cases) {
        const e = await llmError(run);
        assert.ok(!e.message.includes(key), `${name}: ${e.message}`);
        assert.ok(!e.message.includes("SECRETsecret"), `${name}: ${e.message}`);
        assert.ok(!String(e.stack).includes("SECRETsecret"), `${name}: stack`);
      }
      assert.ok(logs.length > 0);
      for (const line of logs) assert.ok(!line.includes("SECRETsecret"), line);
      // The key did reach the server, so the test above is not vacuous.
      assert.equal(fake.requests[0]!.headers.authorization, `Bearer ${key}`);
    });

    it("scrubSecrets removes the literal key and key-like tokens", () => {
      assert.equal(scrubSecrets("key abcd-1234-efgh here", "abcd-1234-efgh"), "key *** here");
      assert.doesNotMatch(scrubSecrets("Authorization: Bearer xyz.abc"), /xyz/);
      assert.doesNotMatch(scrubSecrets("use sk-abcdefghijklmnop"), /abcdefghijklmnop/);
    });
  });

  it("parseRetryAfter reads seconds, milliseconds and HTTP dates", () => {
    assert.equal(parseRetryAfter(null, "3"), 3000);
    assert.equal(parseRetryAfter("1500", "3"), 1500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter(null, "Thu, 01 Jan 2026 00:00:05 GMT", now), 5000);
    assert.equal(parseRetryAfter(null, "soon"), undefined);
  });
});

// Keep the Settings import used for readers who look for the shape of the overrides.
export type { Settings };
