/**
 * A scripted OpenAI-compatible HTTP server for tests. It listens on 127.0.0.1 with an ephemeral
 * port and speaks the real wire formats (OpenAI chat/completions, legacy completions with
 * `suffix`, llama.cpp `/infill`), so the server under test exercises its real `openai` client,
 * streaming parser, timeouts and retries. Each test scripts the replies it needs: text, streamed
 * chunks, delays, error statuses and bodies in several providers' shapes, cut-off streams, hangs.
 *
 * Routing of scripted replies: replies queued with `enqueue()` and the default set with
 * `setDefault()` apply to the generation endpoints (chat, completions, infill) unless a `path`
 * is given; `GET /v1/models` answers the `models` list unless a reply is scripted for that path.
 *
 * Cheat sheet:
 *   const fake = await startFakeLlm();                 // fake.url = http://127.0.0.1:PORT/v1
 *   fake.enqueue("text");                              // next generation request gets "text"
 *   fake.enqueue({ chunks: ["a", "b"], chunkDelayMs: 20 });
 *   fake.enqueue({ text, firstTokenDelayMs: 500 });    // slow first token
 *   fake.enqueue({ hang: true });                      // never answers (cleaned up by close())
 *   fake.enqueue({ status: 429, retryAfter: 1 });      // error bodies: errorShape "openai" | "ollama" | "ollama-native" | "llamacpp"
 *   fake.enqueue({ text, cutAfterChunks: 2 });         // socket destroyed mid-stream, no [DONE]
 *   fake.enqueue({ text, stallAfterChunks: 1 });       // stream goes silent (idle timeout)
 *   fake.enqueue({ text: "x", malformed: true });      // invalid JSON
 *   fake.enqueue((req) => `echo ${req.body.prompt}`);  // computed from the request
 *   fake.enqueue({ status: 503 }, { path: "models" }); // only for GET /v1/models
 *   fake.setDefault({ text: "always" });               // when the queue has nothing
 *   fake.requests[0].body / .aborted / .headers;  await fake.waitForRequests(2);  await fake.close();
 */
import http from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";

/** One request the fake received, recorded in arrival order. */
export interface FakeRequest {
  method: string;
  /** The path without the query string, as the client sent it (for example `/v1/chat/completions`). */
  path: string;
  /** Which endpoint it was routed to. */
  endpoint: FakeEndpoint;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: any;
  rawBody: string;
  /** True when the client closed the connection before the reply was complete. */
  aborted: boolean;
  /** True once the fake finished its reply (or cut it off on purpose). */
  done: boolean;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** Text sent so far (content deltas), for asserting how far a stream got. */
  sentText: string;
}

export type FakeEndpoint = "models" | "chat" | "completions" | "infill" | "unknown";

/** The shapes real servers use for error bodies. */
export type ErrorShape = "openai" | "ollama" | "ollama-native" | "llamacpp";

/** What the fake should do for one request. Every field is optional; an empty spec answers "". */
export interface ReplySpec {
  /** The whole reply text (split into chunks when the request streams). */
  text?: string;
  /** Explicit stream chunks; for a non-streaming request they are joined. */
  chunks?: string[];
  /** Characters per chunk when `text` is split for streaming (default 16). */
  chunkSize?: number;
  /** Delay between stream chunks. */
  chunkDelayMs?: number;
  /** Delay before the response headers are sent (a slow server / hang before headers). */
  headersDelayMs?: number;
  /** Delay after the headers before the first token (slow first token). */
  firstTokenDelayMs?: number;
  /** HTTP status; anything >= 400 sends an error body instead of a completion. */
  status?: number;
  /** The error message in the error body (a default per status otherwise). */
  errorMessage?: string;
  /** Which provider's error body shape to use (default "openai"). */
  errorShape?: ErrorShape;
  /** A raw error body that replaces the generated one. */
  errorBody?: string;
  /** Sent as the `Retry-After` header (seconds, or an HTTP date string). */
  retryAfter?: number | string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Destroy the socket after this many chunks (no finish_reason, no [DONE]). */
  cutAfterChunks?: number;
  /** Stop sending after this many chunks but keep the connection open (a stall mid-stream). */
  stallAfterChunks?: number;
  /** Never answer at all (not even headers); cleaned up by `close()`. */
  hang?: boolean;
  /** Send a body (or SSE event) that is not valid JSON. */
  malformed?: boolean;
  /** After this many chunks, send an in-stream `{"error": ...}` event and end the stream. */
  errorAfterChunks?: number;
  /** finish_reason of the last chunk (default "stop"). */
  finishReason?: string;
  /** Do not cut the text at the request's `stop` sequences (real servers do cut). */
  ignoreStop?: boolean;
  /** Model ids for a `/v1/models` reply. */
  models?: string[];
  /** Full control: this status, headers and body are sent verbatim. */
  raw?: { status?: number; headers?: Record<string, string>; body: string };
}

/** A scripted reply: a fixed spec or a function computing one from the request. */
export type Reply = ReplySpec | string | ((req: FakeRequest) => ReplySpec | string | Promise<ReplySpec | string>);

/** Restricts a scripted reply to requests whose path (or endpoint) matches. */
export interface ReplyMatch {
  /** An exact path (`/v1/completions`), an endpoint name (`"infill"`), or a RegExp over the path. */
  path?: string | RegExp;
}

export interface FakeLlm {
  /** Base URL ending in `/v1`, for example `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (where llama.cpp's `/infill` lives). */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[];
  /** Model ids served by `GET /v1/models` (mutable). */
  models: string[];
  /** When true, generation requests naming a model not in `models` get a 404 (like Ollama). */
  rejectUnknownModels: boolean;
  /** When set, requests without `Authorization: Bearer <key>` get a 401. */
  requiredApiKey: string | undefined;
  /** Queue a reply for the next matching request (FIFO). */
  enqueue(reply: Reply, match?: ReplyMatch): void;
  /** The reply used when the queue has nothing for a request (default: the text "ok"). */
  setDefault(reply: Reply, match?: ReplyMatch): void;
  /** Scripted replies not consumed yet. */
  pending(): number;
  /** Resolves when `count` requests (optionally matching) have arrived. */
  waitForRequests(count: number, opts?: { endpoint?: FakeEndpoint; timeoutMs?: number }): Promise<FakeRequest[]>;
  /** Resolves once the given request was aborted by the client or finished. */
  waitForEnd(req: FakeRequest, timeoutMs?: number): Promise<FakeRequest>;
  /** Forget recorded requests and scripted replies (models and defaults stay). */
  reset(): void;
  /** Stop listening and destroy every open socket, including hanging ones. */
  close(): Promise<void>;
}

interface Scripted {
  reply: Reply;
  match?: ReplyMatch;
}

const DEFAULT_ERROR_MESSAGES: Record<number, string> = {
  400: "Bad request",
  401: "Incorrect API key provided",
  403: "Permission denied",
  404: "The model does not exist",
  429: "Rate limit reached for requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};

/** Starts a fake OpenAI-compatible server on 127.0.0.1 with an ephemeral port. */
export async function startFakeLlm(opts: { models?: string[] } = {}): Promise<FakeLlm> {
  const requests: FakeRequest[] = [];
  const queue: Scripted[] = [];
  const defaults: Scripted[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  let closed = false;
  let idCounter = 0;

  /** Sleeps unless the fake is closed; resolves false when the fake closed meanwhile. */
  function sleep(ms: number | undefined): Promise<boolean> {
    if (!ms || ms <= 0) return Promise.resolve(!closed);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve(!closed);
      }, ms);
      timers.add(t);
    });
  }

  function notify(): void {
    for (const w of [...waiters]) w();
  }

  function matches(s: Scripted, req: FakeRequest): boolean {
    const p = s.match?.path;
    if (p === undefined) return req.endpoint !== "models" && req.endpoint !== "unknown";
    if (p instanceof RegExp) return p.test(req.path);
    return p === req.path || p === req.endpoint;
  }

  function pick(req: FakeRequest): Reply | undefined {
    const i = queue.findIndex((s) => matches(s, req));
    if (i >= 0) return queue.splice(i, 1)[0]!.reply;
    // The most recently set default that matches wins, so a path-specific default can override.
    for (let j = defaults.length - 1; j >= 0; j--) if (matches(defaults[j]!, req)) return defaults[j]!.reply;
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rec: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      endpoint: endpointOf(req.method ?? "GET", url.pathname),
      headers: req.headers,
      body: undefined,
      rawBody: "",
      aborted: false,
      done: false,
      receivedAt: Date.now(),
      sentText: "",
    };
    let intentionalClose = false;
    res.on("close", () => {
      if (!rec.done && !intentionalClose && !closed) rec.aborted = true;
      rec.done = true;
      notify();
    });
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => {
      rec.rawBody = Buffer.concat(parts).toString("utf8");
      if (rec.rawBody) {
        try {
          rec.body = JSON.parse(rec.rawBody);
        } catch {
          rec.body = undefined;
        }
      }
      requests.push(rec);
      notify();
      handle(rec, res, () => {
        intentionalClose = true;
      }).catch((err) => {
        // A bug in the fake itself: answer 500 so the test sees something rather than a hang.
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`fake server error: ${String(err)}`);
        } else res.destroy();
      });
    });
  });

  async function handle(rec: FakeRequest, res: http.ServerResponse, markIntentional: () => void): Promise<void> {
    const scripted = pick(rec);
    let spec: ReplySpec;
    if (typeof scripted === "function") spec = normalize(await scripted(rec));
    else spec = normalize(scripted ?? defaultFor(rec));

    if (spec.hang) return; // Never answer; close() destroys the socket.
    if (!(await sleep(spec.headersDelayMs))) return;
    if (rec.aborted) return;

    if (spec.raw) {
      res.writeHead(spec.raw.status ?? 200, { "content-type": "application/json", ...spec.raw.headers });
      res.end(spec.raw.body, () => finish(rec));
      return;
    }

    // Built-in realism checks run only when no explicit status was scripted.
    if (spec.status === undefined) {
      if (fake.requiredApiKey !== undefined && rec.headers.authorization !== `Bearer ${fake.requiredApiKey}`) {
        spec = { ...spec, status: 401 };
      } else if (
        fake.rejectUnknownModels &&
        rec.endpoint !== "models" &&
        rec.endpoint !== "infill" &&
        typeof rec.body?.model === "string" &&
        !fake.models.includes(rec.body.model)
      ) {
        spec = { ...spec, status: 404, errorMessage: spec.errorMessage ?? `model "${rec.body.model}" not found, try pulling it first` };
      }
    }

    if (rec.endpoint === "unknown" && spec.status === undefined) spec = { ...spec, status: 404, errorMessage: `no route for ${rec.method} ${rec.path}` };

    const headers: Record<string, string> = { ...spec.headers };
    if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);

    if (spec.status !== undefined && spec.status >= 400) {
      const body = spec.errorBody ?? errorBody(spec.status, spec.errorMessage ?? DEFAULT_ERROR_MESSAGES[spec.status] ?? `HTTP ${spec.status}`, spec.errorShape ?? "openai");
      res.writeHead(spec.status, { "content-type": "application/json", ...headers });
      res.end(body, () => finish(rec));
      return;
    }
    const status = spec.status ?? 200;

    if (rec.endpoint === "models") {
      const ids = spec.models ?? fake.models;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      const body = spec.malformed
        ? '{"object":"list","data":[{"id":'
        : JSON.stringify({ object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })) });
      res.end(body, () => finish(rec));
      return;
    }

    const model = typeof rec.body?.model === "string" ? rec.body.model : "fake-model";
    let chunks = spec.chunks ?? split(spec.text ?? "", spec.chunkSize ?? 16);
    let finishReason = spec.finishReason ?? "stop";
    const stops: string[] = Array.isArray(rec.body?.stop) ? rec.body.stop : typeof rec.body?.stop === "string" ? [rec.body.stop] : [];
    if (!spec.ignoreStop && stops.length > 0) {
      const cut = cutAtStop(chunks.join(""), stops);
      if (cut !== undefined) {
        chunks = split(cut, spec.chunkSize ?? 16);
        finishReason = "stop";
      }
    }
    const id = `${rec.endpoint === "chat" ? "chatcmpl" : "cmpl"}-fake${++idCounter}`;
    const created = Math.floor(Date.now() / 1000);
    const streaming = rec.body?.stream === true;

    if (!streaming) {
      if (spec.stallAfterChunks !== undefined) {
        // Headers, then silence: the non-streaming form of a stall.
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.flushHeaders();
        return;
      }
      if (!(await sleep(spec.firstTokenDelayMs))) return;
      const text = chunks.join("");
      rec.sentText = text;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      if (spec.malformed) {
        res.end('{"id":"' + id + '","choices":[{"index":0,', () => finish(rec));
        return;
      }
      if (spec.cutAfterChunks !== undefined) {
        // Send half a body, then drop the connection.
        const body = nonStreamBody(rec.endpoint, id, created, model, text, finishReason);
        const half = new Promise<void>((resolve) => res.write(body.slice(0, Math.floor(body.length / 2)), () => resolve()));
        markIntentional();
        await cut(res, half);
        return;
      }
      res.end(nonStreamBody(rec.endpoint, id, created, model, text, finishReason), () => finish(rec));
      return;
    }

    res.writeHead(status, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...headers });
    res.flushHeaders();
    if (!(await sleep(spec.firstTokenDelayMs))) return;
    let lastWrite: Promise<void> | undefined;
    if (rec.endpoint === "chat") {
      // OpenAI sends the role first with empty content.
      lastWrite = writeEvent(res, JSON.stringify(chatChunk(id, created, model, { role: "assistant", content: "" }, null)));
    }
    for (let i = 0; i < chunks.length; i++) {
      if (rec.aborted || closed) return;
      if (spec.cutAfterChunks !== undefined && i >= spec.cutAfterChunks) {
        markIntentional();
        await cut(res, lastWrite);
        return;
      }
      if (spec.stallAfterChunks !== undefined && i >= spec.stallAfterChunks) return; // Stay silent.
      if (spec.errorAfterChunks !== undefined && i >= spec.errorAfterChunks) {
        writeEvent(res, JSON.stringify({ error: { message: spec.errorMessage ?? "The server had an error while processing your request", type: "server_error", code: null } }));
        res.end(() => finish(rec));
        return;
      }
      if (spec.malformed && i === Math.floor(chunks.length / 2)) {
        writeEvent(res, '{"id":"' + id + '","choices":[{"delta":');
      }
      if (i > 0 && !(await sleep(spec.chunkDelayMs))) return;
      if (rec.aborted || closed) return;
      rec.sentText += chunks[i];
      lastWrite = writeEvent(res, JSON.stringify(streamChunk(rec.endpoint, id, created, model, chunks[i]!, null)));
    }
    if (spec.malformed && chunks.length === 0) writeEvent(res, "{not json");
    if (spec.cutAfterChunks !== undefined && spec.cutAfterChunks >= chunks.length) {
      markIntentional();
      await cut(res, lastWrite);
      return;
    }
    if (spec.stallAfterChunks !== undefined && spec.stallAfterChunks >= chunks.length) return;
    if (rec.endpoint === "infill") {
      // llama.cpp's native endpoints end with a `stop: true` event and send no [DONE].
      writeEvent(res, JSON.stringify({ content: "", stop: true, index: 0, model, stop_type: finishReason === "length" ? "limit" : "eos", tokens_predicted: chunks.length }));
    } else {
      writeEvent(res, JSON.stringify(streamChunk(rec.endpoint, id, created, model, "", finishReason)));
      writeEvent(res, "[DONE]");
    }
    res.end(() => finish(rec));
  }

  function finish(rec: FakeRequest): void {
    rec.done = true;
    notify();
  }

  function defaultFor(rec: FakeRequest): ReplySpec {
    return rec.endpoint === "models" ? {} : { text: "ok" };
  }

  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  // Keep-alive sockets must not hold the test process open.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // A test that forgets close() must not keep mocha alive once everything else is done.
  server.unref();

  const fake: FakeLlm = {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    models: opts.models ?? ["fake-chat", "fake-coder"],
    rejectUnknownModels: false,
    requiredApiKey: undefined,
    enqueue(reply, match) {
      queue.push({ reply, match });
    },
    setDefault(reply, match) {
      defaults.push({ reply, match });
    },
    pending() {
      return queue.length;
    },
    waitForRequests(count, o = {}) {
      const relevant = () => requests.filter((r) => o.endpoint === undefined || r.endpoint === o.endpoint);
      return waitUntil(() => (relevant().length >= count ? relevant() : undefined), o.timeoutMs ?? 10000, `${count} request(s)`);
    },
    waitForEnd(req, timeoutMs = 10000) {
      return waitUntil(() => (req.done || req.aborted ? req : undefined), timeoutMs, "the request to end");
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      notify();
    },
  };

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const now = check();
      if (now !== undefined) return resolve(now);
      const waiter = () => {
        const v = check();
        if (v !== undefined) {
          cleanup();
          resolve(v);
        } else if (closed) {
          cleanup();
          reject(new Error(`fake LLM closed while waiting for ${what}`));
        }
      };
      const t = setTimeout(() => {
        cleanup();
        reject(new Error(`fake LLM: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(t);
        waiters.delete(waiter);
      };
      waiters.add(waiter);
    });
  }

  return fake;
}

function normalize(r: ReplySpec | string | undefined): ReplySpec {
  if (r === undefined) return {};
  return typeof r === "string" ? { text: r } : r;
}

function endpointOf(method: string, path: string): FakeEndpoint {
  const p = path.replace(/\/+$/, "");
  if (method === "GET" && /(^|\/)models$/.test(p)) return "models";
  if (method !== "POST") return "unknown";
  if (/(^|\/)chat\/completions$/.test(p)) return "chat";
  if (/(^|\/)completions$/.test(p)) return "completions";
  if (/(^|\/)infill$/.test(p)) return "infill";
  return "unknown";
}

/** Writes one SSE event; resolves once it was handed to the socket (so a cut after it keeps it). */
function writeEvent(res: http.ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(`data: ${data}\n\n`, () => resolve());
  });
}

/** Drops the connection after what was written so far reached the socket (a cut-off reply). */
async function cut(res: http.ServerResponse, lastWrite: Promise<void> | undefined): Promise<void> {
  await lastWrite;
  res.destroy();
}

function split(text: string, size: number): string[] {
  if (text === "") return [];
  const out: string[] = [];
  // Split on code points so astral characters are never cut in half.
  const cps = Array.from(text);
  for (let i = 0; i < cps.length; i += Math.max(1, size)) out.push(cps.slice(i, i + size).join(""));
  return out;
}

function cutAtStop(text: string, stops: string[]): string | undefined {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best >= 0 ? text.slice(0, best) : undefined;
}

function chatChunk(id: string, created: number, model: string, delta: object, finishReason: string | null): object {
  return { id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
}

function streamChunk(endpoint: FakeEndpoint, id: string, created: number, model: string, text: string, finishReason: string | null): object {
  if (endpoint === "chat") return chatChunk(id, created, model, finishReason ? {} : { content: text }, finishReason);
  if (endpoint === "infill") return { content: text, stop: false, index: 0 };
  return { id, object: "text_completion", created, model, choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }] };
}

function nonStreamBody(endpoint: FakeEndpoint, id: string, created: number, model: string, text: string, finishReason: string): string {
  const usage = { prompt_tokens: 10, completion_tokens: Math.ceil(text.length / 4), total_tokens: 10 + Math.ceil(text.length / 4) };
  if (endpoint === "chat") {
    return JSON.stringify({ id, object: "chat.completion", created, model, choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: finishReason }], usage });
  }
  if (endpoint === "infill") {
    return JSON.stringify({ content: text, stop: true, index: 0, model, stop_type: finishReason === "length" ? "limit" : "eos", tokens_predicted: usage.completion_tokens });
  }
  return JSON.stringify({ id, object: "text_completion", created, model, choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }], usage });
}

/** Builds an error body in the shape a given provider sends. */
export function errorBody(status: number, message: string, shape: ErrorShape = "openai"): string {
  switch (shape) {
    case "ollama-native":
      return JSON.stringify({ error: message });
    case "ollama":
      return JSON.stringify({ error: { message, type: status >= 500 ? "api_error" : "invalid_request_error", param: null, code: null } });
    case "llamacpp": {
      const type = status === 401 ? "authentication_error" : status === 404 ? "not_found_error" : status === 503 ? "unavailable_error" : status >= 500 ? "server_error" : "invalid_request_error";
      return JSON.stringify({ error: { code: status, message, type } });
    }
    default: {
      const code = status === 401 ? "invalid_api_key" : status === 404 ? "model_not_found" : status === 429 ? "rate_limit_exceeded" : null;
      const type = status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
      return JSON.stringify({ error: { message, type, param: null, code } });
    }
  }
}

/** A base URL (ending in /v1) on 127.0.0.1 where nothing listens: connection refused. */
export async function unusedPortUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

// ---- Builders for realistic model output -------------------------------------------------------

/** Wraps code in a Markdown fence, optionally with chatty prose before and after, as chat models do. */
export function fenced(code: string, opts: { lang?: string; prose?: string; after?: string } = {}): string {
  const body = code.endsWith("\n") ? code : code + "\n";
  let out = "";
  if (opts.prose !== undefined) out += opts.prose + "\n\n";
  out += "```" + (opts.lang ?? "") + "\n" + body + "```";
  if (opts.after !== undefined) out += "\n\n" + opts.after;
  return out;
}

/** Converts line endings to CRLF, as some models (and Windows-trained ones) emit. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

/** Re-indents every non-empty line by `indent` (a model that ignored the surrounding indentation). */
export function reindent(text: string, indent: string): string {
  return text
    .split("\n")
    .map((l) => (l.trim() === "" ? l : indent + l.trimStart()))
    .join("\n");
}

/** Replaces leading tabs by spaces or vice versa (a model that mixed indentation styles). */
export function swapIndentStyle(text: string, spacesPerTab = 4): string {
  const spaces = " ".repeat(spacesPerTab);
  return text
    .split("\n")
    .map((l) => {
      const m = /^[\t ]*/.exec(l)![0];
      const swapped = m.includes("\t") ? m.replace(/\t/g, spaces) : m.replace(new RegExp(spaces, "g"), "\t");
      return swapped + l.slice(m.length);
    })
    .join("\n");
}

/** Prepends a `<think>` block, as reasoning models (Qwen3, DeepSeek-R1) emit before the answer. */
export function withThinking(text: string, thoughts = "Let me think about what the user wants."): string {
  return `<think>\n${thoughts}\n</think>\n\n${text}`;
}

/** A reply of about `bytes` characters of plausible code lines (for enormous-reply tests). */
export function huge(bytes: number): string {
  const line = "const value = compute(alpha, beta, gamma); // filler line\n";
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

/** Repeats `text` `times` times, like a model caught in a repetition loop. */
export function repeated(text: string, times: number): string {
  return text.repeat(times);
}

/** Shorthand for an error reply: `errorReply(429, { retryAfter: 1 })`. */
export function errorReply(status: number, opts: Omit<ReplySpec, "status"> = {}): ReplySpec {
  return { ...opts, status };
}
