import type { Connection, WorkspaceEdit } from "vscode-languageserver";
import { MessageType } from "./lsp.js";
import { formatLogLine, levelEnabled, redact } from "./log.js";
import type { LogLevel } from "./settings/types.js";

/**
 * What the server says to the editor, behind one small interface (after
 * typescript-language-server) so features stay thin and tests can record what was sent.
 */
export interface EditorClient {
  log(level: LogLevel, message: string): void;
  showMessage(kind: "error" | "warning" | "info", message: string): void;
  /** Applies an edit through `workspace/applyEdit`; resolves to whether the editor applied it. */
  applyEdit(label: string, edit: WorkspaceEdit): Promise<boolean>;
}

/** How often, and how many times at most, a pending workspace/applyEdit nudges the editor (see applyEdit). */
const APPLY_EDIT_NUDGE_MS = 1000;
const APPLY_EDIT_NUDGES = 30;

/** How the editor client logs: the current level, an optional file sink, and the secrets to mask. */
export interface EditorClientOptions {
  level: () => LogLevel;
  /** Receives every line that passes the level (the log file). */
  sink?: () => ((line: string) => void) | undefined;
  /** Strings (the API key) that must never leave the process in a log line or a message. */
  secrets?: () => string[];
}

const messageType: Record<LogLevel, MessageType> = {
  error: MessageType.Error,
  warn: MessageType.Warning,
  info: MessageType.Info,
  debug: MessageType.Log,
};

/** The EditorClient that talks over the LSP connection; level, sink and secrets are read on every call so setting changes apply at once. */
export function createEditorClient(connection: Connection, options: EditorClientOptions): EditorClient {
  const clean = (text: string) => redact(text, options.secrets?.() ?? []);
  return {
    log(l, message) {
      if (!levelEnabled(l, options.level())) return;
      const text = clean(message);
      options.sink?.()?.(formatLogLine(l, text));
      void connection.sendNotification("window/logMessage", { type: messageType[l], message: text }).catch(() => undefined);
    },
    showMessage(kind, message) {
      const type = kind === "error" ? MessageType.Error : kind === "warning" ? MessageType.Warning : MessageType.Info;
      const text = clean(message);
      options.sink?.()?.(formatLogLine(kind === "error" ? "error" : kind === "warning" ? "warn" : "info", `(shown) ${text}`));
      void connection.sendNotification("window/showMessage", { type, message: text }).catch(() => undefined);
    },
    async applyEdit(label, edit) {
      // NOTE: eglot 1.9 (jsonrpc on Emacs 28) leaves its read loop with a throw when a message holds
      // the reply to its synchronous request (the executeCommand that started this action); a
      // server request read in the same chunk then waits until more output arrives. Nothing else
      // may come, so while the editor has not answered, a quiet log line every second gives its
      // read loop another turn. Other editors just log the lines.
      let nudges = 0;
      const nudge = setInterval(() => {
        if (++nudges > APPLY_EDIT_NUDGES) return clearInterval(nudge);
        void connection
          .sendNotification("window/logMessage", { type: MessageType.Log, message: `waiting for the editor to apply "${label}"` })
          .catch(() => undefined);
      }, APPLY_EDIT_NUDGE_MS);
      try {
        const r = await connection.workspace.applyEdit({ label, edit });
        return r.applied;
      } finally {
        clearInterval(nudge);
      }
    },
  };
}
