/**
 * The code actions service, free of LSP types: which actions apply at a range (`offersAt`) and
 * running one to a planned WorkspaceEdit (`runAction`).
 */
export { offersAt, type DiagnosticInfo } from "./offers.js";
export { runAction, type RunDeps } from "./run.js";
export type { ActionKind, ActionOffer, ActionResult, FileChange, PlainTextEdit, PlannedEdit } from "./types.js";
