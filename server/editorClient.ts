import type { Connection, WorkspaceEdit } from "vscode-languageserver";
import { MessageType } from "vscode-languageserver";
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

const levelRank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const messageType: Record<LogLevel, MessageType> = {
  error: MessageType.Error,
  warn: MessageType.Warning,
  info: MessageType.Info,
  debug: MessageType.Log,
};

/** The EditorClient that talks over the LSP connection; `level()` is read on every call so setting changes apply at once. */
export function createEditorClient(connection: Connection, level: () => LogLevel, sink?: (line: string) => void): EditorClient {
  return {
    log(l, message) {
      sink?.(`[${new Date().toISOString()}] ${l.toUpperCase()} ${message}`);
      if (levelRank[l] > levelRank[level()]) return;
      void connection.sendNotification("window/logMessage", { type: messageType[l], message }).catch(() => undefined);
    },
    showMessage(kind, message) {
      const type = kind === "error" ? MessageType.Error : kind === "warning" ? MessageType.Warning : MessageType.Info;
      void connection.sendNotification("window/showMessage", { type, message }).catch(() => undefined);
    },
    async applyEdit(label, edit) {
      const r = await connection.workspace.applyEdit({ label, edit });
      return r.applied;
    },
  };
}
