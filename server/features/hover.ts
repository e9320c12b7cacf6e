/**
 * textDocument/hover: a model-written explanation of the symbol under the cursor, plus the
 * "Explain" and "Regenerate explanation" code actions for editors whose hover belongs to another
 * server. The work happens in `hoverExplain.ts`; this module only speaks LSP.
 */
import { MarkupKind } from "../lsp.js";
import {
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type Hover,
  type Range,
  type ServerCapabilities,
} from "vscode-languageserver";
import type { Settings } from "../settings/types.js";
import type { Span, SyntaxDocument } from "../syntax/types.js";
import { EXPLAIN_COMMAND, hoverCapabilities } from "./capabilities.js";
import type { Feature, ServerContext } from "./feature.js";
import { Explainer, isAbort, type ExplainOutcome } from "./hoverExplain.js";

/** The command behind the Explain actions; its one argument is an `ExplainArgs`. */
export { EXPLAIN_COMMAND };

/** The argument of `codegen.explain`. Positions are in the negotiated encoding, like any LSP range. */
export interface ExplainArgs {
  uri: string;
  range: Range;
  /** Skip the cache ("Regenerate explanation"). */
  regenerate?: boolean;
}

/** Turns an LSP cancellation token into an AbortSignal, so cancelling aborts the HTTP request. */
export function signalFromToken(token: CancellationToken | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort(cancelled());
  else token.onCancellationRequested(() => controller.abort(cancelled()));
  return controller.signal;
}

function cancelled(): Error {
  const e = new Error("The request was cancelled.");
  e.name = "AbortError";
  return e;
}

/** The hover feature (and its Explain actions). */
export class HoverFeature implements Feature {
  readonly name = "hover";
  private explainer: Explainer | undefined;
  private ctx: ServerContext | undefined;

  capabilities(client: ClientCapabilities, settings: Settings): ServerCapabilities {
    return hoverCapabilities(client, settings);
  }

  register(ctx: ServerContext): void {
    this.ctx = ctx;
    this.explainer = new Explainer({
      documents: ctx.documents,
      settings: () => ctx.settings(),
      llm: () => ctx.llm(),
      workspaceFolders: () => ctx.workspaceFolders(),
      // NOTE: hover runs at "hover" priority so explicit actions go first and completions wait.
      schedule: (task, signal) => ctx.scheduler.run("hover", task, { signal }),
      log: (level, message) => ctx.editor.log(level, message),
    });
    ctx.connection.onHover((params, token) => this.hover(params.textDocument.uri, params.position, token));
    ctx.onExecuteCommand(EXPLAIN_COMMAND, (args) => {
      // NOTE: the command replies at once and shows the explanation later with window/showMessage:
      // eglot waits at most 10 s on a request, and the explanation is not an edit to wait for.
      const arg = args[0] as ExplainArgs | undefined;
      if (!arg || typeof arg.uri !== "string" || !arg.range) {
        ctx.editor.showMessage("warning", "Explain: missing arguments (uri and range).");
        return null;
      }
      void this.withProgress(arg.regenerate ? "Regenerating explanation" : "Explaining", (token) => this.executeExplain(arg, token)).catch(
        (err: unknown) => ctx.editor.log("error", `Explain failed: ${(err as Error).stack ?? err}`),
      );
      return null;
    });
  }

  dispose(): void {
    this.explainer?.dispose();
  }

  /** Answers one hover request; null when there is nothing to say. */
  async hover(uri: string, position: { line: number; character: number }, token?: CancellationToken): Promise<Hover | null> {
    const ctx = this.ctx!;
    if (!ctx.settings().hover.enabled) return null;
    const doc = ctx.documents.get(uri);
    if (!doc) return null;
    const offset = doc.offsetAt(ctx.fromClientPosition(doc, position));
    let outcome: ExplainOutcome;
    try {
      outcome = await this.explainer!.explain(uri, offset, { signal: signalFromToken(token), hover: true });
    } catch (err) {
      if (isAbort(err)) return null;
      // NOTE: a failure below (a parser or context bug) must not become an error popup on every
      // mouse move: log it and show no hover.
      ctx.editor.log("error", `hover failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
    if (outcome.kind !== "explanation" && outcome.kind !== "note") return null;
    return { contents: { kind: this.markupKind(), value: outcome.markdown }, range: this.toRange(doc, outcome.span) };
  }

  /**
   * The Explain actions for a range: "Explain" always, "Regenerate explanation" next to it.
   * They carry the command only (no edit), so every editor runs them the same way.
   */
  codeActions(uri: string, range: Range, only?: string[]): CodeAction[] {
    const ctx = this.ctx;
    // NOTE: offered even when hover is off: turning hover off (because another server owns it) is
    // exactly when the Explain action is the way to the explanations.
    if (!ctx || !ctx.documents.get(uri)) return [];
    // NOTE: the actions have no kind (they change nothing, so neither "quickfix" nor "refactor"
    // fits); a request filtered with `only` therefore never gets them.
    if (only && only.length > 0) return [];
    const action = (title: string, regenerate: boolean): CodeAction => ({
      title,
      command: { title, command: EXPLAIN_COMMAND, arguments: [{ uri, range, regenerate } satisfies ExplainArgs] },
    });
    return [action("Explain", false), action("Regenerate explanation", true)];
  }

  /**
   * Runs `codegen.explain`: explains the symbol or selection and shows it with
   * `window/showMessage` (eglot and Neovim display it; long text stays readable there).
   * Resolves to the markdown shown, or undefined when there was nothing to explain.
   */
  async executeExplain(args: ExplainArgs, token?: CancellationToken): Promise<string | undefined> {
    const ctx = this.ctx!;
    const doc = ctx.documents.get(args.uri);
    if (!doc) {
      ctx.editor.showMessage("warning", "Explain: the document is not open.");
      return undefined;
    }
    const start = doc.offsetAt(ctx.fromClientPosition(doc, args.range.start));
    const end = doc.offsetAt(ctx.fromClientPosition(doc, args.range.end));
    let outcome: ExplainOutcome;
    try {
      outcome = await this.explainer!.explain(args.uri, start, {
        signal: signalFromToken(token),
        bypassCache: args.regenerate === true,
        endOffset: end > start ? end : undefined,
      });
    } catch (err) {
      if (isAbort(err)) return undefined;
      throw err;
    }
    switch (outcome.kind) {
      case "explanation":
      case "note":
        ctx.editor.showMessage(outcome.kind === "note" && outcome.reason === "outage" ? "warning" : "info", outcome.markdown);
        return outcome.markdown;
      case "quiet":
        // An action is explicit: unlike hover, it always says why nothing came.
        ctx.editor.showMessage("warning", `Explain: ${outcome.reason}`);
        return undefined;
      default:
        ctx.editor.showMessage("info", "Explain: put the cursor on an identifier or select some code.");
        return undefined;
    }
  }

  /**
   * Runs `work` under a work-done progress the user can cancel, when the client supports progress;
   * otherwise just runs it.
   */
  private async withProgress<T>(title: string, work: (token?: CancellationToken) => Promise<T>): Promise<T> {
    const ctx = this.ctx!;
    if (!ctx.clientCapabilities().window?.workDoneProgress) return work();
    let reporter: Awaited<ReturnType<ServerContext["connection"]["window"]["createWorkDoneProgress"]>> | undefined;
    try {
      reporter = await ctx.connection.window.createWorkDoneProgress();
      reporter.begin(title, undefined, undefined, true);
    } catch {
      reporter = undefined;
    }
    try {
      return await work(reporter?.token);
    } finally {
      reporter?.done();
    }
  }

  private markupKind(): MarkupKind {
    const formats = this.ctx!.clientCapabilities().textDocument?.hover?.contentFormat;
    return !formats || formats.length === 0 || formats.includes(MarkupKind.Markdown) ? MarkupKind.Markdown : MarkupKind.PlainText;
  }

  private toRange(doc: SyntaxDocument, span: Span): Range {
    return { start: this.ctx!.toClientPosition(doc, span.start), end: this.ctx!.toClientPosition(doc, span.end) };
  }
}

/** The one hover feature instance (server/features/index.ts registers it; code actions merge its actions). */
export const hoverFeature = new HoverFeature();
