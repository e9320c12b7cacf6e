/**
 * Throwaway workspaces for context tests: files written from a map of relative paths, and the
 * context built for a stub in one of them, as the engine sees an open document.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContext } from "../../server/context/index.js";
import type { ContextRequest, ContextResult } from "../../server/context/index.js";
import { createDocumentStore, stubs } from "../../server/syntax/index.js";

/** Creates a temporary folder holding `files` (relative path → text); remove it with `fs.rmSync`. */
export function tempWorkspace(prefix: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/**
 * A temporary workspace of `files` for the enclosing `describe` block: registers a `before` hook
 * that writes it and an `after` hook that removes it. Read `root` inside the block's tests and hooks.
 */
export function workspaceFixture(prefix: string, files: Record<string, string>): { readonly root: string } {
  let root: string | undefined;
  before(() => {
    root = tempWorkspace(prefix, files);
  });
  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    get root(): string {
      assert.ok(root, `the ${prefix} workspace is written in before(): read root inside a test or hook`);
      return root;
    },
  };
}

/** Builds the context for the stub `name` of the TypeScript or Python file `rel` (its text on disk, or `text`). */
export async function stubContext(root: string, rel: string, name: string, budgetTokens: number, extra: Partial<ContextRequest> = {}, text?: string): Promise<ContextResult> {
  const file = path.join(root, rel);
  const languageId = rel.endsWith(".py") ? "python" : "typescript";
  const doc = createDocumentStore().open(pathToFileURL(file).href, languageId, 1, text ?? fs.readFileSync(file, "utf8"));
  const stub = stubs(doc).find((s) => s.name === name);
  assert.ok(stub, `${name} is a stub`);
  return buildContext({ document: doc, target: { kind: "stub", stub }, budgetTokens, workspaceFolders: [root], ...extra });
}
