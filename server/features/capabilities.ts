/**
 * What each feature declares in the initialize result. Kept apart from the features' code so the
 * server answers initialize before loading it (see server.ts); each feature's `capabilities()`
 * returns its entry from here, and a test checks that the initialize result matches them.
 */
import type { ClientCapabilities, ServerCapabilities } from "vscode-languageserver";
import { CodeActionKind } from "../lsp.js";
import type { Settings } from "../settings/types.js";

/** workspace/executeCommand id of the Explain command (hover.ts). */
export const EXPLAIN_COMMAND = "codegen.explain";
/** workspace/executeCommand id that runs a code action (codeActions.ts). */
export const RUN_ACTION_COMMAND = "codegen.runAction";

export function hoverCapabilities(_client: ClientCapabilities, settings: Settings): ServerCapabilities {
  // NOTE: the Explain command is declared even when hover is off: it is how editors whose hover
  // belongs to another server reach the explanations.
  const explain: ServerCapabilities = { executeCommandProvider: { commands: [EXPLAIN_COMMAND] } };
  return settings.hover.enabled ? { ...explain, hoverProvider: true } : explain;
}

export function codeActionsCapabilities(client: ClientCapabilities): ServerCapabilities {
  // CodeActionOptions may only be sent to clients that understand code action literals.
  const literal = client.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
  return {
    codeActionProvider: literal
      ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite], resolveProvider: true }
      : true,
    executeCommandProvider: { commands: [RUN_ACTION_COMMAND] },
  };
}

export function completionCapabilities(client: ClientCapabilities, settings: Settings): ServerCapabilities {
  const caps: ServerCapabilities = {};
  if (settings.completion.enabled) {
    // NOTE: a few trigger characters where code usually continues; plain typing triggers anyway.
    caps.completionProvider = { triggerCharacters: [".", "(", "[", "{", ",", ":", "="], resolveProvider: false };
  }
  // Declared only to clients that advertise inline completion (LSP 3.18).
  if (settings.completion.inlineEnabled && client.textDocument?.inlineCompletion) caps.inlineCompletionProvider = true;
  return caps;
}

/** Every feature's declaration, in the order features/index.ts registers them. */
export const featureCapabilities: Array<{ name: string; capabilities(client: ClientCapabilities, settings: Settings): ServerCapabilities }> = [
  { name: "hover", capabilities: hoverCapabilities },
  { name: "codeActions", capabilities: codeActionsCapabilities },
  { name: "completion", capabilities: completionCapabilities },
];
