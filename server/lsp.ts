/**
 * The runtime values the server uses from vscode-languageserver, loaded with `require` from the
 * build's one-file bundle of it (lspBundle.cjs; esbuild, at build time).
 *
 * NOTE: the package is CommonJS. An ES module `import` of it makes Node scan the source of every
 * re-exported file (vscode-languageserver-protocol, vscode-jsonrpc, …) for export names before
 * running it, which cost ~75 ms of CPU on the startup path. A `require` of the package itself
 * still resolves and reads ~90 files; the bundle is one. Values come from here; types are still
 * imported from "vscode-languageserver" (erased), which is the code the bundle was built from.
 */
import { createRequire } from "node:module";

const lsp = createRequire(import.meta.url)("./lspBundle.cjs") as typeof import("vscode-languageserver/node");

export const {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  MessageType,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
} = lsp;

// The enum-like namespaces are types as well.
export type CodeActionKind = import("vscode-languageserver/node").CodeActionKind;
export type CompletionItemKind = import("vscode-languageserver/node").CompletionItemKind;
export type InsertTextFormat = import("vscode-languageserver/node").InsertTextFormat;
export type InsertTextMode = import("vscode-languageserver/node").InsertTextMode;
export type MarkupKind = import("vscode-languageserver/node").MarkupKind;
export type MessageType = import("vscode-languageserver/node").MessageType;
export type TextDocumentSyncKind = import("vscode-languageserver/node").TextDocumentSyncKind;
