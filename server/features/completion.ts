/**
 * textDocument/completion and textDocument/inlineCompletion: the model's suggestion at the cursor,
 * through the shared scheduler (debounce, latest wins, cancel, reuse, cache, typing-through).
 * This module only speaks LSP; the job itself is built in completionJob.ts.
 */
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind } from "../lsp.js";
import {
  type CancellationToken,
  type ClientCapabilities,
  type CompletionItem,
  type CompletionList,
  type InlineCompletionItem,
  type InlineCompletionList,
  type Position,
  type ServerCapabilities,
} from "vscode-languageserver";
import { warmUpTokenizer } from "../context/index.js";
import { LlmError } from "../llm/errors.js";
import type { CompletionOutcome } from "../scheduler/types.js";
import type { Settings } from "../settings/types.js";
import type { SyntaxDocument } from "../syntax/types.js";
import { createCompletionJob } from "./completionJob.js";
import { completionCapabilities } from "./capabilities.js";
import type { Feature, ServerContext } from "./feature.js";

/**
 * An invoke (triggerKind 1) counts as explicit only when the document was quiet this long before
 * it: editors such as VS Code send triggerKind 1 for completions they open while the user types.
 */
const EXPLICIT_QUIET_MS = 250;
/**
 * Editors send the completion request right behind the edit that triggered it; one that arrives
 * this soon after the edit of the same document version is debounced from the edit's arrival, so
 * applying the edit and reading the document for the request do not add to the wait.
 */
const PAIRED_EDIT_MS = 50;
/** Longest label shown in the completion menu. */
const LABEL_MAX = 80;

/** The empty answer every superseded, cancelled or failed request gets. */
const EMPTY: CompletionList = { isIncomplete: true, items: [] };

/** What one request yields before it is shaped for either method. */
interface Suggestion {
  doc: SyntaxDocument;
  offset: number;
  text: string;
}

/** The completion and inline completion feature. */
export class CompletionFeature implements Feature {
  readonly name = "completion";
  private ctx: ServerContext | undefined;
  /** When each document's last edit arrived, and the version it made. */
  private readonly lastChange = new Map<string, { at: number; version: number }>();
  /** True once the user was told the endpoint fails; reset when a completion works again. */
  private outageShown = false;
  private warmedUp = false;

  capabilities(client: ClientCapabilities, settings: Settings): ServerCapabilities {
    return completionCapabilities(client, settings);
  }

  register(ctx: ServerContext): void {
    this.ctx = ctx;
    ctx.onDocumentChange((doc, { receivedAt }) => {
      this.lastChange.set(doc.uri, { at: receivedAt, version: doc.version });
      // Load the tokenizer when the first document opens, not on the first keystroke's completion.
      if (!this.warmedUp) {
        this.warmedUp = true;
        setTimeout(() => warmUpTokenizer(), 0);
      }
    });
    ctx.onDocumentClose((uri) => {
      this.lastChange.delete(uri);
      ctx.scheduler.forget(uri);
    });
    ctx.connection.onCompletion(async (params, token) => {
      const receivedAt = performance.now();
      const explicitKind = params.context?.triggerKind === 1;
      const s = await this.suggest(params.textDocument.uri, params.position, explicitKind, token, "completion", receivedAt);
      return s === undefined ? EMPTY : s === null ? { isIncomplete: false, items: [] } : this.completionList(s);
    });
    /** A debug request for tests, benchmarks and troubleshooting: what the scheduler did so far. */
    ctx.connection.onRequest("codegen/completionStats", () => ctx.scheduler.stats());
    ctx.connection.languages.inlineCompletion.on(async (params, token) => {
      const receivedAt = performance.now();
      const explicitKind = params.context?.triggerKind === 1;
      const s = await this.suggest(params.textDocument.uri, params.position, explicitKind, token, "inline", receivedAt);
      return s ? this.inlineList(s) : { items: [] };
    });
  }

  /**
   * One suggestion for a position: undefined when none came (ask again later), null when the
   * feature is off for this request (do not ask again for this word).
   */
  private async suggest(
    uri: string,
    position: Position,
    explicitKind: boolean,
    token: CancellationToken,
    method: "completion" | "inline",
    receivedAt: number,
  ): Promise<Suggestion | undefined | null> {
    const ctx = this.ctx!;
    const settings = ctx.settings().completion;
    if (method === "completion" ? !settings.enabled : !settings.inlineEnabled) return null;
    const doc = ctx.documents.get(uri);
    if (!doc) return undefined;
    // NOTE: inline completion's triggerKind is reliable (Automatic while typing, Invoked on a gesture);
    // textDocument/completion's is not, so there a recent edit means the user is typing.
    const edit = this.lastChange.get(uri);
    const explicit = explicitKind && (method === "inline" || performance.now() - (edit?.at ?? 0) >= EXPLICIT_QUIET_MS);
    if (settings.onlyOnInvoke && !explicit) return null;
    const offset = doc.offsetAt(ctx.fromClientPosition(doc, position));
    const version = doc.version;
    let outcome: CompletionOutcome;
    try {
      const job = createCompletionJob(
        {
          documents: ctx.documents,
          settings: () => ctx.settings(),
          llm: () => ctx.llm(),
          workspaceFolders: () => ctx.workspaceFolders(),
          log: (level, message) => ctx.editor.log(level, message),
        },
        {
          doc,
          offset,
          explicit,
          signal: signalFromToken(token),
          receivedAt: edit && edit.version === version && receivedAt - edit.at <= PAIRED_EDIT_MS ? edit.at : receivedAt,
        },
      );
      outcome = await ctx.scheduler.complete(job);
    } catch (e) {
      this.reportFailure(e);
      return undefined;
    }
    if (outcome.kind !== "text") {
      ctx.editor.log("debug", `completion: no suggestion (${outcome.reason})`);
      return undefined;
    }
    this.outageShown = false;
    ctx.editor.log("debug", `completion: ${outcome.text.length} characters from the ${outcome.source}`);
    // Never a stale answer: the document changed while the model was writing.
    const live = ctx.documents.get(uri);
    if (!live || live.version !== version) return undefined;
    return { doc: live, offset, text: outcome.text };
  }

  /** Logs a failure, and tells the user once per outage (not on every keystroke). */
  private reportFailure(e: unknown): void {
    const ctx = this.ctx!;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof LlmError && e.kind === "aborted") return;
    ctx.editor.log("warn", `completion failed: ${message}`);
    if (!this.outageShown) {
      this.outageShown = true;
      ctx.editor.showMessage("warning", `codegen completion: ${message}`);
    }
  }

  /** One item: label = first line, the edit starting at the word being typed so filters keep it. */
  private completionList(s: Suggestion): CompletionList {
    const ctx = this.ctx!;
    const { doc, offset, text } = s;
    const wordStart = startOfWord(doc.text, offset);
    const typed = doc.text.slice(wordStart, offset);
    const newText = typed + text;
    const firstLine = newText.split("\n", 1)[0]!.trim();
    const label = firstLine.length > LABEL_MAX ? `${firstLine.slice(0, LABEL_MAX - 1)}…` : firstLine || newText.trim().split("\n", 1)[0]!;
    const range = {
      start: ctx.toClientPosition(doc, doc.positionAt(wordStart)),
      end: ctx.toClientPosition(doc, doc.positionAt(offset)),
    };
    const model = ctx.settings().completion.model;
    const item: CompletionItem = {
      label,
      kind: CompletionItemKind.Text,
      detail: `codegen: from the model${model ? ` ${model}` : ""}`,
      documentation: { kind: this.markupKind(), value: this.documentation(doc, newText) },
      // Sorted first and preselected: it is the one item this server offers. NOTE: "!" is the
      // lowest printable ASCII that sorts first; a control character such as "\u0000" makes
      // Emacs's JSON parser reject the whole reply (eglot then times out).
      sortText: "!",
      preselect: true,
      // What the user typed is the start of newText, so prefix filtering keeps the item.
      filterText: newText.split("\n", 1)[0]!,
      insertTextFormat: InsertTextFormat.PlainText,
      // The text carries its own indentation; editors must not indent it again.
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range, newText },
    };
    return { isIncomplete: true, items: [item] };
  }

  private inlineList(s: Suggestion): InlineCompletionList {
    const ctx = this.ctx!;
    const pos = ctx.toClientPosition(s.doc, s.doc.positionAt(s.offset));
    const item: InlineCompletionItem = { insertText: s.text, range: { start: pos, end: pos } };
    return { items: [item] };
  }

  private documentation(doc: SyntaxDocument, text: string): string {
    if (this.markupKind() === MarkupKind.PlainText) return text;
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const ticks = "`".repeat(longest + 1);
    return `${ticks}${doc.languageId}\n${text}\n${ticks}`;
  }

  private markupKind(): MarkupKind {
    const formats = this.ctx!.clientCapabilities().textDocument?.completion?.completionItem?.documentationFormat;
    return !formats || formats.length === 0 || formats.includes(MarkupKind.Markdown) ? MarkupKind.Markdown : MarkupKind.PlainText;
  }
}

/** Offset where the identifier being typed starts (the cursor itself when none is). */
export function startOfWord(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /[\p{L}\p{N}_$]/u.test(text[i - 1]!)) i--;
  return i;
}

/** Turns an LSP cancellation token into an AbortSignal, so $/cancelRequest aborts the HTTP request. */
function signalFromToken(token: CancellationToken | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** The one completion feature instance (server/features/index.ts registers it). */
export const completionFeature = new CompletionFeature();
