/**
 * `checkEndpoint` against the fake server: each failure a user can hit gets one plain-words line,
 * and an unreachable endpoint is reported fast.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { checkEndpoint } from "../../server/llm/check.js";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("checkEndpoint", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm({ models: ["fake-chat", "fake-coder", "other"] });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("reports OK with the model list when models exist and a completion comes back", async () => {
    fake.enqueue({ text: " a + b" });
    const r = await checkEndpoint(fakeSettings(fake.url));
    assert.equal(r.ok, true, r.lines.join("\n"));
    assert.deepEqual(r.models, ["fake-chat", "fake-coder", "other"]);
    assert.deepEqual(r.steps.map((s) => s.status), ["ok", "ok", "ok"]);
    assert.match(r.lines.join("\n"), /offers 3 models: fake-chat, fake-coder, other/);
    assert.match(r.summary, /^OK/);
    // The completion took the configured FIM path: /v1/completions with a suffix.
    const gen = fake.requests.find((q) => q.endpoint === "completions")!;
    assert.equal(typeof gen.body.suffix, "string");
  });

  it("says 'cannot reach … — is Ollama running?' within 5 s for a closed port", async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await checkEndpoint(fakeSettings(`http://127.0.0.1:${port}/v1`, { provider: "ollama" }));
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.ok, false);
    assert.equal(r.errorKind, "unreachable");
    assert.match(r.summary, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/v1 — is Ollama running\\?`));
    assert.equal(r.steps.find((s) => s.name === "completion")!.status, "skipped");
  });

  it("gives up on an endpoint that never answers within the listing budget", async () => {
    fake.setDefault({ hang: true }, { path: "models" });
    const started = Date.now();
    const r = await checkEndpoint(fakeSettings(fake.url), { listTimeoutMs: 300 });
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.ok, false);
    assert.match(r.summary, /no answer within 300 ms/);
  });

  it("says the API key was rejected (401)", async () => {
    fake.requiredApiKey = "sk-right-0000000000";
    const r = await checkEndpoint(fakeSettings(fake.url, { apiKey: "sk-wrong-1111111111" }));
    assert.equal(r.ok, false);
    assert.equal(r.errorKind, "auth");
    assert.match(r.summary, /the API key was rejected \(401\)/);
    assert.ok(!r.lines.join("\n").includes("sk-wrong-1111111111"));
  });

  it("names a missing model and what the endpoint offers", async () => {
    fake.rejectUnknownModels = true;
    const r = await checkEndpoint(fakeSettings(fake.url, { completion: { model: "qwen-missing" } }));
    assert.equal(r.ok, false);
    const text = r.lines.join("\n");
    assert.match(text, /model 'qwen-missing' \(completion\) not found; the endpoint offers: fake-chat, fake-coder, other/);
    assert.match(r.summary, /model 'qwen-missing' not found; the endpoint offers: fake-chat, fake-coder, other/);
    assert.equal(r.errorKind, "not-found");
  });

  it("goes on to the completion when the server has no model list", async () => {
    fake.setDefault({ status: 404, errorBody: "404 page not found" }, { path: "models" });
    const r = await checkEndpoint(fakeSettings(fake.url, { completion: { fimMode: "chat" } }));
    assert.equal(r.ok, true, r.lines.join("\n"));
    assert.equal(r.steps[0]!.status, "warn");
    assert.equal(fake.requests.at(-1)!.endpoint, "chat");
  });

  it("tests llama.cpp's /infill when that is the FIM path", async () => {
    const r = await checkEndpoint(fakeSettings(fake.url, { provider: "llamacpp", completion: { fimMode: "llamacpp-infill" } }));
    assert.equal(r.ok, true, r.lines.join("\n"));
    assert.equal(fake.requests.at(-1)!.endpoint, "infill");
  });

  it("reports a completion that times out as a timeout, not a crash", async () => {
    fake.enqueue({ hang: true });
    const r = await checkEndpoint(fakeSettings(fake.url), { completionTimeoutMs: 300 });
    assert.equal(r.ok, false);
    assert.equal(r.errorKind, "timeout");
    assert.match(r.summary, /no completion within 300 ms/);
  });
});
