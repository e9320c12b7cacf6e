/**
 * The plain-data contract of the LLM layer. Only `llm/` does network IO; everything else hands
 * it one of these requests and gets text (or text deltas) back, or an `LlmError`.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmRequestBase {
  model: string;
  maxTokens: number;
  temperature: number;
  stop?: string[];
  /** Aborting it aborts the HTTP request (and any retry wait) at once. */
  signal?: AbortSignal;
  /** Overrides `requestTimeoutMs` for this call (the whole call, retries included). */
  timeoutMs?: number;
}

export interface ChatRequest extends LlmRequestBase {
  messages: ChatMessage[];
}

/** A raw completion: `prompt` is sent as is; `suffix` is sent only when set (Ollama-style FIM). */
export interface TextCompletionRequest extends LlmRequestBase {
  prompt: string;
  suffix?: string;
}

/** llama.cpp's `/infill`: the server applies the model's own FIM template. */
export interface InfillRequest extends LlmRequestBase {
  prefix: string;
  suffix: string;
  /** Extra context chunks (llama.cpp `input_extra`). */
  extra?: Array<{ filename: string; text: string }>;
}

/** The kinds of failure a user can act on; every error from `llm/` is one of these. */
export type LlmErrorKind =
  | "unreachable" // connection refused, DNS failure
  | "auth" // 401 / 403
  | "not-found" // unknown model or endpoint (404)
  | "bad-request" // 400 / 422: the server refused the request (context too long, bad parameter)
  | "rate-limit" // 429 after retries
  | "server" // 5xx after retries
  | "timeout" // total or idle timeout
  | "aborted" // the caller aborted
  | "bad-response"; // malformed JSON, cut stream, empty reply

/**
 * Streamed calls yield text deltas as they arrive. Nothing is sent before the stream is first read,
 * but a client may prepare the request (secret redaction) from the moment the stream is created:
 * a caller that creates it ahead of time (during the debounce) saves that work on the way out.
 */
export type TextStream = AsyncIterable<string>;

export interface LlmClient {
  /** Non-streaming chat completion; resolves to the whole reply text. */
  chat(req: ChatRequest): Promise<string>;
  /** Streaming chat completion. */
  chatStream(req: ChatRequest): TextStream;
  /** Streaming `/v1/completions` (with `suffix` when given). */
  completeStream(req: TextCompletionRequest): TextStream;
  /** Streaming llama.cpp `/infill`. */
  infillStream(req: InfillRequest): TextStream;
  /** Model ids the endpoint offers (`GET /v1/models`). */
  listModels(signal?: AbortSignal): Promise<string[]>;
}
