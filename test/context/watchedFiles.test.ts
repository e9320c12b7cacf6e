import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { defaultCapabilities, killAllServers, startServer } from "../helpers/lspClient.js";

async function until(check: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("context: workspace/didChangeWatchedFiles", () => {
  after(() => killAllServers());

  it("registers file watching with a client that supports dynamic registration, and takes change events", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-watch-"));
    try {
      const capabilities = { ...defaultCapabilities, workspace: { ...defaultCapabilities.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };
      const s = await startServer({ capabilities, workspaceFolders: [root] });
      const registered = () =>
        s.serverRequests.some((r) => r.method === "client/registerCapability" && r.params.registrations.some((g: { method: string }) => g.method === "workspace/didChangeWatchedFiles"));
      await until(registered, "registration of workspace/didChangeWatchedFiles");
      await s.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(path.join(root, "a.ts")).href, type: 2 }, { uri: "untitled:x", type: 3 }] });
      // Still answering, and nothing went wrong handling the event.
      assert.equal(await s.connection.sendRequest("shutdown"), null);
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
