import type { CancellationToken, ClientCapabilities, Connection, ServerCapabilities } from "vscode-languageserver";
import type { EditorClient } from "../editorClient.js";
import type { LlmClient } from "../llm/types.js";
import type { Scheduler } from "../scheduler/types.js";
import type { Settings } from "../settings/types.js";
import type { DocumentStore, Pos, SyntaxDocument } from "../syntax/types.js";

/** The position encoding agreed with the client in `initialize`. */
export type PositionEncoding = "utf-16" | "utf-8" | "utf-32";

/** Everything a feature may use; built once in server.ts. */
export interface ServerContext {
  connection: Connection;
  documents: DocumentStore;
  editor: EditorClient;
  /** The current merged settings (changes as the client pushes configuration). */
  settings(): Settings;
  /** The LLM client for the current settings (rebuilt when they change). */
  llm(): LlmClient;
  /**
   * The one scheduler every feature shares: `run(priority, task, { signal })` puts model calls under
   * the global concurrency limit (actions before hovers before completions); `complete(job)` is the
   * debounced latest-wins completion path.
   */
  scheduler: Scheduler;
  clientCapabilities(): ClientCapabilities;
  positionEncoding(): PositionEncoding;
  /** Workspace folder paths on disk. */
  workspaceFolders(): string[];
  // NOTE: the connection allows one handler per method, and server.ts owns document sync,
  // configuration and executeCommand. Features must not call `connection.onDidOpenTextDocument`,
  // `onDidChangeTextDocument`, `onDidCloseTextDocument`, `onDidChangeConfiguration` or
  // `onExecuteCommand`; they use the hooks below instead.
  /**
   * Called after a document was opened or changed (the store is already up to date), with when the
   * notification reached the server (`performance.now()`, before the edit was applied).
   */
  onDocumentChange(listener: (doc: SyntaxDocument, change: { receivedAt: number }) => void): void;
  /** Called after a document was closed (and removed from the store). */
  onDocumentClose(listener: (uri: string) => void): void;
  /** Called after the merged settings changed (the LLM client is already rebuilt). */
  onSettingsChange(listener: (settings: Settings) => void): void;
  /**
   * Handles `workspace/executeCommand` for one command id (also list it in your capabilities'
   * `executeCommandProvider.commands`; server.ts merges the lists).
   */
  onExecuteCommand(command: string, handler: (args: unknown[], token: CancellationToken) => unknown): void;
  /** Converts a server (UTF-16) position in `doc` to the negotiated client encoding, for results. */
  toClientPosition(doc: SyntaxDocument, pos: Pos): Pos;
  /** Converts a client position (negotiated encoding) in `doc` to UTF-16, for incoming requests. */
  fromClientPosition(doc: SyntaxDocument, pos: Pos): Pos;
}

/**
 * One LSP feature (completion, code actions, hover…): it declares its capabilities and binds its
 * handlers. server.ts merges capabilities and calls `register` for every feature in one place.
 */
export interface Feature {
  readonly name: string;
  capabilities(client: ClientCapabilities, settings: Settings): ServerCapabilities;
  register(ctx: ServerContext): void;
  /** Called on shutdown: abort in-flight work. */
  dispose?(): void;
}
