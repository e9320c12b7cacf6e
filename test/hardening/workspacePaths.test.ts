/**
 * Edits never touch paths outside the workspace folders, normalised and with symlinks resolved
 * (issue 9). "Add tests" is the action that writes a file the user did not open: when the test
 * file would land outside every workspace folder (through a symlinked folder or a symlinked source
 * folder) it is refused with a message, nothing is applied and nothing outside is written; a
 * workspace folder given through a symlink still works. The open document itself is the user's
 * own choice and may always be edited (single-file editing has no workspace folder at all).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, TextDocumentEdit, CreateFile } from "vscode-languageserver-protocol";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { defaultCapabilities, startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, pick, until } from "../actions/helpers.js";

const SOURCE = "def mean(xs):\n    return sum(xs) / len(xs)\n";
const AT = { line: 1, character: 10 };
const REPLY = "```python\nfrom calc import mean\n\n\ndef test_mean():\n    assert mean([1, 3]) == 2\n```";

/** Every file uri a WorkspaceEdit touches (edits and creations). */
function touched(edit: { documentChanges?: Array<TextDocumentEdit | CreateFile | any>; changes?: Record<string, unknown> }): string[] {
  const out = Object.keys(edit.changes ?? {});
  for (const c of edit.documentChanges ?? []) out.push("textDocument" in c ? c.textDocument.uri : c.uri);
  return out;
}

describe("hardening: edits stay inside the workspace folders (symlinks resolved)", function () {
  this.timeout(30000);
  let fake: FakeLlm;
  let server: TestServer | undefined;
  let root: string;
  let ws: string;
  let outside: string;

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault(REPLY);
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hardening-paths-")));
    ws = path.join(root, "ws");
    outside = path.join(root, "outside");
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(folder = ws, resolve = true): Promise<TestServer> {
    const caps = structuredClone(defaultCapabilities);
    if (!resolve) delete caps.textDocument!.codeAction!.resolveSupport;
    caps.workspace!.workspaceEdit = { documentChanges: true, resourceOperations: ["create"] };
    server = await startServer({ initializationOptions: fakeSettings(fake.url), capabilities: caps, workspaceFolders: [folder] });
    return server;
  }

  async function addTests(s: TestServer, file: string): Promise<CodeAction> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, SOURCE);
    const uri = await s.openDocument(file, "python", SOURCE);
    return pick(await actionsAt(s, uri, AT), "Add tests for");
  }

  /** Asserts the action was refused: no edit, one message naming the workspace, nothing written outside. */
  async function assertRefused(s: TestServer, resolved: CodeAction, outsideBefore: string[]): Promise<void> {
    assert.equal(resolved.edit, undefined, `no edit; got one touching ${resolved.edit ? touched(resolved.edit as any).join(", ") : ""}`);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Add tests/.test(p.message));
    assert.match(msg.message, /outside the workspace|not inside a workspace folder/);
    assert.match(msg.message, /nothing was applied/);
    assert.deepEqual(listAll(outside), outsideBefore, "nothing written outside");
  }

  function listAll(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true }).map(String).sort();
  }

  it("refuses when the test folder (tests/) is a symlink to a folder outside the workspace", async () => {
    fs.symlinkSync(outside, path.join(ws, "tests"), "dir");
    fs.writeFileSync(path.join(outside, "test_calc.py"), "def test_old():\n    assert True\n");
    const s = await start();
    const before = listAll(outside);
    const resolved = await s.request<CodeAction>("codeAction/resolve", await addTests(s, path.join(ws, "calc.py")));
    await assertRefused(s, resolved, before);
  });

  it("refuses when the source folder is a symlink out of the workspace (the test file would sit next to the real source)", async () => {
    fs.mkdirSync(path.join(outside, "pkg"));
    // Siblings with tests next to them, so the {dir}/test_{name}.py pattern is the one followed.
    fs.writeFileSync(path.join(outside, "pkg", "other.py"), "def other():\n    return 1\n");
    fs.writeFileSync(path.join(outside, "pkg", "test_other.py"), "def test_other():\n    assert True\n");
    fs.symlinkSync(path.join(outside, "pkg"), path.join(ws, "pkg"), "dir");
    fs.writeFileSync(path.join(outside, "pkg", "calc.py"), SOURCE);
    const s = await start();
    const before = listAll(outside);
    const resolved = await s.request<CodeAction>("codeAction/resolve", await addTests(s, path.join(ws, "pkg", "calc.py")));
    await assertRefused(s, resolved, before);
  });

  it("refuses a dangling symlink (tests/ pointing to a folder that does not exist yet)", async () => {
    fs.symlinkSync(path.join(outside, "later"), path.join(ws, "tests"), "dir");
    const s = await start();
    const before = listAll(outside);
    const resolved = await s.request<CodeAction>("codeAction/resolve", await addTests(s, path.join(ws, "calc.py")));
    await assertRefused(s, resolved, before);
  });

  it("refuses on the executeCommand path too, with no workspace/applyEdit", async () => {
    fs.symlinkSync(outside, path.join(ws, "tests"), "dir");
    const s = await start(ws, false);
    const before = listAll(outside);
    const action = await addTests(s, path.join(ws, "calc.py"));
    await s.request("workspace/executeCommand", action.command);
    await until(() => s.showMessages().some((m) => /Add tests/.test(m.message)), "the refusal message");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(s.appliedEdits.length, 0);
    await assertRefused(s, { title: "x" }, before);
  });

  it("refuses a source file outside every workspace folder (no test file is written)", async () => {
    const s = await start();
    fs.writeFileSync(path.join(outside, "calc.py"), SOURCE);
    const before = listAll(outside);
    const resolved = await s.request<CodeAction>("codeAction/resolve", await addTests(s, path.join(outside, "calc.py")));
    await assertRefused(s, resolved, before);
  });

  it("works when the workspace folder is given through a symlink and the file is opened by its real path", async () => {
    const link = path.join(root, "ws-link");
    fs.symlinkSync(ws, link, "dir");
    fs.mkdirSync(path.join(ws, "tests"));
    const s = await start(link);
    const resolved = await s.request<CodeAction>("codeAction/resolve", await addTests(s, path.join(ws, "calc.py")));
    assert.ok(resolved.edit, `an edit; messages: ${JSON.stringify(s.showMessages())}`);
    const uris = touched(resolved.edit as any);
    assert.ok(uris.length > 0);
    for (const u of uris) {
      const real = path.join(fs.realpathSync(path.dirname(new URL(u).pathname)), path.basename(new URL(u).pathname));
      assert.ok(real.startsWith(ws + path.sep), `${u} is inside the workspace`);
    }
    assert.ok(uris.includes(pathToFileURL(path.join(ws, "tests", "test_calc.py")).href) || uris.includes(pathToFileURL(path.join(link, "tests", "test_calc.py")).href), uris.join(", "));
  });
});
