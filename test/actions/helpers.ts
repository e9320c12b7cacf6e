/**
 * Helpers for the code action tests: open a document, ask for actions at a marker, resolve or
 * execute one, and apply the WorkspaceEdit the server produced to the text like an editor would.
 */
import assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { CodeAction, TextDocumentEdit, TextEdit, WorkspaceEdit } from "vscode-languageserver-protocol";
import type { TestServer } from "../helpers/lspClient.js";

/** Text with a `|` cursor marker: the text without it and the marker's position. */
export function marked(src: string, marker = "|"): { text: string; position: { line: number; character: number } } {
  const at = src.indexOf(marker);
  assert.ok(at >= 0, "no cursor marker");
  const text = src.slice(0, at) + src.slice(at + marker.length);
  const before = text.slice(0, at);
  const line = before.split("\n").length - 1;
  return { text, position: { line, character: at - (before.lastIndexOf("\n") + 1) } };
}

/** The edits a WorkspaceEdit makes to one uri, whichever form it uses. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  if (edit.documentChanges) {
    return (edit.documentChanges.filter((c) => "textDocument" in c && c.textDocument.uri === uri) as TextDocumentEdit[]).flatMap((c) => c.edits as TextEdit[]);
  }
  return edit.changes?.[uri] ?? [];
}

/** Applies a WorkspaceEdit's edits for `uri` to `text`. */
export function applyTo(text: string, edit: WorkspaceEdit, uri: string): string {
  const doc = TextDocument.create(uri, "x", 1, text);
  return TextDocument.applyEdits(doc, editsFor(edit, uri));
}

/** Asks for the code actions at a position (an empty range). */
export async function actionsAt(s: TestServer, uri: string, position: { line: number; character: number }, diagnostics: unknown[] = [], only?: string[]): Promise<CodeAction[]> {
  return s.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri },
    range: { start: position, end: position },
    context: { diagnostics, ...(only ? { only } : {}) },
  });
}

/** The action whose title starts with `prefix`. */
export function pick(actions: CodeAction[], prefix: string): CodeAction {
  const a = actions.find((x) => x.title.startsWith(prefix));
  assert.ok(a, `no action "${prefix}…" among: ${actions.map((x) => x.title).join(", ")}`);
  return a;
}

/** Waits until `cond` holds, polling; fails with `what` after the timeout. */
export async function until(cond: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Records `$/progress` notifications. NOTE: vscode-jsonrpc routes them to `onUnhandledProgress`
 * rather than to the catch-all notification handler the test client records with.
 */
export function recordProgress(s: TestServer): Array<{ token: string | number; value: any }> {
  const seen: Array<{ token: string | number; value: any }> = [];
  s.connection.onUnhandledProgress((p) => void seen.push(p));
  return seen;
}

