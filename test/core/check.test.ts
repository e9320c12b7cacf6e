import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { runCli } from "../helpers/cli.js";

const KEY = "sk-check-0123456789abcdefghijklmnop";

/** A 127.0.0.1 port that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

describe("core: --check", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm({ models: ["fake-coder", "fake-chat"] });
  });
  afterEach(() => fake.close());

  it("fails within 5 s with a one-line cause when nothing listens", async () => {
    const port = await closedPort();
    const r = await runCli(["--check"], { env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    assert.notEqual(r.code, 0);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.match(lastLine(r.stdout), new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/v1`));
  });

  it("gives up quickly when the endpoint accepts connections but never answers", async () => {
    fake.enqueue({ hang: true }, { path: "models" });
    const r = await runCli(["--check"], { env: { OPENAI_BASE_URL: fake.url } });
    assert.notEqual(r.code, 0);
    // The model list has a 3 s budget (not the 30 s request timeout); the bound leaves room for a loaded machine.
    assert.ok(r.ms < 10000, `took ${r.ms} ms`);
    assert.match(lastLine(r.stdout), /cannot reach|did not answer|no answer/);
  });

  it("checks the local Ollama default when nothing is configured", async () => {
    const r = await runCli(["--check"]);
    assert.match(r.stdout, /provider ollama at http:\/\/127\.0\.0\.1:11434\/v1/);
    // Whatever listens on 11434 on this machine (usually nothing), the check must end with a verdict.
    assert.match(lastLine(r.stdout), /^(OK|FAIL)/);
  });

  it("asks whether Ollama is running when the Ollama preset cannot be reached", async () => {
    const port = await closedPort();
    const r = await runCli(["--check", "--settings", JSON.stringify({ provider: "ollama", baseUrl: `http://127.0.0.1:${port}/v1` })]);
    assert.notEqual(r.code, 0);
    assert.match(lastLine(r.stdout), /cannot reach .*Ollama/);
  });

  it("reports a rejected API key (401) and never prints the key", async () => {
    fake.requiredApiKey = "the-right-key-0123456789";
    const r = await runCli(["--check"], { env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: KEY } });
    assert.notEqual(r.code, 0);
    assert.match(lastLine(r.stdout), /API key was rejected \(401\)/);
    assert.ok(!(r.stdout + r.stderr).includes(KEY), "the API key was printed");
    assert.match(r.stdout, /"apiKey": "sk-…mnop"/, "the settings are printed with the key masked");
  });

  it("lists the models and reports OK when a completion comes back", async () => {
    fake.setDefault("OK");
    const r = await runCli(["--check", "--settings", JSON.stringify({ provider: "custom", baseUrl: fake.url, model: "fake-coder" })]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fake-coder, fake-chat/);
    assert.match(r.stdout, /"baseUrl": "http:\/\/127\.0\.0\.1:\d+\/v1"/);
    assert.ok(fake.requests.some((q) => q.endpoint === "models"));
    assert.ok(fake.requests.some((q) => q.endpoint === "chat" || q.endpoint === "completions"), "a completion was asked for");
  });

  it("names a model the endpoint does not have, and what it offers", async () => {
    fake.rejectUnknownModels = true;
    const dir = mkdtempSync(join(tmpdir(), "codegen-check-"));
    const file = join(dir, "settings.json");
    writeFileSync(file, JSON.stringify({ codegen: { provider: "ollama", baseUrl: fake.url, model: "x" } }));
    const r = await runCli(["--check", "--settings", file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /model 'x' not found/);
    assert.match(r.stdout, /fake-coder/);
  });

  it("warns about invalid settings and checks with the valid rest", async () => {
    const r = await runCli(["--check", "--settings", JSON.stringify({ baseUrl: fake.url, model: "fake-coder", maxRetries: -3 })]);
    assert.match(r.stdout, /maxRetries/);
    assert.equal(r.code, 0, r.stdout);
  });

  it("rejects a --settings argument that is neither JSON nor a file", async () => {
    const r = await runCli(["--check", "--settings", "/no/such/file.json"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /no such file/);
  });
});
