/**
 * textDocument/codeAction, codeAction/resolve and the `codegen.runAction` command: the LSP face
 * of the code actions service (server/actions). This module only speaks the protocol.
 *
 * How an action runs depends on the editor (see ../shared/GUIDE.md §4):
 * - `textDocument/codeAction` answers at once from the syntax tree; no model call.
 * - Clients that declare resolve support for `edit` (VS Code, Helix, Neovim ≥ 0.7) get the edit
 *   from `codeAction/resolve`, streamed within `actions.resolveBudgetMs` so it answers before their
 *   request timeouts; past the budget the action is answered without an edit and the edit follows
 *   through `workspace/applyEdit` (or, for editors without applyEdit, the generation is aborted).
 * - Every action also carries the `codegen.runAction` command, which eglot (no resolve) runs: it
 *   replies at once and later sends `workspace/applyEdit`. Editors run a resolved action's command
 *   too, so the command of an offer that was resolved already is a no-op: never a second generation.
 *
 * Kinds, so that `only` filters work: "quickfix" for Fix, "refactor.rewrite" for Generate
 * implementation, Document and custom actions (they rewrite the function in place), and plain
 * "refactor" for Add tests. NOTE: not "source.*": source actions are whole-file actions that
 * VS Code keeps out of the light bulb, while Add tests is about the function at the cursor.
 */
import { CodeActionKind } from "../lsp.js";
import {
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type ServerCapabilities,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
  type CreateFile,
} from "vscode-languageserver";
import { offersAt, runAction, type ActionKind, type ActionOffer, type ActionResult, type PlannedEdit } from "../actions/index.js";
import type { RunDeps } from "../actions/index.js";
import { positionFromUtf16 } from "../text/positions.js";
import { codeActionsCapabilities, RUN_ACTION_COMMAND } from "./capabilities.js";
import type { Feature, ServerContext } from "./feature.js";
import { hoverFeature } from "./hover.js";

/** The command every action carries; its one argument is the ActionOffer. */
export { RUN_ACTION_COMMAND };

const kindOf: Record<ActionKind, string> = {
  generate: CodeActionKind.RefactorRewrite,
  document: CodeActionKind.RefactorRewrite,
  custom: CodeActionKind.RefactorRewrite,
  tests: CodeActionKind.Refactor,
  fix: CodeActionKind.QuickFix,
};

/** True when `kind` is allowed by an `only` filter (hierarchical: "refactor" allows "refactor.rewrite"). */
export function kindAllowed(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === "" || kind === o || kind.startsWith(o + "."));
}

/** Remembers offers already run, so a resolved action's command does not generate again. */
class SeenOffers {
  private ids = new Set<string>();
  /** Marks an offer as run; false when it had been run already. */
  claim(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // Bounded: ids are unique per offer, and old ones are never claimed again in practice.
    if (this.ids.size > 1000) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

function isOffer(v: unknown): v is ActionOffer {
  const o = v as ActionOffer | undefined;
  return !!o && typeof o.id === "string" && typeof o.uri === "string" && typeof o.kind === "string" && typeof o.title === "string";
}

/** The code actions feature. */
export class CodeActionsFeature implements Feature {
  readonly name = "codeActions";
  private ctx: ServerContext | undefined;
  private readonly seen = new SeenOffers();
  private readonly running = new Set<AbortController>();

  capabilities(client: ClientCapabilities): ServerCapabilities {
    return codeActionsCapabilities(client);
  }

  register(ctx: ServerContext): void {
    this.ctx = ctx;
    ctx.connection.onCodeAction((params, token) => this.codeActions(params, token));
    ctx.connection.onCodeActionResolve((action, token) => this.resolve(action, token));
    ctx.onExecuteCommand(RUN_ACTION_COMMAND, (args) => this.execute(args));
  }

  dispose(): void {
    for (const c of this.running) c.abort(new Error("the server is shutting down"));
  }

  private resolveSupported(): boolean {
    return this.ctx!.clientCapabilities().textDocument?.codeAction?.resolveSupport?.properties?.includes("edit") === true;
  }

  /** Lists the actions at a range: instant, from the syntax tree and the request's diagnostics. */
  codeActions(params: CodeActionParams, _token?: CancellationToken): CodeAction[] {
    const ctx = this.ctx!;
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const settings = ctx.settings();
    if (settings.actions.enabled) {
      const off = (p: { line: number; character: number }) => doc.offsetAt(ctx.fromClientPosition(doc, p));
      const diagnostics = params.context.diagnostics ?? [];
      const infos = diagnostics.map((d: Diagnostic) => ({
        message: typeof d.message === "string" ? d.message : d.message.value,
        startOffset: off(d.range.start),
        endOffset: off(d.range.end),
        ...(d.source ? { source: d.source } : {}),
      }));
      const offers = offersAt(doc, off(params.range.start), off(params.range.end), infos, settings.actions.custom);
      const withData = this.resolveSupported();
      for (const offer of offers) {
        const kind = kindOf[offer.kind];
        if (!kindAllowed(kind, only)) continue;
        const action: CodeAction = { title: offer.title, kind, command: { title: offer.title, command: RUN_ACTION_COMMAND, arguments: [offer] } };
        if (withData) action.data = offer;
        if (offer.kind === "fix") {
          const d = diagnostics[infos.findIndex((i) => i.message === offer.diagnostic?.message && i.startOffset === offer.diagnostic?.startOffset)];
          if (d) action.diagnostics = [d];
        }
        actions.push(action);
      }
    }
    // The hover feature's Explain actions live in the same menu.
    try {
      actions.push(...hoverFeature.codeActions(params.textDocument.uri, params.range, only));
    } catch (e) {
      ctx.editor.log("warn", `explain actions failed: ${(e as Error).message}`);
    }
    return actions;
  }

  private deps(): RunDeps {
    const ctx = this.ctx!;
    const caps = ctx.clientCapabilities();
    const settings = ctx.settings();
    return {
      documents: ctx.documents,
      settings,
      workspaceFolders: ctx.workspaceFolders(),
      canCreateFiles: caps.workspace?.workspaceEdit?.documentChanges === true && (caps.workspace.workspaceEdit.resourceOperations ?? []).includes("create"),
      llm: ctx.llm(),
      schedule: (task, signal) => ctx.scheduler.run("action", task, { signal }),
      log: (level, msg) => ctx.editor.log(level, msg),
    };
  }

  /** Runs an offer with work-done progress (cancellable from the editor) and the given abort signal. */
  private async run(offer: ActionOffer, controller: AbortController): Promise<ActionResult> {
    const ctx = this.ctx!;
    this.running.add(controller);
    let reporter: Awaited<ReturnType<ServerContext["connection"]["window"]["createWorkDoneProgress"]>> | undefined;
    try {
      if (ctx.clientCapabilities().window?.workDoneProgress) {
        try {
          reporter = await ctx.connection.window.createWorkDoneProgress();
          reporter.begin(offer.title, undefined, "Starting", true);
          reporter.token.onCancellationRequested(() => controller.abort(Object.assign(new Error("cancelled"), { name: "AbortError" })));
        } catch (e) {
          ctx.editor.log("debug", `no progress for ${offer.title}: ${(e as Error).message}`);
          reporter = undefined;
        }
      }
      return await runAction(offer, this.deps(), controller.signal, (message) => reporter?.report(message));
    } finally {
      reporter?.done();
      this.running.delete(controller);
    }
  }

  /**
   * codeAction/resolve: computes the edit within the resolve budget. When the budget runs out and
   * the editor accepts `workspace/applyEdit`, the action is answered without an edit and the
   * generation goes on, to be applied later like the command path does; otherwise it is aborted.
   */
  async resolve(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    const ctx = this.ctx!;
    const offer = action.data;
    if (!isOffer(offer)) return action;
    // The editor may run this action's command after applying the edit: it must find it claimed.
    this.seen.claim(offer.id);
    const { command: _command, ...rest } = action;
    const budget = ctx.settings().actions.resolveBudgetMs;
    const seconds = `${Math.round(budget / 100) / 10} s`;
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort(Object.assign(new Error("cancelled"), { name: "AbortError" })));
    const work = this.run(offer, controller);
    let timer: NodeJS.Timeout | undefined;
    const overBudget = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budget)));
    try {
      const result = await Promise.race([work, overBudget]);
      if (result === undefined) {
        onCancel.dispose();
        if (ctx.clientCapabilities().workspace?.applyEdit === true) {
          // NOTE: answering in time matters more than answering with the edit: editors give up on
          // resolve at 10-20 s. The edit follows through workspace/applyEdit, guarded by version.
          ctx.editor.showMessage("info", `${offer.title}: taking longer than ${seconds}; the edit will be applied when it is ready`);
          this.applyLater(offer, work);
          return rest;
        }
        controller.abort(new Error(`the model did not finish within ${seconds} (setting actions.resolveBudgetMs)`));
      }
      const final = result ?? (await work);
      if (final.ok) {
        if (final.note) ctx.editor.showMessage("info", final.note);
        return { ...rest, edit: this.toWorkspaceEdit(final.edit) };
      }
      // NOTE: a failure is shown with window/showMessage and the action comes back without an edit,
      // rather than as an error response: every editor shows the message, while error responses to
      // resolve are shown as protocol errors (Helix) or only logged.
      if (!token.isCancellationRequested) ctx.editor.showMessage(final.cancelled && !/did not finish/.test(final.message) ? "info" : "warning", final.message);
      return rest;
    } finally {
      clearTimeout(timer);
      onCancel.dispose();
    }
  }

  /** Applies a running action's edit through workspace/applyEdit when it is ready, or says why not. */
  private applyLater(offer: ActionOffer, work: Promise<ActionResult>): void {
    const ctx = this.ctx!;
    void work
      .then(async (result) => {
        if (!result.ok) {
          ctx.editor.showMessage(result.cancelled ? "info" : "warning", result.message);
          return;
        }
        const applied = await ctx.editor.applyEdit(result.edit.label, this.toWorkspaceEdit(result.edit));
        if (!applied) ctx.editor.showMessage("warning", `${offer.title}: the editor did not apply the edit (the file probably changed); nothing was applied`);
        else if (result.note) ctx.editor.showMessage("info", result.note);
      })
      .catch((e: unknown) => {
        ctx.editor.log("error", `${offer.title}: ${(e as Error).stack ?? String(e)}`);
        ctx.editor.showMessage("error", `${offer.title}: ${(e as Error).message}`);
      });
  }

  /** workspace/executeCommand codegen.runAction: replies at once, applies the edit later. */
  execute(args: unknown[]): null {
    const ctx = this.ctx!;
    const offer = args[0];
    if (!isOffer(offer)) {
      ctx.editor.showMessage("warning", "codegen.runAction: missing or malformed action argument");
      return null;
    }
    if (!this.seen.claim(offer.id)) {
      ctx.editor.log("debug", `${offer.title}: already resolved; the command does not generate again`);
      return null;
    }
    this.applyLater(offer, this.run(offer, new AbortController()));
    return null;
  }

  /** One WorkspaceEdit for the whole action (one undo step), versioned when the client allows it. */
  toWorkspaceEdit(planned: PlannedEdit): WorkspaceEdit {
    const ctx = this.ctx!;
    const encoding = ctx.positionEncoding();
    const documentChanges = ctx.clientCapabilities().workspace?.workspaceEdit?.documentChanges === true;
    const edits = (change: Extract<PlannedEdit["changes"][number], { kind: "edit" }>): TextEdit[] => {
      // Positions were computed on the text the plan saw: the open document's, or the file's.
      const base = change.baseText;
      return change.edits.map((e) => ({
        range: { start: positionFromUtf16(base, e.start, encoding), end: positionFromUtf16(base, e.end, encoding) },
        newText: e.newText,
      }));
    };
    if (documentChanges) {
      const list: Array<TextDocumentEdit | CreateFile> = planned.changes.map((c) =>
        c.kind === "create"
          ? { kind: "create", uri: c.uri, options: { ignoreIfExists: true } }
          : { textDocument: { uri: c.uri, version: c.version }, edits: edits(c) },
      );
      return { documentChanges: list };
    }
    const changes: Record<string, TextEdit[]> = {};
    for (const c of planned.changes) if (c.kind === "edit") changes[c.uri] = [...(changes[c.uri] ?? []), ...edits(c)];
    return { changes };
  }
}

/** The one instance server.ts registers. */
export const codeActionsFeature = new CodeActionsFeature();
