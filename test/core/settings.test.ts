import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAllServers, startServer, type TestServer } from "../helpers/lspClient.js";

const KEY = "sk-test-0123456789abcdefghijklmnop";

/** Every text the server sent to the editor: log lines, messages, and any other notification. */
function everythingSent(server: TestServer): string {
  return JSON.stringify(server.notifications) + server.stderr();
}

describe("core: settings", () => {
  afterEach(killAllServers);

  it("defaults to a local Ollama when no API key is set", async () => {
    const server = await startServer();
    const s = await server.settings();
    assert.equal(s.provider, "ollama");
    assert.equal(s.baseUrl, "http://127.0.0.1:11434/v1");
    assert.equal(s.apiKey, "(not set)");
    await server.shutdown();
  });

  it("defaults to OpenAI when OPENAI_API_KEY is set, and masks the key", async () => {
    const server = await startServer({ env: { OPENAI_API_KEY: KEY }, initializationOptions: { logLevel: "debug" } });
    const s = await server.settings();
    assert.equal(s.provider, "openai");
    assert.equal(s.baseUrl, "https://api.openai.com/v1");
    assert.notEqual(s.apiKey, KEY);
    assert.ok(s.apiKey.endsWith(KEY.slice(-4)));
    await server.shutdown();
    assert.ok(!everythingSent(server).includes(KEY), "the API key leaked into a message");
  });

  it("guesses the provider from OPENAI_BASE_URL and reads CODEGEN_* variables", async () => {
    const server = await startServer({
      env: { OPENAI_BASE_URL: "http://localhost:11434/v1/", CODEGEN_COMPLETION_MAX_TOKENS: "42", CODEGEN_HOVER_ENABLED: "false", CODEGEN_EXCLUDE: "a/**,b" },
    });
    const s = await server.settings();
    assert.equal(s.provider, "ollama");
    assert.equal(s.baseUrl, "http://localhost:11434/v1");
    assert.equal(s.completion.maxTokens, 42);
    assert.equal(s.hover.enabled, false);
    assert.deepEqual(s.exclude, ["a/**", "b"]);
    await server.shutdown();
  });

  it("ranks defaults < environment < initializationOptions < didChangeConfiguration < workspace/configuration", async () => {
    const env = { CODEGEN_MODEL: "from-env", CODEGEN_COMPLETION_MAX_TOKENS: "11", CODEGEN_HOVER_MAX_TOKENS: "12", CODEGEN_ACTIONS_MAX_TOKENS: "13" };
    const server = await startServer({
      env,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { completion: { maxTokens: 21 }, hover: { maxTokens: 22 } },
      configuration: null,
    });
    let s = await server.settings();
    assert.equal(s.model, "from-env", "environment over defaults");
    assert.equal(s.completion.model, "from-env", "the top-level model fills each task's model");
    assert.equal(s.actions.maxTokens, 13, "environment kept where nothing overrides it");
    assert.equal(s.completion.maxTokens, 21, "initializationOptions over environment");
    assert.equal(s.hover.maxTokens, 22);

    await server.notify("workspace/didChangeConfiguration", { settings: { codegen: { hover: { maxTokens: 32 } } } });
    s = await server.settings();
    assert.equal(s.hover.maxTokens, 32, "didChangeConfiguration over initializationOptions");
    assert.equal(s.completion.maxTokens, 21, "a push keeps what it does not mention");

    server.setConfiguration({ hover: { maxTokens: 42 }, completion: { model: "pulled" } });
    await server.notify("workspace/didChangeConfiguration", { settings: null });
    s = await server.settings();
    assert.equal(s.hover.maxTokens, 42, "workspace/configuration over didChangeConfiguration");
    assert.equal(s.completion.model, "pulled");
    assert.equal(s.actions.model, "from-env");
    assert.ok(server.serverRequests.some((r) => r.method === "workspace/configuration" && r.params.items[0].section === "codegen"));
    await server.shutdown();
  });

  it("sends no workspace/configuration request after shutdown, even for a change queued before it", async () => {
    const server = await startServer({ capabilities: { workspace: { configuration: true } }, configuration: null });
    await server.settings();
    const pulls = () => server.serverRequests.filter((r) => r.method === "workspace/configuration").length;
    const startupPulls = pulls();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first pull is answered only after shutdown; the second change waits behind it.
    server.onRequest("workspace/configuration", async (p: { items: unknown[] }) => (await held, p.items.map(() => null)));
    await server.notify("workspace/didChangeConfiguration", { settings: null });
    await server.notify("workspace/didChangeConfiguration", { settings: null });
    while (pulls() === startupPulls) await new Promise((r) => setTimeout(r, 10));
    await server.request("shutdown");
    const before = server.serverRequests.length;
    release();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(server.serverRequests.slice(before).map((r) => r.method), []);
    await server.notify("exit");
    assert.equal(await server.exited, 0);
  });

  it("does not pull workspace/configuration from a client that does not support it", async () => {
    const server = await startServer({ configuration: { hover: { maxTokens: 99 } } });
    await server.notify("workspace/didChangeConfiguration", { settings: {} });
    assert.notEqual((await server.settings()).hover.maxTokens, 99);
    assert.ok(!server.serverRequests.some((r) => r.method === "workspace/configuration"));
    await server.shutdown();
  });

  it("warns once, naming the key and the problem, and keeps the last valid value", async () => {
    const server = await startServer({ initializationOptions: { completion: { maxTokens: 50 } } });
    assert.equal((await server.settings()).completion.maxTokens, 50);
    await server.notify("workspace/didChangeConfiguration", { settings: { completion: { maxTokens: "lots" }, provider: "olama", hover: { maxTokens: 77 } } });
    const s = await server.settings();
    assert.equal(s.completion.maxTokens, 50, "the last valid value stays");
    assert.equal(s.provider, "ollama");
    assert.equal(s.hover.maxTokens, 77, "valid keys in the same push still apply");
    const shown = server.showMessages();
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0].type, 2, "a warning");
    assert.match(shown[0].message, /completion\.maxTokens/);
    assert.match(shown[0].message, /integer/);
    assert.match(shown[0].message, /provider/);
    assert.match(shown[0].message, /"olama"/);
    // The same bad settings again: no second popup.
    await server.notify("workspace/didChangeConfiguration", { settings: { completion: { maxTokens: "lots" }, provider: "olama", hover: { maxTokens: 77 } } });
    await server.settings();
    assert.equal(server.showMessages().length, 1);
    await server.shutdown();
  });

  it("names unknown settings", async () => {
    const server = await startServer({ initializationOptions: { completon: { enabled: false } } });
    const msg = await server.waitForNotification("window/showMessage");
    assert.match(msg.message, /unknown setting "completon"/);
    assert.equal((await server.settings()).completion.enabled, true);
    await server.shutdown();
  });

  it("sends window/logMessage at the configured level only, and writes the log file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "codegen-log-"));
    const logFile = join(dir, "server.log");
    const quiet = await startServer({ initializationOptions: { logLevel: "error", logFile } });
    await quiet.settings();
    assert.deepEqual(quiet.logMessages(), [], "info lines must not reach the editor at level error");
    await quiet.shutdown();

    const chatty = await startServer({ env: { OPENAI_API_KEY: KEY }, initializationOptions: { logLevel: "info", logFile } });
    await chatty.settings();
    assert.ok(chatty.logMessages().some((m) => /ready/.test(m)));
    await chatty.shutdown();
    const text = readFileSync(logFile, "utf8");
    assert.match(text, /INFO .*ready/);
    assert.ok(!text.includes(KEY), "the API key leaked into the log file");
  });
});

describe("core: settings reach the LLM client", () => {
  afterEach(killAllServers);

  it("rebuilds the LLM client when the settings change, and sends the API key only to the endpoint", async () => {
    const { startFakeLlm } = await import("../fakeLlm/server.js");
    const first = await startFakeLlm({ models: ["first-model"] });
    const second = await startFakeLlm({ models: ["second-model"] });
    try {
      const server = await startServer({ env: { OPENAI_BASE_URL: first.url, OPENAI_API_KEY: KEY } });
      assert.deepEqual(await server.request("codegen/models"), { models: ["first-model"] });
      assert.equal(first.requests[0].headers.authorization, `Bearer ${KEY}`);
      await server.notify("workspace/didChangeConfiguration", { settings: { codegen: { baseUrl: second.url } } });
      assert.deepEqual(await server.request("codegen/models"), { models: ["second-model"] });
      assert.equal(second.requests.length, 1);
      await server.shutdown();
      assert.ok(!everythingSent(server).includes(KEY));
    } finally {
      await first.close();
      await second.close();
    }
  });
});
