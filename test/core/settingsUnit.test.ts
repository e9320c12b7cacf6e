import assert from "node:assert/strict";
import { features } from "../../server/features/index.js";
import { mergeCapabilities, negotiatePositionEncoding } from "../../server/server.js";
import { envSettings } from "../../server/settings/env.js";
import { guessProvider, providerPresets, resolveFimMode } from "../../server/settings/providers.js";
import { maskKey, SettingsResolver } from "../../server/settings/resolve.js";
import { envVarFor, schemaDefaults, settingFields } from "../../server/settings/schema.js";
import type { Settings } from "../../server/settings/types.js";
import { defaultCapabilities, killAllServers, startServer } from "../helpers/lspClient.js";

/** Every key of Settings, written out so the compiler fails when types.ts gains a key this list lacks. */
const typedKeys: { [K in keyof Required<Settings>]: Required<Settings>[K] extends unknown[] ? true : Required<Settings>[K] extends object ? Record<keyof Required<Settings>[K], true> : true } = {
  provider: true,
  baseUrl: true,
  apiKey: true,
  model: true,
  completion: { enabled: true, inlineEnabled: true, onlyOnInvoke: true, model: true, maxTokens: true, temperature: true, contextTokens: true, fimMode: true, fimTemplate: true, debounceMinMs: true, debounceMaxMs: true },
  actions: { enabled: true, model: true, maxTokens: true, temperature: true, contextTokens: true, resolveBudgetMs: true, custom: true },
  hover: { enabled: true, model: true, maxTokens: true, temperature: true, contextTokens: true, minDelayMs: true, timeoutMs: true },
  requestTimeoutMs: true,
  idleTimeoutMs: true,
  maxRetries: true,
  retryMaxDelayMs: true,
  concurrency: true,
  logLevel: true,
  logFile: true,
  maxFileBytes: true,
  exclude: true,
  contextScope: true,
  redactSecrets: true,
};

function leafKeys(obj: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === "object" && !Array.isArray(v) ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe("core: settings schema and providers", () => {
  it("schema.json and types.ts describe the same settings", () => {
    assert.deepEqual(settingFields().map((f) => f.key).sort(), leafKeys(typedKeys).sort());
  });

  it("every setting has a type, a default and a description", () => {
    for (const f of settingFields()) {
      assert.ok(f.schema.type, `${f.key} has no type`);
      assert.notEqual(f.schema.default, undefined, `${f.key} has no default`);
      assert.ok((f.schema.description ?? "").length > 10, `${f.key} has no description`);
    }
  });

  it("the schema defaults are valid settings", () => {
    const { problems } = new SettingsResolver({}).resolve();
    assert.deepEqual(problems, []);
    assert.equal((schemaDefaults().completion as { maxTokens: number }).maxTokens, 128);
  });

  it("maps settings to CODEGEN_* variables", () => {
    assert.equal(envVarFor(["completion", "debounceMinMs"]), "CODEGEN_COMPLETION_DEBOUNCE_MIN_MS");
    assert.equal(envVarFor(["apiKey"]), "CODEGEN_API_KEY");
    assert.deepEqual(envSettings({ OPENAI_API_KEY: "a", CODEGEN_API_KEY: "b", CODEGEN_REDACT_SECRETS: "no" }), { apiKey: "b", redactSecrets: false });
  });

  it("presets carry a base URL and a FIM mode; auto resolves to the preset's", () => {
    for (const p of Object.values(providerPresets)) {
      assert.match(p.baseUrl, /^https?:\/\/.+\/v1$/);
      const s = new SettingsResolver({ CODEGEN_PROVIDER: p.name }).resolve().settings;
      assert.equal(resolveFimMode(s), p.fimMode);
    }
    assert.equal(resolveFimMode({ provider: "ollama", completion: { fimMode: "auto" } } as Settings), "completions-suffix");
    assert.equal(resolveFimMode({ provider: "llamacpp", completion: { fimMode: "auto" } } as Settings), "llamacpp-infill");
    assert.equal(resolveFimMode({ provider: "ollama", completion: { fimMode: "chat" } } as Settings), "chat");
  });

  it("guesses the provider from a base URL", () => {
    assert.equal(guessProvider("https://api.openai.com/v1"), "openai");
    assert.equal(guessProvider("http://localhost:11434/v1"), "ollama");
    assert.equal(guessProvider("https://openrouter.ai/api/v1"), "openrouter");
    assert.equal(guessProvider("http://10.0.0.2:9999/v1"), "custom");
  });

  it("reports the value it keeps, never the API key, and reverts only the bad key", () => {
    const r = new SettingsResolver({ OPENAI_API_KEY: "sk-abcdefghijklmnopqrstuvwxyz" });
    r.resolve();
    r.setLayer("initializationOptions", { provider: "bogus", apiKey: 1234567890123, hover: { enabled: false } });
    const { settings, problems } = r.resolve();
    assert.equal(settings.provider, "openai");
    assert.equal(settings.apiKey, "sk-abcdefghijklmnopqrstuvwxyz");
    assert.equal(settings.hover.enabled, false);
    assert.ok(problems.some((p) => /"provider" \(from initializationOptions\).*keeping "openai"/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /"apiKey"/.test(p)));
    assert.ok(!problems.join("\n").includes("1234567890123") && !problems.join("\n").includes("abcdefghijkl"), problems.join("\n"));
  });

  it("masks keys", () => {
    assert.equal(maskKey(""), "(not set)");
    assert.equal(maskKey("short"), "****");
    assert.equal(maskKey("sk-abcdefghijklmnopqrstuvwxyz"), "sk-…wxyz");
  });
});

describe("core: capabilities", () => {
  afterEach(killAllServers);

  it("merges nested capability objects and unions command lists", () => {
    const merged = mergeCapabilities(
      { executeCommandProvider: { commands: ["a"] }, hoverProvider: true },
      { executeCommandProvider: { commands: ["b", "a"] }, codeActionProvider: { resolveProvider: true } },
    );
    assert.deepEqual(merged, { executeCommandProvider: { commands: ["a", "b"] }, hoverProvider: true, codeActionProvider: { resolveProvider: true } });
  });

  it("picks utf-16 unless the client offers only other encodings", () => {
    assert.equal(negotiatePositionEncoding({}), "utf-16");
    assert.equal(negotiatePositionEncoding({ general: { positionEncodings: ["utf-32", "utf-16"] } }), "utf-16");
    assert.equal(negotiatePositionEncoding({ general: { positionEncodings: ["utf-32", "utf-8"] } }), "utf-32");
    assert.equal(negotiatePositionEncoding({ general: { positionEncodings: ["latin-1"] } }), "utf-16");
  });

  it("declares exactly what the registered features declare, plus sync and workspace folders", async () => {
    const server = await startServer();
    const settings = new SettingsResolver({}).resolve().settings;
    const expected = mergeCapabilities(
      { positionEncoding: "utf-16", textDocumentSync: { openClose: true, change: 2 }, workspace: { workspaceFolders: { supported: true, changeNotifications: true } } },
      ...features.map((f) => f.capabilities(defaultCapabilities, settings)),
    );
    assert.deepEqual(server.initializeResult!.capabilities, JSON.parse(JSON.stringify(expected)));
    await server.shutdown();
  });
});
