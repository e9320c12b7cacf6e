/**
 * One error type for every failure of the LLM layer. Whatever went wrong (the `openai` SDK's error
 * classes, a fetch failure, a cut-off stream, a timeout) reaches the rest of the server as an
 * `LlmError` whose `kind` says what a user can do about it and whose `message` says it in plain
 * words. The API key never appears in a message: every message is scrubbed before it is built.
 */
// NOTE: the SDK's error module alone (two small modules, the very ones the package index
// re-exports, so `instanceof` holds): importing "openai" here would load the whole SDK at startup.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai/core/error";
import { guessProvider, presetFor } from "../settings/providers.js";
import type { ProviderName } from "../settings/types.js";
import type { LlmErrorKind } from "./types.js";

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly kind: LlmErrorKind;
  /** The HTTP status, when the server answered with one. */
  readonly status?: number;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * True when trying again may help (429, 5xx, a reset connection). The client decides whether it
   * may retry (never after a stream has yielded text); this only says whether it would make sense.
   */
  readonly transient: boolean;

  constructor(kind: LlmErrorKind, message: string, opts: { status?: number; retryAfterMs?: number; transient?: boolean } = {}) {
    super(message);
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    this.transient = opts.transient ?? false;
  }
}

/** What the mapping needs to know to phrase a message for the user. */
export interface ErrorContext {
  /** The base URL the request went to (credentials in it are stripped before use). */
  baseUrl: string;
  /** Scrubbed from every message, together with anything that looks like a key or bearer token. */
  apiKey?: string;
  /** The provider preset, for a hint such as "is Ollama running?". */
  provider?: string;
  /** The model the request named, for "model 'x' not found". */
  model?: string;
  /** Which endpoint was called, for a 404 that is about the path rather than the model. */
  endpoint?: string;
  /** How many retries were made before giving up (phrased as "retried N times"). */
  retries?: number;
}

/**
 * Turns anything thrown by a model call into an `LlmError` with a plain-words, key-free message.
 * An `LlmError` passes through (its message is scrubbed again, and `retries` appended if given).
 */
export function toLlmError(err: unknown, ctx: ErrorContext): LlmError {
  const e = classify(err, ctx);
  let message = e.message;
  if (ctx.retries && ctx.retries > 0 && (e.kind === "rate-limit" || e.kind === "server" || e.transient) && !/retried \d+ time/.test(message)) {
    message += ` — retried ${ctx.retries} time${ctx.retries === 1 ? "" : "s"}`;
  }
  message = scrubSecrets(message, ctx.apiKey);
  if (message === e.message && e instanceof LlmError && err === e) return e;
  return new LlmError(e.kind, message, { status: e.status, retryAfterMs: e.retryAfterMs, transient: e.transient });
}

function classify(err: unknown, ctx: ErrorContext): LlmError {
  if (err instanceof LlmError) return err;
  const where = displayUrl(ctx.baseUrl);

  // Order matters: the SDK's connection errors are subclasses of APIError.
  if (err instanceof APIUserAbortError || isAbortError(err)) {
    return new LlmError("aborted", "the request was cancelled");
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmError("timeout", `${where} did not answer in time`);
  }
  if (err instanceof APIConnectionError) {
    return connectionError(err, ctx);
  }
  if (err instanceof APIError) {
    return statusError(err.status, serverDetail(err.error, err.message), headerGetter(err.headers), ctx);
  }
  if (err instanceof SyntaxError) {
    return new LlmError("bad-response", `the reply from ${where} was not valid JSON`);
  }
  if (err instanceof TypeError && err.message === "terminated") {
    // undici's word for a connection that closed while the body was still being read.
    return new LlmError("bad-response", `the reply from ${where} was cut off`, { transient: true });
  }
  if (hasCode(err) || isFetchFailure(err)) {
    return connectionError(err, ctx);
  }
  const text = err instanceof Error ? err.message : String(err);
  return new LlmError("bad-response", `unexpected failure talking to ${where}: ${truncate(text, 200)}`);
}

/** Maps an HTTP error status (from the SDK or a raw fetch) to an `LlmError`. */
export function statusError(status: number | undefined, detail: string | undefined, header: (name: string) => string | null, ctx: ErrorContext): LlmError {
  const where = displayUrl(ctx.baseUrl);
  const retryAfterMs = parseRetryAfter(header("retry-after-ms"), header("retry-after"));
  const tail = detail ? `: ${truncate(detail, 200)}` : "";
  if (status === undefined) {
    // The SDK raises a status-less APIError for an `{"error": ...}` event inside a stream.
    return new LlmError("server", `the server reported an error in the middle of the reply${tail}`);
  }
  if (status === 401) {
    const hasKey = !!ctx.apiKey && !isPlaceholderKey(ctx.apiKey);
    return new LlmError("auth", hasKey ? "the API key was rejected (401)" : "the endpoint needs an API key (401) — set OPENAI_API_KEY or the apiKey setting", { status });
  }
  if (status === 403) return new LlmError("auth", "the API key is not allowed to do this (403)" + tail, { status });
  if (status === 404) {
    // Servers that know the route but not the model say so (OpenAI, Ollama, vLLM, LM Studio all
    // mention "model"); a bare "404 page not found" means the path itself is wrong.
    if (ctx.model !== undefined && /model/i.test(detail ?? "")) {
      const pull = /pull/i.test(detail ?? "") ? ` — try: ollama pull ${ctx.model}` : "";
      return new LlmError("not-found", `model '${ctx.model}' not found (404)${pull}`, { status });
    }
    const path = ctx.endpoint ? ` (${ctx.endpoint})` : "";
    const v1 = ctx.endpoint !== "infill" && !/\/v\d+\/?$/.test(ctx.baseUrl) ? " — most servers expect the base URL to end in /v1" : " — check baseUrl and the provider / fimMode settings";
    return new LlmError("not-found", `${where} has no such endpoint${path} (404)${v1}`, { status });
  }
  if (status === 429) return new LlmError("rate-limit", "rate limited (429)", { status, retryAfterMs, transient: true });
  if (status === 400 || status === 413 || status === 422) {
    return new LlmError("bad-request", `the server refused the request (${status})${tail}`, { status });
  }
  if (status >= 500) {
    const what = status === 503 ? "is unavailable (503)" : `failed (${status})`;
    return new LlmError("server", `the server ${what}${tail}`, { status, retryAfterMs, transient: true });
  }
  return new LlmError("bad-response", `unexpected answer from ${where} (${status})${tail}`, { status });
}

function connectionError(err: unknown, ctx: ErrorContext): LlmError {
  const where = displayUrl(ctx.baseUrl);
  const code = causeCode(err);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new LlmError("unreachable", `cannot reach ${where} — the host name does not resolve; check baseUrl`);
  }
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") {
    return new LlmError("unreachable", `the connection to ${where} was dropped`, { transient: true });
  }
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return new LlmError("unreachable", `cannot reach ${where} — the connection timed out`);
  }
  if (code === "CERT_HAS_EXPIRED" || (code?.startsWith("ERR_TLS") ?? false) || code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") {
    return new LlmError("unreachable", `cannot reach ${where} — TLS failed (${code})`);
  }
  return new LlmError("unreachable", `cannot reach ${where} — ${serverHint(ctx)}`);
}

/** "is Ollama running?" and friends: the start hint of the provider preset (guessed from the URL for "custom"). */
function serverHint(ctx: ErrorContext): string {
  const named = ctx.provider as ProviderName | undefined;
  const provider = !named || named === "custom" ? guessProvider(ctx.baseUrl) : named;
  return presetFor(provider).startHint;
}

/** Parses `retry-after-ms` or `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(ms: string | null | undefined, value: string | null | undefined, now = Date.now()): number | undefined {
  if (ms) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** True for the placeholder key sent to local servers that need none. */
export function isPlaceholderKey(key: string | undefined): boolean {
  return !key || key === NO_KEY;
}

/** The key sent when the settings hold none; local servers ignore it. */
export const NO_KEY = "sk-no-key";

/**
 * Removes the API key and anything that looks like a credential from a text: the literal key,
 * bearer tokens, common key prefixes (sk-, sk-proj-, gsk_, xai-…) and credentials in URLs.
 */
export function scrubSecrets(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4 && !isPlaceholderKey(apiKey)) out = out.split(apiKey).join("***");
  out = out.replace(/\b(Bearer)\s+[^\s"',]+/gi, "$1 ***");
  out = out.replace(/\b(sk-(?:proj-|or-v1-|ant-)?|gsk_|xai-|hf_|pplx-)[A-Za-z0-9_\-*.]{6,}/g, "$1***");
  out = out.replace(/(\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1***@");
  return out;
}

/** The base URL as shown to users: without credentials or a trailing slash. */
export function displayUrl(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString().replace(/\/+$/, "");
  } catch {
    return baseUrl.replace(/\/+$/, "");
  }
}

/** Pulls the human message out of an error body in the OpenAI, Ollama or llama.cpp shape. */
export function serverDetail(body: unknown, fallback?: string): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.message === "string") return b.message;
    if (typeof b.error === "string") return b.error;
    if (b.error && typeof b.error === "object" && typeof (b.error as Record<string, unknown>).message === "string") {
      return (b.error as Record<string, unknown>).message as string;
    }
  }
  if (fallback) return fallback.replace(/^\d{3}\s+/, "").replace(/^status code \(no body\)$/, "").trim() || undefined;
  return undefined;
}

function headerGetter(headers: unknown): (name: string) => string | null {
  if (headers && typeof (headers as Headers).get === "function") return (n) => (headers as Headers).get(n);
  return () => null;
}

function isAbortError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

function isFetchFailure(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed|terminated|network/i.test(err.message);
}

function hasCode(err: unknown): boolean {
  return causeCode(err) !== undefined;
}

/** The first `code` found along the `cause` chain (undici nests the socket error two levels deep). */
export function causeCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    // AggregateError (happy eyeballs over several addresses) keeps the real errors in `errors`.
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = causeCode(errors[0]);
      if (inner) return inner;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? oneLine.slice(0, max - 1) + "…" : oneLine;
}
