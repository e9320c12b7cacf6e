/**
 * Turns one completion request into a scheduler job: the cursor's surroundings, how to build the
 * prompt after the debounce (context engine → FIM prompt for the configured mode and family), how
 * to stream the model's answer and stop it as soon as the block is complete, and how to clean the
 * answer. No LSP types here: completion.ts speaks the protocol.
 */
import { basename, relative, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { buildContext, type ContextResult } from "../context/index.js";
import type { LlmClient, TextStream } from "../llm/types.js";
import { completionIsComplete, postprocessCompletion, type CompletionFilterContext } from "../postprocess/completion/index.js";
import { fimCacheKey, fimInputFromContext, renderFim, type FimPrompt } from "../prompts/fim.js";
import { fimTemplateFor } from "../prompts/fimTemplates.js";
import type { CompletionJob, PreparedCompletion } from "../scheduler/types.js";
import { resolveFimMode } from "../settings/providers.js";
import type { LogLevel, Settings } from "../settings/types.js";
import { conventionsFor, languageFor, scopeAt } from "../syntax/index.js";
import type { DocumentStore, SyntaxDocument } from "../syntax/types.js";

/** What a job needs from the server. */
export interface CompletionJobDeps {
  documents: DocumentStore;
  settings(): Settings;
  llm(): LlmClient;
  workspaceFolders(): string[];
  log(level: LogLevel, message: string): void;
}

/** The request as the feature saw it. */
export interface CompletionRequest {
  doc: SyntaxDocument;
  /** UTF-16 offset of the cursor. */
  offset: number;
  explicit: boolean;
  signal?: AbortSignal;
  /** When the request reached the server (`performance.now()`); the debounce counts from here. */
  receivedAt?: number;
}

/** Fallback window sizes when the context engine fails. */
const FALLBACK_PREFIX_CHARS = 4000;
const FALLBACK_SUFFIX_CHARS = 1500;
/** A single line needs few tokens; asking for fewer makes the answer come sooner. */
const SINGLE_LINE_MAX_TOKENS = 64;

/** Whether the cursor wants a block (an empty body, or right after a block opener) or one line. */
export function wantsMultiline(doc: SyntaxDocument, offset: number, language: string | undefined): boolean {
  const lineStart = doc.text.lastIndexOf("\n", offset - 1) + 1;
  const nl = doc.text.indexOf("\n", offset);
  const before = doc.text.slice(lineStart, offset);
  const after = doc.text.slice(offset, nl < 0 ? doc.text.length : nl).replace(/\r$/, "");
  let scope;
  try {
    scope = language ? scopeAt(doc, offset) : undefined;
  } catch {
    scope = undefined;
  }
  if (scope?.inEmptyBody) return true;
  // Right after a block opener at the end of a line ("{", ":", "=>"), the body comes next.
  const openers = conventionsFor(language)?.blockOpeners ?? ["{"];
  if (after.trim() === "" && openers.some((o) => before.trimEnd().endsWith(o))) return true;
  if (scope) return !scope.midExpression && before.trim() === "";
  return before.trim() === "" && after.trim() === "";
}

/** Builds the scheduler job for one request; `multiline` and `language` are decided up front. */
export function createCompletionJob(deps: CompletionJobDeps, req: CompletionRequest): CompletionJob {
  const { doc, offset } = req;
  const text = doc.text;
  const version = doc.version;
  const language = doc.language ?? languageFor(doc.languageId, doc.uri);
  const multiline = wantsMultiline(doc, offset, language);
  const settings = deps.settings();
  const mode = resolveFimMode(settings);
  const filterCtx: CompletionFilterContext = {
    prefix: text.slice(0, offset),
    suffix: text.slice(offset),
    multiline,
    chat: mode === "chat",
  };
  if (language) filterCtx.language = language;

  return {
    uri: doc.uri,
    prefix: filterCtx.prefix,
    suffix: filterCtx.suffix,
    explicit: req.explicit,
    signal: req.signal,
    receivedAt: req.receivedAt,
    finish: (raw) => postprocessCompletion(raw, filterCtx),
    onModelCall: ({ sinceArrivalMs, debounceMs }) =>
      deps.log("debug", `completion: model call ${sinceArrivalMs.toFixed(1)} ms after the request (debounce ${debounceMs} ms)`),
    async prepare(signal): Promise<PreparedCompletion | undefined> {
      // The document moved on without a new request for it: an answer now would be stale.
      const live = deps.documents.get(doc.uri);
      if (!live || live.version !== version) return undefined;
      const s = deps.settings();
      const ctx = await contextFor(deps, live, offset, s, signal);
      const path = displayPath(doc.uri, deps.workspaceFolders());
      const input = fimInputFromContext(
        ctx ?? { chunks: [], totalTokens: 0 },
        { prefix: filterCtx.prefix.slice(-FALLBACK_PREFIX_CHARS), suffix: filterCtx.suffix.slice(0, FALLBACK_SUFFIX_CHARS) },
        {
          path,
          languageId: doc.languageId,
          lineComment: conventionsFor(language)?.lineComment ?? "//",
          repoName: basename(deps.workspaceFolders()[0] ?? "") || "workspace",
          multiline,
        },
      );
      const model = s.completion.model;
      const prompt = renderFim(input, resolveFimMode(s), fimTemplateFor(model, s.completion.fimTemplate));
      const maxTokens = multiline ? s.completion.maxTokens : Math.min(s.completion.maxTokens, SINGLE_LINE_MAX_TOKENS);
      const knobs = { model, maxTokens, temperature: s.completion.temperature };
      // The stream is created by `warm`, while the debounce still runs, so that the client prepares
      // the request (secret redaction) off the critical path; nothing is sent before fetch reads it.
      const open = () => openStream(deps.llm(), prompt, knobs);
      let ready: OpenedStream | undefined;
      return {
        key: fimCacheKey(model, prompt, maxTokens),
        warm: () => {
          ready ??= open();
        },
        fetch: (fetchSignal, onText) => {
          const opened = ready ?? open();
          ready = undefined;
          return readUntilComplete(opened, filterCtx, fetchSignal, onText);
        },
      };
    },
  };
}

/** Asks the context engine; on failure (other than an abort) the plain window is used instead. */
async function contextFor(deps: CompletionJobDeps, doc: SyntaxDocument, offset: number, s: Settings, signal: AbortSignal): Promise<ContextResult | undefined> {
  try {
    return await buildContext({
      document: doc,
      target: { kind: "cursor", offset },
      budgetTokens: s.completion.contextTokens,
      openDocuments: deps.documents.all(),
      workspaceFolders: deps.workspaceFolders(),
      options: { exclude: s.exclude, contextScope: s.contextScope, maxFileBytes: s.maxFileBytes },
      signal,
    });
  } catch (e) {
    if (signal.aborted) throw e;
    deps.log("warn", `completion: context failed, using the text around the cursor: ${(e as Error).message}`);
    return undefined;
  }
}

/** A stream not read yet, and the controller that ends its HTTP request. */
interface OpenedStream {
  stream: TextStream;
  controller: AbortController;
}

/** Creates the stream for the prompt's mode; nothing is sent before it is read. */
function openStream(llm: LlmClient, prompt: FimPrompt, knobs: { model: string; maxTokens: number; temperature: number }): OpenedStream {
  const controller = new AbortController();
  const base = { ...knobs, signal: controller.signal };
  let stream: TextStream;
  switch (prompt.mode) {
    case "completions-suffix":
      stream = llm.completeStream({ ...base, prompt: prompt.prompt, suffix: prompt.suffix, stop: prompt.stop });
      break;
    case "completions-template":
      stream = llm.completeStream({ ...base, prompt: prompt.prompt, stop: prompt.stop });
      break;
    case "llamacpp-infill":
      stream = llm.infillStream({ ...base, prefix: prompt.prefix, suffix: prompt.suffix, extra: prompt.extra, stop: prompt.stop });
      break;
    case "chat":
      stream = llm.chatStream({ ...base, messages: prompt.messages });
      break;
  }
  return { stream, controller };
}

/**
 * Reads the model's answer, reporting the text so far, and stops (closing the HTTP request) as
 * soon as the suggestion is complete: the line in single-line mode, the block in multi-line mode.
 */
async function readUntilComplete(
  { stream, controller }: OpenedStream,
  filterCtx: CompletionFilterContext,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<string> {
  const stop = () => controller.abort();
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop, { once: true });
  let text = "";
  try {
    for await (const delta of stream) {
      text += delta;
      onText(text);
      if (completionIsComplete(text, filterCtx)) break;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    // Ends the HTTP request once the suggestion is complete.
    controller.abort();
  }
  return text;
}

/** The document's path relative to its workspace folder, or its file name. */
function displayPath(uri: string, folders: string[]): string {
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return uri.split("/").pop() || "untitled";
  }
  for (const f of folders) {
    const rel = relative(f, path);
    if (rel && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split("\\").join("/");
  }
  return basename(path);
}
