/**
 * Runs one code action: context → prompt → streamed model reply → clean → validate, with one
 * retry that shows the model its error; then, if the user edited meanwhile, the same reply is
 * placed on the target found afresh, or nothing is applied. Failures come back as plain sentences.
 */
import { buildContext } from "../context/index.js";
import type { ContextChunk, ContextTarget } from "../context/types.js";
import { LlmError } from "../llm/errors.js";
import type { LlmClient } from "../llm/types.js";
import { buildActionMessages, type ActionPromptInput, type PromptSnippet } from "../prompts/actions.js";
import type { LogLevel } from "../settings/types.js";
import type { BuildResult, Plan } from "./plans.js";
import { prepare, type PrepareDeps, type Prepared } from "./prepare.js";
import type { ActionOffer, ActionProgress, ActionResult, FileChange } from "./types.js";
import { problemIn } from "./validate.js";

/** What running an action needs from the server. */
export interface RunDeps extends PrepareDeps {
  llm: LlmClient;
  /** Runs the model call under the scheduler (priority "action"); defaults to running it directly. */
  schedule?<T>(task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T>;
  log?(level: LogLevel, message: string): void;
}

const sourceLabel: Record<ContextChunk["source"], string> = {
  // Sent only when it encloses the target (see snippets).
  target: "Where it is written",
  outline: "Outline of the enclosing code",
  definition: "A definition it uses",
  import: "Imported from",
  "open-document": "From another open file",
  "test-example": "An existing test (follow its style)",
};

/**
 * The context as labelled snippets. The target's own chunk is the code the prompt shows anyway,
 * unless it is the target inside what encloses it: its class with the fields and sibling members
 * the engine picked for the body (the likeliest guesses are rendered there, not as chunks of their
 * own), which the model sees only this way.
 */
function snippets(chunks: ContextChunk[], target: ContextTarget): PromptSnippet[] {
  const span = target.kind === "stub" ? target.stub.span : target.kind === "function" ? target.definition.span : undefined;
  const encloses = (c: ContextChunk): boolean => span !== undefined && c.startOffset !== undefined && c.endOffset !== undefined && (c.startOffset < span.startOffset || c.endOffset > span.endOffset);
  return chunks
    .filter((c) => c.source !== "target" || encloses(c))
    .map((c) => ({ label: labelOf(c), text: c.text }));
}

function labelOf(c: ContextChunk): string {
  const notes = [c.relativePath, c.source === "target" ? "members it is unlikely to need are left out" : undefined].filter(Boolean);
  return `${sourceLabel[c.source]}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

/** Builds, then validates; returns the first problem, or the changes. */
function buildChecked(plan: Plan, reply: string): BuildResult | { ok: false; reason: string } {
  const built = plan.build(reply);
  if (!built.ok) return built;
  for (const c of built.checks) {
    const problem = problemIn(c);
    if (problem) return { ok: false, reason: problem };
  }
  return built;
}

/** Why the signal was aborted, as a sentence (a budget timeout carries its own message). */
function abortMessage(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error && r.name !== "AbortError" && r.message ? r.message : "cancelled";
}

/** Runs one action to the edit it makes, or to the sentence saying why it makes none. */
export async function runAction(offer: ActionOffer, deps: RunDeps, signal: AbortSignal, progress: ActionProgress = () => undefined): Promise<ActionResult> {
  const title = offer.title;
  const fail = (why: string): ActionResult => ({ ok: false, message: `${title}: ${why}` });
  const doc = deps.documents.get(offer.uri);
  if (!doc) return fail("the document is no longer open; nothing was applied");
  const prepared = prepare(offer, doc, deps);
  if ("error" in prepared) return fail(prepared.error);
  try {
    progress("Collecting context");
    let chunks: ContextChunk[] = [];
    let framework: string | undefined;
    try {
      const ctx = await buildContext({
        document: doc,
        target: prepared.contextTarget,
        budgetTokens: deps.settings.actions.contextTokens,
        openDocuments: deps.documents.all(),
        workspaceFolders: deps.workspaceFolders,
        options: { exclude: deps.settings.exclude, contextScope: deps.settings.contextScope, maxFileBytes: deps.settings.maxFileBytes },
        signal,
      });
      chunks = ctx.chunks;
      framework = ctx.testFramework;
    } catch (err) {
      signal.throwIfAborted();
      // The target alone is enough to try: a context failure must not block the action.
      deps.log?.("warn", `${title}: context failed (${(err as Error).message}); continuing with the target only`);
    }
    const input: ActionPromptInput = { ...prepared.input, context: snippets(chunks, prepared.contextTarget) };
    if (input.tests && !input.tests.framework && framework) input.tests = { ...input.tests, framework };
    let reply = "";
    let problem = "";
    let accepted: { changes: FileChange[] } | undefined;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      const messages = buildActionMessages(attempt === 0 ? input : { ...input, retry: { reply, problem } });
      progress(attempt === 0 ? "Asking the model" : "Asking the model again (the first reply was invalid)");
      reply = await ask(prepared, messages, deps, signal, progress);
      const built = buildChecked(prepared.plan, reply);
      if (built.ok) accepted = built;
      else {
        problem = built.reason;
        deps.log?.("info", `${title}: attempt ${attempt + 1} rejected: ${problem}`);
      }
    }
    if (!accepted) return fail(`the model's reply could not be used twice (${problem}); nothing was applied`);
    // The user may have typed while the model was writing: place the reply on the current text.
    let changes = accepted.changes;
    const stale = prepared.versions.some((v) => deps.documents.get(v.uri)?.version !== v.version);
    if (stale) {
      const again = relocate(offer, deps, prepared, reply);
      if ("error" in again) return fail(again.error);
      changes = again.changes;
    }
    return { ok: true, edit: { label: title, changes } };
  } catch (err) {
    if (signal.aborted) return { ok: false, cancelled: true, message: `${title}: ${abortMessage(signal)}; nothing was applied` };
    if (err instanceof LlmError) return fail(`${err.message}; nothing was applied`);
    deps.log?.("error", `${title}: ${(err as Error).stack ?? String(err)}`);
    return fail(`unexpected error (${(err as Error).message}); nothing was applied`);
  }
}

/**
 * The most characters a reply of `maxTokens` tokens can hold: 32 characters per token (far beyond
 * any tokenizer's average) plus a margin, so only a server that ignores max_tokens reaches it.
 */
export function maxReplyChars(maxTokens: number): number {
  return Math.max(1, maxTokens) * 32 + 4096;
}

/** Streams the model's reply under the scheduler, reporting how much has arrived. */
async function ask(prepared: Prepared, messages: ReturnType<typeof buildActionMessages>, deps: RunDeps, signal: AbortSignal, progress: ActionProgress): Promise<string> {
  const task = async (s: AbortSignal): Promise<string> => {
    let text = "";
    let lines = 0;
    for await (const delta of deps.llm.chatStream({
      model: prepared.model,
      maxTokens: deps.settings.actions.maxTokens,
      temperature: deps.settings.actions.temperature,
      messages,
      signal: s,
    })) {
      text += delta;
      // A server that ignores max_tokens must not make the action hold (and apply) megabytes:
      // stopping the loop closes the stream, which aborts the HTTP request.
      if (text.length > maxReplyChars(deps.settings.actions.maxTokens)) {
        throw new LlmError("bad-response", `the model's reply was far longer than the ${deps.settings.actions.maxTokens} tokens asked for (setting actions.maxTokens), so it was stopped`);
      }
      const n = text.split("\n").length;
      if (n !== lines) {
        lines = n;
        progress(`Receiving: ${n} line${n === 1 ? "" : "s"}`);
      }
    }
    return text;
  };
  return deps.schedule ? deps.schedule(task, signal) : task(signal);
}

/** Rebuilds the plan on the current documents and places the accepted reply there. */
function relocate(offer: ActionOffer, deps: RunDeps, before: Prepared, reply: string): { ok: true; changes: FileChange[] } | { error: string } {
  const doc = deps.documents.get(offer.uri);
  if (!doc) return { error: "the document was closed; nothing was applied" };
  const again = prepare(offer, doc, deps);
  if ("error" in again) return again;
  // A replaced region must hold exactly what the model saw; an insertion (tests, docs) only needs the target.
  if (offer.kind !== "tests" && offer.kind !== "document" && again.plan.targetCode !== before.plan.targetCode) {
    return { error: `${offer.target ? `\`${offer.target.name}\`` : "the code"} was edited while the code was generated; nothing was applied` };
  }
  const built = buildChecked(again.plan, reply);
  if (!built.ok) return { error: `the code no longer fits after your edits (${built.reason}); nothing was applied` };
  return built;
}
