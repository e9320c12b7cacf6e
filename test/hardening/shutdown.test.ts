/**
 * Shutdown with model calls in flight (issue 9): the server aborts them and exits promptly with 0.
 */
import assert from "node:assert/strict";
import { useServerFixture } from "../helpers/serverFixture.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer } from "../helpers/lspClient.js";
import { posOf } from "../hover/positions.js";

const TS = "export function add(a: number, b: number): number {\n  return a + b;\n}\nadd(1, 2);\nconst s = add(3, 4);\n";

describe("shutdown with model calls in flight", function () {
  this.timeout(30000);
  const f = useServerFixture();

  it("aborts hanging hover and Explain calls and exits 0 without waiting for them", async () => {
    f.fake.setDefault({ hang: true });
    // Timeouts far beyond the test's patience: only the shutdown can end these calls in time.
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, { requestTimeoutMs: 600000, hover: { timeoutMs: 300000 } }) });
    const s = f.server;
    const uri = await s.openDocument("/tmp/shutdown-ws/a.ts", "typescript", TS);
    const hover = s.request("textDocument/hover", { textDocument: { uri }, position: posOf(TS, "add(1", 1) }).catch(() => null);
    const selection = { start: posOf(TS, "const s"), end: posOf(TS, "add(3, 4)", 9) };
    await s.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri, range: selection }] });
    const calls = await f.fake.waitForRequests(2, { endpoint: "chat" });

    const started = Date.now();
    const code = await s.shutdown();
    const took = Date.now() - started;
    assert.equal(code, 0);
    // NOTE: the 1 s target is measured by bench:soak's shutdown; this bound only catches waiting for the calls.
    assert.ok(took < 10000, `exit took ${took} ms`);
    for (const c of calls) assert.equal((await f.fake.waitForEnd(c, 5000)).aborted, true, "the HTTP request was aborted");
    await hover;
  });
});
