/**
 * The plain-data contract of the code actions service. The LSP feature (features/codeActions.ts)
 * turns these into CodeActions and WorkspaceEdits; nothing here knows the protocol.
 */
import type { Pos } from "../syntax/types.js";

export type ActionKind = "generate" | "tests" | "document" | "fix" | "custom";

/** Which function an action is about, recorded so it can be found again after the user edits. */
export interface TargetRef {
  name: string;
  /** The signature with whitespace collapsed. */
  signature: string;
  /** Where the definition started when the action was offered. */
  startOffset: number;
  container?: string;
}

/**
 * One action offered at a range. It travels to the editor as the CodeAction's `data` and the
 * command's argument, so it holds only JSON and is enough to run the action later.
 */
export interface ActionOffer {
  /** Unique per offer, so a resolved action whose command the editor runs too is not run twice. */
  id: string;
  kind: ActionKind;
  title: string;
  uri: string;
  /** The document version the offer was computed for. */
  version: number;
  target?: TargetRef;
  /** For "fix": the diagnostic. */
  diagnostic?: { message: string; source?: string; startOffset: number; endOffset: number };
  /** For "custom": index into settings.actions.custom, and its title (to detect a changed list). */
  custom?: { index: number; title: string; slot: "stub" | "function" | "selection" };
  /** For selection-based custom actions. */
  selection?: { startOffset: number; endOffset: number };
}

/** One replacement in a file, with both offsets and UTF-16 positions in the text it was computed on. */
export interface PlainTextEdit {
  startOffset: number;
  endOffset: number;
  start: Pos;
  end: Pos;
  newText: string;
}

/** One step of a workspace edit: edit a file (at a version, null when not open) or create one. */
export type FileChange =
  | {
      kind: "edit";
      uri: string;
      version: number | null;
      edits: PlainTextEdit[];
      /** The text the edits were computed on (positions are converted to the client's encoding with it). */
      baseText: string;
    }
  | { kind: "create"; uri: string };

/** Everything one action changes: applied as one WorkspaceEdit (one undo step). */
export interface PlannedEdit {
  label: string;
  changes: FileChange[];
}

/** The outcome of running an action. */
export type ActionResult =
  | { ok: true; edit: PlannedEdit; note?: string }
  | { ok: false; message: string; cancelled?: boolean };

/** Progress reports while an action runs. */
export interface ActionProgress {
  (message: string, percentage?: number): void;
}
