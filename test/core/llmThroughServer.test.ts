/**
 * The LLM client's failure handling seen through the server process (debug request
 * codegen/models, which lists the endpoint's models with the server's current client).
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { killAllServers, startServer } from "../helpers/lspClient.js";

const KEY = "sk-through-0123456789abcdefghijklmnop";

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("core: LLM failures through the server process", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm({ models: ["m1", "m2"] });
  });
  afterEach(async () => {
    await killAllServers();
    await fake.close();
  });

  const fast = { maxRetries: 2, retryMaxDelayMs: 50, requestTimeoutMs: 1500, idleTimeoutMs: 1000 };

  it("says an unreachable endpoint cannot be reached", async () => {
    const port = await closedPort();
    const server = await startServer({ initializationOptions: { ...fast, baseUrl: `http://127.0.0.1:${port}/v1` } });
    const r = await server.request("codegen/models");
    assert.equal(r.kind, "unreachable");
    assert.match(r.error, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/v1`));
    await server.shutdown();
  });

  it("says a rejected key was rejected (401) without showing it", async () => {
    fake.requiredApiKey = "the-right-one-0123456789";
    const server = await startServer({ env: { OPENAI_API_KEY: KEY }, initializationOptions: { ...fast, baseUrl: fake.url, logLevel: "debug" } });
    const r = await server.request("codegen/models");
    assert.equal(r.kind, "auth");
    assert.match(r.error, /401/);
    await server.shutdown();
    assert.ok(!JSON.stringify(server.notifications).includes(KEY));
  });

  it("retries after 429 and succeeds", async () => {
    fake.enqueue({ status: 429, retryAfter: 0 }, { path: "models" });
    const server = await startServer({ initializationOptions: { ...fast, baseUrl: fake.url } });
    assert.deepEqual(await server.request("codegen/models"), { models: ["m1", "m2"] });
    assert.equal(fake.requests.filter((q) => q.endpoint === "models").length, 2);
    await server.shutdown();
  });

  it("gives up on a hanging endpoint after requestTimeoutMs", async () => {
    fake.enqueue({ hang: true }, { path: "models" });
    const server = await startServer({ initializationOptions: { ...fast, maxRetries: 0, baseUrl: fake.url } });
    const r = await server.request("codegen/models");
    assert.equal(r.kind, "timeout", JSON.stringify(r));
    await server.shutdown();
  });

  it("aborts the HTTP request when the editor cancels", async () => {
    fake.enqueue({ hang: true }, { path: "models" });
    const server = await startServer({ initializationOptions: { ...fast, requestTimeoutMs: 60000, baseUrl: fake.url } });
    const source = new CancellationTokenSource();
    const pending = server.connection.sendRequest("codegen/models", null, source.token).catch((e: Error) => ({ cancelled: e.message }));
    const [req] = await fake.waitForRequests(1, { endpoint: "models" });
    source.cancel();
    await fake.waitForEnd(req);
    assert.equal(req.aborted, true);
    await pending;
    await server.shutdown();
  });
});
