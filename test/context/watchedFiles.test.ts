import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { defaultCapabilities, killAllServers, startServer } from "../helpers/lspClient.js";

describe("context: workspace/didChangeWatchedFiles", () => {
  after(() => killAllServers());

  it("never asks even a client with dynamic registration to watch files, and takes change events it sends anyway", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-watch-"));
    try {
      const capabilities = { ...defaultCapabilities, workspace: { ...defaultCapabilities.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };
      const s = await startServer({ capabilities, workspaceFolders: [root] });
      // The index re-stats on use; a "**/*" watch would make eglot watch every directory of the project.
      await s.request("codegen/settings", {}).catch(() => undefined);
      await s.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(path.join(root, "a.ts")).href, type: 2 }, { uri: "untitled:x", type: 3 }] });
      // Still answering, and nothing went wrong handling the event.
      assert.equal(await s.connection.sendRequest("shutdown"), null);
      assert.ok(!s.serverRequests.some((r) => r.method === "client/registerCapability" && r.params.registrations.some((g: { method: string }) => g.method === "workspace/didChangeWatchedFiles")));
      assert.ok(!s.logMessages().some((m) => /error|unhandled/i.test(m)), s.logMessages().join("\n"));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("does not register file watching with a client that cannot take it", async () => {
    const s = await startServer();
    await s.connection.sendRequest("shutdown");
    assert.ok(!s.serverRequests.some((r) => r.method === "client/registerCapability" && r.params.registrations.some((g: { method: string }) => g.method === "workspace/didChangeWatchedFiles")));
  });
});
