/**
 * The error mapping on its own, for failures the fake server cannot produce on 127.0.0.1 (DNS,
 * TLS) and for the SDK's own error classes.
 */
import assert from "node:assert/strict";
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, AuthenticationError, InternalServerError } from "openai";
import { LlmError, statusError, toLlmError } from "../../server/llm/errors.js";

const ctx = { baseUrl: "http://127.0.0.1:11434/v1/", provider: "ollama", apiKey: "sk-live-abcdefghijkl" };

function fetchFailed(code: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe("toLlmError", () => {
  it("maps connection refused (raw fetch and SDK-wrapped) to 'unreachable' with the start hint", () => {
    for (const err of [fetchFailed("ECONNREFUSED"), new APIConnectionError({ cause: fetchFailed("ECONNREFUSED") })]) {
      const e = toLlmError(err, ctx);
      assert.equal(e.kind, "unreachable");
      assert.match(e.message, /^cannot reach http:\/\/127\.0\.0\.1:11434\/v1 — is Ollama running\?/);
      assert.equal(e.transient, false);
    }
  });

  it("maps an unknown host to 'unreachable' saying the name does not resolve", () => {
    const e = toLlmError(new APIConnectionError({ cause: fetchFailed("ENOTFOUND") }), { ...ctx, baseUrl: "http://no-such-host.example/v1" });
    assert.equal(e.kind, "unreachable");
    assert.match(e.message, /host name does not resolve/);
  });

  it("treats a reset connection as transient (worth a retry)", () => {
    const e = toLlmError(new APIConnectionError({ cause: fetchFailed("ECONNRESET") }), ctx);
    assert.equal(e.kind, "unreachable");
    assert.equal(e.transient, true);
  });

  it("maps aborts, SDK timeouts and JSON errors", () => {
    assert.equal(toLlmError(new APIUserAbortError(), ctx).kind, "aborted");
    assert.equal(toLlmError(new DOMException("x", "AbortError"), ctx).kind, "aborted");
    assert.equal(toLlmError(new APIConnectionTimeoutError(), ctx).kind, "timeout");
    const j = toLlmError(new SyntaxError("Unexpected end of JSON input"), ctx);
    assert.equal(j.kind, "bad-response");
    assert.match(j.message, /not valid JSON/);
  });

  it("maps SDK status errors by status and keeps LlmErrors as they are", () => {
    const h = new Headers({ "retry-after": "2" });
    const auth = toLlmError(new AuthenticationError(401, { message: "Incorrect API key provided: sk-live-abcdefghijkl" }, undefined, h), ctx);
    assert.equal(auth.kind, "auth");
    assert.equal(auth.message, "the API key was rejected (401)");
    const s = toLlmError(new InternalServerError(503, { message: "Loading model" }, undefined, h), ctx);
    assert.equal(s.kind, "server");
    assert.equal(s.retryAfterMs, 2000);
    assert.equal(s.transient, true);
    const mine = new LlmError("timeout", "x");
    assert.equal(toLlmError(mine, ctx), mine);
  });

  it("tells a missing route from a missing model, with the hints a user needs", () => {
    const none = () => null;
    const noV1 = statusError(404, "404 page not found", none, { baseUrl: "http://127.0.0.1:11434", endpoint: "chat/completions", model: "m" });
    assert.equal(noV1.kind, "not-found");
    assert.match(noV1.message, /no such endpoint .*end in \/v1/);
    const pull = statusError(404, 'model "qwen" not found, try pulling it first', none, { baseUrl: "http://127.0.0.1:11434/v1", model: "qwen" });
    assert.equal(pull.message, "model 'qwen' not found (404) — try: ollama pull qwen");
  });

  it("never lets the key through, whatever the thrown thing says", () => {
    const e = toLlmError(new Error(`weird failure with sk-live-abcdefghijkl inside`), ctx);
    assert.ok(!e.message.includes("abcdefghijkl"), e.message);
  });
});
