/**
 * The explanation engine behind hover and the "Explain" code action, free of LSP types: it finds
 * the symbol under the cursor, gathers its definition and context through the context engine,
 * asks the model (at "hover" priority, shared and cached), and says what to show.
 */
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildContext, countTokens } from "../context/index.js";
import type { ContextChunk, ContextResult } from "../context/types.js";
import type { LlmClient, LlmErrorKind } from "../llm/types.js";
import { buildHoverMessages, type HoverPromptInput, type HoverSnippet } from "../prompts/hover.js";
import type { LogLevel, Settings } from "../settings/types.js";
import { definitions, nodeInfoAt } from "../syntax/index.js";
import type { Definition, DocumentStore, Span, SyntaxDocument } from "../syntax/types.js";
import { createExplanationCache, explanationKey, SharedCalls, type ExplanationCache } from "./hoverCache.js";
import { cleanExplanation, emptyNote, explanationMarkdown, failedNote, slowNote, unavailableNote } from "./hoverMarkdown.js";
import { endpointFingerprint, isOutage, OutageNotice } from "./hoverOutage.js";

/** What the engine needs from the server; `schedule` runs a task at "hover" priority. */
export interface ExplainDeps {
  documents: DocumentStore;
  settings(): Settings;
  llm(): LlmClient;
  workspaceFolders(): string[];
  schedule<T>(task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  log(level: LogLevel, message: string): void;
}

/** What to show for one hover or Explain request. */
export type ExplainOutcome =
  /** Nothing to explain here (keyword, literal, comment, whitespace, unknown document); no model call was made. */
  | { kind: "none" }
  | { kind: "explanation"; markdown: string; span: Span; name: string; fromCache: boolean }
  /** A short note instead of an explanation: the endpoint is down (shown once), slow, or said nothing. */
  | { kind: "note"; markdown: string; span: Span; name: string; reason: "outage" | "slow" | "empty" | "failed" }
  /** The endpoint is down and the user was already told: show nothing. */
  | { kind: "quiet"; reason: string };

export interface ExplainOptions {
  /** The client's cancellation; aborting it aborts the model call when no one else waits for it. */
  signal?: AbortSignal;
  /** Ask the model again even when a cached explanation exists ("Regenerate explanation"). */
  bypassCache?: boolean;
  /**
   * Hover mode: wait `hover.minDelayMs` before a model call and give up waiting after
   * `hover.timeoutMs` with a short note (the call goes on and fills the cache). Off for the
   * Explain action, which has no editor timeout to respect.
   */
  hover?: boolean;
  /** For a selection (the Explain action): explain this range instead of the symbol at `offset`. */
  endOffset?: number;
}

/** Everything decided before the model is asked: the prompt, the cache key and how to frame the answer. */
interface Plan {
  name: string;
  span: Span;
  key: string;
  input: HoverPromptInput;
  signature?: string;
}

/** A hover's model call may run this many times `hover.timeoutMs` (in the background after the note). */
const BACKGROUND_TIMEOUT_FACTOR = 3;

/** Lines of code kept on each side of the cursor as the use site. */
const USE_SITE_LINES = 6;

/** Share of the hover token budget the definition itself may take; the rest goes to related context. */
const DEFINITION_BUDGET_SHARE = 0.5;

/** True when `err` looks like an `LlmError` (checked by shape so this module does not depend on the class). */
function llmErrorKind(err: unknown): LlmErrorKind | undefined {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" ? (kind as LlmErrorKind) : undefined;
}

/** An error whose `name` is "AbortError" or whose kind is "aborted": the caller gave up. */
export function isAbort(err: unknown): boolean {
  return llmErrorKind(err) === "aborted" || (err as { name?: string } | null)?.name === "AbortError";
}

/** Explains symbols and selections; one instance per server. */
export class Explainer {
  private readonly cache: ExplanationCache = createExplanationCache();
  private readonly calls = new SharedCalls<string>();
  private readonly outage = new OutageNotice();
  /** Counts model calls started, for logs and tests. */
  modelCalls = 0;

  constructor(private readonly deps: ExplainDeps) {}

  /** Explains the symbol at `offset` (or the range up to `opts.endOffset`) in document `uri`. */
  async explain(uri: string, offset: number, opts: ExplainOptions = {}): Promise<ExplainOutcome> {
    // The hover's time limit covers everything: planning, the minimum delay and the model.
    const started = Date.now();
    const doc = this.deps.documents.get(uri);
    if (!doc) return { kind: "none" };
    const settings = this.deps.settings();
    const plan =
      opts.endOffset !== undefined && opts.endOffset > offset
        ? await this.planSelection(doc, offset, opts.endOffset, settings, opts.signal)
        : await this.planSymbol(doc, offset, settings, opts.signal);
    if (!plan) return { kind: "none" };

    if (!opts.bypassCache) {
      const cached = this.cache.get(plan.key);
      if (cached !== undefined) return { kind: "explanation", markdown: cached, span: plan.span, name: plan.name, fromCache: true };
    }

    const fingerprint = endpointFingerprint(settings);
    if (opts.hover && settings.hover.minDelayMs > 0) await delay(settings.hover.minDelayMs, opts.signal);

    const call = this.calls.run(plan.key, (signal) => this.ask(plan, settings, signal), opts.signal);
    let markdown: string | undefined;
    try {
      markdown = opts.hover ? await withinTime(call, settings.hover.timeoutMs - (Date.now() - started)) : await call;
    } catch (err) {
      if (isAbort(err) || opts.signal?.aborted) throw err;
      const kind = llmErrorKind(err);
      const reason = err instanceof Error ? err.message : String(err);
      if (isOutage(kind)) {
        if (!this.outage.record(fingerprint)) return { kind: "quiet", reason };
        this.deps.log("warn", `hover: ${reason}`);
        return { kind: "note", markdown: unavailableNote(reason), span: plan.span, name: plan.name, reason: "outage" };
      }
      if (kind) {
        this.deps.log("info", `hover: no explanation for ${plan.name}: ${reason}`);
        return { kind: "note", markdown: failedNote(plan.name, reason), span: plan.span, name: plan.name, reason: "failed" };
      }
      // Not a model failure: a bug somewhere below. Log it and show nothing rather than an error popup.
      this.deps.log("error", `hover failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { kind: "none" };
    }
    if (markdown === undefined) {
      // Out of time: the call goes on in the background and fills the cache for the next hover.
      if (this.outage.isQuiet(fingerprint)) return { kind: "quiet", reason: "slow while the endpoint is down" };
      return { kind: "note", markdown: slowNote(plan.name), span: plan.span, name: plan.name, reason: "slow" };
    }
    if (markdown === "") return { kind: "note", markdown: emptyNote(plan.name), span: plan.span, name: plan.name, reason: "empty" };
    return { kind: "explanation", markdown, span: plan.span, name: plan.name, fromCache: false };
  }

  /** Aborts every model call in flight (shutdown). */
  dispose(): void {
    this.calls.abortAll();
  }

  /** Asks the model at hover priority; caches and returns the finished markdown ("" when the reply was empty). */
  private async ask(plan: Plan, settings: Settings, signal: AbortSignal): Promise<string> {
    const messages = buildHoverMessages(plan.input);
    const reply = await this.deps.schedule(async (scheduled) => {
      this.modelCalls++;
      return this.deps.llm().chat({
        model: settings.hover.model,
        maxTokens: settings.hover.maxTokens,
        temperature: settings.hover.temperature,
        messages,
        // NOTE: a hover that timed out leaves its call running to fill the cache, but only for a
        // bounded time, so that hovers on a hanging endpoint cannot keep the shared concurrency
        // slots from actions for the whole request timeout.
        timeoutMs: Math.min(settings.requestTimeoutMs, settings.hover.timeoutMs * BACKGROUND_TIMEOUT_FACTOR),
        signal: AbortSignal.any([signal, scheduled]),
      });
    }, signal);
    this.outage.recovered();
    const explanation = cleanExplanation(reply);
    if (!explanation) return "";
    const markdown = explanationMarkdown(explanation, { signature: plan.signature, fence: plan.input.fence, model: settings.hover.model });
    this.cache.set(plan.key, markdown);
    return markdown;
  }

  /** Plans the explanation of the identifier at `offset`; undefined when there is nothing to explain. */
  private async planSymbol(doc: SyntaxDocument, offset: number, settings: Settings, signal?: AbortSignal): Promise<Plan | undefined> {
    const info = nodeInfoAt(doc, offset);
    if (!info || !info.isIdentifier || info.isKeyword || info.isLiteral || info.isComment) return undefined;
    const name = info.text;
    if (!name.trim()) return undefined;
    const budget = settings.hover.contextTokens;
    const fence = doc.languageId || doc.language || "";
    const filePath = displayPath(doc.uri, this.deps.workspaceFolders());
    const definition = pickDefinition(definitions(doc), name, offset);

    let defSnippet: HoverSnippet | undefined;
    let signature: string | undefined;
    let context: ContextResult;
    let useSite: HoverSnippet | undefined;
    /** The context engine's elided rendering of the definition, left out of "related" below. */
    let elidedTwin: string | undefined;
    const onDefinitionName = definition !== undefined && within(definition.nameSpan, offset);
    if (definition) {
      // NOTE: for a same-file definition the context is built for the definition itself, not for
      // the cursor, so hovering the same unchanged function from any call site shares one cache entry.
      const text = capTokens(doc.text.slice(definition.span.startOffset, definition.span.endOffset), budget * DEFINITION_BUDGET_SHARE);
      defSnippet = { label: "definition", text };
      signature = definition.signature;
      const rest = Math.max(0, budget - countTokens(text));
      context = await buildContext({
        document: doc,
        target: { kind: "function", definition, purpose: "explain" },
        budgetTokens: rest,
        ...this.contextSources(settings, signal),
      });
    } else {
      context = await buildContext({
        document: doc,
        target: { kind: "symbol", name, offset },
        budgetTokens: budget,
        ...this.contextSources(settings, signal),
      });
      const found = context.chunks.find((c) => c.source !== "target" && c.symbol === name);
      if (found) {
        const where = found.relativePath ? ` (${found.source === "definition" ? "same file" : `from ${found.relativePath}`})` : "";
        const full = await this.unelided(found, settings);
        defSnippet = { label: `definition${where}`, text: capTokens(full, budget * DEFINITION_BUDGET_SHARE) };
        elidedTwin = found.text;
      }
    }
    // NOTE: with no definition anywhere, only a call is worth a model call (a library function the
    // model may know); a bare local variable or parameter is not, so it costs nothing.
    if (!defSnippet && !isCallee(doc.text, info.span.endOffset)) return undefined;
    if (!onDefinitionName) useSite = { label: "code at the cursor", text: linesAround(doc.text, offset, USE_SITE_LINES) };

    const related = context.chunks
      .filter((c) => c.source !== "target" && c.text !== defSnippet?.text && c.text !== elidedTwin && !overlapsDefinition(c, definition))
      .map((c) => ({ label: chunkLabel(c), text: c.text }));

    // NOTE: the use site is part of the prompt but not of the key when a definition was found: the
    // explanation is about the definition, and the key must not change as the cursor moves.
    const key = explanationKey([
      "symbol",
      settings.hover.model,
      name,
      fence,
      defSnippet?.text ?? "",
      ...related.map((r) => r.text),
      defSnippet ? "" : (useSite?.text ?? ""),
    ]);
    return { name, span: info.span, key, signature, input: { name, fence, filePath, definition: defSnippet, related, useSite } };
  }

  /** Plans the explanation of a selected range (the Explain action on a selection). */
  private async planSelection(
    doc: SyntaxDocument,
    start: number,
    end: number,
    settings: Settings,
    signal?: AbortSignal,
  ): Promise<Plan | undefined> {
    const selected = doc.text.slice(start, end);
    if (!selected.trim()) return undefined;
    const budget = settings.hover.contextTokens;
    const text = capTokens(selected, budget * DEFINITION_BUDGET_SHARE);
    const context = await buildContext({
      document: doc,
      target: { kind: "selection", startOffset: start, endOffset: end },
      budgetTokens: Math.max(0, budget - countTokens(text)),
      ...this.contextSources(settings, signal),
    });
    const related = context.chunks.filter((c) => c.source !== "target").map((c) => ({ label: chunkLabel(c), text: c.text }));
    const fence = doc.languageId || doc.language || "";
    const name = "the selected code";
    const key = explanationKey(["selection", settings.hover.model, fence, text, ...related.map((r) => r.text)]);
    const span: Span = { start: doc.positionAt(start), end: doc.positionAt(end), startOffset: start, endOffset: end };
    return {
      name,
      span,
      key,
      input: { name, fence, filePath: displayPath(doc.uri, this.deps.workspaceFolders()), definition: { label: "code", text }, related },
    };
  }

  /**
   * The whole text of a definition the context engine rendered with its body elided (imports are
   * rendered as signatures): an explanation needs the body. The engine already decided the file
   * may be read (inside the workspace, not ignored); an open document's unsaved text wins.
   */
  private async unelided(chunk: ContextChunk, settings: Settings): Promise<string> {
    if (!chunk.elided || !chunk.filePath || chunk.startOffset === undefined || chunk.endOffset === undefined) return chunk.text;
    try {
      const open = this.deps.documents.all().find((d) => d.uri.startsWith("file:") && fileURLToPath(d.uri) === chunk.filePath);
      let text = open?.text;
      if (text === undefined) {
        const info = await stat(chunk.filePath);
        if (info.size > settings.maxFileBytes) return chunk.text;
        text = await readFile(chunk.filePath, "utf8");
      }
      const whole = text.slice(chunk.startOffset, chunk.endOffset);
      return whole.trim() ? whole : chunk.text;
    } catch {
      return chunk.text;
    }
  }

  private contextSources(settings: Settings, signal?: AbortSignal) {
    return {
      openDocuments: this.deps.documents.all(),
      workspaceFolders: this.deps.workspaceFolders(),
      options: { exclude: settings.exclude, contextScope: settings.contextScope, maxFileBytes: settings.maxFileBytes },
      signal,
    };
  }
}

/**
 * The definition an identifier refers to in the same file: the one whose name the cursor is on,
 * else the nearest same-named definition before the cursor (shadowing), else the first one.
 */
export function pickDefinition(defs: readonly Definition[], name: string, offset: number): Definition | undefined {
  const named = defs.filter((d) => d.name === name);
  if (named.length === 0) return undefined;
  const onName = named.find((d) => within(d.nameSpan, offset));
  if (onName) return onName;
  const before = named.filter((d) => d.span.startOffset <= offset).sort((a, b) => b.span.startOffset - a.span.startOffset);
  return before[0] ?? named[0];
}

function within(span: Span, offset: number): boolean {
  return offset >= span.startOffset && offset <= span.endOffset;
}

function overlapsDefinition(chunk: ContextChunk, def: Definition | undefined): boolean {
  if (!def || chunk.startOffset === undefined || chunk.endOffset === undefined || chunk.source !== "definition") return false;
  return chunk.startOffset === def.span.startOffset && chunk.endOffset === def.span.endOffset;
}

function chunkLabel(c: ContextChunk): string {
  const from = c.relativePath ? ` from ${c.relativePath}` : "";
  switch (c.source) {
    case "outline":
      return `outline${from}`;
    case "import":
      return `imported definition${from}`;
    case "open-document":
      return `definition in an open file${from}`;
    default:
      return `definition${from}`;
  }
}

/** True when the identifier ending at `end` is called: `(` follows it (or `!(` for macros), maybe after spaces. */
export function isCallee(text: string, end: number): boolean {
  return /^[ \t]*!?[ \t]*\(/.test(text.slice(end, end + 40));
}

/** The lines around `offset`, `n` on each side, so the model sees how the symbol is used. */
export function linesAround(text: string, offset: number, n: number): string {
  const line = text.slice(0, offset).split("\n").length - 1;
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  return lines.slice(Math.max(0, line - n), line + n + 1).join("\n");
}

/** Cuts `text` to at most `maxTokens` tokens at a line boundary, marking the cut. */
export function capTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  const lines = text.split("\n");
  let lo = 1;
  let hi = lines.length;
  // Binary search for the longest prefix of lines that fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(lines.slice(0, mid).join("\n")) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return `${lines.slice(0, lo).join("\n")}\n…`;
}

/** The document's path relative to its workspace folder (or the file name), for the prompt. */
export function displayPath(uri: string, folders: readonly string[]): string {
  let path: string;
  try {
    path = uri.startsWith("file:") ? decodeURIComponent(new URL(uri).pathname) : uri;
  } catch {
    path = uri;
  }
  for (const f of folders) {
    const base = f.endsWith("/") ? f : `${f}/`;
    if (path.startsWith(base)) return path.slice(base.length);
  }
  return path.split("/").pop() ?? path;
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves to the promise's value, or to undefined when it takes longer than `ms`. */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
