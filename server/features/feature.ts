import type { ClientCapabilities, Connection, ServerCapabilities } from "vscode-languageserver";
import type { EditorClient } from "../editorClient.js";
import type { LlmClient } from "../llm/types.js";
import type { Settings } from "../settings/types.js";
import type { DocumentStore } from "../syntax/types.js";

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
  clientCapabilities(): ClientCapabilities;
  positionEncoding(): PositionEncoding;
  /** Workspace folder paths on disk. */
  workspaceFolders(): string[];
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
