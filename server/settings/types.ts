/**
 * The shape of the merged settings. The JSON Schema in `schema.json` is the source of truth for
 * defaults, descriptions and validation; this type mirrors it so the rest of the server is typed.
 */

/** Provider presets fill in base URL and FIM capabilities so users write `provider: "ollama"`. */
export type ProviderName = "openai" | "ollama" | "llamacpp" | "vllm" | "lmstudio" | "openrouter" | "custom";

/** How fill-in-the-middle requests reach the model. */
export type FimMode =
  | "auto" // pick from the provider preset
  | "completions-suffix" // POST /v1/completions with `suffix` (Ollama, vLLM with some models)
  | "completions-template" // POST /v1/completions with the model family's FIM tokens in the prompt
  | "llamacpp-infill" // POST /infill (llama.cpp server)
  | "chat"; // chat-only endpoints: ask for the missing middle in a chat message

/** The model family whose FIM tokens to use; "auto" guesses from the model name. */
export type FimTemplateName = "auto" | "qwen" | "deepseek" | "starcoder" | "codellama" | "codestral";

export type LogLevel = "error" | "warn" | "info" | "debug";

/** One task's model knobs: completion, actions and hover may use different models. */
export interface TaskModelSettings {
  model: string;
  maxTokens: number;
  temperature: number;
  /** Token budget for the context slice sent with this task. */
  contextTokens: number;
}

/** A user-defined code action from the settings. */
export interface CustomActionSettings {
  title: string;
  /** Template with {code} {selection} {context} {language} {filePath} placeholders. */
  prompt: string;
  /** Which targets it applies to. */
  targets: Array<"stub" | "function" | "selection">;
  model?: string;
}

export interface Settings {
  provider: ProviderName;
  baseUrl: string;
  apiKey: string;
  /**
   * The model for every task that does not set its own. Features read the task's `model`, which the
   * resolver always fills in (task model, else this, else the provider preset's).
   */
  model?: string;
  completion: TaskModelSettings & {
    enabled: boolean;
    inlineEnabled: boolean;
    /** Only ask the model when the user explicitly invokes completion. */
    onlyOnInvoke: boolean;
    fimMode: FimMode;
    fimTemplate: FimTemplateName;
    debounceMinMs: number;
    debounceMaxMs: number;
  };
  actions: TaskModelSettings & {
    enabled: boolean;
    /** Upper bound for the synchronous codeAction/resolve path (editors time out at 10–20 s). */
    resolveBudgetMs: number;
    custom: CustomActionSettings[];
  };
  hover: TaskModelSettings & {
    enabled: boolean;
    minDelayMs: number;
    timeoutMs: number;
  };
  requestTimeoutMs: number;
  /** Longest silence allowed between two chunks of a streamed reply. */
  idleTimeoutMs: number;
  maxRetries: number;
  retryMaxDelayMs: number;
  concurrency: number;
  logLevel: LogLevel;
  logFile: string;
  /** Files larger than this are not parsed nor sent whole. */
  maxFileBytes: number;
  /** Glob patterns (gitignore syntax) never read into context. */
  exclude: string[];
  /** "file" keeps context to the current file only. */
  contextScope: "workspace" | "file";
  redactSecrets: boolean;
}
