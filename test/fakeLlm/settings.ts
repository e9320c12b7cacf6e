/**
 * Complete `Settings` pointing at a fake LLM, with short timeouts and retry delays so fault tests
 * finish quickly. Tests override what they exercise.
 */
import { schemaDefaults } from "../../server/settings/schema.js";
import type { Settings } from "../../server/settings/types.js";

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** Settings for talking to `baseUrl` (usually `fake.url`), with `overrides` merged one level deep. */
export function fakeSettings(baseUrl: string, overrides: DeepPartial<Settings> = {}): Settings {
  const task = { model: "fake-coder", maxTokens: 64, temperature: 0.1, contextTokens: 1024 };
  // Typed as a partial and laid over the schema's defaults, so settings added later get their
  // defaults here without touching this file.
  const mine: DeepPartial<Settings> = {
    provider: "custom",
    baseUrl,
    apiKey: "",
    completion: {
      ...task,
      enabled: true,
      inlineEnabled: true,
      onlyOnInvoke: false,
      fimMode: "completions-suffix",
      fimTemplate: "auto",
      debounceMinMs: 0,
      debounceMaxMs: 0,
    },
    actions: { ...task, model: "fake-chat", enabled: true, resolveBudgetMs: 8000, custom: [] },
    hover: { ...task, model: "fake-chat", enabled: true, minDelayMs: 0, timeoutMs: 5000 },
    requestTimeoutMs: 10000,
    idleTimeoutMs: 5000,
    maxRetries: 2,
    retryMaxDelayMs: 50,
    concurrency: 2,
    logLevel: "debug",
    logFile: "",
    maxFileBytes: 1_000_000,
    exclude: [],
    contextScope: "workspace",
    redactSecrets: true,
  };
  const out: Record<string, unknown> = structuredClone(schemaDefaults());
  for (const layer of [mine, overrides]) mergeInto(out, layer);
  return out as unknown as Settings;
}

function mergeInto(out: Record<string, unknown>, layer: object): void {
  for (const [k, v] of Object.entries(layer)) {
    const cur = out[k];
    out[k] = cur && typeof cur === "object" && !Array.isArray(cur) && v && typeof v === "object" && !Array.isArray(v) ? { ...cur, ...v } : v;
  }
}
