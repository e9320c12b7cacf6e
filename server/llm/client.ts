/**
 * The one LLM client: chat, streamed chat, streamed `/v1/completions` (FIM with `suffix`),
 * llama.cpp's `/infill`, and the model list, on top of the `openai` package.
 *
 * The SDK's own timeout only covers the time to the response headers and its retries cannot be
 * aborted mid-wait nor skipped once a stream has produced text, so this module owns both: every
 * call runs under one AbortController that fires on the caller's signal, on the total timeout
 * (`requestTimeoutMs`, covering retries too) and on the idle timeout (`idleTimeoutMs`): the
 * longest silence from the server once its response headers arrived, between chunks and before
 * the first one (before the headers only the total timeout applies). Retries are bounded (`maxRetries`), back off exponentially, honour
 * Retry-After up to `retryMaxDelayMs`, and happen only for 429, 5xx and dropped connections,
 * and never after a stream has yielded text. Every failure leaves as an `LlmError`.
 */
import type OpenAI from "openai";
import type { LogLevel, Settings } from "../settings/types.js";
import { LlmError, NO_KEY, displayUrl, isPlaceholderKey, scrubSecrets, serverDetail, statusError, toLlmError, type ErrorContext } from "./errors.js";
import { withRedaction } from "../privacy/redactingClient.js";
import { sseData } from "./sse.js";
import type { ChatRequest, InfillRequest, LlmClient, LlmRequestBase, TextCompletionRequest, TextStream } from "./types.js";

export type LlmLog = (level: LogLevel, msg: string) => void;

/** First retry waits about this long (jittered), doubling each time, capped by `retryMaxDelayMs`. */
const BASE_BACKOFF_MS = 200;

/** One streamed piece as the adapters see it: some text, and whether the server said "finished". */
interface Piece {
  text?: string;
  finished?: boolean;
}

let sdkModule: Promise<typeof import("openai")> | undefined;

/**
 * Loads the `openai` package (about 150 modules, a third of the server's startup time when it was
 * imported eagerly). Clients load it on their first call; warmup.ts calls this once the server
 * has answered `initialize`, so that the first request does not pay for it either.
 */
export function preloadLlmSdk(): Promise<unknown> {
  sdkModule ??= import("openai");
  // A failure surfaces on the first call that needs the SDK, as an LlmError.
  return sdkModule.catch(() => undefined);
}

/** Creates the LLM client for the given settings; `log` receives key-free lines. */
export function createLlmClient(settings: Settings, log?: LlmLog): LlmClient {
  const apiKey = settings.apiKey && settings.apiKey.trim() !== "" ? settings.apiKey.trim() : NO_KEY;
  const baseUrl = settings.baseUrl.replace(/\/+$/, "");
  const say: LlmLog = (level, msg) => log?.(level, scrubSecrets(msg, apiKey));

  // The SDK instance is made on the first call (see preloadLlmSdk): settings changes create a new
  // client each time, and most of them never make a call.
  let instance: Promise<OpenAI> | undefined;
  const sdk = (): Promise<OpenAI> =>
    (instance ??= (sdkModule ??= import("openai")).then(
      ({ default: OpenAI }) =>
        new OpenAI({
          apiKey,
          baseURL: baseUrl,
          // NOTE: retries and timeouts are ours (see the module comment); the SDK's timeout is only a
          // backstop set beyond ours so that ours always fires first and is reported precisely.
          maxRetries: 0,
          timeout: Math.max(1000, settings.requestTimeoutMs) + 5000,
          logLevel: "off",
        }),
    ));

  const ctxFor = (model: string | undefined, endpoint: string): ErrorContext => ({ baseUrl, apiKey, provider: settings.provider, model, endpoint });

  /** Runs a non-streaming call with the deadline and retry rules. */
  async function once<T>(ctx: ErrorContext, req: { signal?: AbortSignal; timeoutMs?: number }, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const scope = new Deadline(req.signal, req.timeoutMs ?? settings.requestTimeoutMs, 0);
    let retries = 0;
    try {
      for (;;) {
        try {
          say("debug", `${ctx.endpoint} → ${displayUrl(baseUrl)}${ctx.model ? ` model=${ctx.model}` : ""}${retries ? ` (retry ${retries})` : ""}`);
          return await call(scope.signal);
        } catch (err) {
          const e = scope.error(ctx) ?? toLlmError(err, ctx);
          await waitBeforeRetry(e, retries, scope, ctx);
          retries++;
        }
      }
    } finally {
      scope.dispose();
    }
  }

  /** Runs a streaming call with the deadline, idle-timeout and retry rules. */
  async function* stream(ctx: ErrorContext, req: LlmRequestBase, open: (signal: AbortSignal) => Promise<AsyncIterable<Piece>>): TextStream {
    const scope = new Deadline(req.signal, req.timeoutMs ?? settings.requestTimeoutMs, settings.idleTimeoutMs);
    const started = Date.now();
    let chars = 0;
    let retries = 0;
    try {
      for (;;) {
        let yielded = false;
        let finished = false;
        let opened = false;
        try {
          say("debug", `${ctx.endpoint} (stream) → ${displayUrl(baseUrl)}${ctx.model ? ` model=${ctx.model}` : ""}${retries ? ` (retry ${retries})` : ""}`);
          const pieces = await open(scope.signal);
          opened = true;
          scope.touchIdle();
          for await (const piece of pieces) {
            if (piece.finished) finished = true;
            // Any sign of life (also a chunk without text, such as the role chunk) restarts the clock.
            scope.touchIdle();
            if (piece.text) {
              // The idle clock measures the server's silence, not the consumer's: pause it while
              // the consumer holds the text and restart it when the consumer asks for more.
              scope.pauseIdle();
              yielded = true;
              chars += piece.text.length;
              yield piece.text;
              scope.touchIdle();
            }
          }
          // The SDK ends a stream quietly when its signal aborts, so check the deadline here.
          const stopped = scope.error(ctx);
          if (stopped) throw stopped;
          if (!finished) throw new LlmError("bad-response", `the reply from ${displayUrl(baseUrl)} was cut off`, { transient: true });
          say("debug", `${ctx.endpoint} (stream) ← ${chars} chars in ${Date.now() - started} ms`);
          return;
        } catch (err) {
          let e = scope.error(ctx) ?? toLlmError(err, ctx);
          if (opened && e.kind === "unreachable" && e.transient) {
            // A connection dropped after the headers is a reply cut off mid-way.
            e = new LlmError("bad-response", `the reply from ${displayUrl(baseUrl)} was cut off`, { transient: true });
          }
          if (yielded) {
            say("debug", `${ctx.endpoint} (stream) failed after ${chars} chars in ${Date.now() - started} ms: ${e.message}`);
            throw toLlmError(e, { ...ctx, retries });
          }
          await waitBeforeRetry(e, retries, scope, ctx);
          retries++;
        }
      }
    } finally {
      scope.dispose();
    }
  }

  /** Throws `e` when it must not be retried; otherwise waits the backoff (abortably). */
  async function waitBeforeRetry(e: LlmError, retries: number, scope: Deadline, ctx: ErrorContext): Promise<void> {
    const final = () => toLlmError(e, { ...ctx, retries });
    if (!e.transient || retries >= settings.maxRetries || scope.stopped) throw final();
    const cap = Math.max(0, settings.retryMaxDelayMs);
    const backoff = BASE_BACKOFF_MS * 2 ** retries * (0.5 + Math.random() / 2);
    const wait = Math.round(Math.min(cap, e.retryAfterMs ?? backoff));
    if (wait >= scope.remainingMs()) throw final();
    say("info", `${e.message}; retrying in ${wait} ms (${retries + 1}/${settings.maxRetries})`);
    try {
      await sleep(wait, scope.signal);
    } catch {
      throw scope.error(ctx) ?? final();
    }
  }

  const common = (req: LlmRequestBase) => ({
    model: req.model,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    ...(req.stop && req.stop.length > 0 ? { stop: req.stop } : {}),
  });

  const client: LlmClient = {
    chat(req: ChatRequest): Promise<string> {
      const ctx = ctxFor(req.model, "chat/completions");
      return once(ctx, req, async (signal) => {
        const r = await (await sdk()).chat.completions.create({ ...common(req), messages: req.messages, stream: false }, { signal });
        const choice = (r as { choices?: Array<{ message?: { content?: string | null } }> }).choices?.[0];
        if (!choice) throw new LlmError("bad-response", `the reply from ${displayUrl(baseUrl)} held no answer`);
        return choice.message?.content ?? "";
      });
    },

    chatStream(req: ChatRequest): TextStream {
      const ctx = ctxFor(req.model, "chat/completions");
      return stream(ctx, req, async (signal) => {
        const s = await (await sdk()).chat.completions.create({ ...common(req), messages: req.messages, stream: true }, { signal });
        return mapIter(s, (chunk) => {
          const c = chunk.choices?.[0];
          return { text: c?.delta?.content ?? undefined, finished: !!c?.finish_reason };
        });
      });
    },

    completeStream(req: TextCompletionRequest): TextStream {
      const ctx = ctxFor(req.model, "completions");
      return stream(ctx, req, async (signal) => {
        const body = { ...common(req), prompt: req.prompt, stream: true as const, ...(req.suffix !== undefined ? { suffix: req.suffix } : {}) };
        const s = await (await sdk()).completions.create(body, { signal });
        return mapIter(s, (chunk) => {
          const c = chunk.choices?.[0];
          return { text: c?.text ?? undefined, finished: !!c?.finish_reason };
        });
      });
    },

    infillStream(req: InfillRequest): TextStream {
      let origin: string;
      try {
        origin = new URL(baseUrl).origin;
      } catch {
        origin = baseUrl;
      }
      const url = `${origin}/infill`;
      const ctx = ctxFor(req.model, "infill");
      return stream(ctx, req, async (signal) => {
        const body = {
          input_prefix: req.prefix,
          input_suffix: req.suffix,
          input_extra: (req.extra ?? []).map((x) => ({ filename: x.filename, text: x.text })),
          prompt: "",
          n_predict: req.maxTokens,
          temperature: req.temperature,
          ...(req.stop && req.stop.length > 0 ? { stop: req.stop } : {}),
          stream: true,
          cache_prompt: true,
        };
        const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
        if (!isPlaceholderKey(apiKey)) headers.authorization = `Bearer ${apiKey}`;
        const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal });
        if (!res.ok) {
          const text = await res.text().catch(() => "");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          throw statusError(res.status, serverDetail(json ?? text), (n) => res.headers.get(n), ctx);
        }
        if (!res.body) throw new LlmError("bad-response", `the reply from ${displayUrl(url)} was empty`);
        return mapIter(sseData(res.body), (data) => {
          if (data.startsWith("[DONE]")) return { finished: true };
          const obj = JSON.parse(data) as { content?: unknown; stop?: unknown; error?: unknown };
          if (obj.error !== undefined) throw statusError(undefined, serverDetail(obj), () => null, ctx);
          return { text: typeof obj.content === "string" ? obj.content : undefined, finished: obj.stop === true };
        });
      });
    },

    listModels(signal?: AbortSignal): Promise<string[]> {
      const ctx = ctxFor(undefined, "models");
      return once(ctx, { signal }, async (s) => {
        const page = await (await sdk()).models.list({ signal: s });
        const data = (page as { data?: Array<{ id?: unknown }> }).data;
        if (!Array.isArray(data)) throw new LlmError("bad-response", `the model list from ${displayUrl(baseUrl)} was not in the OpenAI shape`);
        return data.map((m) => String(m.id));
      });
    },
  };
  // Secrets never leave the machine: every request's text passes through the privacy filter
  // (server/privacy) before it is sent, unless the user turned `redactSecrets` off.
  if (!settings.redactSecrets) return client;
  return withRedaction(client, {
    known: isPlaceholderKey(apiKey) ? [] : [apiKey],
    onRedacted: (labels) => say("debug", `redacted ${labels.length} secret${labels.length === 1 ? "" : "s"} (${[...new Set(labels)].join(", ")}) before sending`),
  });
}

/**
 * The deadline of one call (including its retries): an AbortController fired by the caller's
 * signal, the total timeout or the idle timeout, remembering which one fired.
 */
class Deadline {
  private readonly controller = new AbortController();
  private reason: "caller" | "total" | "idle" | undefined;
  private totalTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly endsAt: number;
  private readonly onCallerAbort = () => this.stop("caller");

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly totalMs: number,
    private readonly idleMs: number,
  ) {
    this.endsAt = totalMs > 0 ? Date.now() + totalMs : Number.POSITIVE_INFINITY;
    if (caller?.aborted) this.stop("caller");
    else caller?.addEventListener("abort", this.onCallerAbort, { once: true });
    if (totalMs > 0 && !this.reason) {
      this.totalTimer = setTimeout(() => this.stop("total"), totalMs);
      this.totalTimer.unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  remainingMs(): number {
    return this.endsAt - Date.now();
  }

  /** (Re)starts the idle clock: the server must send more text within `idleMs`. */
  touchIdle(): void {
    this.pauseIdle();
    if (this.idleMs > 0 && !this.reason) {
      this.idleTimer = setTimeout(() => this.stop("idle"), this.idleMs);
      this.idleTimer.unref?.();
    }
  }

  pauseIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** The error describing why the call stopped, or undefined while it runs. */
  error(ctx: ErrorContext): LlmError | undefined {
    const where = displayUrl(ctx.baseUrl);
    switch (this.reason) {
      case undefined:
        return undefined;
      case "caller":
        return new LlmError("aborted", "the request was cancelled");
      case "total":
        return new LlmError("timeout", `no complete reply from ${where} within ${formatMs(this.totalMs)} (requestTimeoutMs)`);
      case "idle":
        return new LlmError("timeout", `the reply from ${where} stalled: nothing new for ${formatMs(this.idleMs)} (idleTimeoutMs)`);
    }
  }

  dispose(): void {
    if (this.totalTimer) clearTimeout(this.totalTimer);
    this.pauseIdle();
    this.caller?.removeEventListener("abort", this.onCallerAbort);
    // Whatever is still open (a stream the consumer stopped reading) is closed now.
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private stop(reason: "caller" | "total" | "idle"): void {
    if (this.reason) return;
    this.reason = reason;
    this.pauseIdle();
    this.controller.abort();
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

async function* mapIter<T>(source: AsyncIterable<T>, f: (item: T) => Piece): AsyncIterable<Piece> {
  for await (const item of source) yield f(item);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("aborted"));
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error("aborted"));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
