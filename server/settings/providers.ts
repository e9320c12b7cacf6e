import type { FimMode, ProviderName, Settings } from "./types.js";

/** What a provider preset fills in when the user names it. */
export interface ProviderPreset {
  name: ProviderName;
  /** Human name used in messages ("Ollama", "llama.cpp server"). */
  label: string;
  baseUrl: string;
  /** How fill-in-the-middle reaches this server when `completion.fimMode` is "auto". */
  fimMode: Exclude<FimMode, "auto">;
  /** Model used for completions when none is configured. */
  completionModel: string;
  /** Model used for actions and hover when none is configured. */
  chatModel: string;
  /** Whether the endpoint is useless without an API key (so `--check` can say so). */
  needsApiKey: boolean;
  /** A hint added to "cannot reach" messages. */
  startHint: string;
}

/**
 * The presets. Local servers listen on their documented default ports; models are small code
 * models that exist under these names on each server (users override them with `model`).
 */
export const providerPresets: Record<ProviderName, ProviderPreset> = {
  openai: {
    name: "openai",
    label: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    fimMode: "chat",
    completionModel: "gpt-4o-mini",
    chatModel: "gpt-4o-mini",
    needsApiKey: true,
    startHint: "check your network connection",
  },
  ollama: {
    name: "ollama",
    label: "Ollama",
    baseUrl: "http://127.0.0.1:11434/v1",
    // NOTE: Ollama's OpenAI-compatible /v1/completions accepts `suffix` and applies the model's FIM template.
    fimMode: "completions-suffix",
    completionModel: "qwen2.5-coder:1.5b",
    chatModel: "qwen2.5-coder:7b",
    needsApiKey: false,
    startHint: "is Ollama running? (ollama serve)",
  },
  llamacpp: {
    name: "llamacpp",
    label: "llama.cpp server",
    baseUrl: "http://127.0.0.1:8080/v1",
    fimMode: "llamacpp-infill",
    // llama.cpp serves whatever model it was started with and ignores the name.
    completionModel: "default",
    chatModel: "default",
    needsApiKey: false,
    startHint: "is llama-server running?",
  },
  vllm: {
    name: "vllm",
    label: "vLLM",
    baseUrl: "http://127.0.0.1:8000/v1",
    fimMode: "completions-template",
    completionModel: "Qwen/Qwen2.5-Coder-1.5B",
    chatModel: "Qwen/Qwen2.5-Coder-7B-Instruct",
    needsApiKey: false,
    startHint: "is vllm serve running?",
  },
  lmstudio: {
    name: "lmstudio",
    label: "LM Studio",
    baseUrl: "http://127.0.0.1:1234/v1",
    fimMode: "completions-template",
    completionModel: "qwen2.5-coder-1.5b-instruct",
    chatModel: "qwen2.5-coder-7b-instruct",
    needsApiKey: false,
    startHint: "is the LM Studio server started?",
  },
  openrouter: {
    name: "openrouter",
    label: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    fimMode: "chat",
    completionModel: "qwen/qwen-2.5-coder-32b-instruct",
    chatModel: "qwen/qwen-2.5-coder-32b-instruct",
    needsApiKey: true,
    startHint: "check your network connection",
  },
  custom: {
    name: "custom",
    label: "the endpoint",
    baseUrl: "http://127.0.0.1:8080/v1",
    // An unknown server is only trusted to speak chat completions.
    fimMode: "chat",
    completionModel: "default",
    chatModel: "default",
    needsApiKey: false,
    startHint: "is the server running?",
  },
};

/** The preset for a provider name. */
export function presetFor(provider: ProviderName): ProviderPreset {
  return providerPresets[provider] ?? providerPresets.custom;
}

/** How completions reach the model for these settings: the explicit `completion.fimMode`, or the preset's. */
export function resolveFimMode(settings: Pick<Settings, "provider" | "completion">): Exclude<FimMode, "auto"> {
  const mode = settings.completion.fimMode;
  return mode === "auto" ? presetFor(settings.provider).fimMode : mode;
}

/**
 * Guesses the provider from a base URL (host or default port), so `OPENAI_BASE_URL=http://localhost:11434/v1`
 * alone is enough to get Ollama's FIM mode. Unknown URLs are "custom".
 */
export function guessProvider(baseUrl: string): ProviderName {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "custom";
  }
  if (url.hostname === "api.openai.com") return "openai";
  if (url.hostname.endsWith("openrouter.ai")) return "openrouter";
  switch (url.port) {
    case "11434":
      return "ollama";
    case "1234":
      return "lmstudio";
    case "8000":
      return "vllm";
    default:
      return "custom";
  }
}
